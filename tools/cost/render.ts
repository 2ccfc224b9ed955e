/** Plain-text and JSON forms of a cost report. */
import { formatTable } from "../stack-summary";
import { CostReport } from "./estimate";
import { cents, CostRow } from "./model";

const usd = (n: number) => n.toFixed(2);

function round(row: CostRow) {
  return {
    stack: row.stack,
    address: row.address,
    item: row.item,
    quantity: Math.round(row.quantity * 10000) / 10000,
    unit: row.unit,
    unitUsd: row.unitUsd,
    monthlyUsd: cents(row.monthlyUsd),
    basis: row.basis,
    ...(row.maxMonthlyUsd !== undefined ? { maxMonthlyUsd: cents(row.maxMonthlyUsd) } : {}),
    ...(row.scheduleSavingUsd !== undefined ? { scheduleSavingUsd: cents(row.scheduleSavingUsd) } : {}),
  };
}

/** JSON: rows `{stack, address, item, quantity, unit, unitUsd, monthlyUsd, basis[, maxMonthlyUsd, scheduleSavingUsd]}` plus totals. */
export function renderJson(report: CostReport): string {
  const stacks = report.environments.flatMap((e) => e.stacks);
  return (
    JSON.stringify(
      {
        priceTable: report.priceTable,
        environments: report.environments.map((e) => ({
          environment: e.environment,
          region: e.region,
          usage: e.usage,
          ...(e.offHours ? { offHours: e.offHours } : {}),
          monthlyUsd: e.monthlyUsd,
          maxMonthlyUsd: e.maxMonthlyUsd,
          scheduleSavingUsd: e.scheduleSavingUsd,
          stacks: e.stacks.map((s) => ({ stack: s.stack, monthlyUsd: s.monthlyUsd, maxMonthlyUsd: s.maxMonthlyUsd, scheduleSavingUsd: s.scheduleSavingUsd })),
        })),
        rows: stacks.flatMap((s) => s.rows.map(round)),
        unpriced: stacks.flatMap((s) => s.unpriced),
        free: stacks.flatMap((s) => s.free.map((f) => ({ stack: s.stack, ...f }))),
        unknownStacks: report.unknownStacks,
      },
      null,
      2,
    ) + "\n"
  );
}

function describeUsage(usage: Record<string, unknown>): string {
  return Object.entries(usage)
    .map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(", ");
}

/** The plain-text report: per environment its assumptions, a row per priced line, totals, then what is not priced. */
export function renderTable(report: CostReport): string {
  const t = report.priceTable;
  const out: string[] = [
    `Monthly estimate in USD: price table v${t.version} of ${t.date}, ${t.hoursPerMonth} h/month; ${t.unconfirmed} of ${t.entries} prices not confirmed on their source page (docs/cost.md)`,
  ];
  for (const env of report.environments) {
    out.push("", `== ${env.environment} (${env.region})`, `usage assumptions: ${describeUsage(env.usage)}`);
    if (env.offHours) {
      const o = env.offHours;
      out.push(`off-hours schedule: awake ${o.days.join(",")} ${o.start}-${o.end} ${o.timeZone}; kept at minimum: ${o.keepAwake.join(", ") || "none"}`);
    }
    const rows = env.stacks.flatMap((s) => s.rows);
    if (rows.length > 0) {
      out.push(
        "",
        formatTable(
          ["stack", "address", "item", "quantity", "unit", "unit USD", "monthly USD", "max USD", "basis"],
          rows.map((r) => [r.stack, r.address, r.item, +r.quantity.toFixed(4), r.unit, r.unitUsd, usd(r.monthlyUsd), r.maxMonthlyUsd === undefined ? "" : usd(r.maxMonthlyUsd), r.basis]),
        ),
      );
    }
    out.push(
      "",
      formatTable(
        ["stack", "monthly USD", "max USD", "schedule saves", "not priced", "no charge"],
        env.stacks.map((s) => [s.stack, usd(s.monthlyUsd), usd(s.maxMonthlyUsd), s.scheduleSavingUsd ? usd(s.scheduleSavingUsd) : "", s.unpriced.length, s.free.reduce((n, f) => n + f.count, 0)]),
      ),
    );
    out.push(
      `total ${env.environment}: ${usd(env.monthlyUsd)} USD/month (max size ${usd(env.maxMonthlyUsd)})` +
        (env.scheduleSavingUsd ? `; the off-hours schedule saves ${usd(env.scheduleSavingUsd)} USD/month (always on: ${usd(env.monthlyUsd + env.scheduleSavingUsd)})` : ""),
    );
    const unpriced = env.stacks.flatMap((s) => s.unpriced);
    if (unpriced.length > 0) {
      out.push("", `not priced (${unpriced.length}; not counted in the totals):`);
      for (const u of unpriced) out.push(`  ${u.stack} ${u.address}: ${u.reason}`);
    }
    const free = new Map<string, { count: number; reason: string }>();
    for (const f of env.stacks.flatMap((s) => s.free)) free.set(f.type, { count: (free.get(f.type)?.count ?? 0) + f.count, reason: f.reason });
    if (free.size > 0) {
      out.push("", "no charge of their own:");
      for (const [type, f] of [...free.entries()].sort()) out.push(`  ${type} x${f.count}: ${f.reason}`);
    }
  }
  if (report.unknownStacks.length > 0) out.push("", `stacks of no configured environment (not priced): ${report.unknownStacks.join(", ")}`);
  return out.join("\n") + "\n";
}
