import { z } from "zod";
import { loadChannel, poolMembers, poolOf } from "./channels";
import { Incoming } from "./rows";

const ProductRow = z.object({
  sku: z.string(),
  name: z.string(),
  gtin: z.string().nullable(),
  cost: z.string().nullable(),
  landed_cost: z.string().nullable(),
  erp_id: z.string().nullable(),
  currency: z.string().nullable(),
  backorder: z.number(),
  safety_stock: z.number(),
  updated_at: z.number(),
});
const StockRow = z.object({
  warehouse: z.string(),
  name: z.string().nullable(),
  on_hand: z.number(),
  committed: z.number(),
  demand: z.number().nullable(),
  reserved: z.number(),
  incoming: z.string(),
  updated_at: z.number(),
});
const ListPriceRow = z.object({ id: z.string(), name: z.string(), currency: z.string(), min_qty: z.number(), unit_price: z.string() });
const HistoryRow = z.object({ warehouse: z.string(), on_hand: z.number(), committed: z.number(), reserved: z.number(), version: z.number(), at: z.number() });

/**
 * Everything the replica holds about one SKU (resolved through aliases), in one batch: the stock of
 * the shop's pool in the warehouses its channel sells from, with the channel's buffer and cap.
 */
export async function loadStaffProduct(db: D1Database, shop: string, askedSku: string) {
  const channel = await loadChannel(db, shop);
  const pool = channel.pool;
  const alias = z
    .object({ sku: z.string() })
    .nullable()
    .parse(await db.prepare("SELECT sku FROM sku_aliases WHERE shop_id = ? AND alias = ?").bind(pool, askedSku).first());
  const sku = alias?.sku ?? askedSku;
  const [product, stock, aliases, prices, history, lastSync] = await db.batch([
    db
      .prepare("SELECT sku, name, gtin, cost, landed_cost, erp_id, currency, backorder, safety_stock, updated_at FROM products WHERE shop_id = ? AND sku = ?")
      .bind(pool, sku),
    db
      .prepare(
        `SELECT s.warehouse, w.name, s.on_hand, s.committed, s.demand, s.reserved, s.incoming, s.updated_at FROM stock s
         LEFT JOIN warehouses w ON w.shop_id = s.shop_id AND w.code = s.warehouse WHERE s.shop_id = ? AND s.sku = ? ORDER BY s.warehouse`,
      )
      .bind(pool, sku),
    db.prepare("SELECT alias FROM sku_aliases WHERE shop_id = ? AND sku = ? ORDER BY alias").bind(pool, sku),
    db
      .prepare(
        `SELECT l.id, l.name, l.currency, p.min_qty, p.unit_price FROM prices p JOIN price_lists l ON l.shop_id = p.shop_id AND l.id = p.list
         WHERE p.shop_id = ? AND p.sku = ? ORDER BY l.id, p.min_qty`,
      )
      .bind(shop, sku),
    db
      .prepare(
        "SELECT warehouse, on_hand, committed, reserved, version, at FROM stock_history WHERE shop_id = ? AND sku = ? ORDER BY at DESC, rowid DESC LIMIT 20",
      )
      .bind(pool, sku),
    db.prepare(`SELECT max(at) AS at FROM sync_log WHERE shop_id IN ${poolMembers(poolOf("?1"))} AND resource IN ('stock', 'products')`).bind(shop),
  ]);
  const productRow = product?.results[0];
  const allowed = channel.warehouses;
  return {
    sku,
    /** The shop whose ERP writes this stock (the pool's). */
    pool,
    channel: channel.limit,
    product: productRow ? ProductRow.parse(productRow) : undefined,
    stock: (stock?.results ?? [])
      .map((r) => {
        const s = StockRow.parse(r);
        return { ...s, incoming: Incoming.parse(JSON.parse(s.incoming)) };
      })
      .filter((s) => allowed === undefined || allowed.includes(s.warehouse)),
    aliases: (aliases?.results ?? []).map((r) => z.object({ alias: z.string() }).parse(r).alias),
    prices: (prices?.results ?? []).map((r) => ListPriceRow.parse(r)),
    history: (history?.results ?? []).map((r) => HistoryRow.parse(r)),
    lastSync: z.object({ at: z.number().nullable() }).parse(lastSync?.results[0] ?? { at: null }).at,
  };
}

/** The ERP's own id of an order (e.g. Odoo's sale.order id), when the ERP sent one. */
export async function loadOrderErpId(db: D1Database, shop: string, orderRef: string): Promise<string | undefined> {
  const row = await db.prepare("SELECT erp_id FROM orders WHERE shop_id = ? AND order_ref = ?").bind(shop, orderRef).first();
  return z.object({ erp_id: z.string().nullable() }).nullable().parse(row)?.erp_id ?? undefined;
}
