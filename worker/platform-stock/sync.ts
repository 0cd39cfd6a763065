import { z } from "zod";
import { RemoteError } from "../connectors/errors";
import { defaultPatience, type Patience } from "../connectors/http";
import { finishRun, getCursor, type RecordError, type RunStatus, recordErrors, setCursorStmt, startRun } from "../connectors/runs";
import { loadPlatformSettings } from "../connectors/settings";
import { loadSkuStock } from "../db/availability";
import { getShop } from "../db/shops";
import { clearDirty, markChangedSince, takeDirty } from "../db/stock-dirty";
import { availability } from "../domain/availability";
import { failureMessage } from "../outbound/failure-message";
import { stockTargetFor } from "../platforms/registry";
import type { StockTarget, StockUpdate } from "../platforms/stock-target";

export interface StockSyncOutcome {
  runId?: string;
  status: RunStatus;
  pushed: number;
}

const Pushed = z.object({ sku: z.string(), location: z.string(), qty: z.number() });
const Item = z.object({ sku: z.string(), item_id: z.string() });

/**
 * Pushes available stock into the shop platform. SKUs to look at are those marked dirty, those
 * whose ERP stock changed and those with reservations taken or released since the last sync;
 * only quantities that differ from what the platform was last told are sent, coalesced into the
 * platform's largest batches. A throttled platform ends the run early; what was not pushed stays
 * dirty for the next one.
 */
export async function syncPlatformStock(
  env: Env,
  shopId: string,
  patience: Patience = defaultPatience(),
  maxSkus = 2_000,
): Promise<StockSyncOutcome | undefined> {
  const stored = await loadPlatformSettings(env, shopId);
  const shop = await getShop(env.DB, shopId);
  if (!stored?.enabled || !shop) return undefined;
  const s = stored.settings;
  const target: StockTarget = stockTargetFor(s, patience);
  const db = env.DB;
  const now = Date.now();
  const since = Number((await getCursor(db, shopId, s.kind, "platform-stock")) ?? 0);
  await db.batch([markChangedSince(db, shopId, since, now), setCursorStmt(db, shopId, s.kind, "platform-stock", String(now), now)]);
  const skus = await takeDirty(db, shopId, maxSkus);
  if (skus.length === 0) return { status: "ok", pushed: 0 };

  const runId = await startRun(db, shopId, s.kind, "stock", now);
  const errors: RecordError[] = [];
  const desired = new Map<string, { sku: string; location: string; qty: number }>();
  const today = new Date(now).toISOString().slice(0, 10);
  for (let i = 0; i < skus.length; i += 200) {
    for (const st of await loadSkuStock(db, shopId, skus.slice(i, i + 200))) {
      // What this shop's channel may sell, per warehouse: its stock pool within its rules.
      const shown = availability(
        st.sku,
        st.warehouses,
        { backorder: st.backorder, safetyStock: st.safetyStock, lowStockThreshold: 0, channel: st.channel },
        today,
      );
      for (const w of shown.warehouses) {
        const location = target.locationOf(w.code);
        if (location === undefined) continue;
        const key = `${st.sku}\t${location}`;
        const entry = desired.get(key) ?? { sku: st.sku, location, qty: 0 };
        entry.qty += w.available;
        desired.set(key, entry);
      }
    }
  }
  const json = JSON.stringify(skus);
  const told = new Map<string, number>();
  const { results: pushedRows } = await db
    .prepare("SELECT sku, location, qty FROM platform_stock WHERE shop_id = ? AND sku IN (SELECT value FROM json_each(?))")
    .bind(shopId, json)
    .all();
  for (const raw of pushedRows) {
    const r = Pushed.parse(raw);
    const key = `${r.sku}\t${r.location}`;
    told.set(key, r.qty);
    // A location the channel no longer sells from (its rules changed) is told it has none.
    if (!desired.has(key)) desired.set(key, { sku: r.sku, location: r.location, qty: 0 });
  }
  const changes = [...desired.entries()].filter(([key, d]) => told.get(key) !== d.qty).map(([, d]) => d);

  const itemIds = new Map<string, string>();
  const { results: itemRows } = await db
    .prepare("SELECT sku, item_id FROM platform_stock_items WHERE shop_id = ? AND sku IN (SELECT value FROM json_each(?))")
    .bind(shopId, json)
    .all();
  for (const raw of itemRows) {
    const r = Item.parse(raw);
    itemIds.set(r.sku, r.item_id);
  }
  let status: RunStatus = "ok";
  let message: string | undefined;
  let pushed = 0;
  const unfinished = new Set<string>();
  try {
    const missing = [...new Set(changes.map((c) => c.sku))].filter((sku) => !itemIds.has(sku));
    if (missing.length > 0) {
      const found = await target.resolve(missing);
      const remember = db.prepare(
        "INSERT INTO platform_stock_items (shop_id, sku, item_id) VALUES (?, ?, ?) ON CONFLICT (shop_id, sku) DO UPDATE SET item_id = excluded.item_id",
      );
      if (found.size > 0) await db.batch([...found].map(([sku, id]) => remember.bind(shopId, sku, id)));
      for (const [sku, id] of found) itemIds.set(sku, id);
      for (const sku of missing)
        if (!found.has(sku))
          errors.push({ resource: "platform-stock", record: sku, code: "unknown_on_platform", message: `The ${s.kind} shop has no item with SKU "${sku}"` });
    }
    const updates: StockUpdate[] = changes.flatMap((c) => {
      const itemId = itemIds.get(c.sku);
      return itemId ? [{ ...c, itemId }] : [];
    });
    const remember = db.prepare(
      "INSERT INTO platform_stock (shop_id, sku, location, qty, pushed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (shop_id, sku, location) DO UPDATE SET qty = excluded.qty, pushed_at = excluded.pushed_at",
    );
    for (let i = 0; i < updates.length; i += target.batchSize) {
      const batch = updates.slice(i, i + target.batchSize);
      try {
        const { failed } = await target.push(batch);
        const ok = batch.filter((_, j) => !failed.has(j));
        for (const [j, reason] of failed) errors.push({ resource: "platform-stock", record: batch[j]?.sku, code: "refused_by_platform", message: reason });
        if (ok.length > 0) await db.batch(ok.map((u) => remember.bind(shopId, u.sku, u.location, u.qty, Date.now())));
        pushed += ok.length;
      } catch (e) {
        if (!(e instanceof RemoteError) || !e.retryable) throw e;
        status = "throttled";
        message = e.message;
        for (const u of updates.slice(i)) unfinished.add(u.sku);
        break;
      }
    }
  } catch (e) {
    status = "failed";
    message = failureMessage(e);
    for (const sku of skus) unfinished.add(sku);
    errors.push({
      resource: "platform-stock",
      code: e instanceof RemoteError ? e.code : "sync_failed",
      message,
      retryable: e instanceof RemoteError && e.retryable,
    });
  }
  await clearDirty(
    db,
    shopId,
    skus.filter((sku) => !unfinished.has(sku)),
  );
  if (status === "ok" && errors.length > 0) status = "partial";
  await recordErrors(db, shopId, runId, errors, Date.now());
  await finishRun(
    db,
    runId,
    status,
    { fetched: skus.length, applied: pushed, stale: desired.size - changes.length, rejected: errors.length },
    message,
    Date.now(),
  );
  return { runId, status, pushed };
}
