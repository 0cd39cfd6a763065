import { poolMembers, poolOf } from "../db/channels";
import { textColumn } from "../db/columns";
/**
 * SKUs whose availability changed since the platform was last told: any writer of stock (ERP
 * pushes, pulls, reservations) may mark one; the platform stock sync takes them in batches.
 */
export async function markStockDirty(db: D1Database, shop: string, skus: readonly string[], now: number): Promise<void> {
  // For every channel of the shop's stock pool: stock that changed for one changed for all.
  const stmt = db.prepare(
    `INSERT INTO platform_stock_dirty (shop_id, sku, since) SELECT m.id, ?2, ?3 FROM ${poolMembers(`(${poolOf("?1")})`)} AS m
     WHERE true ON CONFLICT (shop_id, sku) DO NOTHING`,
  );
  for (let i = 0; i < skus.length; i += 500) await db.batch(skus.slice(i, i + 500).map((sku) => stmt.bind(shop, sku, now)));
}

export async function takeDirty(db: D1Database, shop: string, limit: number): Promise<string[]> {
  return textColumn(db.prepare("SELECT sku FROM platform_stock_dirty WHERE shop_id = ? ORDER BY since, sku LIMIT ?").bind(shop, limit));
}

export async function clearDirty(db: D1Database, shop: string, skus: readonly string[]): Promise<void> {
  const stmt = db.prepare("DELETE FROM platform_stock_dirty WHERE shop_id = ? AND sku = ?");
  for (let i = 0; i < skus.length; i += 500) await db.batch(skus.slice(i, i + 500).map((sku) => stmt.bind(shop, sku)));
}
