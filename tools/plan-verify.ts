/**
 * `npm run --silent plan-verify -- <reviewed.json> <replanned.json>`: refuse (exit 1) when a re-plan's
 * change set (resources and root outputs) differs from the reviewed one, naming each that differs. The apply job runs
 * it per stack before `terraform apply` (logic: tools/plan-digest.ts).
 */
import { CliIo, CliSpec, processIo, runCli } from "./cli";
import { changeSetDigest, compareChangeSets } from "./plan-digest";
import { readPlan } from "./review/plan-changes";

export const SPEC = {
  name: "plan-verify",
  usage: "npm run --silent plan-verify -- <reviewed.json> <replanned.json>",
  summary: [
    "Compares the change set of the plan reviewed on the pull request with a re-plan of the same",
    "commit (both redacted plan JSON from plan-redact): per changing managed resource its actions,",
    "replacement paths, changing attribute paths and their new values, plus every changing root",
    "output (output.<name>) with its redacted new value, as a sha256 digest of the canonical form.",
    "Prints the digest when they match; otherwise names every resource or output that differs.",
  ].join("\n"),
  options: {},
  positionals: [
    { name: "reviewed.json", description: "the redacted plan of the pull request run that was reviewed" },
    { name: "replanned.json", description: "the redacted re-plan made in the apply job" },
  ],
  exitCodes: {
    0: "same change set (digest printed)",
    1: "the change sets differ (one line naming the resources), or an input is not plan JSON",
    2: "bad arguments",
  },
  examples: ["npm run --silent plan-verify -- reviewed/plans/prod-azure-vpn.json replan/prod-azure-vpn.json"],
} as const satisfies CliSpec;

/** The re-plan is not what was reviewed. */
export class PlanMismatchError extends Error {}

/** Run the tool; returns the exit code. Output goes through `io` so tests can capture it. */
export function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    SPEC,
    argv,
    (_values, [reviewedPath, replannedPath]) => {
      const reviewed = readPlan(reviewedPath);
      const replanned = readPlan(replannedPath);
      const differences = compareChangeSets(reviewed, replanned);
      if (differences.length > 0) {
        throw new PlanMismatchError(
          `${replannedPath} differs from the reviewed plan ${reviewedPath} (reviewed ${changeSetDigest(reviewed)}, re-plan ${changeSetDigest(replanned)}): ` +
            differences.map((d) => `${d.address} ${d.difference}`).join("; ") +
            "; nothing applied: open a pull request whose plan shows these changes",
        );
      }
      io.stdout(`${replannedPath}: change set ${changeSetDigest(replanned)} is the reviewed one`);
      return 0;
    },
    io,
  );
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
