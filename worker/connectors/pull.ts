import { z } from "zod";
import type { Shop } from "../db/shops";
import { afterErpOrderRefs } from "../orders/erp-confirm";
import { failureMessage } from "../outbound/failure-message";
import { applyRows, type PulledRow, type PullResource } from "./apply";
import { RemoteError } from "./errors";
import { finishRun, getCursor, type RecordError, type RunStatus, type RunTotals, recordErrors, setCursorStmt, startRun } from "./runs";
import { changedStock, missingSince, type SnapshotMark, zeroRows } from "./snapshot";

const OrderRef = z.object({ orderRef: z.string() });
const orderRefsOf = (rows: readonly PulledRow[]): string[] =>
  rows.flatMap((r) => {
    const o = OrderRef.safeParse(r.row);
    return o.success ? [o.data.orderRef] : [];
  });

/** One page a connector read: mapped rows, records it could not map, and the cursor after it. */
export interface PullPage {
  rows: PulledRow[];
  errors: RecordError[];
  /** Records read from the ERP for this page (mapped or not). */
  fetched: number;
  /** Where the next run starts for this resource; undefined leaves the cursor as it was. */
  cursor?: string;
  /** A page of a full snapshot (see `snapshot.ts`). */
  snapshot?: SnapshotMark;
}

/** What an ERP connector offers the pull driver: pages of each resource since a cursor. */
export interface PullSource {
  connector: string;
  resources: readonly PullResource[];
  pages(resource: PullResource, cursor: string | undefined): AsyncIterable<PullPage>;
}

export interface PullOutcome {
  runId: string;
  status: RunStatus;
  totals: RunTotals;
  errors: number;
}

/**
 * One scheduled pull: every resource in order, page by page, each page applied in one D1 batch
 * and its cursor saved right after, so a run cut short (throttled, out of time) resumes where it
 * stopped. A bad record is an error row, never a stop; a resource that fails does not stop the
 * next one.
 */
export async function runPull(
  env: Env,
  shop: Pick<Shop, "id" | "lowStockThreshold">,
  source: PullSource,
  opts: { maxPages?: number } = {},
): Promise<PullOutcome> {
  const runId = await startRun(env.DB, shop.id, source.connector, "pull", Date.now());
  const totals: RunTotals = { fetched: 0, applied: 0, stale: 0, rejected: 0 };
  let errorCount = 0;
  let failed = 0;
  let throttled: string | undefined;
  const maxPages = opts.maxPages ?? 100;
  for (const resource of source.resources) {
    let page = 0;
    try {
      for await (const p of source.pages(resource, await getCursor(env.DB, shop.id, source.connector, resource))) {
        const now = Date.now();
        let rows = p.snapshot?.stockOf ? await changedStock(env.DB, shop.id, p.rows) : p.rows;
        if (p.snapshot?.complete) {
          const gone = await missingSince(env.DB, shop.id, p.snapshot.complete);
          rows = [...rows, ...(await zeroRows(env.DB, shop.id, gone, now))];
          totals.applied += gone.deleted;
        }
        const applied = await applyRows(env, shop, `connector:${source.connector}`, `${runId}:${resource}:${page}`, resource, rows, now);
        if (resource === "orders" && applied.applied > 0) await afterErpOrderRefs(env, shop.id, orderRefsOf(rows), now);
        totals.fetched += p.fetched;
        totals.applied += applied.applied;
        totals.stale += applied.stale;
        totals.rejected += applied.rejected + p.errors.length;
        const errors = [...p.errors, ...applied.errors];
        errorCount += errors.length;
        await recordErrors(env.DB, shop.id, runId, errors, now);
        if (p.cursor !== undefined) await setCursorStmt(env.DB, shop.id, source.connector, resource, p.cursor, now).run();
        if (++page >= maxPages) break;
      }
    } catch (e) {
      const err = e instanceof RemoteError ? e : new RemoteError("connector_failed", failureMessage(e), true);
      await recordErrors(env.DB, shop.id, runId, [{ resource, code: err.code, message: err.message, retryable: err.retryable }], Date.now());
      errorCount++;
      if (err.code === "rate_limited") {
        throttled = `${resource}: ${err.message}`;
        break; // the remote asked for a pause: the next scheduled run resumes from the saved cursors
      }
      failed++;
    }
  }
  const status: RunStatus = throttled ? "throttled" : failed === source.resources.length ? "failed" : failed > 0 || errorCount > 0 ? "partial" : "ok";
  const message = throttled ?? (failed > 0 ? `${failed} of ${source.resources.length} resources failed` : undefined);
  await finishRun(env.DB, runId, status, totals, message, Date.now());
  return { runId, status, totals, errors: errorCount };
}
