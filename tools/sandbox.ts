/**
 * `npm run sandbox -- up|down|status`: a local moto_server for the operator commands' --emulator
 * mode. Thin: the logic is tools/operate/sandbox.ts.
 */
import { loadEnvironments } from "../environments";
import { CliSpec, main } from "./cli";
import { sandboxDir } from "./operate/emulator";
import { sandboxDown, sandboxPaths, sandboxStatus, sandboxUp } from "./operate/sandbox";

const SPEC = {
  name: "sandbox",
  usage: "npm run --silent sandbox -- up|down|status",
  summary:
    "Starts, stops or reports a local moto_server (the AWS emulator) on a free 127.0.0.1 port, in the test-aws account, for\n" +
    "npm run deploy|plan|destroy -- test-aws --emulator. It keeps its pid, endpoint and log in the sandbox folder. stdout carries\n" +
    "only the shell line to eval (export AWS_ENDPOINT_URL=... on up and status, unset on down); messages go to stderr.",
  options: {},
  positionals: [{ name: "command", description: "up: start (or report the running one); down: stop it; status: is it running", choices: ["up", "down", "status"] }],
  env: { SANDBOX_DIR: "the sandbox folder (default .sandbox/ in the project)" },
  exitCodes: { 0: "done (status: running)", 1: "moto_server could not be started, or bad arguments", 3: "status: not running" },
  examples: ['eval "$(npm run --silent sandbox -- up)"', "npm run --silent sandbox -- status", 'eval "$(npm run --silent sandbox -- down)"'],
  usageExitCode: 1,
} satisfies CliSpec;

main(SPEC, async (_values, [command]) => {
  const paths = sandboxPaths(sandboxDir());
  const say = (text: string) => process.stderr.write(`sandbox: ${text}\n`);
  if (command === "up") {
    const { endpoint, pid, started, version } = await sandboxUp(paths, loadEnvironments().testAws.accountId);
    say(`${started ? "started" : "already running:"} moto_server ${version} pid ${pid} on ${endpoint}; log ${paths.logFile}; stop it with: eval "$(npm run --silent sandbox -- down)"`);
    process.stdout.write(`export AWS_ENDPOINT_URL=${endpoint}\n`);
    return 0;
  }
  if (command === "down") {
    const { stopped, pid } = await sandboxDown(paths);
    say(stopped ? `stopped moto_server pid ${pid}` : "not running");
    process.stdout.write("unset AWS_ENDPOINT_URL\n");
    return 0;
  }
  const status = await sandboxStatus(paths);
  if (!status.running) {
    say(status.stale ? `not running (stale pid file for pid ${status.pid}; npm run sandbox -- up starts a new one)` : "not running");
    return 3;
  }
  say(`running: moto_server pid ${status.pid} on ${status.endpoint}; log ${paths.logFile}`);
  process.stdout.write(`export AWS_ENDPOINT_URL=${status.endpoint}\n`);
  return 0;
});
