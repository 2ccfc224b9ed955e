/**
 * The price table's schema and lookups. The table is parsed once (strict: an entry without a source
 * or a date, a negative price or an unknown field is an error naming the entry and the field), and
 * every lookup names the resource that needed it, so a region missing from the table says which
 * resource, which price and which region.
 */
import { z } from "zod";
import { ConfigError } from "../../constructs/errors";
import { PRICE_TABLE, PriceTableInput } from "./prices";

const DAY = "must be the day the price was read, YYYY-MM-DD";
const day = z.string({ error: DAY }).regex(/^\d{4}-\d{2}-\d{2}$/, { message: DAY });

const entrySchema = z.strictObject({
  id: z.string().regex(/^(aws|azure)\.[\w.-]+$/, { message: "must look like aws.<service>.<item> or azure.<service>.<item>" }),
  description: z.string().min(1),
  unit: z.string().min(1, { message: "must say what one value is, e.g. USD per hour" }),
  perRegion: z
    .record(z.string().regex(/^(\*|[a-z0-9-]+)$/, { message: "must be a region name or *" }), z.number().min(0, { message: "must be a number >= 0" }))
    .refine((r) => Object.keys(r).length > 0, { message: "needs at least one region (or * for a global price)" }),
  source: z.url({ protocol: /^https?$/, message: "must be the URL of the public page the price was read from" }),
  date: day,
  confirmed: z.boolean(),
  note: z.string().optional(),
});

const tableSchema = z.strictObject({
  version: z.number().int().min(1),
  date: day,
  currency: z.literal("USD"),
  hoursPerMonth: z.number().positive(),
  entries: z.array(entrySchema).min(1),
});

/** A parsed entry. */
export type PriceEntry = z.infer<typeof entrySchema>;

/** What a price is needed for, so a missing one can be named. */
export interface PriceUse {
  /** Resource address, e.g. `test-aws-eks aws_eks_cluster.cluster`. */
  readonly resource: string;
  readonly region: string;
}

/** A parsed, checked price table with lookups that name what is missing. */
export class PriceTable {
  public readonly version: number;
  public readonly date: string;
  public readonly hoursPerMonth: number;
  public readonly entries: readonly PriceEntry[];
  private readonly byId: ReadonlyMap<string, PriceEntry>;

  constructor(raw: unknown, source = "tools/cost/prices.ts") {
    const result = tableSchema.safeParse(raw);
    if (!result.success) {
      const entries = (raw as { entries?: { id?: unknown }[] } | undefined)?.entries;
      throw new ConfigError(
        result.error.issues
          .map((issue) => {
            const [head, index, ...rest] = issue.path;
            const id = head === "entries" && typeof index === "number" ? entries?.[index]?.id : undefined;
            const where = id !== undefined ? `entry "${String(id)}" ${rest.map(String).join(".") || "(entry)"}` : issue.path.map(String).join(".") || "(table)";
            return `${source}: ${where} ${issue.message}`;
          })
          .join("\n"),
      );
    }
    const table = result.data;
    const byId = new Map<string, PriceEntry>();
    for (const entry of table.entries) {
      if (byId.has(entry.id)) throw new ConfigError(`${source}: entry "${entry.id}" appears twice; keep one`);
      byId.set(entry.id, entry);
    }
    this.version = table.version;
    this.date = table.date;
    this.hoursPerMonth = table.hoursPerMonth;
    this.entries = table.entries;
    this.byId = byId;
  }

  /** Whether the table has the entry at all (e.g. an EC2 instance type). */
  public has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The entry, or an error naming the resource that needs it. */
  public entry(id: string, use: PriceUse): PriceEntry {
    const entry = this.byId.get(id);
    if (!entry) throw new ConfigError(`price table has no entry "${id}" (needed by ${use.resource}); add it to tools/cost/prices.ts with its source page (docs/cost.md)`);
    return entry;
  }

  /** The value for the resource's region (or the global `*` value). */
  public price(id: string, use: PriceUse): number {
    const entry = this.entry(id, use);
    const value = entry.perRegion[use.region] ?? entry.perRegion["*"];
    if (value === undefined) {
      throw new ConfigError(
        `price table entry "${id}" has no price for region ${use.region} (needed by ${use.resource}); add "${use.region}" to its perRegion in tools/cost/prices.ts (regions priced: ${Object.keys(entry.perRegion).join(", ")})`,
      );
    }
    return value;
  }

  /** Entries whose figure was not confirmed on its source page. */
  public get unconfirmed(): PriceEntry[] {
    return this.entries.filter((e) => !e.confirmed);
  }
}

let shipped: PriceTable | undefined;

/** The repository's table (tools/cost/prices.ts), parsed once. */
export function shippedPriceTable(): PriceTable {
  shipped ??= new PriceTable(PRICE_TABLE satisfies PriceTableInput);
  return shipped;
}
