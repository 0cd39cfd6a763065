import type { OrderQuery, ProductQuery } from "./messages";
import { type AdminPage, detectPage, type Platform } from "./pages";
import { parsePrice } from "./ui/margin";

/** A product page, read: what to ask the edge, what the platform itself claims, where the panel goes. */
export interface ProductSubject {
  kind: "product";
  query: ProductQuery;
  /** The platform's own stock field, for the mismatch warning (absent when the page has none). */
  platformStock?: number;
  /** The platform's own selling price on the page (a decimal string), the margin's basis. */
  platformPrice?: string;
  anchor: Element;
}
export interface OrderSubject {
  kind: "order";
  query: OrderQuery;
  anchor: Element;
}
/** One row of a list page: the key sent in the batched request, and the cell the badge goes into. */
export interface ListRow {
  key: string;
  cell: Element;
  /** The platform's own stock in the row's stock column (Shopify "12 in stock", WooCommerce "In stock (13)"), when it shows a number. */
  platformStock?: number;
}
export interface ProductListSubject {
  kind: "productList";
  bySku: ListRow[];
  byPlatformId: ListRow[];
}
export interface OrderListSubject {
  kind: "orderList";
  byRef: ListRow[];
}
export type Subject = ProductSubject | OrderSubject | ProductListSubject | OrderListSubject;

/** A reading and whether it is final: SPA admins render fields late, so a partial reading may still improve. */
export interface Reading {
  subject: Subject;
  complete: boolean;
}

interface Selectors {
  sku: string[];
  skuLabel?: RegExp;
  stock: string[];
  stockLabel?: RegExp;
  /** The selling price: the first non-empty field wins (a sale price before the regular one). */
  price: string[];
  priceLabel?: RegExp;
  productAnchor: string[];
  orderNumber: string[];
  orderAnchor: string[];
}

/** Where each admin keeps the fields we read (see fixtures/README.md for the markup these imitate). */
const SELECTORS: Record<Platform, Selectors> = {
  shopify: {
    sku: ['input[name="sku"]'],
    skuLabel: /^SKU\b/i,
    stock: ['input[name="inventoryQuantity"]', 'input[name="available"]'],
    stockLabel: /^(Available|Quantity)$/i,
    price: ['input[name="price"]'],
    priceLabel: /^Price$/i,
    productAnchor: [".Polaris-Layout__Section--secondary", "main"],
    orderNumber: ["h1.Polaris-Header-Title", "main h1"],
    orderAnchor: [".Polaris-Layout__Section--secondary", "main"],
  },
  woocommerce: {
    sku: ["#_sku"],
    stock: ["#_stock"],
    price: ["#_sale_price", "#_regular_price"],
    productAnchor: ["#postbox-container-1", "#poststuff"],
    orderNumber: [".woocommerce-order-data__heading"],
    orderAnchor: ["#postbox-container-1", "#poststuff"],
  },
  bigcommerce: {
    sku: ['input[name="sku"]', "#product-sku"],
    skuLabel: /^SKU\b/i,
    stock: ['input[name="inventoryLevel"]', 'input[name="inventory_level"]'],
    stockLabel: /^(Stock|Current stock|Inventory level)$/i,
    price: ['input[name="price"]', "#product-price"],
    priceLabel: /^(Default price|Price)\b/i,
    productAnchor: ["#product-form", "main"],
    orderNumber: ["h1"],
    orderAnchor: ["#order-details", "main"],
  },
  magento: {
    sku: ['input[name="product[sku]"]'],
    stock: ['input[name="product[quantity_and_stock_status][qty]"]'],
    price: ['input[name="product[price]"]'],
    productAnchor: ["#anchor-content", ".page-content", "main"],
    orderNumber: [".page-title"],
    orderAnchor: ["#anchor-content", ".page-content", "main"],
  },
};

const first = (doc: ParentNode, selectors: readonly string[]): Element | undefined => {
  for (const s of selectors) {
    const el = doc.querySelector(s);
    if (el) return el;
  }
  return undefined;
};

const fieldValue = (el: Element | null | undefined): string | undefined => {
  if (!el) return undefined;
  const raw = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : el.getAttribute("value");
  const value = raw?.trim();
  return value ? value : undefined;
};

/** The input labelled `label` (via `<label for>` or a wrapping label), for admins whose inputs carry generated ids. */
function inputByLabel(doc: Document, label: RegExp): Element | undefined {
  for (const l of doc.querySelectorAll("label")) {
    if (!label.test(l.textContent?.trim() ?? "")) continue;
    const id = l.getAttribute("for");
    const input = id ? doc.getElementById(id) : l.querySelector("input");
    if (input) return input;
  }
  return undefined;
}

function readField(doc: Document, selectors: readonly string[], label?: RegExp): string | undefined {
  for (const s of selectors) {
    const value = fieldValue(doc.querySelector(s));
    if (value !== undefined) return value;
  }
  return label ? fieldValue(inputByLabel(doc, label)) : undefined;
}

