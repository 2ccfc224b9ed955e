import { rmSync } from "fs";
import { createServer, Server } from "http";
import { freePort } from "../../../tools/moto-server";
import { operate, OperateRequest } from "../../../tools/operate/operate";
import { OperatorStack, readStacks, selectStacks } from "../../../tools/operate/stacks";
import { shippedSynthCopy } from "../../helpers/shipped-synth";

let stacks: OperatorStack[];
let outdir: string;
beforeAll(() => {
  outdir = shippedSynthCopy();
  stacks = readStacks(outdir);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Run a command that must be refused before anything runs; returns the one-line message. */
async function refused(request: Partial<OperateRequest>, env: Record<string, string | undefined> = {}): Promise<string> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  const lines: string[] = [];
  try {
    await operate(
      { action: "plan", names: ["test-aws"], autoApprove: false, emulator: false, ...request },
      () => stacks,
      { out: (line) => lines.push(line), interactive: false, ask: () => Promise.reject(new Error("no prompt expected")) },
    );
  } catch (error) {
    const message = (error as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    expect(lines).toEqual([]);
    return message;
  } finally {
    process.env = saved;
  }
  throw new Error("the command was not refused");
}

describe("operator commands refuse bad input before running anything", () => {
  it.each([
    ["test-awz", /unknown environment or stack "test-awz"; did you mean test-aws\?/],
    ["test-aws-netwrk", /unknown environment or stack "test-aws-netwrk"; did you mean test-aws-network\?/],
    ["staging", /unknown environment or stack "staging" \(environments: prod-azure, test-aws/],
  ])("an unknown name %s, with a did-you-mean", async (name, message) => {
    expect(await refused({ names: [name] })).toMatch(message);
  });

  it("--emulator without AWS_ENDPOINT_URL", async () => {
    expect(await refused({ emulator: true }, { AWS_ENDPOINT_URL: undefined })).toMatch(
      /--emulator needs AWS_ENDPOINT_URL .* which is not set; start one with: eval "\$\(npm run --silent sandbox -- up\)"/,
    );
  });

  it("--emulator with an AWS_ENDPOINT_URL nothing answers on", async () => {
    const port = await freePort();
    expect(await refused({ emulator: true }, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` })).toMatch(
      new RegExp(`AWS_ENDPOINT_URL http://127.0.0.1:${port} does not answer \\(ECONNREFUSED\\); start one with`),
    );
  });

  it("--emulator with an AWS_ENDPOINT_URL that is not a moto_server", async () => {
    const server: Server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    try {
      expect(await refused({ emulator: true }, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` })).toMatch(/is not a moto_server \(GET \/moto-api\/ answered HTTP 404\)/);
    } finally {
      server.close();
    }
  });

  it("--emulator for an Azure environment or stack", async () => {
    expect(await refused({ names: ["prod-azure"], emulator: true }, { AWS_ENDPOINT_URL: "http://127.0.0.1:1" })).toMatch(/--emulator emulates AWS only .*prod-azure is not an AWS environment/);
    expect(await refused({ names: ["prod-azure-vpn"], emulator: true })).toMatch(/prod-azure is not an AWS environment/);
  });

  it.each(["test-aws-state", "prod-azure-state"])("destroy of the state stack %s, naming prevent_destroy and the runbook", async (name) => {
    expect(await refused({ action: "destroy", names: [name], autoApprove: true })).toMatch(
      new RegExp(`${name} is never destroyed by this command: .*prevent_destroy.*docs/runbooks/bootstrap.md#removing-an-environment`),
    );
  });

  it("deploy or destroy without --auto-approve when nobody can answer a prompt", async () => {
    expect(await refused({ action: "deploy", names: ["test-aws-network"] })).toMatch(/deploy needs approval but stdin is not a terminal; review it with npm run plan -- test-aws-network, then re-run with --auto-approve/);
    expect(await refused({ action: "destroy", names: ["test-aws-ecr"], emulator: true })).toMatch(/npm run plan -- test-aws-ecr --emulator, then re-run with --auto-approve/);
  });

  it("no name at all", async () => {
    expect(await refused({ names: [] })).toMatch(/name at least one environment or stack, e.g. npm run plan -- test-aws/);
  });
});

describe("stack selection", () => {
  it.each(["test-aws", "prod-azure"])("expands %s to all its stacks, each after the stacks it reads and the one holding its state", (environment) => {
    const { stacks: order } = selectStacks([environment], stacks);
    expect(order.map((s) => s.name).sort()).toEqual(stacks.filter((s) => s.name.startsWith(`${environment}-`)).map((s) => s.name).sort());
    order.forEach((stack, i) => {
      for (const dep of stack.dependencies) expect(order.findIndex((s) => s.name === dep)).toBeLessThan(i);
    });
    const state = order.find((s) => s.name === `${environment}-state`)!;
    expect(state.preventDestroy).toBe(true);
    // Only bootstrap stacks with local state (the CI identities) may come before the state stack.
    expect(order.slice(0, order.indexOf(state)).every((s) => s.json.terraform?.backend?.local !== undefined)).toBe(true);
    for (const s of order.filter((s) => s.json.terraform?.backend?.s3 || s.json.terraform?.backend?.azurerm)) expect(s.dependencies).toContain(state.name);
  });

  it("keeps named stacks in dependency order whatever order they are given in", () => {
    const { stacks: order, environments } = selectStacks(["test-aws-ecr", "test-aws-network", "test-aws-eks"], stacks);
    expect(order.map((s) => s.name)).toEqual(["test-aws-network", "test-aws-eks", "test-aws-ecr"]);
    expect(environments).toEqual([]);
  });
});
