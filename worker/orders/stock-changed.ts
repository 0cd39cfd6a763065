import { getShop } from "../db/shops";
import { availabilityCacheKey, forgetAvailability } from "../http/availability-memo";
import { publishStock } from "../hub/publish";

/**
 * After a reservation change: tell live widgets, and drop the single-SKU availability micro-cache
 * entries so the next read is fresh. Multi-SKU cache entries cannot be enumerated; they expire
 * within AVAILABILITY_CACHE_SECONDS (2 s), while live sockets already have the new number.
 */
export async function stockChanged(env: Env, shopId: string, skus: readonly string[]): Promise<void> {
  forgetAvailability(shopId);
  const unique = [...new Set(skus)];
  await Promise.all(unique.map((sku) => caches.default.delete(availabilityCacheKey(shopId, [sku]))));
  // Most reservations happen while nobody watches: skip the shop read then.
  if ((await env.HUB.get(env.HUB.idFromName(shopId)).connections()) === 0) return;
  const shop = await getShop(env.DB, shopId);
  if (shop) await publishStock(env, shop, unique);
}
