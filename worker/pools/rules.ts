import type { ChannelRules, ChannelView } from "../contract";
import { type Actor, auditStatement } from "../db/audit";
import { loadChannelsBeside, saveChannel } from "../db/channels";
import { textColumn } from "../db/columns";
import type { Shop } from "../db/shops";
import { diffFields } from "../domain/audit-diff";
import { ApiError } from "../http/error";
import { publishToChannel } from "../hub/publish";
import { poolObject } from "../pool/plane";

/** A channel as the API shows it, or 404 when the shop does not exist. */
export async function channelView(db: D1Database, shop: Pick<Shop, "id">): Promise<ChannelView> {
  const found = (await loadChannelsBeside(db, shop.id)).find((c) => c.shop === shop.id);
  if (!found) throw new ApiError(404, "shop_not_found", "No such shop");
  return { shop: found.shop, pool: found.pool, platform: found.platform, rules: found.rules };
}

/** Rules may name only warehouses the pool has. */
export async function checkWarehouses(db: D1Database, pool: string, rules: ChannelRules): Promise<void> {
  if (rules.warehouses === null) return;
  const known = new Set(await textColumn(db.prepare("SELECT code FROM warehouses WHERE shop_id = ?").bind(pool)));
  const unknown = rules.warehouses.filter((w) => !known.has(w));
  if (unknown.length > 0) throw new ApiError(422, "unknown_warehouse", `The stock pool "${pool}" has no warehouse ${unknown.join(", ")}`, { unknown });
}

/** Marks every SKU of the pool dirty for one channel's platform stock push, as a statement for the caller's batch. */
export const markPoolDirty = (db: D1Database, shop: string, pool: string, now: number): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO platform_stock_dirty (shop_id, sku, since) SELECT ?1, sku, ?3 FROM (SELECT DISTINCT sku FROM stock WHERE shop_id = ?2)
       WHERE true ON CONFLICT (shop_id, sku) DO NOTHING`,
    )
    .bind(shop, pool, now);

/**
 * Replaces one channel's rules. Rules only restrict their own channel, so what changes is that
 * channel's availability: its platform stock push is marked dirty for every SKU of the pool and its
 * open widgets are sent their new numbers.
 */
export async function changeRules(env: Env, shop: Pick<Shop, "id" | "poolId" | "lowStockThreshold">, rules: ChannelRules, actor: Actor): Promise<ChannelView> {
  await checkWarehouses(env.DB, shop.poolId, rules);
  const before = await channelView(env.DB, shop);
  const now = Date.now();
  await env.DB.batch([
    saveChannel(env.DB, shop.id, shop.poolId, rules, now),
    markPoolDirty(env.DB, shop.id, shop.poolId, now),
    auditStatement(
      env.DB,
      { shop: shop.id, actor, action: "channel.rules_changed", target: `channel/${shop.id}`, changes: diffFields(before.rules, rules, new Set()) },
      now,
    ),
  ]);
  await republish(env, shop);
  return { ...before, rules };
}

/** Sends a channel's open widgets (in the object of the pool it sells from now) the numbers its rules now give them. */
export async function republish(env: Env, shop: Pick<Shop, "id" | "poolId" | "lowStockThreshold">): Promise<void> {
  const watched = await poolObject(env, shop.poolId).watchedSkus(shop.id);
  await publishToChannel(env, { shop: shop.id, pool: shop.poolId, lowStockThreshold: shop.lowStockThreshold }, watched);
}
