import type { AvailabilityItem, CustomerPrices, LiveMessage, OrderTracking, ShopConfig } from "../../worker/contract";

/**
 * The edge's public API as the widget uses it. The contract's zod schemas stay on the server
 * (they would triple the script); every answer is checked here by a small structural guard before
 * anything renders it, so a bad or foreign answer shows nothing instead of something wrong.
 */

export type { AvailabilityItem, CustomerPrices, OrderTracking, ShopConfig };

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const s = (v: unknown): v is string => typeof v === "string";
export const n = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
export const arr = <T>(v: unknown, each: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(each);
export const opt = <T>(v: unknown, is: (x: unknown) => x is T): boolean => v === undefined || is(v);

const STATUSES = ["in_stock", "low_stock", "out_of_stock", "backorder"];

export const isItem = (v: unknown): v is AvailabilityItem =>
  obj(v) &&
  s(v.sku) &&
  n(v.available) &&
  STATUSES.includes(String(v.status)) &&
  s(v.updatedAt) &&
  arr(v.warehouses, (w): w is Obj => obj(w) && s(w.code) && s(w.name) && n(w.available)) &&
  opt(v.nextArrival, (a): a is Obj => obj(a) && n(a.qty) && s(a.eta));

export const isConfig = (v: unknown): v is ShopConfig => obj(v) && s(v.locale) && s(v.currency);

/** A live frame: only `stock` messages with a well-formed item matter; anything else is ignored. */
export const liveItem = (raw: unknown): AvailabilityItem | undefined => {
  let m: unknown;
  try {
    m = JSON.parse(String(raw));
  } catch {
    return undefined;
  }
  return obj(m) && m.type === ("stock" satisfies LiveMessage["type"]) && isItem(m.item) ? m.item : undefined;
};

export interface Api {
  /** Undefined when the edge did not answer properly: the caller then leaves the page alone. */
  availability(skus: string[]): Promise<AvailabilityItem[] | undefined>;
  config(): Promise<ShopConfig | undefined>;
  liveUrl(skus: string[]): string;
  /** The shop's public API, `https://EDGE/v1/shops/<shop>` (what the lazy chunk calls). */
  base: string;
}

export const query = (skus: string[]) => skus.map((k) => `sku=${encodeURIComponent(k)}`).join("&");

/** The typed client for one shop on one edge; `signal` aborts every request on unmount. */
export function api(edge: string, shop: string, signal: AbortSignal): Api {
  const base = `${edge}/v1/shops/${encodeURIComponent(shop)}`;
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(base + path, { signal, credentials: "omit" });
    return res.ok ? res.json() : undefined;
  };
  return {
    async availability(skus) {
      const body = await get(`/availability?${query(skus)}`);
      return obj(body) && arr(body.items, isItem) ? body.items : undefined;
    },
    async config() {
      const body = await get("/config");
      return isConfig(body) ? body : undefined;
    },
    base,
    liveUrl: (skus) => `${base.replace(/^http/, "ws")}/live?${query(skus)}`,
  };
}
