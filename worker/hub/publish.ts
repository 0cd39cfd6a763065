import type { AvailabilityItem, StaffLiveMessage } from "../contract";
import { loadAvailability } from "../db/availability";
import { loadChannelsBeside } from "../db/channels";
import { kitsContaining } from "../db/product-sales";
import type { Shop } from "../db/shops";
import { forgetAvailability } from "../http/availability-memo";
import { planePool, poolObject, poolOfShop, registryOf } from "../pool/plane";
import { channelsOfPool } from "./channels";

/** SKUs per staff notice: a 10,000-row push becomes a few frames, not one huge one. */
const STAFF_CHUNK = 500;

/**
 * Tells the live sockets of every channel of the shop's stock pool (all in the pool's object) about
 * SKUs whose availability may have changed: each channel's widgets get the numbers its own rules allow.
 */
export async function publishStock(env: Env, shop: Pick<Shop, "id">, skus: readonly string[]): Promise<void> {
  // Synchronously, before the first await: a read right after the write must not see memory from before it.
  forgetAvailability(shop.id);
  // On the pool data plane the pool's object finds the channels in its copy of the registry rows and
  // fans out to each, in one call; it answers which channels it told.
  const pool = await planePool(env).catch(() => undefined);
  const told = pool === undefined ? undefined : await poolObject(env, pool).fanOutPool(shop.id, [...skus]);
  if (told !== undefined) {
    for (const channel of told) forgetAvailability(channel);
    return;
  }
  const channels = await channelsOfPool(env, shop.id);
  await Promise.all(channels.map((ch) => publishToChannel(env, ch, skus)));
}

/**
 * Inside the pool's object: every channel selling from the pool as `shop` does, read from the
 * object's copy of the registry rows, each told by `fanOut`; answers the channels told, or undefined
 * when the copy holds none (never written: the worker then reads D1 and calls per channel).
 */
export async function fanOutPool(sockets: FanOutSockets, db: D1Database, shop: string, skus: readonly string[]): Promise<string[] | undefined> {
  const channels = await loadChannelsBeside(db, shop);
  if (channels.length === 0) return undefined;
  for (const channel of channels) await fanOut(sockets, db, channel, skus);
  return channels.map((c) => c.shop);
}

/** A channel as its fan-out needs it (plain data: it crosses into the pool's object). */
export interface FanOutChannel {
  shop: string;
  pool: string;
  lowStockThreshold: number;
}

/** The sockets a fan-out talks to: the pool object's own (inside it), or its stub (from the worker). */
export interface FanOutSockets {
  audience(shop: string): { widgets: number; staff: number } | Promise<{ widgets: number; staff: number }>;
  notifyStaff(shop: string, message: StaffLiveMessage): unknown;
  publish(shop: string, items: AvailabilityItem[]): unknown;
}

/**
 * One channel's sockets in its pool's object: staff notices, then fresh availability for its open
 * widgets. On the pool data plane it runs inside the object, as one call (`PoolStore.fanOut`): the
 * audience, the kits, the availability reads and the sends were a call each. A pool still on D1
 * reads D1 from here and calls the object for each step.
 */
export async function publishToChannel(env: Env, channel: FanOutChannel, skus: readonly string[]): Promise<void> {
  forgetAvailability(channel.shop);
  const target = { shop: channel.shop, pool: channel.pool, lowStockThreshold: channel.lowStockThreshold };
  const object = poolObject(env, channel.pool);
  if ((await planePool(env).catch(() => undefined)) === channel.pool) await object.fanOut(target, [...skus]);
  else await fanOut(object, env.DB, target, skus);
}

/** The fan-out itself, wherever it runs: `db` holds the pool's data, `sockets` its live sockets. */
export async function fanOut(sockets: FanOutSockets, db: D1Database, channel: FanOutChannel, skus: readonly string[]): Promise<void> {
  // Most pushes happen while nobody watches: skip the reads then.
  const { widgets, staff } = await sockets.audience(channel.shop);
  if (staff > 0)
    for (let i = 0; i < skus.length; i += STAFF_CHUNK) await sockets.notifyStaff(channel.shop, { type: "stock", skus: skus.slice(i, i + STAFF_CHUNK) });
  if (widgets === 0) return;
  // Issue 12: a kit's availability follows its components'.
  const all = [...skus, ...(await kitsContaining(db, channel.shop, skus))];
  for (let i = 0; i < all.length; i += 100) {
    const items = await loadAvailability(db, channel.shop, all.slice(i, i + 100), channel.lowStockThreshold, new Date());
    if (items.length > 0) await sockets.publish(channel.shop, items);
  }
}

/** Tells staff sockets that orders changed: an ERP status or tracking push, or a delivery's outcome. Never fails its caller. */
export async function publishOrders(env: Env, shop: string, orderRefs: readonly string[]): Promise<void> {
  if (orderRefs.length === 0) return;
  try {
    // `env` runs on the shop's pool (its request's, or its queue message's): that pool's object holds the
    // shop's sockets. Only a pool still on D1 has the registry asked.
    const pool = (await planePool(env).catch(() => undefined)) ?? (await poolOfShop(registryOf(env.DB), shop))?.pool;
    if (pool === undefined) return;
    const sockets = poolObject(env, pool);
    for (let i = 0; i < orderRefs.length; i += STAFF_CHUNK) await sockets.notifyStaff(shop, { type: "orders", orderRefs: orderRefs.slice(i, i + STAFF_CHUNK) });
  } catch (e) {
    // A notice is a courtesy: the delivery's own state is already committed.
    console.error("publishOrders", shop, e);
  }
}
