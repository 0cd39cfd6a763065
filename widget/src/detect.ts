/**
 * Finding the product on someone else's page. Pure functions of the document and the URL, so
 * every markup shape is a row in a unit-test table (and every saved page a row in the corpus).
 *
 * Trust order: `[data-backroom-sku]` elements (mount.ts); schema.org JSON-LD, then microdata
 * (sku, mpn, gtin8/12/13/14, productID, `ProductGroup.hasVariant`); OpenGraph / Meta catalogue tags
 * (`product:retailer_item_id`, `product:gtin`); the platform's own page data (Shopify variant JSON,
 * WooCommerce variations, BigCommerce `data-product-sku`, Magento/Hyvä, Shopware, PrestaShop,
 * SFCC). The platform's variant selection then picks the variant the shopper is looking at.
 */

import { obj } from "./api";

/** One sellable variant as the page describes it. */
export interface Variant {
  /** The page's most trusted identifier: SKU, else MPN/productID, else a GTIN (the edge resolves all). */
  sku: string;
  /** The same variant's other identifiers (GTIN, MPN…), asked too: the first the edge knows wins. */
  alt?: string[];
  /** The platform's own variant id (Shopify variant id, WooCommerce variation_id), when known. */
  id?: string;
  /** The variant's own URL (offer url): its query picks it (`?variant=`, Hydrogen's `?Size=M`). */
  url?: string;
}

export interface PageProduct {
  variants: Variant[];
  /** The SKU the shopper is looking at right now. */
  selected: string | undefined;
}

type Json = unknown;
type Obj = Record<string, Json>;

const str = (v: Json): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : undefined);
const list = (v: Json): Json[] => (Array.isArray(v) ? v : v == null ? [] : [v]);
const isProduct = (node: Obj): boolean => list(node["@type"]).some((t) => typeof t === "string" && /(^|\/)Product(Group)?$/.test(t));
/** Identifier properties, most trusted first. */
const ID_KEYS = ["sku", "mpn", "productID", "gtin14", "gtin13", "gtin12", "gtin8", "gtin", "barcode"];
const attr = (el: Element | null, name: string): string | undefined => str(el?.getAttribute(name));
const text = (el: Element | null): string | undefined => (el ? (attr(el, "content") ?? str(el.textContent)) : undefined);

/**
 * The page's `<script type=…>` elements. `document.scripts` is a live collection the browser keeps
 * anyway: reading it is far cheaper than another selector walk over a 2 MB DOM.
 */
const scripts = (doc: Document, type: string): HTMLScriptElement[] => [...doc.scripts].filter((s) => s.type === type);

/** The first element of a class on the page, looked up once per detection and only when asked for. */
type Platform = (className: string) => Element | undefined;
/**
 * Class lookups for the platform elements. `getElementsByClassName(…)[0]` stops at the first match
 * and is Chromium's cheapest walk; one selector list over a 2 MB DOM instead costs ~10× more.
 */
function platformElements(doc: Document): Platform {
  const seen = new Map<string, Element | undefined>();
  return (c) => {
    if (!seen.has(c)) seen.set(c, doc.getElementsByClassName(c)[0]);
    return seen.get(c);
  };
}

/** The explicit `[data-backroom-sku]` elements, in document order. */
export function skuElements(root: ParentNode): Array<{ el: HTMLElement; sku: string }> {
  const out: Array<{ el: HTMLElement; sku: string }> = [];
  for (const el of root.querySelectorAll<HTMLElement>("[data-backroom-sku]")) {
    const sku = str(el.dataset.backroomSku);
    if (sku) out.push({ el, sku });
  }
  return out;
}

/** A variant from identifiers in trust order (`productID: "isbn:123"` loses its prefix). */
const variant = (ids: Array<string | undefined>, id?: string, url?: string): Variant | undefined => {
  const keys = [...new Set(ids.filter((k): k is string => !!k).map((k) => k.replace(/^[a-z]+:(?=\w)/i, "")))];
  const [sku, ...alt] = keys;
  if (!sku) return undefined;
  const v: Variant = { sku };
  if (alt.length) v.alt = alt;
  if (id) v.id = id;
  if (url) v.url = url;
  return v;
};

/** Adds `v` unless a variant with the same SKU is there; then only fills in what it lacked. */
const addTo = (out: Variant[], v: Variant | undefined): void => {
  const known = v && out.find((o) => o.sku === v.sku || o.alt?.includes(v.sku) || v.alt?.includes(o.sku));
  if (!v) return;
  if (!known) out.push(v);
  else {
    known.id ??= v.id;
    known.url ??= v.url;
  }
};

