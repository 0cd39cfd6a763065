import { type CartLine, shopifyCartLines, wooCartLines } from "./payload";

/** Where a cart page's cart is read from, and how its JSON is read. */
export interface CartSource {
  url: string;
  lines: (body: unknown) => CartLine[] | undefined;
}

/**
 * The cart page's own cart API: Shopify's Ajax API when the page is a Shopify theme (the `Shopify`
 * global; `Shopify.routes.root` is the locale's root, "/fr/"), else WooCommerce's Store API under the
 * WordPress REST root the page announces (`<link rel="https://api.w.org/">`, else `/wp-json/`).
 * Undefined on a page that is neither.
 */
export function cartSource(win: Window, doc: Document): CartSource | undefined {
  const shopify: unknown = Reflect.get(win, "Shopify");
  if (typeof shopify === "object" && shopify !== null) {
    const routes: unknown = Reflect.get(shopify, "routes");
    const root: unknown = typeof routes === "object" && routes !== null ? Reflect.get(routes, "root") : undefined;
    return { url: new URL(`${typeof root === "string" && root ? root : "/"}cart.js`, win.location.href).href, lines: shopifyCartLines };
  }
  const api = doc.querySelector<HTMLLinkElement>('link[rel="https://api.w.org/"]')?.href;
  const woo = api || doc.body.classList.contains("woocommerce-cart") || doc.getElementsByClassName("wp-block-woocommerce-cart").length > 0;
  if (!woo) return undefined;
  return { url: new URL("wc/store/v1/cart", api || new URL("/wp-json/", win.location.href)).href, lines: wooCartLines };
}

/** Cart forms and blocks, by platform: the cart box goes right after the first (Shopify's cart form, WooCommerce's classic form and its Cart block). */
const CART_FORMS = 'form[action$="/cart"],.woocommerce-cart-form,.wp-block-woocommerce-cart';
const CHROME = "header,nav,footer,dialog,aside,[role=dialog],cart-drawer";

/** The element the cart box is placed after, outside page chrome (a cart drawer's form is not the cart page's). */
export function cartAnchor(doc: Document): Element | undefined {
  for (const el of doc.querySelectorAll(CART_FORMS)) if (!el.closest(CHROME)) return el;
  return undefined;
}
