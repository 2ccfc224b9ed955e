/**
 * Unit tests (`npm run unit`) on vitest. Test files share one module registry per worker
 * (isolate: false): cdktf and the providers load once per worker instead of once per file, which
 * cut the unit run's CPU time from ~31 s (jest, a registry per file) to ~12 s. The price: a test
 * file must not leave state behind (process.env, stubbed SDK clients, cwd); restore what you
 * change in afterEach/afterAll. The moto integration test has its own config
 * (vitest.integration.mts), isolated.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    exclude: ["**/node_modules/**", "__tests__/**/*.moto.test.ts"],
    globals: true,
    setupFiles: ["__tests__/setup.ts"],
    testTimeout: 60_000,
    pool: "forks",
    isolate: false,
  },
});
