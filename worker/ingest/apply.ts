import { z } from "zod";
import type { IngestResult } from "../contract";
import type { Plan } from "./plan";

export interface Receipt {
  shop: string;
  source: string;
  webhookId: string;
  resource: string;
  now: number;
}

export async function alreadyReceived(db: D1Database, r: Pick<Receipt, "shop" | "source" | "webhookId">): Promise<boolean> {
  const row = await db.prepare("SELECT 1 FROM webhook_receipts WHERE shop_id = ? AND source = ? AND id = ?").bind(r.shop, r.source, r.webhookId).first();
  return row !== null;
}

const ChangesRow = z.object({ n: z.number().int().nonnegative() });

const isUniqueViolation = (e: unknown): boolean => e instanceof Error && /UNIQUE constraint failed: webhook_receipts/.test(e.message);

/**
 * Runs a plan as one D1 batch (one transaction) together with the delivery's receipt, so a
 * `webhook-id` is either applied whole and remembered, or neither. A concurrent twin of the same
 * delivery loses on the receipt's primary key and is answered as a duplicate.
 */
export async function applyPlan(db: D1Database, receipt: Receipt, plan: Plan): Promise<IngestResult> {
  const receiptStmt = db
    .prepare("INSERT INTO webhook_receipts (shop_id, source, id, received_at) VALUES (?, ?, ?, ?)")
    .bind(receipt.shop, receipt.source, receipt.webhookId, receipt.now);
  // After each many-row upsert, SQLite's changes(): the rows that statement itself inserted or updated
  // (not what its triggers wrote, which D1's meta.changes includes), so no result row per applied row
  // has to travel back (a RETURNING per row cost ≈ a third of the batch's wall time).
  const changes = db.prepare("SELECT changes() AS n");
  const statements: D1PreparedStatement[] = [receiptStmt];
  const positions = plan.steps.map((step) => ({
    stmt: statements.push(step.stmt) - 1,
    count: step.rows ? statements.push(changes) - 1 : undefined,
  }));
  let results: D1Result[];
  try {
    results = await db.batch(statements);
  } catch (e) {
    if (isUniqueViolation(e)) return { applied: 0, stale: 0, rejected: [], duplicate: true };
    throw e;
  }
  let applied = 0;
  let stale = 0;
  plan.steps.forEach((step, i) => {
    const { stmt, count } = positions[i] ?? {};
    const result = stmt === undefined ? undefined : results[stmt];
    if (step.rows) {
      const done = ChangesRow.parse(count === undefined ? undefined : results[count]?.results[0]).n;
      applied += done;
      stale += step.rows.length - done;
    } else if (step.row !== undefined) {
      if ((result?.meta.changes ?? 0) > 0) applied++;
      else stale++;
    }
  });
  const rejected = [...plan.rejected].sort((a, b) => a.index - b.index);
  await db
    .prepare("INSERT INTO sync_log (shop_id, resource, webhook_id, applied, stale, rejected, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(receipt.shop, receipt.resource, receipt.webhookId, applied, stale, rejected.length, receipt.now)
    .run();
  return { applied, stale, rejected };
}
