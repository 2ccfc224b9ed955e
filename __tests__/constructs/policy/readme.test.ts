import { readFileSync } from "fs";
import { join } from "path";
import { DEFAULT_PACKS } from "../../../constructs/policy/packs";
import { reportedRule, ruleTable } from "../../../constructs/policy/report";

describe("docs/policy-packs.md rule table", () => {
  it("lists exactly the shipped rules (regenerate with ruleTable() when adding one)", () => {
    const readme = readFileSync(join(__dirname, "../../../docs/policy-packs.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Rules"));
    expect(section).toContain(ruleTable(DEFAULT_PACKS.flatMap((pack) => pack.rules).map(reportedRule)));
  });
});
