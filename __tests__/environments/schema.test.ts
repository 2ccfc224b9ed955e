import { awsTestEnvironmentSchema, parseEnvironment } from "../../environments/schema";
import { testAws } from "../../environments/test-aws";

const parse = (patch: (env: any) => void) => {
  const raw = structuredClone(testAws) as any;
  patch(raw);
  return () => parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", raw);
};

describe("AWS test environment schema", () => {
  it("accepts the shipped config and fills the defaults", () => {
    const env = parse(() => undefined)();
    expect(env.network.publicSubnetPrefix).toBe(24);
    expect(env.state.noncurrentVersionDays).toBe(90);
    expect(env.eks.nodeGroups[0].diskSizeGiB).toBe(50);
  });
  it("rejects an unknown region, naming field and value", () => {
    expect(parse((e) => (e.region = "eu-westt-1"))).toThrow(/environments\/test-aws.ts: region must be one of us-east-1, .* \(got "eu-westt-1"\)/);
  });
  it("rejects a malformed account id", () => {
    expect(parse((e) => (e.accountId = "1234"))).toThrow(/accountId must be a 12-digit AWS account id \(got "1234"\)/);
  });
  it("rejects an invalid Kubernetes version", () => {
    expect(parse((e) => (e.eks.version = "1.19"))).toThrow(/eks.version must be a supported EKS version: 1.30, .* \(got "1.19"\)/);
  });
  it("rejects a malformed admin principal", () => {
    expect(parse((e) => (e.eks.adminPrincipals = ["admin"]))).toThrow(/eks.adminPrincipals\[0\] must be an IAM role or user ARN .* \(got "admin"\)/);
  });
  it("reports every problem at once", () => {
    expect(parse((e) => ((e.region = "mars-1"), (e.accountId = "x")))).toThrow(/region[\s\S]*\n.*accountId/);
  });
  it("rejects a missing required field", () => {
    expect(parse((e) => delete e.eks.clusterName)).toThrow(/eks.clusterName .*\(missing\)/);
  });
});
