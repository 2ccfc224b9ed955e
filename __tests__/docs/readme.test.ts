import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { dirname, join, resolve } from "path";

const ROOT = join(__dirname, "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SCRIPTS = Object.keys(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>);

/** Script names in the README's "Scripts" table: `npm test`, `npm run x`, `npm run --silent x -- ...`. */
function scriptsTable(): string[] {
  const section = README.slice(README.indexOf("## Scripts"));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `npm "))
    .map((line) => {
      const match = /^\| `npm (?:test|run (?:--silent )?([\w:-]+))/.exec(line);
      if (!match) throw new Error(`README scripts row not understood: ${line}`);
      return match[1] ?? "test";
    });
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith(".md") ? [path] : [];
  });
}

describe("README as the entry point", () => {
  it("lists every npm script once, and only scripts that exist", () => {
    const listed = scriptsTable();
    expect([...listed].sort()).toEqual([...new Set(listed)].sort());
    expect(SCRIPTS.filter((s) => !listed.includes(s))).toEqual([]);
    expect(listed.filter((s) => !SCRIPTS.includes(s))).toEqual([]);
  });

  it("renders the scripts table as one table: a header row, its rule, then only script rows", () => {
    const section = README.slice(README.indexOf("## Scripts"));
    const lines = section.split("\n");
    const start = lines.findIndex((line) => line.startsWith("|"));
    const end = lines.findIndex((line, i) => i > start && !line.startsWith("|"));
    const table = lines.slice(start, end === -1 ? undefined : end);
    expect(table.slice(0, 2)).toEqual(["| script | what |", "|---|---|"]);
    expect(table.slice(2).filter((line) => !line.startsWith("| `npm "))).toEqual([]);
  });

  it("stays a screen or two (at most 150 lines): topics live in docs/", () => {
    expect(README.split("\n").length).toBeLessThanOrEqual(150);
  });

  it("links only to files that exist, from the README and every docs page", () => {
    const broken: string[] = [];
    for (const file of [join(ROOT, "README.md"), join(ROOT, "constructs", "README.md"), ...markdownFiles(join(ROOT, "docs"))]) {
      const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target) || target.startsWith("#")) continue;
        const path = resolve(dirname(file), decodeURI(target.split("#")[0]));
        if (!existsSync(path)) broken.push(`${file.slice(ROOT.length + 1)} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("shows the operator commands as the scripts they are", () => {
    for (const command of ["plan", "deploy", "destroy", "sandbox"]) expect(SCRIPTS).toContain(command);
    expect(README).toContain("npm run deploy -- test-aws --emulator --auto-approve");
    expect(README).toContain("npm run plan -- test-aws --emulator");
    expect(README).toContain("npm run destroy -- test-aws --emulator --auto-approve");
  });
});
