import { loadAvailability } from "../db/availability";
import type { Shop } from "../db/shops";
import { forgetAvailability } from "../http/availability-memo";

/** Tells the shop's hub about SKUs whose availability may have changed. */
export async function publishStock(env: Env, shop: Pick<Shop, "id" | "lowStockThreshold">, skus: readonly string[]): Promise<void> {
  // Synchronously, before the first await: a read right after the write must not see memory from before it.
  forgetAvailability(shop.id);
  const hub = env.HUB.get(env.HUB.idFromName(shop.id));
  // Most pushes happen while nobody watches: skip the reads then.
  if ((await hub.connections()) === 0) return;
  for (let i = 0; i < skus.length; i += 100) {
    const items = await loadAvailability(env.DB, shop.id, skus.slice(i, i + 100), shop.lowStockThreshold, new Date());
    if (items.length > 0) await hub.publish(items);
  }
}
