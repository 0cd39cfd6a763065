import type { ChannelView, JoinPool } from "../contract";
import { auditStatement, OPERATOR } from "../db/audit";
import { dropReplica, loadPoolChannels, replicaSize, saveChannel } from "../db/channels";
import { getShop, type Shop } from "../db/shops";
import { diffFields } from "../domain/audit-diff";
import { ApiError } from "../http/error";
import { onShop, withPool } from "../pool/plane";
import { assertMovable, moveShop } from "../pool/relocate";
import { channelView, checkWarehouses, markPoolDirty, republish } from "./rules";

/** The root shop of a pool; a shop that sells from another pool is no pool's root. */
async function poolRoot(db: D1Database, pool: string): Promise<Shop> {
  const root = await getShop(db, pool);
  if (!root) throw new ApiError(404, "pool_not_found", `No shop "${pool}" to pool stock under`);
  if (root.poolId !== root.id)
    throw new ApiError(409, "pool_is_channel", `"${pool}" sells from the pool "${root.poolId}"; add channels there`, { pool: root.poolId });
  return root;
}

async function existingShop(db: D1Database, id: string): Promise<Shop> {
  const shop = await getShop(db, id);
  if (!shop) throw new ApiError(404, "shop_not_found", "No such shop");
  return shop;
}

/** Whether `shop` pulls from an ERP of its own (read where the shop's data lives). */
const hasErpConnector = async (db: D1Database, shop: string): Promise<boolean> =>
  (await db.prepare("SELECT 1 FROM connector_settings WHERE shop_id = ? AND slot = 'erp'").bind(shop).first()) !== null;

/**
 * A shop becomes a channel of `pool`: from now on it sells the pool's stock (its reservations take
 * from it, its widgets and platform push show it within its rules) and its ERP pushes are signed
 * with the pool's ERP secret. Its own replica must be empty, or be dropped on request; it must not
 * hold reservations, pull from an ERP of its own, or be the root of other channels. Joining the
 * pool it already sells from only replaces its rules (when given).
 */
export async function joinPool(env: Env, pool: string, shopId: string, body: JoinPool): Promise<ChannelView> {
  const db = env.DB;
  const root = await poolRoot(db, pool);
  const shop = await existingShop(db, shopId);
  const current = await channelView(db, shop);
  const rules = body.rules ?? current.rules;
  await checkWarehouses(db, pool, rules);
  const now = Date.now();
  if (shop.poolId === pool) {
    if (body.rules === undefined) return current;
  } else {
    if (shop.poolId !== shop.id)
      throw new ApiError(409, "in_another_pool", `"${shopId}" sells from the pool "${shop.poolId}"; remove it there first`, { pool: shop.poolId });
    if ((await loadPoolChannels(db, shopId)).length > 1) throw new ApiError(409, "pool_has_channels", `Other channels sell from "${shopId}"'s stock`);
    const own = onShop(env, shopId).DB;
    if (await hasErpConnector(own, shopId))
      throw new ApiError(409, "erp_connector_set", `"${shopId}" pulls from an ERP of its own; the pool's ERP connector is "${pool}"'s`);
    const size = await replicaSize(own, shopId);
    if (size.held > 0) throw new ApiError(409, "reservations_held", `"${shopId}" holds reservations on its own stock`, { held: size.held });
    if (size.rows > 0 && !body.dropReplica)
      throw new ApiError(409, "replica_not_empty", `"${shopId}" has its own warehouses, products or stock; send dropReplica: true to delete them`, {
        rows: size.rows,
      });
  }
  const joining = shop.poolId !== pool;
  // Checked before anything is dropped: a pool still in D1 cannot take or give a channel.
  if (joining) await assertMovable(env, shop.poolId, pool);
  if (joining && body.dropReplica) {
    const own = onShop(env, shopId).DB;
    await own.batch(dropReplica(own, shopId));
  }
  // The shop's orders, customers, prices and settings move into the pool's object with it.
  await moveShop(env, shopId, shop.poolId, pool, async () => {
    await db.batch([saveChannel(db, shopId, pool, rules, now)]);
  });
  await db.batch([
    markPoolDirty(db, shopId, pool, now),
    auditStatement(
      db,
      {
        shop: shopId,
        actor: OPERATOR,
        action: joining ? "channel.joined_pool" : "channel.rules_changed",
        target: `pool/${pool}`,
        changes: joining ? [{ field: "pool", from: shop.poolId, to: pool }] : diffFields(current.rules, rules, new Set()),
      },
      now,
    ),
    ...(joining ? [auditStatement(db, { shop: root.id, actor: OPERATOR, action: "pool.channel_added", target: `channel/${shopId}`, changes: [] }, now)] : []),
  ]);
  await republish(env, { ...shop, poolId: pool });
  return { shop: shopId, pool, platform: shop.platform, rules };
}

/**
 * A channel leaves its pool and becomes a pool of one again, with an empty replica of its own (the
 * ERP pushes to it from then on with its own ERP secret). Its rules stay. Refused while its orders
 * hold reservations on the pool's stock, and for the pool's root.
 */
export async function leavePool(env: Env, pool: string, shopId: string): Promise<ChannelView> {
  const db = env.DB;
  const root = await poolRoot(db, pool);
  const shop = await existingShop(db, shopId);
  if (shopId === pool) throw new ApiError(409, "pool_root", "The pool's root owns its stock and cannot leave it");
  if (shop.poolId !== pool) throw new ApiError(404, "channel_not_found", `"${shopId}" does not sell from the pool "${pool}"`);
  const { held } = await replicaSize(db, shopId);
  if (held > 0) throw new ApiError(409, "reservations_held", `Orders of "${shopId}" hold reservations on the pool's stock`, { held });
  const now = Date.now();
  // Its orders, customers, prices and settings move with it into an object of its own.
  await moveShop(env, shopId, pool, shopId, async () => {
    await db.batch([db.prepare("UPDATE channels SET pool_id = shop_id, updated_at = max(?2, updated_at + 1) WHERE shop_id = ?1").bind(shopId, now)]);
  });
  const own = withPool(env, shopId).DB;
  await own.batch([
    // Whatever the platform was told of the pool's stock is now told afresh: it has none of it.
    own
      .prepare(
        "INSERT INTO platform_stock_dirty (shop_id, sku, since) SELECT shop_id, sku, ?2 FROM platform_stock WHERE shop_id = ?1 ON CONFLICT (shop_id, sku) DO NOTHING",
      )
      .bind(shopId, now),
    auditStatement(
      own,
      { shop: shopId, actor: OPERATOR, action: "channel.left_pool", target: `pool/${pool}`, changes: [{ field: "pool", from: pool, to: shopId }] },
      now,
    ),
  ]);
  await db.batch([auditStatement(db, { shop: root.id, actor: OPERATOR, action: "pool.channel_removed", target: `channel/${shopId}`, changes: [] }, now)]);
  await republish(withPool(env, shopId), { ...shop, poolId: shopId });
  return channelView(db, shop);
}
