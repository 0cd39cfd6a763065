import { z } from "zod";
import { insertWebhook } from "../db/back-in-stock";
import { poolMembers } from "../db/channels";
import { randomBytes, toHex } from "../domain/encoding";
import { forecastFrom, seriesReads } from "./series";

/** Series (SKU × warehouse) one cron tick recomputes at most: the next tick goes on after the last. */
export const SERIES_PER_RUN = 50;
/** A SKU × warehouse that stays below its reorder point is not alerted again before this. */
export const REALERT_MS = 7 * 86_400_000;

const Key = z.object({ shop_id: z.string(), sku: z.string(), warehouse: z.string() });

/**
 * Recomputes the next `limit` forecasts (every stock row of every pool, in key order, from a
 * cursor; after the last it starts over) and stores them. A SKU × warehouse that has just fallen to
 * its reorder point sends `stock.low` to every shop of its pool that has a webhook receiver (the
 * back-in-stock settings' URL and secret: Standard Webhooks, retried by the same outbox). Answers
 * how many series it computed.
 */
export async function recomputeForecasts(db: D1Database, now: number, limit = SERIES_PER_RUN): Promise<number> {
  const cursor = Key.nullable().parse(await db.prepare("SELECT pool_id AS shop_id, sku, warehouse FROM forecast_cursor WHERE id = 1").first());
  const from = cursor ?? { shop_id: "", sku: "", warehouse: "" };
  const { results } = await db
    .prepare("SELECT shop_id, sku, warehouse FROM stock WHERE (shop_id, sku, warehouse) > (?1, ?2, ?3) ORDER BY shop_id, sku, warehouse LIMIT ?4")
    .bind(from.shop_id, from.sku, from.warehouse, limit)
    .all();
  const keys = z.array(Key).parse(results);
  // Every series' reads in one call, and every write (with the cursor) in one more: a tick is a few
  // calls into the pool's object however many series it recomputes, not four per series.
  const before = (k: z.infer<typeof Key>) =>
    db.prepare("SELECT reorder_now, alerted_at FROM forecasts WHERE pool_id = ? AND sku = ? AND warehouse = ?").bind(k.shop_id, k.sku, k.warehouse);
  const reads = keys.length > 0 ? await db.batch(keys.flatMap((k) => [...seriesReads(db, k.shop_id, k.sku, k.warehouse, now), before(k)])) : [];
  const writes: D1PreparedStatement[] = [];
  for (const [i, k] of keys.entries()) {
    const f = forecastFrom(reads[3 * i], reads[3 * i + 1], k.warehouse, now);
    if (!f) continue;
    const was = z
      .object({ reorder_now: z.number(), alerted_at: z.number().nullable() })
      .nullable()
      .parse(reads[3 * i + 2]?.results[0] ?? null);
    const alert = f.reorderNow && (was === null || was.reorder_now === 0) && (was?.alerted_at ?? 0) < now - REALERT_MS;
    writes.push(
      db
        .prepare(
          `INSERT INTO forecasts (pool_id, sku, warehouse, class, method, weekly, history, available, cover_days, reorder_point, suggested_qty, reorder_now, peak_week, computed_at, alerted_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
           ON CONFLICT (pool_id, sku, warehouse) DO UPDATE SET class = excluded.class, method = excluded.method, weekly = excluded.weekly,
             history = excluded.history, available = excluded.available, cover_days = excluded.cover_days, reorder_point = excluded.reorder_point,
             suggested_qty = excluded.suggested_qty, reorder_now = excluded.reorder_now, peak_week = excluded.peak_week,
             computed_at = excluded.computed_at, alerted_at = COALESCE(excluded.alerted_at, forecasts.alerted_at)`,
        )
        .bind(
          k.shop_id,
          k.sku,
          k.warehouse,
          f.class,
          f.method,
          JSON.stringify(f.weekly),
          JSON.stringify(f.history),
          f.available,
          f.coverDays ?? null,
          f.reorderPoint,
          f.suggestedQty,
          f.reorderNow ? 1 : 0,
          f.peakWeek,
          now,
          alert ? now : null,
        ),
    );
    if (alert) {
      const receivers = z.array(z.object({ shop_id: z.string() })).parse(
        (
          await db
            .prepare(`SELECT shop_id FROM back_in_stock_settings WHERE enabled = 1 AND shop_id IN ${poolMembers("?1")} ORDER BY shop_id`)
            .bind(k.shop_id)
            .all()
        ).results,
      );
      for (const r of receivers) {
        const body = JSON.stringify({
          type: "stock.low",
          timestamp: new Date(now).toISOString(),
          data: {
            shop: r.shop_id,
            sku: k.sku,
            warehouse: k.warehouse,
            available: f.available,
            ...(f.coverDays !== undefined ? { coverDays: f.coverDays } : {}),
            reorderPoint: f.reorderPoint,
            suggestedQty: f.suggestedQty,
            leadTimeDays: f.leadTimeDays,
          },
        });
        const id = `msg_low_${toHex(randomBytes(12))}`;
        writes.push(insertWebhook(db, { id, shop: r.shop_id, type: "stock.low", body, retryAt: now }, now));
      }
    }
  }
  const last = keys.at(-1);
  writes.push(
    last && keys.length === limit
      ? db
          .prepare(
            `INSERT INTO forecast_cursor (id, pool_id, sku, warehouse) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET pool_id = excluded.pool_id, sku = excluded.sku, warehouse = excluded.warehouse`,
          )
          .bind(last.shop_id, last.sku, last.warehouse)
      : db.prepare("DELETE FROM forecast_cursor WHERE id = 1"),
  );
  await db.batch(writes);
  return keys.length;
}
