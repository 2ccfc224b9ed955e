import { ConfigError } from "../../constructs/errors";
import { CliSpec, closest, helpText, parseCli, runCli, UsageError } from "../../tools/cli";

const spec = {
  name: "demo",
  usage: "npm run --silent demo -- <scan|reap> [options]",
  summary: "A demo tool.",
  options: {
    regions: { type: "string", description: "regions to scan", valueName: "r1,r2" },
    format: { type: "string", description: "output format", choices: ["json", "table"], default: "table" },
    "dry-run": { type: "boolean", description: "change nothing", default: true },
    verbose: { type: "boolean", short: "v", description: "say more" },
    stack: { type: "string", description: "a stack", multiple: true },
  },
  positionals: [{ name: "scan|reap", description: "what to do", choices: ["scan", "reap"] }],
  env: { AWS_ENDPOINT_URL: "talk to this endpoint instead of AWS" },
  exitCodes: { 0: "done", 1: "a run failed", 2: "bad arguments" },
} as const satisfies CliSpec;

function parse(argv: string[]) {
  const result = parseCli(spec, argv);
  if (result.help) throw new Error("unexpected help");
  return result;
}

describe("parseCli", () => {
  it("applies defaults and reads values, inline values, short flags, negation and repeats", () => {
    const defaults = parse(["scan"]);
    expect(defaults.values).toEqual({ regions: undefined, format: "table", "dry-run": true, verbose: false, stack: [] });
    const given = parse(["reap", "--regions", "eu-west-1,us-east-1", "--format=json", "--no-dry-run", "-v", "--stack", "a", "--stack=b"]);
    expect(given.positionals).toEqual(["reap"]);
    expect(given.values).toEqual({ regions: "eu-west-1,us-east-1", format: "json", "dry-run": false, verbose: true, stack: ["a", "b"] });
  });

  it("rejects an unknown option by name with a did-you-mean", () => {
    expect(() => parse(["scan", "--region", "x"])).toThrow(/unknown option --region; did you mean --regions\?/);
    expect(() => parse(["scan", "--zzzzzz"])).toThrow(/^unknown option --zzzzzz \(see --help\)$/);
  });

  it("rejects a value option without a value, and a flag with one", () => {
    expect(() => parse(["scan", "--regions"])).toThrow(/--regions needs a value, e.g. --regions r1,r2/);
    expect(() => parse(["scan", "--regions", "--verbose"])).toThrow(/--regions needs a value/);
    expect(() => parse(["scan", "--verbose=yes"])).toThrow(/--verbose is a flag and takes no value \(got "yes"\)/);
  });

  it("rejects values outside the choices, naming the value and the nearest choice", () => {
    expect(() => parse(["scan", "--format", "jsno"])).toThrow(/--format "jsno" is not one of json, table; did you mean json\?/);
    expect(() => parse(["scna"])).toThrow(/<scan\|reap> "scna" is not one of scan, reap; did you mean scan\?/);
  });

  it("checks the number of positional arguments", () => {
    expect(() => parse([])).toThrow(/missing argument <scan\|reap>: what to do/);
    expect(() => parse(["scan", "extra"])).toThrow(/unexpected argument "extra"/);
  });

  it("answers --help with usage, options and defaults, environment and exit codes", () => {
    const result = parseCli(spec, ["scan", "--bogus", "--help"]);
    expect(result.help).toBe(true);
    const text = helpText(spec);
    expect(text).toMatch(/^usage: npm run --silent demo -- <scan\|reap> \[options\]/);
    expect(text).toMatch(/--format VALUE\s+output format \(one of json, table; default: table\)/);
    expect(text).toMatch(/--dry-run \/ --no-dry-run/);
    expect(text).toMatch(/AWS_ENDPOINT_URL\s+talk to this endpoint/);
    expect(text).toMatch(/exit codes:\n\s+0\s+done\n\s+1\s+a run failed\n\s+2\s+bad arguments/);
  });
});

describe("runCli", () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } };
  }

  it("prints help on stdout and returns 0 without running the body", async () => {
    const { out, io } = capture();
    let ran = false;
    expect(await runCli(spec, ["--help"], () => ((ran = true), 0), io)).toBe(0);
    expect(ran).toBe(false);
    expect(out.join("")).toMatch(/^usage:/);
  });

  it("turns usage mistakes into the usage exit code and one line on stderr", async () => {
    const { err, io } = capture();
    expect(await runCli(spec, ["scan", "--nope"], () => 0, io)).toBe(2);
    expect(err).toEqual(["demo: unknown option --nope (see --help)"]);
    expect(await runCli({ ...spec, usageExitCode: 1 }, ["scan", "--nope"], () => 0, io)).toBe(1);
  });

  it("turns failures in the body into exit 1 with one line, and passes the body's own code through", async () => {
    const { err, io } = capture();
    expect(await runCli(spec, ["scan"], () => { throw new ConfigError("environments/x.ts: region bad (got \"q\")"); }, io)).toBe(1);
    expect(await runCli(spec, ["scan"], () => { throw new UsageError("--regions \"\" is empty"); }, io)).toBe(2);
    expect(err).toEqual(['demo: environments/x.ts: region bad (got "q")', 'demo: --regions "" is empty']);
    expect(await runCli(spec, ["scan"], async () => 3, io)).toBe(3);
  });
});

describe("closest", () => {
  it("suggests only near matches", () => {
    expect(closest("test-aws-netwrk", ["test-aws-network", "test-aws-eks"])).toBe("test-aws-network");
    expect(closest("prod-gcp", ["test-aws", "prod-azure"])).toBeUndefined();
  });
});