function readProduct(doc: Document, platform: Platform, platformId: NonNullable<ProductQuery["platformId"]>): Reading | undefined {
  const sel = SELECTORS[platform];
  const anchor = first(doc, sel.productAnchor);
  if (!anchor) return undefined;
  const sku = readField(doc, sel.sku, sel.skuLabel);
  const stock = readField(doc, sel.stock, sel.stockLabel);
  const platformStock = stock !== undefined && /^-?\d+$/.test(stock) ? Number(stock) : undefined;
  const priceText = readField(doc, sel.price, sel.priceLabel);
  const platformPrice = priceText !== undefined ? parsePrice(priceText) : undefined;
  const query: ProductQuery = sku ? { sku, platformId } : { platformId };
  return {
    subject: {
      kind: "product",
      query,
      ...(platformStock !== undefined ? { platformStock } : {}),
      ...(platformPrice !== undefined ? { platformPrice } : {}),
      anchor,
    },
    complete: sku !== undefined,
  };
}

/** The order number as staff see it: "#1001" (Shopify), "Order #123 details" (WooCommerce), "# 000000001" (Magento). */
export function parseOrderNumber(text: string): string | undefined {
  return /#\s*([A-Za-z0-9][A-Za-z0-9-]*)/.exec(text)?.[1];
}

function readOrder(doc: Document, platform: Platform, orderId: string): Reading | undefined {
  const sel = SELECTORS[platform];
  const anchor = first(doc, sel.orderAnchor);
  if (!anchor) return undefined;
  const number = parseOrderNumber(first(doc, sel.orderNumber)?.textContent ?? "");
  return { subject: { kind: "order", query: number ? { ref: orderId, number } : { ref: orderId }, anchor }, complete: number !== undefined };
}

/** Index of the column whose header reads `name` in the table holding `row`, or -1. */
function columnIndex(table: Element, name: RegExp): number {
  const headers = [...table.querySelectorAll("thead th, thead td")];
  return headers.findIndex((h) => name.test(h.textContent?.trim() ?? ""));
}

/**
 * A list page's rows: every table row linking to a product (or order) edit page, read with the same
 * URL recognition as the page itself. A "SKU" column, when the table has one, gives the SKU.
 */
function readList(doc: Document, kind: "productList" | "orderList", baseUrl: string): Reading | undefined {
  const productRows: Array<{ row: ListRow; sku?: string }> = [];
  const orderRows: ListRow[] = [];
  const seen = new Set<Element>();
  for (const link of doc.querySelectorAll("table tbody tr a[href]")) {
    const tr = link.closest("tr");
    if (!tr || seen.has(tr)) continue;
    const page = detectPage(new URL(link.getAttribute("href") ?? "", baseUrl));
    const cell = link.closest("td, th") ?? tr;
    if (kind === "orderList" && page?.kind === "order") orderRows.push({ key: page.orderId, cell });
    else if (kind === "orderList" && page?.kind === "post") orderRows.push({ key: page.postId, cell });
    else if (kind === "productList" && (page?.kind === "product" || page?.kind === "post")) {
      const id = page.kind === "product" ? page.productId : page.postId;
      const table = tr.closest("table");
      const skuColumn = table ? columnIndex(table, /^SKU$/i) : -1;
      const skuText = skuColumn >= 0 ? tr.children[skuColumn]?.textContent?.trim() : undefined;
      const sku = skuText && /^[^\s–—-][^\s]*$/.test(skuText) ? skuText : undefined;
      const stockColumn = table ? columnIndex(table, /^(Inventory|Stock|Quantity|Qty)$/i) : -1;
      const stockText = stockColumn >= 0 ? /-?\d+/.exec(tr.children[stockColumn]?.textContent ?? "")?.[0] : undefined;
      const platformStock = stockText !== undefined ? Number(stockText) : undefined;
      productRows.push({ row: { key: sku ?? id, cell, ...(platformStock !== undefined ? { platformStock } : {}) }, ...(sku ? { sku } : {}) });
    } else continue;
    seen.add(tr);
  }
  if (kind === "orderList") return orderRows.length > 0 ? { subject: { kind, byRef: orderRows }, complete: true } : undefined;
  if (productRows.length === 0) return undefined;
  return {
    subject: { kind, bySku: productRows.filter((r) => r.sku).map((r) => r.row), byPlatformId: productRows.filter((r) => !r.sku).map((r) => r.row) },
    complete: true,
  };
}

/**
 * Reads what an admin page is about. Answers `undefined` while the page has not rendered the parts
 * needed (the caller waits for DOM mutations and asks again).
 *
 * @example
 * readPage(detectPage(location.href), document)
 * // → { subject: { kind: "product", query: { sku: "TEE-M", platformId: { kind: "product", id: "8001" } }, ... }, complete: true }
 */
export function readPage(page: AdminPage, doc: Document, url: string): Reading | undefined {
  switch (page.kind) {
    case "product":
      return readProduct(doc, page.platform, page.variantId ? { kind: "variant", id: page.variantId } : { kind: "product", id: page.productId });
    case "order":
      return readOrder(doc, page.platform, page.orderId);
    case "post":
      // WooCommerce's post.php edits products and legacy orders alike: the body class says which.
      if (doc.body.classList.contains("post-type-product")) return readProduct(doc, "woocommerce", { kind: "product", id: page.postId });
      if (doc.body.classList.contains("post-type-shop_order")) return readOrder(doc, "woocommerce", page.postId);
      return undefined;
    case "productList":
    case "orderList":
      return readList(doc, page.kind, url);
  }
}
