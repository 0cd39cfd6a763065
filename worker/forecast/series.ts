import { z } from "zod";
import type { ForecastWarehouse } from "../contract/quality";
import { Incoming } from "../db/rows";
import { forecastDemand, weeklyTotals } from "./model";
import { dailyDemandQuery, parseDailyDemand } from "./order-demand";
import { DEFAULT_LEAD_TIME_DAYS, reorder } from "./reorder";

/** Two years of daily history: enough for the yearly index. */
export const HISTORY_DAYS = 728;
export const HORIZON_WEEKS = 12;
const DAY = 86_400_000;

const StockRow = z.object({
  on_hand: z.number(),
  committed: z.number(),
  reserved: z.number(),
  incoming: z.string(),
  safety_stock: z.number().nullable(),
  lead_time_days: z.number().nullable(),
});

const STOCK_SQL = `SELECT s.on_hand, s.committed, s.reserved, s.incoming, p.safety_stock, w.lead_time_days FROM stock s
       LEFT JOIN products p ON p.shop_id = s.shop_id AND p.sku = s.sku
       LEFT JOIN warehouses w ON w.shop_id = s.shop_id AND w.code = s.warehouse
       WHERE s.shop_id = ? AND s.sku = ? AND s.warehouse = ?`;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOf = (now: number) => Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());

/** The two reads one series' forecast needs (its stock row, its daily demand), as statements for the caller's batch; `forecastFrom` reads their results. */
export function seriesReads(db: D1Database, pool: string, sku: string, warehouse: string, now: number): [D1PreparedStatement, D1PreparedStatement] {
  const first = dayOf(now) - HISTORY_DAYS * DAY;
  return [db.prepare(STOCK_SQL).bind(pool, sku, warehouse), dailyDemandQuery(db, pool, sku, warehouse, new Date(first).toISOString().slice(0, 10))];
}

/**
 * The forecast and reorder suggestion of one SKU in one warehouse of a pool, from its daily demand up
 * to yesterday (UTC) and its stock now (the results of `seriesReads`); undefined when the pool has no
 * stock row for it.
 */
export function forecastFrom(
  stockResult: D1Result | undefined,
  demandResult: D1Result | undefined,
  warehouse: string,
  now: number,
): z.infer<typeof ForecastWarehouse> | undefined {
  const raw = stockResult?.results[0];
  if (!raw) return undefined;
  const stock = StockRow.parse(raw);
  const today = dayOf(now);
  const first = today - HISTORY_DAYS * DAY;
  // Each day that had demand to its place (formatting all 728 days of every series was most of a cron tick's CPU).
  const daily = Array.from({ length: HISTORY_DAYS }, () => 0);
  for (const [day, qty] of parseDailyDemand(demandResult)) {
    const i = ISO_DAY.test(day) ? (Date.parse(day) - first) / DAY : -1;
    if (i >= 0 && i < HISTORY_DAYS) daily[i] = qty;
  }
  const lastDay = (new Date(today - DAY).getUTCDay() + 6) % 7;
  const f = forecastDemand(daily, lastDay, HORIZON_WEEKS);
  const available = Math.max(0, stock.on_hand - stock.committed - stock.reserved - (stock.safety_stock ?? 0));
  const leadTimeDays = stock.lead_time_days ?? DEFAULT_LEAD_TIME_DAYS;
  const incoming = Incoming.parse(JSON.parse(stock.incoming)).map((i) => ({ qty: i.qty, inDays: (Date.parse(i.eta) - today) / DAY }));
  const r = reorder({ weekly: f.weekly, weeklySd: f.weeklySd, available, incoming, leadTimeDays });
  return {
    warehouse,
    class: f.class,
    method: f.method,
    weekly: f.weekly.map((q) => Math.round(q * 10) / 10),
    history: weeklyTotals(daily).slice(-HORIZON_WEEKS),
    available,
    ...(r.coverDays !== null ? { coverDays: r.coverDays } : {}),
    leadTimeDays,
    reorderPoint: r.reorderPoint,
    safetyStock: r.safetyStock,
    reorderNow: r.reorderNow,
    suggestedQty: r.suggestedQty,
    peakWeek: r.peakWeek,
  };
}

/** `forecastFrom` of one series, its two reads in one call. */
export async function forecastSeries(
  db: D1Database,
  pool: string,
  sku: string,
  warehouse: string,
  now: number,
): Promise<z.infer<typeof ForecastWarehouse> | undefined> {
  const [stock, demand] = await db.batch(seriesReads(db, pool, sku, warehouse, now));
  return forecastFrom(stock, demand, warehouse, now);
}
