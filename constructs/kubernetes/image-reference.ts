import { Token } from "cdktf";
import { IConstruct } from "constructs";
import { ConfigError } from "../errors";

/** A container image pinned by an immutable tag, a digest, or both. */
export interface ImageReference {
  /**
   * Registry and repository without tag, e.g. `111122223333.dkr.ecr.eu-west-1.amazonaws.com/payments-api`,
   * or a reference resolved at apply time such as `ContainerRegistry.repositoryUrl` (only a literal
   * can be checked at synth; the registry then guarantees its form).
   */
  readonly repository: string;
  /** Release tag, e.g. `1.4.2`. Never `latest`: the registry must treat tags as immutable. */
  readonly tag?: string;
  /** Content digest, `sha256:<64 hex>`. When both are given the digest is what the kubelet pulls. */
  readonly digest?: string;
}

// Lower-case path components separated by "/", optionally led by a registry host with a port.
const REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
// Tags that by convention move to a new image; pinning to one is not pinning.
const FLOATING_TAGS = new Set(["latest", "stable", "main", "master", "edge", "nightly"]);

/**
 * The `image` string for a container, after checking it is pinned: a tag that does not float, or
 * a digest. Throws a ConfigError naming the field, the value and the fix otherwise.
 */
export function pinnedImage(image: ImageReference, scope: IConstruct): string {
  const { repository, tag, digest } = image;
  if (!Token.isUnresolved(repository)) {
    const lastSegment = repository.slice(repository.lastIndexOf("/") + 1);
    if (repository.includes("@") || lastSegment.includes(":")) {
      throw new ConfigError(`image.repository "${repository}" contains a tag or digest; put it in image.tag or image.digest`, scope);
    }
    if (!REPOSITORY.test(repository)) {
      throw new ConfigError(`image.repository "${repository}" is not a valid lower-case image repository like registry.example.com/team/app`, scope);
    }
  }
  if (tag === undefined && digest === undefined) {
    throw new ConfigError(`image "${Token.isUnresolved(repository) ? "(a reference)" : repository}" has neither tag nor digest; pin it with an immutable release tag (e.g. 1.4.2) or a sha256 digest`, scope);
  }
  if (tag !== undefined) {
    if (!TAG.test(tag)) {
      throw new ConfigError(`image.tag "${tag}" is not a valid tag (letters, digits, "_", "." or "-", up to 128 chars)`, scope);
    }
    if (FLOATING_TAGS.has(tag.toLowerCase())) {
      throw new ConfigError(`image.tag "${tag}" floats to new images; pin an immutable release tag (e.g. 1.4.2) or a sha256 digest`, scope);
    }
  }
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw new ConfigError(`image.digest "${digest}" must be sha256:<64 lower-case hex characters>`, scope);
  }
  return `${repository}${tag !== undefined ? `:${tag}` : ""}${digest !== undefined ? `@${digest}` : ""}`;
}
