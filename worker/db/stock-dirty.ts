import { poolMembers, poolOf } from "./channels";
import { textColumn } from "./columns";
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

/**
 * Marks every SKU whose ERP stock changed, or whose reservations were taken or released, after
 * `since`: three index ranges (stock_history_at: every stock write leaves a history row, migration
 * 0027; reservations_created, reservations_released), so the
 * every-minute question costs what changed, not the shop's size. `INDEXED BY`: the cursor is recent,
 * but the planner cannot know that and, with statistics, preferred reading the whole shop. A
 * statement for the caller's batch.
 */
export function markChangedSince(db: D1Database, shop: string, since: number, now: number): D1PreparedStatement {
  // Stock is the pool's; reservations are every channel's of that pool.
  const members = poolMembers(`(${poolOf("?1")})`);
  return db
    .prepare(
      `INSERT INTO platform_stock_dirty (shop_id, sku, since)
       SELECT ?1, sku, ?3 FROM (SELECT sku FROM stock_history INDEXED BY stock_history_at WHERE at > ?2 AND shop_id = ${poolOf("?1")}
         UNION SELECT sku FROM reservations INDEXED BY reservations_created WHERE shop_id IN ${members} AND created_at > ?2
         UNION SELECT sku FROM reservations INDEXED BY reservations_released WHERE shop_id IN ${members} AND released_at > ?2)
       WHERE true ON CONFLICT (shop_id, sku) DO NOTHING`,
    )
    .bind(shop, since, now);
}

export async function takeDirty(db: D1Database, shop: string, limit: number): Promise<string[]> {
  return textColumn(db.prepare("SELECT sku FROM platform_stock_dirty WHERE shop_id = ? ORDER BY since, sku LIMIT ?").bind(shop, limit));
}

export async function clearDirty(db: D1Database, shop: string, skus: readonly string[]): Promise<void> {
  const stmt = db.prepare("DELETE FROM platform_stock_dirty WHERE shop_id = ? AND sku = ?");
  for (let i = 0; i < skus.length; i += 500) await db.batch(skus.slice(i, i + 500).map((sku) => stmt.bind(shop, sku)));
}
