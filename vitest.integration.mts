/** Integration tests (`npm run integration`): the *.moto.test.ts files against a private moto_server, isolated. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.moto.test.ts"],
    globals: true,
    setupFiles: ["__tests__/setup.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
