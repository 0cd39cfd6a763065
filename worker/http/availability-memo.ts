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
export const forgetAvailability = (shop: string): void => recentAvailability.deleteGroup(shop);

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

/**
 * SKU sets this isolate has answered from the database in the last minute. An answer goes into the
 * Cache API only when its SKU set misses a second time ("cache on second hit"): most product pages
 * are asked about once in an answer's two seconds, and storing each of those would cost every cold
 * read a cache write that nobody reads. A page asked about again is stored, and from then on shared
 * by the colo's other isolates.
 */
const missedOnce = new MicroCache<true>(10_000);

/** Whether this miss of `key` (an `availabilityKey`) should store its answer in the Cache API: true from its second miss within a minute. */
export function storeOnSecondMiss(key: string, now: number): boolean {
  if (missedOnce.get(key, now)) return true;
  missedOnce.set(key, true, 60_000, now);
  return false;
}
