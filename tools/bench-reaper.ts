/**
 * `npm run bench:reaper`: the reaper's scan on a private moto_server with 10 000 volumes over
 * 2 accounts x 2 regions: wall time and API calls of the parallel scan (REAPER_DEFAULTS
 * concurrency for account-regions and for volumes) against a sequential baseline (one
 * account-region, one volume at a time), in the same run on the same data. Each mode is timed as
 * a dry run (discovery only) and as a real scan that marks every volume; marks are removed
 * (untimed) between the two real scans so both start from the same state. Prints figures.
 *
 *   npm run bench:reaper -- [--volumes N] [--latency-ms N]   (--help for details)
 *
 * `--latency-ms` adds that delay to every API call, standing in for the network round trip to
 * real AWS that a loopback emulator does not have (default 0: raw emulator figures).
 *
 * moto 5.2 returns every volume in one DescribeVolumes page whatever MaxResults says, so the
 * table also shows the page count real EC2 would need (ceil(N/500) per account-region).
 */
import { CliSpec, main } from "./cli";

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "bench-reaper",
  usage: "npm run bench:reaper -- [--volumes N] [--latency-ms N]",
  summary: "The reaper's scan on a private moto_server: wall time and API calls, parallel against a sequential baseline.",
  options: {
    volumes: { type: "string", valueName: "N", description: "volumes to seed over 2 accounts x 2 regions (at least 4)", default: "10000" },
    "latency-ms": { type: "string", valueName: "N", description: "delay added to every API call, standing in for the network round trip", default: "0" },
  },
  exitCodes: { 0: "measured", 1: "a scan or moto_server failed", 2: "bad arguments" },
} as const satisfies CliSpec;

// The AWS SDK and moto helpers load only after --help and argument checks.
if (require.main === module) main(SPEC, async (values) => (await import("./bench-reaper/run")).bench(values));
