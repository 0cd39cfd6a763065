import { loadChannelsBeside, type PoolChannel } from "../db/channels";
import { mirrorOf } from "../pool/plane";

/**
 * Every channel selling from the same stock pool as `shop` (itself included), for what follows a
 * stock change (the live fan-out, the back-in-stock check): read from the pool object's copy of the
 * registry's shop and channel rows, one call into the object and none to D1. A pool always holds its
 * root shop, so an empty copy (an object whose copy was never written) is read from D1 instead.
 */
export async function channelsOfPool(env: Env, shop: string): Promise<PoolChannel[]> {
  const copy = await loadChannelsBeside(mirrorOf(env.DB), shop);
  return copy.length > 0 ? copy : loadChannelsBeside(env.DB, shop);
}
