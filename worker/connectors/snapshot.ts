import { z } from "zod";
import { StockRow } from "../contract";
import type { PulledRow } from "./apply";

/**
 * Full snapshots: a write-date cursor never sees what the ERP deleted (a quant that reached zero,
 * a removed pricelist item, a customer taken off). So every so often a connector reads a resource
 * whole; these functions keep that cheap at the edge: rows the edge already holds unchanged are
 * not written again (no version bump, no fan-out, no platform stock push), and once a snapshot is
 * complete, what the edge has and the ERP no longer had is zeroed (stock) or removed.
 */

/**
 * Where a resource's full snapshot stands, kept after its change cursor(s) in the same cursor
 * string ("…;snap:<dueMs>:<afterId>"): when the next one is due, and the last id it has read when
 * a run stopped in the middle of one.
 */
export interface SnapshotState {
  due: number;
  after: number;
}

const SNAP = /^snap:(\d+):(\d+)$/;

/** Splits "a;b;snap:…" into the change cursors and the snapshot state (due now when absent). */
export function splitCursor(cursor: string | undefined, parts: number): { changes: Array<string | undefined>; snap: SnapshotState } {
  const all = (cursor ?? "").split(";");
  const last = all.at(-1) ?? "";
  const m = SNAP.exec(last);
  const changes = (m ? all.slice(0, -1) : all).slice(0, parts);
  while (changes.length < parts) changes.push("");
  return { changes: changes.map((c) => c || undefined), snap: m ? { due: Number(m[1]), after: Number(m[2]) } : { due: 0, after: 0 } };
}

export const joinCursor = (changes: ReadonlyArray<string | undefined>, snap: SnapshotState): string =>
  [...changes.map((c) => c ?? ""), `snap:${snap.due}:${snap.after}`].join(";");

/** What a snapshot page says beyond its rows. */
export interface SnapshotMark {
  /** Every row of these SKUs is in the page: rows equal to the edge's are skipped. */
  stockOf?: string[];
  /** The snapshot of this resource is complete: these are all the keys the ERP has. */
  complete?: { resource: "stock" | "stockRows" | "prices" | "customers"; keys: string[] };
}

const EdgeStock = z.object({
  sku: z.string(),
  warehouse: z.string(),
  on_hand: z.number(),
  committed: z.number(),
  demand: z.number().nullable(),
  incoming: z.string(),
});
const key = (sku: string, warehouse: string) => `${sku}\u0000${warehouse}`;

/** The stock rows of a snapshot page that differ from what the edge holds (or that it lacks). */
export async function changedStock(db: D1Database, shop: string, rows: readonly PulledRow[]): Promise<PulledRow[]> {
  const parsed = rows.map((r) => ({ r, s: StockRow.safeParse(r.row) }));
  const skus = [...new Set(parsed.flatMap((p) => (p.s.success ? [p.s.data.sku] : [])))];
  if (skus.length === 0) return [...rows];
  const { results } = await db
    .prepare("SELECT sku, warehouse, on_hand, committed, demand, incoming FROM stock WHERE shop_id = ? AND sku IN (SELECT value FROM json_each(?))")
    .bind(shop, JSON.stringify(skus))
    .all();
  const edge = new Map(
    results.map((raw) => {
      const e = EdgeStock.parse(raw);
      return [key(e.sku, e.warehouse), e] as const;
    }),
  );
  return parsed
    .filter(({ s }) => {
      if (!s.success) return true; // the driver reports it
      const e = edge.get(key(s.data.sku, s.data.warehouse));
      return (
        !e ||
        e.on_hand !== s.data.onHand ||
        e.committed !== (s.data.committed ?? 0) ||
        e.demand !== (s.data.demand ?? null) ||
        e.incoming !== JSON.stringify(s.data.incoming ?? [])
      );
    })
    .map(({ r }) => r);
}

