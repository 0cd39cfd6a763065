import type { AvailabilityItem, CustomerPrices, LiveMessage, OrderTracking, ShopConfig } from "../../worker/contract";

/**
 * The edge's public API as the widget uses it. The contract's zod schemas stay on the server
 * (they would triple the script); every answer is checked here by a small structural guard before
 * anything renders it, so a bad or foreign answer shows nothing instead of something wrong.
 */

export type { AvailabilityItem, CustomerPrices, OrderTracking, ShopConfig };

type Obj = Record<string, unknown>;
const obj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const s = (v: unknown): v is string => typeof v === "string";
const n = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const arr = <T>(v: unknown, each: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(each);
const opt = <T>(v: unknown, is: (x: unknown) => x is T): boolean => v === undefined || is(v);

const STATUSES = ["in_stock", "low_stock", "out_of_stock", "backorder"];

export const isItem = (v: unknown): v is AvailabilityItem =>
  obj(v) &&
  s(v.sku) &&
  n(v.available) &&
  STATUSES.includes(String(v.status)) &&
  s(v.updatedAt) &&
  arr(v.warehouses, (w): w is Obj => obj(w) && s(w.code) && s(w.name) && n(w.available)) &&
  opt(v.nextArrival, (a): a is Obj => obj(a) && n(a.qty) && s(a.eta));

export const isPrices = (v: unknown): v is CustomerPrices =>
  obj(v) &&
  s(v.currency) &&
  obj(v.customer) &&
  s(v.customer.company) &&
  opt(v.customer.paymentTerms, s) &&
  arr(v.items, (i): i is Obj => obj(i) && s(i.sku) && s(i.unitPrice) && arr(i.breaks, (b): b is Obj => obj(b) && n(b.minQty) && s(b.unitPrice)));

export const isTracking = (v: unknown): v is OrderTracking =>
  obj(v) &&
  s(v.orderNumber) &&
  s(v.status) &&
  arr(v.timeline, (t): t is Obj => obj(t) && s(t.status) && s(t.at)) &&
  arr(v.shipments, (x): x is Obj => obj(x) && s(x.carrier) && s(x.trackingNumber) && opt(x.trackingUrl, s));

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
  prices(skus: string[], token: string): Promise<CustomerPrices | undefined>;
  config(): Promise<ShopConfig | undefined>;
  lookup(orderNumber: string, email: string): Promise<OrderTracking | "not_found" | "error">;
  liveUrl(skus: string[]): string;
}

const query = (skus: string[]) => skus.map((k) => `sku=${encodeURIComponent(k)}`).join("&");

/** The typed client for one shop on one edge; `signal` aborts every request on unmount. */
export function api(edge: string, shop: string, signal: AbortSignal): Api {
  const base = `${edge}/v1/shops/${encodeURIComponent(shop)}`;
  const get = async (path: string, headers?: Record<string, string>): Promise<unknown> => {
    const res = await fetch(base + path, { signal, headers, credentials: "omit" });
    return res.ok ? res.json() : undefined;
  };
  return {
    async availability(skus) {
      const body = await get(`/availability?${query(skus)}`);
      return obj(body) && arr(body.items, isItem) ? body.items : undefined;
    },
    async prices(skus, token) {
      const body = await get(`/prices?${query(skus)}`, { "x-backroom-customer": token });
      return isPrices(body) ? body : undefined;
    },
    async config() {
      const body = await get("/config");
      return isConfig(body) ? body : undefined;
    },
    async lookup(orderNumber, email) {
      const res = await fetch(`${base}/orders/lookup`, {
        method: "POST",
        signal,
        credentials: "omit",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ orderNumber, email }),
      });
      if (res.status === 404) return "not_found";
      const body: unknown = res.ok ? await res.json() : undefined;
      return isTracking(body) ? body : "error";
    },
    liveUrl: (skus) => `${base.replace(/^http/, "ws")}/live?${query(skus)}`,
  };
}
