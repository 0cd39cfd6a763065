import { loadChannelsBeside } from "../db/channels";
import type { Shop } from "../db/shops";
import { forgetAvailability } from "../http/availability-memo";
import { type FanOutChannel, fanOut, STAFF_CHUNK } from "../pool/fan-out";
import { planePool, poolObject, poolOfShop, registryOf } from "../pool/plane";

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
  // A pool still on D1, or an object whose copy holds no channel (it was never written): D1 has them.
  const channels = await loadChannelsBeside(registryOf(env.DB), shop.id);
  await Promise.all(channels.map((ch) => publishToChannel(env, ch, skus)));
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
