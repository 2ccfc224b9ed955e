/**
 * The few S3 calls the drills need, made directly against the emulator.
 *
 * The project ships no S3 SDK client and moto does not verify signatures, so these are plain
 * HTTP requests whose Authorization header only names the service (moto routes on it). Never
 * point this at real AWS: it cannot sign.
 */

/** One entry of ListObjectVersions: a version or a delete marker. */
export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly deleteMarker: boolean;
}

/** Minimal S3 client bound to one emulator endpoint and region. */
export class EmulatorS3 {
  constructor(
    private readonly endpoint: string,
    private readonly region: string,
  ) {}

  private async request(method: string, path: string, expected: number[], headers: Record<string, string> = {}, body?: string): Promise<Response> {
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=emulator/${date}/${this.region}/s3/aws4_request, SignedHeaders=host, Signature=unsigned`,
        ...headers,
      },
      body,
    });
    if (!expected.includes(response.status)) {
      throw new Error(`emulator S3 ${method} ${path} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    return response;
  }

  /** Create a bucket in the client's region. */
  async createBucket(bucket: string): Promise<void> {
    const body = `<CreateBucketConfiguration><LocationConstraint>${this.region}</LocationConstraint></CreateBucketConfiguration>`;
    await this.request("PUT", `/${bucket}`, [200], {}, body);
  }

  /** Attach a bucket policy document. */
  async putBucketPolicy(bucket: string, policy: unknown): Promise<void> {
    await this.request("PUT", `/${bucket}?policy`, [200, 204], {}, JSON.stringify(policy));
  }

  /** HTTP status of a HEAD on an object: 200, 403 or 404. */
  async headStatus(bucket: string, key: string): Promise<number> {
    return (await this.request("HEAD", `/${bucket}/${encodeKey(key)}`, [200, 403, 404])).status;
  }

  /** Server-side encryption of an object as HEAD reports it: algorithm ("aws:kms", "AES256") and KMS key id. */
  async encryption(bucket: string, key: string): Promise<{ algorithm: string; kmsKeyId: string }> {
    const response = await this.request("HEAD", `/${bucket}/${encodeKey(key)}`, [200]);
    return {
      algorithm: response.headers.get("x-amz-server-side-encryption") ?? "",
      kmsKeyId: response.headers.get("x-amz-server-side-encryption-aws-kms-key-id") ?? "",
    };
  }

  /** Whether `key` currently exists (a delete marker counts as absent). */
  async exists(bucket: string, key: string): Promise<boolean> {
    const response = await this.request("HEAD", `/${bucket}/${encodeKey(key)}`, [200, 404]);
    return response.status === 200;
  }

  /** Bucket versioning status: "Enabled", "Suspended" or "" (never enabled). */
  async versioning(bucket: string): Promise<string> {
    const xml = await (await this.request("GET", `/${bucket}?versioning`, [200])).text();
    return /<Status>([^<]*)<\/Status>/.exec(xml)?.[1] ?? "";
  }

  /** Every version and delete marker of exactly `key`, newest first. */
  async versions(bucket: string, key: string): Promise<ObjectVersion[]> {
    const xml = await (await this.request("GET", `/${bucket}?versions&prefix=${encodeURIComponent(key)}`, [200])).text();
    const entries: ObjectVersion[] = [];
    for (const match of xml.matchAll(/<(Version|DeleteMarker)>([\s\S]*?)<\/\1>/g)) {
      const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(match[2])?.[1] ?? "";
      if (field("Key") !== key) continue;
      entries.push({ key, versionId: field("VersionId"), isLatest: field("IsLatest") === "true", deleteMarker: match[1] === "DeleteMarker" });
    }
    return entries;
  }

  /**
   * Delete `key`. Without a version id this is what a careless `aws s3 rm` does on a versioned
   * bucket: it adds a delete marker. With one, it removes that version (or marker) for good.
   */
  async delete(bucket: string, key: string, versionId?: string): Promise<void> {
    const query = versionId ? `?versionId=${encodeURIComponent(versionId)}` : "";
    await this.request("DELETE", `/${bucket}/${encodeKey(key)}${query}`, [204, 200]);
  }

  /**
   * Make an old version current again by copying it over the object. Unlike deleting the newer
   * versions, this keeps every version, so the restore itself can be undone.
   */
  async copyVersion(bucket: string, key: string, versionId: string): Promise<void> {
    await this.request("PUT", `/${bucket}/${encodeKey(key)}`, [200], {
      "x-amz-copy-source": `/${bucket}/${encodeKey(key)}?versionId=${encodeURIComponent(versionId)}`,
    });
  }
}

function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}
