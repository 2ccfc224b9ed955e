/**
 * Print the markdown table of every shipped policy rule, for docs/policy-packs.md's "Rules"
 * section: `node tools/build.mjs && node dist/tools/policy-rules.js`.
 */
import { DEFAULT_PACKS } from "../constructs/policy/packs";
import { reportedRule, ruleTable } from "../constructs/policy/report";

console.log(ruleTable(DEFAULT_PACKS.flatMap((pack) => pack.rules).map(reportedRule)));
