import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";

const ROOT = join(__dirname, "../../constructs");
const SUBPATHS = ["aws", "azure", "kubernetes", "datadog", "policy", "state"];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "dist" || name === "node_modules" ? [] : sources(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") && name !== "index.ts" ? [path] : [];
  });
}

describe("construct library entry points", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

  it.each(SUBPATHS)("constructs/%s/index.ts re-exports every module of its folder", (subpath) => {
    const index = readFileSync(join(ROOT, subpath, "index.ts"), "utf8");
    const missing = sources(join(ROOT, subpath))
      .map((file) => `./${relative(join(ROOT, subpath), file).replace(/\.ts$/, "")}`)
      .filter((module) => !index.includes(`export * from "${module}";`));
    expect(missing).toEqual([]);
  });

  it("publishes one entry point per subpath, pointing at the compiled index", () => {
    expect(Object.keys(pkg.exports).sort()).toEqual([".", "./package.json", ...SUBPATHS.map((s) => `./${s}`)].sort());
    for (const subpath of SUBPATHS) {
      expect(pkg.exports[`./${subpath}`]).toEqual({ types: `./dist/constructs/${subpath}/index.d.ts`, default: `./dist/constructs/${subpath}/index.js` });
    }
  });

  it("declares cdktf, constructs and the providers as peers with the ranges the repo is built with", () => {
    const root = JSON.parse(readFileSync(join(ROOT, "../package.json"), "utf8"));
    expect(pkg.peerDependencies.cdktf).toBe(`^${root.dependencies.cdktf}`);
    expect(pkg.peerDependencies["@cdktf/provider-aws"]).toBe(">=20.1.0 <21.0.0");
    expect(root.dependencies["@cdktf/provider-aws"]).toBe("20.1.0");
    for (const provider of ["aws", "azurerm", "kubernetes", "datadog"]) {
      expect(pkg.peerDependenciesMeta[`@cdktf/provider-${provider}`]).toEqual({ optional: true });
    }
  });

  it("ships only compiled files, prebuilt Lambda bundles and docs", () => {
    expect(pkg.files).toEqual(["dist/**/*.js", "dist/**/*.d.ts", "dist/**/*.js.zip", "README.md", "CHANGELOG.md"]);
  });

  it("resolves every subpath's types on classic node resolution too (typesVersions, the cdktf init tsconfig)", () => {
    for (const subpath of SUBPATHS) expect(pkg.typesVersions["*"][subpath]).toEqual([pkg.exports[`./${subpath}`].types.replace(/^\.\//, "")]);
  });

  it("builds itself when packed, and needs neither esbuild nor the AWS SDK at install (the reaper's Lambda ships prebuilt)", () => {
    expect(pkg.scripts.prepack).toMatch(/^tsc -p tsconfig\.json && .*writePrebuiltBundle\('dist\/lambdas\/ebs-reaper\/handler\.js'\)/);
    expect(Object.keys(pkg.dependencies ?? {}).filter((d) => d === "esbuild" || d.startsWith("@aws-sdk/"))).toEqual([]);
  });

  it("loads no provider package through /policy, so any consumer can apply the packs whatever providers it installed", () => {
    const reached = new Set<string>();
    const providers = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const [, target] of readFileSync(file, "utf8").matchAll(/^(?:import|export)\s+(?!type\b)[^;=()"]*?\bfrom\s+"([^"]+)"/gm)) {
        if (target.startsWith("@cdktf/provider-")) providers.add(`${relative(ROOT, file)} -> ${target}`);
        else if (target.startsWith(".")) {
          const base = resolve(dirname(file), target);
          visit(existsSync(`${base}.ts`) ? `${base}.ts` : join(base, "index.ts"));
        }
      }
    };
    visit(join(ROOT, "policy", "index.ts"));
    expect(reached.size).toBeGreaterThan(10);
    expect([...providers]).toEqual([]);
  });
});
