import { MicroCache } from "./micro-cache";

/**
 * Availability answers this isolate gave in the last seconds, with the shop's origins for CORS: a
 * hot product page is answered from memory, before the shop row, the Cache API or D1 are touched.
 * Entries live no longer than the answer's own freshness (AVAILABILITY_CACHE_SECONDS), and a stock
 * change made through this isolate forgets the shop's entries at once (`forgetAvailability`).
 */
export const recentAvailability = new MicroCache<{ json: string; origins: readonly string[] }>(1_000);

/** One entry per shop and set of asked SKUs, in any order or repetition. */
export const availabilityKey = (shop: string, skus: readonly string[]): string => `${shop}\n${JSON.stringify([...new Set(skus)].sort())}`;

/** Called wherever a shop's stock changes, so this isolate never answers from before the change. */
export const forgetAvailability = (shop: string): void => recentAvailability.deletePrefix(`${shop}\n`);

/**
 * Whose answers a cache entry holds: the shop, and the version of its channel rules when it has any,
 * so answers given under rules that were since changed are never found again.
 */
export const availabilityScope = (shop: string, rulesVersion: number | undefined): string => (rulesVersion === undefined ? shop : `${shop}~${rulesVersion}`);

/**
 * The shared Cache API entry of one availability answer; `skus` sorted and distinct, as the route
 * asks. A stock change deletes the single-SKU entries; multi-SKU ones expire with their max-age.
 */
export const availabilityCacheKey = (shop: string, skus: readonly string[]): Request =>
  new Request(`https://backroom.cache/${shop}/availability?${new URLSearchParams(skus.map((s) => ["sku", s]))}`);
