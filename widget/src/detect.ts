/**
 * Finding the product on someone else's page. Pure functions of the document and the URL, so
 * every markup shape is a row in a unit-test table.
 *
 * Order: `[data-backroom-sku]` elements; schema.org Product JSON-LD (single, arrays, `@graph`,
 * `ProductGroup.hasVariant`, `offers.sku`/`gtin`); microdata (`itemprop="sku"`); the platform's own
 * page data. The platform's variant selection (Shopify `?variant=` / product form, WooCommerce's
 * variation form) then picks the variant the shopper is looking at.
 */

/** One sellable variant as the page describes it. */
export interface Variant {
  /** SKU, or a GTIN when the page names no SKU (the edge resolves both). */
  sku: string;
  /** The platform's own variant id (Shopify variant id, WooCommerce variation_id), when known. */
  id?: string;
}

export interface PageProduct {
  variants: Variant[];
  /** The SKU the shopper is looking at right now. */
  selected: string | undefined;
}

type Json = unknown;

const isObj = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: Json): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : undefined);
const list = (v: Json): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const hasType = (node: Record<string, Json>, type: string): boolean =>
  list(node["@type"]).some((t) => t === type || t === `https://schema.org/${type}` || t === `http://schema.org/${type}`);
const GTIN_KEYS = ["gtin", "gtin13", "gtin14", "gtin12", "gtin8"];

/** The explicit `[data-backroom-sku]` elements, in document order. */
export function skuElements(root: ParentNode): Array<{ el: HTMLElement; sku: string }> {
  const out: Array<{ el: HTMLElement; sku: string }> = [];
  for (const el of root.querySelectorAll<HTMLElement>("[data-backroom-sku]")) {
    const sku = str(el.dataset.backroomSku);
    if (sku) out.push({ el, sku });
  }
  return out;
}

/** SKU (or GTIN) of a Product node or of an Offer; undefined when it names neither. */
function identify(node: Record<string, Json>): string | undefined {
  let id = str(node.sku);
  for (const k of GTIN_KEYS) id ??= str(node[k]);
  return id;
}

/** Shopify and WooCommerce put `?variant=ID` / `?attribute_...` in each variant offer's url. */
const variantIdOf = (url: Json): string | undefined => {
  const u = str(url);
  return u ? (/[?&]variant=(\d+)/.exec(u)?.[1] ?? undefined) : undefined;
};

function variantsOfProduct(node: Record<string, Json>): Variant[] {
  const out: Variant[] = [];
  const add = (v: Variant | undefined) => {
    if (v && !out.some((o) => o.sku === v.sku)) out.push(v);
  };
  const fromNode = (n: Record<string, Json>): Variant | undefined => {
    const offers = list(n.offers).filter(isObj);
    const sku = identify(n) ?? offers.map(identify).find(Boolean);
    if (!sku) return undefined;
    const id = variantIdOf(n.url) ?? offers.map((o) => variantIdOf(o.url)).find(Boolean);
    return id ? { sku, id } : { sku };
  };
  for (const v of list(node.hasVariant)) if (isObj(v)) add(fromNode(v));
  // A Product whose offers each carry their own sku (older Shopify themes) lists its variants there.
  for (const o of list(node.offers)) if (isObj(o)) add(fromNode(o));
  if (out.length === 0) add(fromNode(node));
  return out;
}

/** Every Product / ProductGroup node in the page's JSON-LD, skipping blocks that do not parse. */
export function jsonLdProducts(doc: Document): Array<Record<string, Json>> {
  const found: Array<Record<string, Json>> = [];
  const visit = (node: Json, depth: number): void => {
    if (depth > 4) return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, depth + 1);
      return;
    }
    if (!isObj(node)) return;
    if (hasType(node, "Product") || hasType(node, "ProductGroup")) {
      found.push(node);
      return;
    }
    visit(node["@graph"], depth + 1);
    visit(node.mainEntity, depth + 1);
  };
  for (const s of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(s.textContent ?? ""), 0);
    } catch {
      // A theme's broken JSON-LD block is the theme's problem, not a reason to show nothing.
    }
  }
  return found;
}

/** Variants named by schema.org microdata: `itemprop="sku"` (or a GTIN) inside an itemscope. */
export function microdataVariants(doc: Document): Variant[] {
  const out: Variant[] = [];
  for (const el of doc.querySelectorAll(`[itemprop="sku"],${GTIN_KEYS.map((k) => `[itemprop="${k}"]`).join(",")}`)) {
    const sku = str(el.getAttribute("content") ?? el.textContent);
    if (sku && !out.some((o) => o.sku === sku)) out.push({ sku });
  }
  return out;
}

/** WooCommerce's variable product form: `data-product_variations` JSON and the chosen `variation_id`. */
export function wooVariations(doc: Document): { form: HTMLFormElement; variants: Variant[]; selectedId: string | undefined } | undefined {
  const form = doc.querySelector<HTMLFormElement>("form.variations_form");
  if (!form) return undefined;
  const variants: Variant[] = [];
  try {
    for (const v of list(JSON.parse(form.dataset.product_variations ?? "[]"))) {
      const sku = isObj(v) ? str(v.sku) : undefined;
      const id = isObj(v) ? str(v.variation_id) : undefined;
      if (sku) variants.push(id ? { sku, id } : { sku });
    }
  } catch {
    // `false` when the theme loads variations by AJAX; then only found_variation tells us.
  }
  const chosen = form.querySelector<HTMLInputElement>('input[name="variation_id"]')?.value;
  return { form, variants, selectedId: chosen && chosen !== "0" ? chosen : undefined };
}

/** Shopify's selected variant id: `?variant=` in the URL, else the product form's `id` input. */
export function shopifyVariantId(doc: Document, url: string): string | undefined {
  const fromUrl = new URL(url).searchParams.get("variant");
  if (fromUrl && /^\d+$/.test(fromUrl)) return fromUrl;
  const input = doc.querySelector<HTMLInputElement | HTMLSelectElement>('form[action*="/cart/add"] [name="id"]');
  return input?.value && /^\d+$/.test(input.value) ? input.value : undefined;
}

/**
 * The product on this page: all its variants (so one request covers every variant switch) and
 * the selected one. Undefined when the page shows no product we can name.
 *
 * @example
 * detectProduct(document, location.href) // → { variants: [{ sku: "TEE-M-BLK", id: "4001" }, ...], selected: "TEE-M-BLK" }
 */
export function detectProduct(doc: Document, url: string): PageProduct | undefined {
  const ld = jsonLdProducts(doc).flatMap(variantsOfProduct);
  const woo = wooVariations(doc);
  const variants = ld.length > 0 ? ld : microdataVariants(doc);
  for (const v of woo?.variants ?? []) {
    const known = variants.find((o) => o.sku === v.sku);
    if (known) known.id ??= v.id;
    else variants.push(v);
  }
  if (variants.length === 0) return undefined;
  const chosenId = woo ? woo.selectedId : shopifyVariantId(doc, url);
  const chosen = chosenId ? variants.find((v) => v.id === chosenId) : undefined;
  return { variants, selected: (chosen ?? variants[0])?.sku };
}
