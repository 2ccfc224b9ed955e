/** The outcome of one item: its value, or the error it threw. */
export type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/**
 * Run `worker` over `items` with at most `limit` in flight, keeping input order, and never
 * rejecting: one account's or region's failure is an outcome, not a reason to stop the others.
 * Kept here rather than imported from tools/: the Lambda bundle must not pull in build tooling
 * (tools/terraform.ts looks for package.json at import time, which does not exist in Lambda).
 */
export async function mapSettled<T, R>(items: readonly T[], limit: number, worker: (item: T) => Promise<R>): Promise<Settled<R>[]> {
  const results: Settled<R>[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await worker(items[index]) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  });
  await Promise.all(lanes);
  return results;
}
