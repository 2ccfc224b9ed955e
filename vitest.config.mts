/**
 * Unit tests (`npm run unit`) on vitest, in-process only (docs/testing.md). Test files share one
 * module registry per worker (isolate: false): cdktf and the providers load once per worker instead
 * of once per file. The price: a test file must not leave state behind (process.env, stubbed SDK
 * clients, cwd); restore what you change in afterEach/afterAll. Tests that start processes have
 * their own config (vitest.integration.mts), isolated.
 */
import { availableParallelism } from "os";
import { defineConfig } from "vitest/config";
import { workerSnapshotBlob } from "./tools/dependency-snapshot.mjs";
import { commonJsShims } from "./tools/vitest-cjs-shims.mjs";

/** What unit and integration runs share. */
export const shared = {
  globals: true,
  setupFiles: ["__tests__/setup.ts"],
  testTimeout: 60_000,
  pool: "forks" as const,
  // Transformed test and source modules persist in node_modules/.experimental-vitest-cache, keyed by
  // content and config: a rerun skips most of the TypeScript transform. A fresh clone (CI) starts
  // cold; `npx vitest --clearCache` empties it.
  experimental: { fsModuleCache: true },
  env: {
    // The AWS SDK's documented switch for its notice that releases after January 2027 need Node 22:
    // this machine runs Node 20 (package.json engines), and npm test must print no warnings.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  },
};

/**
 * Node 20.19+ guesses the format of every `.js` file whose package.json has no "type" by parsing it
 * for ESM syntax (module syntax detection) when vitest imports it. cdktf, constructs and the
 * providers are CommonJS without "type": the guess cost the workers about 0.4 s of CPU per run
 * (CPU profile of `npm run unit`). Turned off where node knows the switch.
 */
const NO_MODULE_SYNTAX_DETECTION = process.allowedNodeEnvironmentFlags.has("--no-experimental-detect-module") ? ["--no-experimental-detect-module"] : [];

/** Tests that start other processes (moto_server, npm, python, node): slower, run by `npm run integration`. */
export const INTEGRATION = ["__tests__/**/*.moto.test.ts", "__tests__/**/*.integration.test.ts"];

/**
 * Workers start from the dependency snapshot `npm run synth` starts from (tools/dependency-snapshot.mjs),
 * when it is current: cdktf, constructs and the provider modules are then already loaded, about
 * 0.3 s of CPU less per worker. Without one (a fresh clone before its first synth, another node,
 * INFRA_NO_SNAPSHOT=1) they load them from disk; the tests are the same either way.
 */
function workerExecArgv(): string[] {
  const snapshot = workerSnapshotBlob(import.meta.dirname);
  return [...(snapshot ? ["--snapshot-blob", snapshot] : []), ...NO_MODULE_SYNTAX_DETECTION];
}

// A function: vitest.integration.mts imports `shared` from here and needs none of this.
export default defineConfig(() => ({
  // A run that does not watch (npm run unit) loads the project through require(); watch mode keeps
  // vitest's own module graph, which it needs to know which tests an edit affects.
  plugins: [commonJsShims(import.meta.dirname, { projectSources: true })],
  test: {
    ...shared,
    include: ["__tests__/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...INTEGRATION],
    isolate: false,
    // vitest's default for `run` is one worker fewer than the cores (1 on a 2-core machine): the
    // main process mostly waits once the files are transformed, so every core runs a worker.
    maxWorkers: availableParallelism(),
    execArgv: workerExecArgv(),
  },
}));
