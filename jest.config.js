/** Unit tests: transpiled by swc (no type-check here: `npm run typecheck` does that once). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  testTimeout: 60000,
  // jest's default is cores - 1, one worker on this 2-core machine; two cut the run by a third.
  maxWorkers: 2,
};
