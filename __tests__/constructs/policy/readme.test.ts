import { readFileSync } from "fs";
import { join } from "path";
import { DEFAULT_PACKS } from "../../../constructs/policy/packs";
import { reportedRule, ruleTable } from "../../../constructs/policy/report";

describe("README policy section", () => {
  it("lists exactly the shipped rules (regenerate with ruleTable() when adding one)", () => {
    const readme = readFileSync(join(__dirname, "../../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Policy packs"));
    expect(section).toContain(ruleTable(DEFAULT_PACKS.flatMap((pack) => pack.rules).map(reportedRule)));
  });
});
