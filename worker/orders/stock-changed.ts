import { loadChannelsBeside } from "../db/channels";
import { availabilityCacheKey, availabilityScope, forgetAvailability } from "../http/availability-memo";
import { publishToChannel } from "../hub/publish";

/**
 * After a reservation change: tell live widgets of every channel of the shop's stock pool (a unit
 * taken on one channel is gone on all), and drop their single-SKU availability micro-cache entries
 * so the next read is fresh. Multi-SKU cache entries cannot be enumerated; they expire within
 * AVAILABILITY_CACHE_SECONDS (2 s), while live sockets already have the new number.
 */
export async function stockChanged(env: Env, shopId: string, skus: readonly string[]): Promise<void> {
  forgetAvailability(shopId);
  const unique = [...new Set(skus)];
  const channels = await loadChannelsBeside(env.DB, shopId);
  await Promise.all(
    channels.map(async (ch) => {
      forgetAvailability(ch.shop);
      await Promise.all(unique.map((sku) => caches.default.delete(availabilityCacheKey(availabilityScope(ch.shop, ch.rulesVersion), [sku]))));
      // Asks the pool's object who watches first: most reservations happen while nobody does.
      await publishToChannel(env, ch, unique);
    }),
  );
}
