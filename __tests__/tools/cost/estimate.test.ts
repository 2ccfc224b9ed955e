import { rmSync } from "fs";
import { join } from "path";
import { loadEnvironments } from "../../../environments";
import { estimate, pricingEnvironments, readSynthesized } from "../../../tools/cost/estimate";
import { shippedPriceTable } from "../../../tools/cost/price-table";
import { renderJson, renderTable } from "../../../tools/cost/render";
import { runCost } from "../../../tools/cost";
import { shippedSynthCopy } from "../../helpers/shipped-synth";

describe("cost estimate of the synthesized app", () => {
  let outdir: string;
  let stacks: ReturnType<typeof readSynthesized>;
  beforeAll(() => {
    outdir = shippedSynthCopy();
    stacks = readSynthesized(outdir);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("accounts for every resource of every environment: priced, no charge, or listed as not priced", () => {
    const envs = pricingEnvironments(loadEnvironments());
    const report = estimate(stacks, envs, shippedPriceTable());
    expect(report.unknownStacks).toEqual([]);
    expect(report.environments.map((e) => e.environment).sort()).toEqual(envs.map((e) => e.id).sort());
    for (const env of report.environments) {
      expect(env.monthlyUsd).toBeGreaterThan(0);
      expect(env.maxMonthlyUsd).toBeGreaterThanOrEqual(env.monthlyUsd);
      for (const stack of env.stacks) {
        const resources = stacks.find((s) => s.stack === stack.stack)!.resources;
        const seen = new Set([...stack.rows.map((r) => r.address), ...stack.unpriced.map((u) => u.address)]);
        const free = stack.free.reduce((n, f) => n + f.count, 0);
        expect(seen.size + free).toBe(resources.length);
        for (const row of stack.rows) expect(row.monthlyUsd).toBeCloseTo(row.quantity * row.unitUsd);
      }
    }
  });

  it("shows the off-hours saving of an environment that schedules node groups to sleep", () => {
    const envs = pricingEnvironments(loadEnvironments());
    const report = estimate(stacks, envs, shippedPriceTable());
    for (const env of report.environments) {
      const sleeps = env.offHours !== undefined && stacks.some((s) => s.stack.startsWith(`${env.environment}-`) && s.resources.some((r) => r.type === "aws_autoscaling_schedule"));
      expect(env.scheduleSavingUsd > 0).toBe(sleeps);
    }
    expect(renderTable(report)).toMatch(/the off-hours schedule saves \d+\.\d\d USD\/month/);
  });

  it("prints JSON rows {stack, address, item, quantity, unitUsd, monthlyUsd, basis} and the usage assumptions", () => {
    const report = estimate(stacks, pricingEnvironments(loadEnvironments()), shippedPriceTable());
    const json = JSON.parse(renderJson(report));
    expect(json.rows.length).toBeGreaterThan(0);
    for (const row of json.rows) expect(Object.keys(row)).toEqual(expect.arrayContaining(["stack", "address", "item", "quantity", "unitUsd", "monthlyUsd", "basis"]));
    expect(json.environments[0].usage).toEqual(expect.any(Object));
    expect(json.unpriced.every((u: any) => typeof u.reason === "string" && u.reason.length > 0)).toBe(true);
  });

  it("limits the estimate to one environment and rejects an unknown one by name", () => {
    const envId = pricingEnvironments(loadEnvironments())[0].id;
    let text = "";
    expect(runCost({ env: envId, format: "json", out: outdir }, (t) => (text += t))).toBe(0);
    expect(JSON.parse(text).environments.map((e: any) => e.environment)).toEqual([envId]);
    expect(() => runCost({ env: "staging-gcp", format: "table", out: outdir }, () => undefined)).toThrow(/--env "staging-gcp" is not an environment; use one of/);
  });

  it("asks for a synth when there is no synth output", () => {
    expect(() => runCost({ format: "table", out: join(outdir, "missing") }, () => undefined)).toThrow(/manifest.json not found: run "npm run synth" first/);
  });
});