const HOLDS = "(on_hand <> 0 OR committed <> 0 OR demand <> 0 OR incoming <> '[]')";
const STOCK_KEYS = `SELECT DISTINCT sku AS k FROM stock WHERE shop_id = ? AND ${HOLDS}`;
const STOCK_ROW_KEYS = `SELECT sku || char(0) || warehouse AS k FROM stock WHERE shop_id = ? AND ${HOLDS}`;
const PRICE_KEYS = "SELECT list || char(0) || sku || char(0) || min_qty AS k FROM prices WHERE shop_id = ?";
const CUSTOMER_KEYS = "SELECT id AS k FROM customers WHERE shop_id = ?";

/** Keys for `complete.keys`: a stock row's (resource `stockRows`: per SKU and warehouse, where `stock` is per SKU). */
export const stockKey = (sku: string, warehouse: string): string => `${sku}\u0000${warehouse}`;
/** Keys for `complete.keys`: a price row's. */
export const priceKey = (list: string, sku: string, minQty: number): string => `${list}\u0000${sku}\u0000${minQty}`;

/**
 * After a complete snapshot: the edge's keys the ERP no longer has. Stock SKUs get zero rows
 * (`zeroRow`, applied like any pulled row so availability and live widgets follow); price rows and
 * customers are deleted here, 500 at a time.
 */
export async function missingSince(
  db: D1Database,
  shop: string,
  complete: NonNullable<SnapshotMark["complete"]>,
): Promise<{ stockSkus: string[]; stockRows: string[]; deleted: number }> {
  const sql = { stock: STOCK_KEYS, stockRows: STOCK_ROW_KEYS, prices: PRICE_KEYS, customers: CUSTOMER_KEYS }[complete.resource];
  const { results } = await db.prepare(sql).bind(shop).all();
  const has = new Set(complete.keys);
  const missing = results
    .map((r) =>
      z
        .object({ k: z.union([z.string(), z.number()]) })
        .parse(r)
        .k.toString(),
    )
    .filter((k) => !has.has(k));
  if (complete.resource === "stock") return { stockSkus: missing, stockRows: [], deleted: 0 };
  if (complete.resource === "stockRows") return { stockSkus: [], stockRows: missing, deleted: 0 };
  const del =
    complete.resource === "prices"
      ? db.prepare("DELETE FROM prices WHERE shop_id = ? AND list || char(0) || sku || char(0) || min_qty IN (SELECT value FROM json_each(?))")
      : db.prepare("DELETE FROM customers WHERE shop_id = ? AND id IN (SELECT value FROM json_each(?))");
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < missing.length; i += 500) stmts.push(del.bind(shop, JSON.stringify(missing.slice(i, i + 500))));
  if (stmts.length > 0) await db.batch(stmts);
  return { stockSkus: [], stockRows: [], deleted: missing.length };
}

/**
 * Zero stock rows for what the ERP no longer holds: every warehouse of `skus`, and the exact
 * `rows` (stockKey) given.
 */
export async function zeroRows(
  db: D1Database,
  shop: string,
  gone: { stockSkus: readonly string[]; stockRows: readonly string[] },
  version: number,
): Promise<PulledRow[]> {
  if (gone.stockSkus.length === 0 && gone.stockRows.length === 0) return [];
  const { results } = await db
    .prepare(
      "SELECT sku, warehouse FROM stock WHERE shop_id = ? AND (sku IN (SELECT value FROM json_each(?)) OR sku || char(0) || warehouse IN (SELECT value FROM json_each(?)))",
    )
    .bind(shop, JSON.stringify(gone.stockSkus), JSON.stringify(gone.stockRows))
    .all();
  return results.map((raw) => {
    const r = z.object({ sku: z.string(), warehouse: z.string() }).parse(raw);
    return { ref: `stock/${r.sku}@${r.warehouse}`, row: { sku: r.sku, warehouse: r.warehouse, onHand: 0, committed: 0, incoming: [], version } };
  });
}
