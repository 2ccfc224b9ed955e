import { Testing } from "cdktf";
import { awsTestEnvironmentSchema, parseEnvironment } from "../../../environments/schema";
import { AwsCostStack } from "../../../stacks/aws/cost-stack";
import { ebsVolumePrices } from "../../../lambdas/ebs-reaper/pricing";
import { shippedPriceTable } from "../../../tools/cost/price-table";
import { buildAwsEnvironment } from "../../../stacks/aws";
import { testAws } from "../../../environments/test-aws";
import { environments, synthJson } from "../../helpers/synth";

describe("test-aws-cost stack", () => {
  const env = environments().testAws;
  const stack = new AwsCostStack(Testing.app(), env, env.ebsReaper!);
  const json = synthJson(stack);

  it("keeps its own state key and wires the reaper from environments/test-aws.ts", () => {
    expect(stack.node.id).toBe("test-aws-cost");
    expect(json.terraform.backend.s3.key).toBe("test/aws/cost.tfstate");
    const fn = Object.values(json.resource.aws_lambda_function)[0] as any;
    expect(fn.function_name).toBe("test-ebs-reaper");
    expect(JSON.parse(fn.environment.variables.REAPER_SETTINGS)).toMatchObject({
      accounts: env.ebsReaper!.memberAccountIds,
      regions: ["eu-west-1", "eu-central-1"],
      graceDays: 7,
      defaultRecipient: "platform",
    });
    // Waste is priced from the repository's price table for the environment's region, as `npm run cost` does.
    expect(JSON.parse(fn.environment.variables.REAPER_SETTINGS).prices).toEqual(ebsVolumePrices(env.region));
    expect(ebsVolumePrices(env.region).gp3).toBe(shippedPriceTable().price("aws.ebs.gp3-gb-month", { resource: "reaper", region: env.region }));
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(["reaper-role-arn", "reaper-function-name", "reaper-topic-arn", "reaper-dlq-url"]));
  });

  it("is built with the environment, and left out when the environment has no reaper config", () => {
    expect(buildAwsEnvironment(Testing.app(), env).cost?.node.id).toBe("test-aws-cost");
    const without = { ...environments().testAws, ebsReaper: undefined };
    expect(buildAwsEnvironment(Testing.app(), without).cost).toBeUndefined();
  });

  it.each([
    [{ memberAccountIds: ["11112222333"] }, /ebsReaper\.memberAccountIds\[0\] must be a 12-digit AWS account id \(got "11112222333"\)/],
    [{ regions: ["Ireland"] }, /ebsReaper\.regions\[0\] must be AWS region names like eu-west-1 \(got "Ireland"\)/],
    [{ prices: { gp9: 0.1 } }, /ebsReaper\.prices\.gp9 is not an EBS volume type; price one of gp2, gp3, io1, io2, st1, sc1, standard \(got 0\.1\)/],
    [{ prices: { gp3: -0.1 } }, /ebsReaper\.prices\.gp3 must be a price >= 0 in USD per GiB-month \(got -0\.1\)/],
    [{ notificationEmails: { payments: "payments-at-example" } }, /ebsReaper\.notificationEmails\.payments must be an email address/],
    [{ graceDays: 0 }, /ebsReaper\.graceDays must be at least 1 day \(got 0\)/],
    [{ defaultRecipient: "" }, /ebsReaper\.defaultRecipient must name the team told about volumes without an owner/],
  ])("rejects ebsReaper %j in config", (override, message) => {
    const raw = structuredClone(testAws) as any;
    raw.ebsReaper = { ...raw.ebsReaper, ...override };
    expect(() => parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", raw)).toThrow(message);
  });
});