const fromLd = (n: Obj): Variant | undefined => {
  const offers = list(n.offers).filter(obj);
  const ids = [n, ...offers].flatMap((o) => ID_KEYS.map((k) => str(o[k])));
  const url = [n, ...offers].map((o) => str(o.url)).find((u) => u?.includes("?"));
  return variant(ids, url && /[?&]variant=(\d+)/.exec(url)?.[1], url);
};

function variantsOfProduct(node: Obj, out: Variant[]): void {
  const before = out.length;
  for (const v of list(node.hasVariant)) if (obj(v)) addTo(out, fromLd(v));
  // A Product whose offers each carry their own sku (older Shopify themes, Hydrogen) lists its variants there.
  const offers = list(node.offers).filter(obj);
  if (offers.length > 1) for (const o of offers) addTo(out, fromLd(o));
  if (out.length === before) addTo(out, fromLd(node));
}

/** Every Product / ProductGroup node in the page's JSON-LD, skipping blocks that do not parse. */
export function jsonLdProducts(doc: Document): Obj[] {
  const found: Obj[] = [];
  const visit = (node: Json, depth: number): void => {
    if (depth > 4) return;
    if (Array.isArray(node)) for (const n of node) visit(n, depth + 1);
    else if (obj(node)) {
      if (isProduct(node)) found.push(node);
      else for (const k of ["@graph", "mainEntity", "itemOffered"]) visit(node[k], depth + 1);
    }
  };
  for (const s of scripts(doc, "application/ld+json")) {
    try {
      visit(JSON.parse(s.textContent ?? ""), 0);
    } catch {
      // A theme's broken JSON-LD block is the theme's problem, not a reason to show nothing.
    }
  }
  return found;
}

/** Variants named by schema.org microdata: one per Product itemscope that names an identifier. */
export function microdataVariants(doc: Document): Variant[] {
  const out: Variant[] = [];
  const scopes = [...doc.querySelectorAll('[itemtype*="schema.org/Product"]')].filter((s) => !s.parentElement?.closest('[itemtype*="schema.org/Product"]'));
  for (const scope of scopes.length ? scopes : [doc.documentElement]) {
    // One `[itemprop]` walk, sorted out here: a list of `[itemprop~=…]` selectors is ~50× slower in Chromium.
    const els = [...scope.querySelectorAll("[itemprop]")];
    addTo(out, variant(ID_KEYS.flatMap((k) => els.filter((el) => el.getAttribute("itemprop")?.split(" ").includes(k)).map(text))));
  }
  return out;
}

/** OpenGraph / Meta catalogue tags (SFCC, Meta's commerce pixel): retailer item id, then GTIN. */
const openGraph = (doc: Document): Variant | undefined => {
  const metas = [...(doc.head?.getElementsByTagName("meta") ?? [])];
  return variant(
    ["retailer_item_id", "retailer_part_no", "gtin", "mfr_part_no", "upc", "ean"].map((k) =>
      attr(metas.find((m) => m.getAttribute("property") === `product:${k}`) ?? null, "content"),
    ),
  );
};

/** WooCommerce's variable product form: `data-product_variations` JSON and the chosen `variation_id`. */
export function wooVariations(
  doc: Document,
  platform: Platform = platformElements(doc),
): { form: HTMLFormElement; variants: Variant[]; selectedId: string | undefined } | undefined {
  const form = platform("variations_form");
  if (!(form instanceof HTMLFormElement)) return undefined;
  const chosen = form.querySelector<HTMLInputElement>('input[name="variation_id"]')?.value;
  return { form, variants: jsonVariants(form.dataset.product_variations, "variation_id"), selectedId: chosen && chosen !== "0" ? chosen : undefined };
}

/** Variant objects of a platform's JSON (Shopify's variant JSON, WooCommerce's variations): sku, barcode, id. */
function jsonVariants(raw: string | undefined | null, idKey: string): Variant[] {
  const out: Variant[] = [];
  try {
    const data: Json = JSON.parse(raw ?? "null");
    for (const v of list(obj(data) ? (data.variants ?? data.product) : data))
      if (obj(v)) addTo(out, variant([str(v.sku), str(v.barcode), str(v.gtin)], str(v[idKey])));
  } catch {
    // `false` when WooCommerce loads variations by AJAX; a theme's own broken JSON: nothing from it.
  }
  return out;
}

