/**
 * `npm run synth` rejecting config: each case writes a copy of the shipped config with one mistake
 * into a folder and runs the synth CLI on it (`runSynth`, what `npm run synth -- --config-dir DIR`
 * runs after the transpile). Each asserts the field path and
 * the value in the message and that the previous output folder is byte for byte unchanged.
 * synth.integration.test.ts runs the same through npm itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runSynth } from "../../tools/synth";
import { ConfigChange as Mistake, configDir, snapshot } from "../helpers/config-dir";

let work: string;
let outdir: string;
let before: string;

async function synth(mistake: Mistake): Promise<{ code: number; stderr: string; stdout: string; dir: string }> {
  const dir = configDir(work, mistake);
  let stdout = "";
  let stderr = "";
  const code = await runSynth(["--config-dir", dir, outdir], { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`) });
  return { code, stdout, stderr, dir };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "synth-test-"));
  // A previous synth's output (its content does not matter, only that no byte of it changes).
  outdir = join(work, "cdktf.out");
  mkdirSync(join(outdir, "stacks", "test-aws-state"), { recursive: true });
  writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ version: "previous", stacks: {} }));
  writeFileSync(join(outdir, "stacks", "test-aws-state", "cdk.tf.json"), "{}");
  before = snapshot(outdir);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm run synth rejects config before anything is written", () => {
  // [what, mistake, file, expected line (after "<file>: ")]
  const cases: [string, Mistake, "test-aws.ts" | "prod-azure.ts", RegExp][] = [
    ["a region typo, with the closest region", { testAws: (e) => (e.region = "eu-wset-1") }, "test-aws.ts", /region must be one of .*eu-west-1.*; did you mean eu-west-1\? \(got "eu-wset-1"\)/],
    ["a string for a number", { testAws: (e) => (e.eks.nodeGroups[0].maxSize = "three") }, "test-aws.ts", /eks\.nodeGroups\[0\]\.maxSize must be a number \(got "three"\)/],
    ["a misspelt optional field, instead of silently using its default", { testAws: (e) => (e.network.flowLogRetentionDay = 30) }, "test-aws.ts", /network\.flowLogRetentionDay is not a known field; did you mean flowLogRetentionDays\? \(got 30\)/],
    ["an unknown top-level field", { testAws: (e) => (e.regoin = "eu-west-1") }, "test-aws.ts", /regoin is not a known field; did you mean region\? \(got "eu-west-1"\)/],
    ["an enum typo", { testAws: (e) => (e.network.natGateways = "per_az") }, "test-aws.ts", /network\.natGateways must be one of single, per-az; did you mean per-az\? \(got "per_az"\)/],
    ["an unsupported EKS version", { testAws: (e) => (e.eks.version = "1.19") }, "test-aws.ts", /eks\.version must be a supported EKS version: .* \(got "1\.19"\)/],
    ["a short account id", { testAws: (e) => (e.accountId = "12345") }, "test-aws.ts", /accountId must be a 12-digit AWS account id \(got "12345"\)/],
    ["a malformed cost center", { testAws: (e) => (e.tags.costCenter = "1042") }, "test-aws.ts", /tags\.costCenter must look like CC-1042 \(got "1042"\)/],
    ["a CIDR without prefix", { testAws: (e) => (e.network.vpcCidr = "10.40.0.0") }, "test-aws.ts", /network\.vpcCidr must be an IPv4 CIDR like 10\.0\.0\.0\/16 \(got "10\.40\.0\.0"\)/],
    ["a number below its minimum", { testAws: (e) => (e.network.azCount = 1) }, "test-aws.ts", /network\.azCount must be at least 2 \(EKS needs two AZs\) \(got 1\)/],
    ["a missing required field", { testAws: (e) => delete e.eks.clusterName }, "test-aws.ts", /eks\.clusterName is required \(missing\)/],
    ["a string for a boolean", { testAws: (e) => (e.eks.publicEndpoint.enabled = "yes") }, "test-aws.ts", /eks\.publicEndpoint\.enabled must be a boolean \(got "yes"\)/],
    ["a service in a namespace that is not defined", { testAws: (e) => (e.workloads.services[0].namespace = "billing") }, "test-aws.ts", /workloads\.services\[0\]\.namespace must be one of workloads\.namespaces \(payments\) \(got "billing"\)/],
    ["a probe type typo", { testAws: (e) => (e.workloads.services[1].probes.readiness.type = "htp") }, "test-aws.ts", /workloads\.services\[1\]\.probes\.readiness\.type must be one of http, tcp, exec; did you mean http\? \(got "htp"\)/],
    ["a Datadog key in config", { testAws: (e) => (e.observability.apiKey = "0123456789abcdef0123456789abcdef") }, "test-aws.ts", /observability\.apiKey is not a known field; Datadog API\/app keys never go in config or code.* \(got "0123456789abcdef0123456789abcdef"\)/],
    ["a number as a string in a list item", { testAws: (e) => (e.ecr.repositories[0].keepImages = "30") }, "test-aws.ts", /ecr\.repositories\[0\]\.keepImages must be a number \(got "30"\)/],
    ["a reaper grace period of zero", { testAws: (e) => (e.ebsReaper.graceDays = 0) }, "test-aws.ts", /ebsReaper\.graceDays must be at least 1 day \(got 0\)/],
    ["runners outside the VPC while the EKS public endpoint is off", { testAws: (e) => (e.eks.publicEndpoint.enabled = false) }, "test-aws.ts", /ci\.runners\.plan\.network cannot reach the EKS API of test-platform: .*eks\.publicEndpoint is disabled .*; set eks\.publicEndpoint\.enabled: true .* \(got \{"placement":"static-egress"/],
    ["an Azure region typo", { prodAzure: (e) => (e.location = "westeurpe") }, "prod-azure.ts", /location must be an Azure region with availability zones: .*; did you mean westeurope\? \(got "westeurpe"\)/],
    ["an empty customer address list", { prodAzure: (e) => (e.vpn.customers[0].addressSpaces = []) }, "prod-azure.ts", /vpn\.customers\[0\]\.addressSpaces needs at least one customer address range \(got \[\]\)/],
    ["a soft-delete retention below Azure's minimum", { prodAzure: (e) => (e.keyVault.softDeleteRetentionDays = 3) }, "prod-azure.ts", /keyVault\.softDeleteRetentionDays must be >= 7 \(got 3\)/],
    ["a VM size without its family prefix", { prodAzure: (e) => (e.aks.systemPool.vmSize = "D4ds_v5") }, "prod-azure.ts", /aks\.systemPool\.vmSize must be an Azure VM size like Standard_D4ds_v5 \(got "D4ds_v5"\)/],
    ["a misspelt customer field", { prodAzure: (e) => ((e.vpn.customers[2].gatewayAdress = e.vpn.customers[2].gatewayAddress), delete e.vpn.customers[2].gatewayAddress) }, "prod-azure.ts", /vpn\.customers\[2\]\.gatewayAdress is not a known field; did you mean gatewayAddress\? \(got "198\.51\.100\.77"\)/],
    ["a production alert list without a pager", { prodAzure: (e) => (e.observability.notifications.alert = ["@slack-platform-prod-alerts"]) }, "prod-azure.ts", /observability\.notifications\.alert must include a pager .* in production \(got \["@slack-platform-prod-alerts"\]\)/],
    ["a tenant id that is not a GUID", { prodAzure: (e) => (e.tenantId = "contoso") }, "prod-azure.ts", /tenantId must be a GUID like 00000000-0000-0000-0000-000000000000 \(got "contoso"\)/],
    ["an API server union matching neither form", { prodAzure: (e) => (e.aks.apiServer = { authorizedIpRanges: [] }) }, "prod-azure.ts", /aks\.apiServer\.authorizedIpRanges needs at least one range; use \{ private: true \} for no public endpoint \(got \[\]\)/],
  ];

  it.each(cases)("%s", async (_what, mistake, file, expected) => {
    const { code, stderr, stdout, dir } = await synth(mistake);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const prefix = `${join(dir, file)}: `;
    const lines = stderr.split("\n").filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
    expect(lines).toContainEqual(expect.stringMatching(expected));
    expect(stderr).toMatch(/^synth: nothing written: .*cdktf\.out is as the last successful synth left it:\n/);
    expect(snapshot(outdir)).toBe(before);
  });

  it("reports every problem of every file at once, one line each", async () => {
    const { code, stderr, dir } = await synth({
      testAws: (e) => ((e.region = "eu-wset-1"), (e.eks.nodeGroups[1].minSize = "2")),
      prodAzure: (e) => (e.aks.systemPool.maxCount = 2000),
    });
    expect(code).toBe(1);
    const problems = stderr.trim().split("\n").slice(1);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, "test-aws.ts")}: region `)),
      `${join(dir, "test-aws.ts")}: eks.nodeGroups[1].minSize must be a number (got "2")`,
      `${join(dir, "prod-azure.ts")}: aks.systemPool.maxCount must be <= 1000 (got 2000)`,
    ]);
    expect(snapshot(outdir)).toBe(before);
  });

  it("names a config file that does not export its environment", async () => {
    const dir = configDir(work);
    writeFileSync(join(dir, "prod-azure.ts"), "export const prodazure = {};\n");
    let stderr = "";
    const code = await runSynth(["--config-dir", dir, outdir], { stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(dir, "prod-azure.ts")}: prodAzure is not exported; export const prodAzure = { ... } (got exports prodazure)`);
    expect(snapshot(outdir)).toBe(before);
  });

  it("stops at a relation only a stack can check (a service image outside ECR), still writing nothing", async () => {
    const { code, stderr } = await synth({ testAws: (e) => (e.workloads.services[1].image.repository = "payments-wrker") });
    expect(code).toBe(1);
    expect(stderr).toMatch(/test-aws-workloads: workloads\.services payments-worker image\.repository "payments-wrker" is not an ECR repository of this environment/);
    expect(snapshot(outdir)).toBe(before);
  });
});
