import { ClientFactory } from "../../lambdas/ebs-reaper/clients";
import { parseArgs, runCli } from "../../tools/ebs-reaper";

/** A client factory that fails the test if the CLI calls AWS at all. */
const noCalls: ClientFactory = {
  ec2: () => {
    throw new Error("EC2 must not be called");
  },
  sts: () => {
    throw new Error("STS must not be called");
  },
  sns: () => {
    throw new Error("SNS must not be called");
  },
};

describe("ebs-reaper CLI arguments", () => {
  it("defaults to a dry run over the caller's account and enabled regions, as a table", () => {
    const args = parseArgs(["scan"], {});
    expect(args).toMatchObject({ mode: "scan", dryRun: true, format: "table" });
    expect(args.settings).toMatchObject({ roleName: "ebs-reaper-member", graceDays: 7, defaultRecipient: "platform" });
    expect(args.settings.accounts).toBeUndefined();
    expect(args.settings.regions).toBeUndefined();
  });

  it("reads every option, in both --flag value and --flag=value forms", () => {
    const args = parseArgs(
      ["reap", "--regions", "eu-west-1,us-east-1", "--accounts=222233334444,333344445555", "--role-name", "reaper", "--grace-days", "14", "--no-dry-run", "--format", "json"],
      { EBS_REAPER_DEFAULT_RECIPIENT: "finops", EBS_REAPER_TOPIC_ARN: "arn:aws:sns:eu-west-1:111122223333:ebs-reaper" },
    );
    expect(args).toMatchObject({ mode: "reap", dryRun: false, format: "json" });
    expect(args.settings).toMatchObject({
      regions: ["eu-west-1", "us-east-1"],
      accounts: ["222233334444", "333344445555"],
      roleName: "reaper",
      graceDays: 14,
      defaultRecipient: "finops",
      topicArn: "arn:aws:sns:eu-west-1:111122223333:ebs-reaper",
    });
  });

  it.each([
    [["purge"], /<scan\|reap> "purge" is not one of scan, reap/],
    [[], /missing argument <scan\|reap>: scan: mark and report; reap: delete approved volumes; usage: npm run --silent ebs-reaper -- <scan\|reap>/],
    [["scan", "--accounts", "12345"], /--accounts: account "12345" is not a 12-digit AWS account id; pass ids like 123456789012/],
    [["scan", "--regions", "eu-west-1,Mars"], /--regions: region "Mars" is not an AWS region name; pass names like eu-west-1/],
    [["scan", "--regions", "eu-west-1,,us-east-1"], /--regions "eu-west-1,,us-east-1" has an empty item/],
    [["scan", "--grace-days=-3"], /--grace-days "-3" is not a whole number/],
    [["scan", "--grace-days", "-3"], /--grace-days needs a value, e.g. --grace-days N/],
    [["scan", "--grace-days", "0"], /--grace-days: grace days 0 must be a whole number of days, 1 or more/],
    [["scan", "--format", "yaml"], /--format "yaml" is not one of json, table/],
    [["scan", "--role-name", "bad role"], /--role-name: role name "bad role" is not a valid IAM role name/],
    [["scan", "--regions"], /--regions needs a value/],
    [["scan", "--force"], /unknown option --force \(see --help\)/],
    [["scan", "--dryrun"], /unknown option --dryrun; did you mean --dry-run\?/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv, {})).toThrow(message);
  });

  it("exits 2 on bad arguments, saying why on stderr, with no AWS call made and nothing on stdout", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["reap", "--accounts", "abc"], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, {}, noCalls);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join("\n")).toMatch(/ebs-reaper: --accounts: account "abc" is not a 12-digit AWS account id/);
  });
});
