import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { emptyStack } from "./helpers/synth";

// setup.ts registers cdktf's matchers on the test runner's expect; every construct test may use them.
describe("cdktf matchers", () => {
  const stack = emptyStack();
  new S3Bucket(stack, "state", { bucket: "fintech-state", forceDestroy: false });
  const synthesized = Testing.synth(stack);

  it("match a resource by type and nested properties", () => {
    expect(synthesized).toHaveResource(S3Bucket);
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "fintech-state" });
  });

  it("fail on a property the resource does not have", () => {
    expect(() => expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "other" })).toThrow(/aws_s3_bucket/);
    expect(synthesized).not.toHaveResourceWithProperties(S3Bucket, { bucket: "other" });
  });
});
