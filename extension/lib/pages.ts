/** The shop admins the extension knows. */
export type Platform = "shopify" | "woocommerce" | "bigcommerce" | "magento";

export const PLATFORM_NAMES: Record<Platform, string> = { shopify: "Shopify", woocommerce: "WooCommerce", bigcommerce: "BigCommerce", magento: "Magento" };

/**
 * What kind of admin page a URL is, read from the URL alone. WooCommerce's `post.php` serves both
 * products and legacy (non-HPOS) orders, so that page is a `post` until the DOM says which.
 */
export type AdminPage =
  | { platform: Platform; kind: "product"; productId: string; variantId?: string }
  | { platform: Platform; kind: "order"; orderId: string }
  | { platform: "woocommerce"; kind: "post"; postId: string }
  | { platform: Platform; kind: "productList" }
  | { platform: Platform; kind: "orderList" };

const SHOPIFY = /^\/store\/[a-z0-9][a-z0-9-]*\/(products|orders)(?:\/(\d+)(?:\/variants\/(\d+))?)?\/?$/;
const BIGCOMMERCE = /^\/manage\/(?:products(?:\/edit\/(\d+)|\/(\d+)\/edit)?|orders(?:\/(\d+))?)\/?$/;
const MAGENTO_PRODUCT = /\/catalog\/product\/edit\/(?:.*\/)?id\/(\d+)(?:\/|$)/;
const MAGENTO_ORDER = /\/sales\/order\/view\/(?:.*\/)?order_id\/(\d+)(?:\/|$)/;
const MAGENTO_PRODUCTS = /\/[^/]+\/catalog\/product\/?(?:index\/?)?$/;
const MAGENTO_ORDERS = /\/[^/]+\/sales\/order\/?(?:index\/?)?$/;
const DIGITS = /^\d+$/;

function shopify(url: URL): AdminPage | undefined {
  const m = SHOPIFY.exec(url.pathname);
  if (!m) return undefined;
  const [, section, id, variantId] = m;
  if (section === "products") {
    if (!id) return { platform: "shopify", kind: "productList" };
    return variantId ? { platform: "shopify", kind: "product", productId: id, variantId } : { platform: "shopify", kind: "product", productId: id };
  }
  return id ? { platform: "shopify", kind: "order", orderId: id } : { platform: "shopify", kind: "orderList" };
}

function woocommerce(url: URL): AdminPage | undefined {
  const page = url.pathname.replace(/^.*\/wp-admin\//, "");
  const q = url.searchParams;
  if (page === "post.php" && q.get("action") === "edit") {
    const id = q.get("post") ?? "";
    return DIGITS.test(id) ? { platform: "woocommerce", kind: "post", postId: id } : undefined;
  }
  if (page === "admin.php" && q.get("page") === "wc-orders") {
    const id = q.get("id") ?? "";
    if (q.get("action") === "edit") return DIGITS.test(id) ? { platform: "woocommerce", kind: "order", orderId: id } : undefined;
    return q.has("action") && q.get("action") !== "-1" ? undefined : { platform: "woocommerce", kind: "orderList" };
  }
  if (page === "edit.php" && q.get("post_type") === "product") return { platform: "woocommerce", kind: "productList" };
  if (page === "edit.php" && q.get("post_type") === "shop_order") return { platform: "woocommerce", kind: "orderList" };
  return undefined;
}

function bigcommerce(url: URL): AdminPage | undefined {
  const m = BIGCOMMERCE.exec(url.pathname);
  if (!m) return undefined;
  const [whole, editId, editId2, orderId] = m;
  const productId = editId ?? editId2;
  if (productId) return { platform: "bigcommerce", kind: "product", productId };
  if (orderId) return { platform: "bigcommerce", kind: "order", orderId };
  return whole.startsWith("/manage/orders") ? { platform: "bigcommerce", kind: "orderList" } : { platform: "bigcommerce", kind: "productList" };
}

function magento(url: URL): AdminPage | undefined {
  const product = MAGENTO_PRODUCT.exec(url.pathname)?.[1];
  if (product) return { platform: "magento", kind: "product", productId: product };
  const order = MAGENTO_ORDER.exec(url.pathname)?.[1];
  if (order) return { platform: "magento", kind: "order", orderId: order };
  if (MAGENTO_PRODUCTS.test(url.pathname)) return { platform: "magento", kind: "productList" };
  if (MAGENTO_ORDERS.test(url.pathname)) return { platform: "magento", kind: "orderList" };
  return undefined;
}

/**
 * Recognises a shop admin page from its URL alone. Shopify is known by its host; the self-hosted
 * admins by their paths (`/wp-admin/`, BigCommerce's `/manage/`, Magento's admin routes, which
 * may sit under a custom admin path and carry a `/key/<hash>/` suffix).
 *
 * @example
 * detectPage("https://admin.shopify.com/store/acme/products/8123456789")
 * // → { platform: "shopify", kind: "product", productId: "8123456789" }
 */
export function detectPage(href: string | URL): AdminPage | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.hostname === "admin.shopify.com") return shopify(url);
  if (url.pathname.includes("/wp-admin/")) return woocommerce(url);
  if (url.pathname.startsWith("/manage/")) return bigcommerce(url);
  return magento(url);
}

/** Which admin an admin URL (as configured in the options) belongs to. */
export function platformOfAdmin(adminUrl: string): Platform {
  const url = new URL(adminUrl);
  if (url.hostname === "admin.shopify.com") return "shopify";
  if (/\/wp-admin\/?$/.test(url.pathname)) return "woocommerce";
  if (/\/manage\/?$/.test(url.pathname) || url.hostname.endsWith(".mybigcommerce.com")) return "bigcommerce";
  return "magento";
}

/**
 * The admin page of an order, from the configured admin URL and the order ref the edge knows
 * (the platform's own order id).
 *
 * @example
 * orderPageUrl("https://admin.shopify.com/store/acme", "5002") // → "https://admin.shopify.com/store/acme/orders/5002"
 */
export function orderPageUrl(adminUrl: string, orderRef: string): string {
  const base = adminUrl.replace(/\/+$/, "");
  const ref = encodeURIComponent(orderRef);
  switch (platformOfAdmin(adminUrl)) {
    case "shopify":
      return `${base}/orders/${ref}`;
    case "woocommerce":
      return `${base}/post.php?post=${ref}&action=edit`;
    case "bigcommerce":
      return `${base.replace(/\/manage$/, "")}/manage/orders/${ref}`;
    case "magento":
      return `${base}/sales/order/view/order_id/${ref}/`;
  }
}
