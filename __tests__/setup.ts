import { Testing } from "cdktf";

Testing.setupJest();

/**
 * cdktf captures a full stack trace for every token it creates (`creationStack`, printed only when
 * resolving that token fails). Under vitest each capture went through vite-node's source-map
 * formatter frame by frame: about 40% of the test worker's CPU time (10 of 25 s in a CPU profile of
 * `npm run unit`); a capture limited to 10 frames, unmapped, still cost 1.4 s. Unit tests
 * therefore record no creation stack: a token resolution error in a test lacks only those
 * "created at" lines (`npm run synth`, plain node, still prints them). Every other stack trace,
 * including a failing test's, is untouched.
 */
// require, not import: the module object cdktf itself requires, so the replacement is what it calls.
const cdktfStackTrace = require("cdktf/lib/tokens/private/stack-trace");
if (typeof cdktfStackTrace.captureStackTrace !== "function") {
  throw new Error("cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace: update __tests__/setup.ts for this cdktf version");
}
cdktfStackTrace.captureStackTrace = (): string[] => [];
