import { arr, n, type Obj, obj, s } from "../api";

/**
 * A storefront cart's lines as the promise needs them (issue 12), read from the platform's own cart
 * JSON: Shopify's Ajax API `GET {routes.root}cart.js` and WooCommerce's Store API
 * `GET /wp-json/wc/store/v1/cart`. Both carry a SKU per line (Shopify's `sku` is "" or null for a
 * variant without one; such a line gets no promise, but is still listed).
 */
export interface CartLine {
  /** The platform's line key (stable while the line exists). */
  key: string;
  /** The line's SKU; undefined when the platform has none for it. */
  sku: string | undefined;
  /** How many, as the promise API takes it (a decimal string). */
  qty: string;
  /** What the shopper sees the line called. */
  title: string;
}

/** The most lines one promise request takes. */
export const MAX_LINES = 100;

const sku = (v: unknown): string | undefined => (s(v) && v.trim() ? v.trim() : undefined);
const qty = (v: unknown): v is number => n(v) && v > 0;

/** A cart's `items[]` as lines (a positive quantity each); the platforms differ only in where the title is. */
function cartLines(body: unknown, title: (item: Obj) => string): CartLine[] | undefined {
  if (!obj(body) || !arr(body.items, obj)) return undefined;
  return body.items
    .filter((i: Obj) => qty(i.quantity))
    .map((i: Obj) => ({ key: s(i.key) ? i.key : String(i.id), sku: sku(i.sku), qty: String(i.quantity), title: title(i) }));
}

/** Shopify's `/cart.js`: `items[]` with `key`, `sku`, `quantity`, `title` (product and variant). Undefined for anything else. */
export const shopifyCartLines = (body: unknown): CartLine[] | undefined =>
  cartLines(body, (i) => (s(i.title) ? i.title : s(i.product_title) ? i.product_title : ""));

/** WooCommerce's Store API cart: `items[]` with `key`, `sku`, `quantity`, `name`. Undefined for anything else. */
export const wooCartLines = (body: unknown): CartLine[] | undefined => cartLines(body, (i) => (s(i.name) ? i.name : ""));
