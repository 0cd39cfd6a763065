import { arr, type CustomerPrices, n, type Obj, type OrderTracking, obj, opt, query, s } from "../api";

/**
 * The lazy chunk's requests to the shop's public API (`base` = `https://EDGE/v1/shops/<shop>`): the
 * signed-in buyer's prices and the order lookup. Each answer is checked by a structural guard
 * before anything renders it, as in ../api.ts.
 */

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

/** This buyer's prices for the SKUs; undefined without a valid token (the edge answers 401). */
export async function fetchPrices(base: string, skus: string[], token: string, signal: AbortSignal): Promise<CustomerPrices | undefined> {
  const res = await fetch(`${base}/prices?${query(skus)}`, { signal, headers: { "x-backroom-customer": token }, credentials: "omit" });
  const body: unknown = res.ok ? await res.json() : undefined;
  return isPrices(body) ? body : undefined;
}

export async function lookupOrder(base: string, orderNumber: string, email: string, signal: AbortSignal): Promise<OrderTracking | "not_found" | "error"> {
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
}
