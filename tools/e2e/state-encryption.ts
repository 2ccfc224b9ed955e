/**
 * The e2e's proof that terraform writes state encrypted with the state key: for every S3-backed
 * stack, HEAD its state object on the emulator and require `aws:kms` with the backend's
 * `kms_key_id`, and that this id resolves (KMS DescribeKey on the emulator) to the key the
 * bootstrap stack created for the bucket. Before the fix, terraform sent AES256 (SSE-S3).
 */
import { EmulatorS3 } from "./emulator-s3";

/** One S3-backed stack's state object and the key its backend names. */
export interface StateObject {
  readonly stack: string;
  readonly bucket: string;
  readonly key: string;
  readonly kmsKeyId: string;
}

/** The emulator's answer to KMS DescribeKey (unsigned JSON call; moto does not check signatures). */
async function describeKey(endpoint: string, region: string, keyId: string): Promise<{ Arn: string; Description?: string; KeyState?: string }> {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "TrentService.DescribeKey",
      authorization: `AWS4-HMAC-SHA256 Credential=emulator/${date}/${region}/kms/aws4_request, SignedHeaders=host, Signature=unsigned`,
    },
    body: JSON.stringify({ KeyId: keyId }),
  });
  if (!response.ok) throw new Error(`emulator KMS DescribeKey ${keyId} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return ((await response.json()) as { KeyMetadata: { Arn: string; Description?: string; KeyState?: string } }).KeyMetadata;
}

/** Check every state object; returns one line per object, throws naming the first one that is not SSE-KMS with its key. */
export async function checkStateEncryption(endpoint: string, region: string, objects: readonly StateObject[]): Promise<string[]> {
  const s3 = new EmulatorS3(endpoint, region);
  const lines: string[] = [];
  for (const object of objects) {
    const { algorithm, kmsKeyId } = await s3.encryption(object.bucket, object.key);
    if (algorithm !== "aws:kms" || kmsKeyId !== object.kmsKeyId) {
      throw new Error(
        `${object.stack}: s3://${object.bucket}/${object.key} is ${algorithm || "unencrypted"}${kmsKeyId ? ` with ${kmsKeyId}` : ""}, expected aws:kms with the state key ${object.kmsKeyId}`,
      );
    }
    const key = await describeKey(endpoint, region, kmsKeyId);
    if (key.KeyState !== "Enabled" || key.Description !== `Encrypts terraform state in s3://${object.bucket}`) {
      throw new Error(`${object.stack}: ${kmsKeyId} resolves to ${key.Arn} ("${key.Description}", ${key.KeyState}), not the enabled state key of s3://${object.bucket}`);
    }
    lines.push(`${object.stack}: s3://${object.bucket}/${object.key} aws:kms with ${kmsKeyId} (${key.Arn})`);
  }
  return lines;
}
