import { z } from "zod";
import type { Actor } from "../db/audit";
import { ApiError } from "../http/error";

/**
 * Staff accept a suggested match: `alias` (the platform's SKU) resolves to the ERP's `sku` from now
 * on, wherever the edge resolves SKUs (availability, prices, the promise, shop orders: worker/orders/resolve-skus.ts). Kept in `staff_sku_aliases`,
 * apart from the ERP's aliases that each product push replaces. Accepting the same pair again
 * changes nothing; an alias that is an ERP SKU, or already stands for another SKU, is refused.
 */
export async function acceptAlias(
  db: D1Database,
  pool: string,
  alias: string,
  sku: string,
  actor: Actor,
  now: number,
  audit: (db: D1Database) => D1PreparedStatement,
): Promise<{ alias: string; sku: string; createdBy: string; createdAt: string }> {
  const [product, asSku, erpAlias, staffAlias] = await db.batch([
    db.prepare("SELECT 1 FROM products WHERE shop_id = ? AND sku = ?").bind(pool, sku),
    db.prepare("SELECT 1 FROM products WHERE shop_id = ? AND sku = ?").bind(pool, alias),
    db.prepare("SELECT sku FROM sku_aliases WHERE shop_id = ? AND alias = ?").bind(pool, alias),
    db.prepare("SELECT sku, created_by, created_at FROM staff_sku_aliases WHERE shop_id = ? AND alias = ?").bind(pool, alias),
  ]);
  if (!product?.results.length) throw new ApiError(404, "sku_not_found", "The ERP has not pushed this SKU");
  if (asSku?.results.length) throw new ApiError(409, "alias_taken", `"${alias}" is itself an ERP SKU`);
  const erp = z.array(z.object({ sku: z.string() })).parse(erpAlias?.results)[0];
  if (erp) throw new ApiError(409, "alias_taken", `"${alias}" is already the ERP's alias of ${erp.sku}`, { sku: erp.sku });
  const existing = z.array(z.object({ sku: z.string(), created_by: z.string(), created_at: z.number() })).parse(staffAlias?.results)[0];
  if (existing && existing.sku !== sku) throw new ApiError(409, "alias_taken", `"${alias}" already stands for ${existing.sku}`, { sku: existing.sku });
  if (existing) return { alias, sku, createdBy: existing.created_by, createdAt: new Date(existing.created_at).toISOString() };
  await db.batch([
    db.prepare("INSERT INTO staff_sku_aliases (shop_id, alias, sku, created_by, created_at) VALUES (?, ?, ?, ?, ?)").bind(pool, alias, sku, actor.id, now),
    audit(db),
  ]);
  return { alias, sku, createdBy: actor.id, createdAt: new Date(now).toISOString() };
}
