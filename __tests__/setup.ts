// First, before cdktf loads: a worker started from the dependency snapshot checks it is still current.
import "./setup-snapshot.mjs";
import { Testing } from "cdktf";
import { skipTokenCreationStacks } from "../tools/lean-cdktf";

Testing.setupJest();

/**
 * cdktf captures a full stack trace for every token it creates (`creationStack`, printed only when
 * resolving that token fails). Under vitest each capture went through the source-map formatter
 * frame by frame: about 40% of the test worker's CPU time (10 of 25 s in a CPU profile of
 * `npm run unit`); a capture limited to 10 frames, unmapped, still cost 1.4 s. Unit tests, like
 * synth, therefore record no creation stack (tools/lean-cdktf.ts): a token resolution error lacks
 * only those "created at" lines. Every other stack trace, including a failing test's, is untouched.
 */
skipTokenCreationStacks();
