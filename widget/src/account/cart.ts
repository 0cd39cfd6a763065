import { obj, s } from "../api";

/**
 * The shop's own cart, spoken in the platform's own protocol from the storefront's page (same
 * origin, the shopper's cookies): Shopify's Ajax Cart API and WooCommerce's Store API. The edge is
 * never in this path; it only said which lines to put there.
 */

/** Where the page's cart lives, as the page itself exposes it. */
export type ShopCart = { kind: "shopify"; root: string } | { kind: "woocommerce"; api: string; nonce: string | undefined };

/** One line to put in the cart: the platform's variant id and the quantity. */
export interface CartLine {
  sku: string;
  variantId: string;
  qty: number;
}

/** What the cart took, and what it refused with the platform's own words. */
export interface CartResult {
  added: Array<{ sku: string; qty: number }>;
  refused: Array<{ sku: string; qty: number; reason: string }>;
}

const get = (o: unknown, k: string): unknown => (obj(o) ? o[k] : undefined);
const str = (v: unknown): string | undefined => (s(v) && v ? v : undefined);

/**
 * The page's platform, from the globals real storefronts define: Shopify themes' `window.Shopify`
 * (with `Shopify.routes.root`, "/fr/" on a localised store), WooCommerce's `wcBlocksMiddlewareConfig`
 * (the Store API nonce WooCommerce Blocks prints), `wcSettings`, or a classic theme's
 * `wc_add_to_cart_params`. `restRoot` is the href of WordPress's `<link rel="https://api.w.org/">`.
 *
 * @example
 * detectCart(window, document.querySelector('link[rel="https://api.w.org/"]')?.href)
 * // → { kind: "shopify", root: "/" }
 */
export function detectCart(globals: object, restRoot: string | undefined, origin: string): ShopCart | undefined {
  const g = (k: string) => Reflect.get(globals, k);
  const shopify = g("Shopify");
  if (obj(shopify)) {
    const root = str(get(get(shopify, "routes"), "root")) ?? "/";
    return { kind: "shopify", root: root.endsWith("/") ? root : `${root}/` };
  }
  const middleware = g("wcBlocksMiddlewareConfig");
  const settings = g("wcSettings");
  if (obj(middleware) || obj(settings) || obj(g("wc_add_to_cart_params")) || obj(g("woocommerce_params"))) {
    const nonce = str(get(middleware, "storeApiNonce")) ?? str(get(settings, "storeApiNonce")) ?? str(g("wc_store_api_nonce"));
    return { kind: "woocommerce", api: restRoot ?? `${origin}/wp-json/`, nonce };
  }
  return undefined;
}

/** A Store API route under the site's REST root, also on sites without pretty permalinks (`?rest_route=/`). */
export function storeApiUrl(restRoot: string, route: string): string {
  const u = new URL(restRoot);
  if (u.searchParams.has("rest_route")) {
    u.searchParams.set("rest_route", `/wc/store/v1/${route}`);
    return u.href;
  }
  return new URL(`wc/store/v1/${route}`, restRoot.endsWith("/") ? restRoot : `${restRoot}/`).href;
}