/** Shopify's variant JSON: Online Store 2.0 `variant-selects`/`variant-radios`, older `ProductJson-*` / `[data-product-json]`. */
const SHOPIFY_JSON = "variant-selects *,variant-radios *,[data-product-json],[id^=ProductJson],[data-selected-variant]";

/**
 * Where a theme's script writes the SKU the page shows right now (it rewrites it on every variant
 * change), by platform: class or id lookups, tried in this order until one names a SKU.
 */
const CURRENT_SKU: Array<(p: Platform, doc: Document) => string | undefined> = [
  // Magento Luma and Hyvä: the SKU attribute, else the add-to-cart form's data-product-sku.
  (p) => text(p("product-info-main")?.querySelector(".sku [itemprop=sku],.sku .value") ?? null),
  (_p, doc) => attr(doc.getElementById("product_addtocart_form"), "data-product-sku"),
  // BigCommerce Stencil (Cornerstone): <dd data-product-sku>.
  (p) => text(p("productView")?.querySelector("[data-product-sku]") ?? null),
  // Shopware 6, SFCC SFRA / SiteGenesis, WooCommerce.
  (p) => text(p("product-detail-ordernumber") ?? null),
  (p) => text(p("product-id") ?? null),
  (p) => text(p("sku_wrapper")?.querySelector(".sku") ?? null),
  // SFCC: the product container names its (master) pid.
  (p) => attr(p("product-detail") ?? null, "data-pid"),
];

function currentSku(doc: Document, platform: Platform): string | undefined {
  // PrestaShop keeps the product as JSON on #product-details.
  try {
    const ps: Json = JSON.parse(attr(doc.getElementById("product-details"), "data-product") ?? "null");
    if (obj(ps)) return str(ps.reference) ?? str(ps.ean13) ?? str(ps.upc);
  } catch {
    // Not PrestaShop's JSON.
  }
  for (const find of CURRENT_SKU) {
    const sku = find(platform, doc);
    if (sku) return sku;
  }
  return undefined;
}

/** The selected variant's platform id: `?variant=` (Shopify), the product form's `id` input, WooCommerce's `variation_id`. */
function selectedId(doc: Document, url: URL, woo: ReturnType<typeof wooVariations>): string | undefined {
  if (woo) return woo.selectedId;
  const fromUrl = url.searchParams.get("variant");
  // The first `id` field of a /cart/add form: the product form comes before any quick-add grid.
  if (fromUrl) return fromUrl;
  for (const el of doc.getElementsByName("id"))
    if ((el instanceof HTMLInputElement || el instanceof HTMLSelectElement) && el.form?.getAttribute("action")?.includes("/cart/add")) return el.value;
  return undefined;
}

/** A variant whose offer URL's query is all present in the page's URL (Hydrogen `?Color=…&Size=…`). */
const byUrl = (variants: Variant[], url: URL): Variant | undefined =>
  variants.find((v) => {
    const q = v.url ? [...new URL(v.url, url).searchParams] : [];
    return q.length > 0 && q.every(([k, val]) => url.searchParams.get(k) === val);
  });

/**
 * The product on this page: all its variants (so one request covers every variant switch) and
 * the selected one. Undefined when the page shows no product we can name.
 *
 * @example
 * detectProduct(document, location.href) // → { variants: [{ sku: "TEE-M-BLK", id: "4001" }, ...], selected: "TEE-M-BLK" }
 */
export function detectProduct(doc: Document, href: string): PageProduct | undefined {
  const variants: Variant[] = [];
  for (const node of jsonLdProducts(doc)) variantsOfProduct(node, variants);
  if (!variants.length) for (const v of microdataVariants(doc)) addTo(variants, v);
  if (!variants.length) addTo(variants, openGraph(doc));
  const platform = platformElements(doc);
  const woo = wooVariations(doc, platform);
  for (const v of woo?.variants ?? []) addTo(variants, v);
  for (const s of scripts(doc, "application/json")) if (s.matches(SHOPIFY_JSON)) for (const v of jsonVariants(s.textContent, "id")) addTo(variants, v);
  const current = currentSku(doc, platform);
  addTo(variants, variant([current]));
  if (!variants.length) return undefined;
  const url = new URL(href);
  const id = selectedId(doc, url, woo);
  const chosen =
    (id && variants.find((v) => v.id === id)) ||
    byUrl(variants, url) ||
    (current && variants.find((v) => v.sku === current || v.alt?.includes(current))) ||
    variants[0];
  return { variants, selected: chosen?.sku };
}
