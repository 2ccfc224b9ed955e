/**
 * S3 bucket settings live in separate resources since AWS provider v4 (versioning, encryption,
 * policy, public access block); a bucket rule finds them through their `bucket` attribute.
 */
import { refersTo } from "../../attributes";
import { PolicyResource, StackResources } from "../../rule";

/** Resources of `type` configuring `bucket`: by reference to it or by its literal name. */
export function bucketCompanions(bucket: PolicyResource, stack: StackResources, type: string): PolicyResource[] {
  const name = bucket.attributes.bucket;
  return stack
    .ofType(type)
    .filter((companion) => refersTo(companion.attributes.bucket, bucket) || (typeof name === "string" && companion.attributes.bucket === name));
}