/** WooCommerce escapes its messages for HTML (`&quot;Beanie&quot;`); the view renders text. */
const decodeEntities = (m: string): string =>
  m.replace(
    /&(quot|amp|lt|gt|#0?39|#8220|#8221);/g,
    (_, e: string) => ({ quot: '"', amp: "&", lt: "<", gt: ">", "#039": "'", "#39": "'", "#8220": "“", "#8221": "”" })[e] ?? _,
  );

/**
 * Runs `addOne` line by line. When a line gets no answer the platform meant for it (a 5xx, a network
 * failure, a body that is not the platform's), it and every line after it are refused with that
 * reason and nothing more is sent: the lines already in the cart stay reported as added.
 */
async function eachLine(lines: readonly CartLine[], addOne: (line: CartLine, out: CartResult) => Promise<void>): Promise<CartResult> {
  const out: CartResult = { added: [], refused: [] };
  for (const [i, line] of lines.entries()) {
    try {
      await addOne(line, out);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      for (const l of lines.slice(i)) out.refused.push({ sku: l.sku, qty: l.qty, reason });
      break;
    }
  }
  return out;
}

/** Shopify's error answer `{ status, message: "Cart Error", description }`: the description says what happened. */
const shopifyReason = (body: unknown, status: number): string => str(get(body, "description")) ?? str(get(body, "message")) ?? `HTTP ${status}`;

/**
 * Shopify: `POST {routes.root}cart/add.js` with `{ items: [{ id, quantity }] }`, one line per request.
 * One request per line, because a refused add answers 422 for the whole request, and since 2025 an
 * over-quantity add may still put the available units in the cart ("Only 5 items were added to
 * your cart."): per line, each answer is that line's own, and nothing is retried twice.
 */
function addShopify(root: string, lines: readonly CartLine[], doFetch: typeof fetch): Promise<CartResult> {
  return eachLine(lines, async (line, out) => {
    const id = /^\d+$/.test(line.variantId) && Number.isSafeInteger(Number(line.variantId)) ? Number(line.variantId) : line.variantId;
    const res = await doFetch(`${root}cart/add.js`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-requested-with": "XMLHttpRequest" },
      body: JSON.stringify({ items: [{ id, quantity: line.qty }] }),
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (res.ok && Array.isArray(get(body, "items"))) out.added.push({ sku: line.sku, qty: line.qty });
    else if (res.status >= 400 && res.status < 500) out.refused.push({ sku: line.sku, qty: line.qty, reason: shopifyReason(body, res.status) });
    else throw new Error(`HTTP ${res.status}`);
  });
}

const NONCE_CODES = ["woocommerce_rest_missing_nonce", "woocommerce_rest_invalid_nonce"];

/**
 * WooCommerce: `POST /wp-json/wc/store/v1/cart/add-item` `{ id, quantity }` with the `Nonce` header.
 * The nonce comes from the page; when the page printed none, or it went stale (WordPress nonces
 * live 12–24 h), a `GET cart` hands a fresh one in its `Nonce` response header. Every answer may
 * carry a newer nonce, which the next request sends.
 */
function addWoo(api: string, first: string | undefined, lines: readonly CartLine[], doFetch: typeof fetch): Promise<CartResult> {
  let nonce = first;
  const freshNonce = async () => {
    const res = await doFetch(storeApiUrl(api, "cart"), { credentials: "same-origin", headers: { accept: "application/json" } });
    nonce = res.headers.get("Nonce") ?? nonce;
  };
  return eachLine(lines, async (line, out) => {
    if (!nonce) await freshNonce();
    let retried = false;
    for (;;) {
      const res = await doFetch(storeApiUrl(api, "cart/add-item"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json", ...(nonce ? { Nonce: nonce } : {}) },
        body: JSON.stringify({ id: Number(line.variantId), quantity: line.qty }),
      });
      nonce = res.headers.get("Nonce") ?? nonce;
      const body: unknown = await res.json().catch(() => undefined);
      if (res.ok) {
        out.added.push({ sku: line.sku, qty: line.qty });
        break;
      }
      const code = str(get(body, "code"));
      if (!retried && code && NONCE_CODES.includes(code)) {
        retried = true;
        await freshNonce();
        continue;
      }
      if (res.status >= 500 || !code) throw new Error(`HTTP ${res.status}`);
      out.refused.push({ sku: line.sku, qty: line.qty, reason: decodeEntities(str(get(body, "message")) ?? code) });
      break;
    }
  });
}

/** Puts the lines in the page's cart: every line comes back either added or refused with a reason. */
export function addToCart(cart: ShopCart, lines: readonly CartLine[], doFetch: typeof fetch = fetch): Promise<CartResult> {
  return cart.kind === "shopify" ? addShopify(cart.root, lines, doFetch) : addWoo(cart.api, cart.nonce, lines, doFetch);
}
