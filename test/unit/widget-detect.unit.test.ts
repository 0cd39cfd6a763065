// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { detectProduct, skuElements } from "../../widget/src/detect";

/** Parses a page body into a fresh document, as a storefront would serve it. */
const page = (html: string): Document => new DOMParser().parseFromString(`<!doctype html><html><head></head><body>${html}</body></html>`, "text/html");
const ld = (json: unknown) => `<script type="application/ld+json">${typeof json === "string" ? json : JSON.stringify(json)}</script>`;

// Shopify Dawn 15 (main-product.liquid) renders a ProductGroup with one Product per variant.
const DAWN_PRODUCT_GROUP = {
  "@context": "http://schema.org/",
  "@type": "ProductGroup",
  name: "Organic tee",
  productGroupID: "8012345678901",
  hasVariant: [
    {
      "@type": "Product",
      sku: "TEE-S-BLK",
      gtin: "4006381333931",
      offers: { "@type": "Offer", url: "https://s.example/products/tee?variant=41", price: "24.00" },
    },
    { "@type": "Product", sku: "TEE-M-BLK", offers: { "@type": "Offer", url: "https://s.example/products/tee?variant=42", price: "24.00" } },
  ],
};
// Older Shopify themes (Debut): one Product, an Offer per variant carrying sku and ?variant= url.
const DEBUT_OFFERS = {
  "@context": "http://schema.org/",
  "@type": "Product",
  name: "Mug",
  offers: [
    { "@type": "Offer", sku: "MUG-RED", url: "https://s.example/products/mug?variant=7", gtin13: "4006381333948" },
    { "@type": "Offer", sku: "MUG-BLUE", url: "https://s.example/products/mug?variant=8" },
  ],
};
// Yoast / WooCommerce structured data: everything in one @graph.
const WOO_GRAPH = {
  "@context": "https://schema.org/",
  "@graph": [
    { "@type": "BreadcrumbList", itemListElement: [] },
    { "@type": "Product", "@id": "https://s.example/p/#product", name: "Hoodie", sku: "HOODIE", offers: [{ "@type": "AggregateOffer", lowPrice: "49.00" }] },
  ],
};
const WOO_FORM = (selected: string) =>
  `<form class="variations_form cart" data-product_variations="${JSON.stringify([
    { variation_id: 301, sku: "HOODIE-S", attributes: { attribute_pa_size: "s" } },
    { variation_id: 302, sku: "HOODIE-M", attributes: { attribute_pa_size: "m" } },
  ]).replaceAll('"', "&quot;")}"><input type="hidden" name="variation_id" class="variation_id" value="${selected}"></form>`;

const cases: Array<[string, string, string, { selected: string | undefined; variants: string[] } | undefined]> = [
  [
    "single Product JSON-LD with sku",
    ld({ "@context": "https://schema.org", "@type": "Product", name: "Cap", sku: "CAP-1" }),
    "https://s.example/cap",
    { selected: "CAP-1", variants: ["CAP-1"] },
  ],
  [
    "an array of blocks, Product second",
    ld([
      { "@type": "Organization", name: "Shop" },
      { "@type": "Product", sku: "CAP-2" },
    ]),
    "https://s.example/",
    { selected: "CAP-2", variants: ["CAP-2"] },
  ],
  [
    "@type as a full IRI and as an array",
    ld({ "@type": ["http://schema.org/Product", "Thing"], sku: "CAP-3" }),
    "https://s.example/",
    { selected: "CAP-3", variants: ["CAP-3"] },
  ],
  [
    "sku only on the offer",
    ld({ "@type": "Product", offers: { "@type": "Offer", sku: "CAP-4", price: "1" } }),
    "https://s.example/",
    { selected: "CAP-4", variants: ["CAP-4"] },
  ],
  [
    "no sku, a GTIN instead",
    ld({ "@type": "Product", gtin13: "4006381333931" }),
    "https://s.example/",
    { selected: "4006381333931", variants: ["4006381333931"] },
  ],
  [
    "ProductGroup.hasVariant, no ?variant=: the first",
    ld(DAWN_PRODUCT_GROUP),
    "https://s.example/products/tee",
    { selected: "TEE-S-BLK", variants: ["TEE-S-BLK", "TEE-M-BLK"] },
  ],
  [
    "ProductGroup.hasVariant, ?variant= picks",
    ld(DAWN_PRODUCT_GROUP),
    "https://s.example/products/tee?variant=42",
    { selected: "TEE-M-BLK", variants: ["TEE-S-BLK", "TEE-M-BLK"] },
  ],
  [
    "ProductGroup, the product form's id input picks (URL without ?variant=)",
    `${ld(DAWN_PRODUCT_GROUP)}<form action="/cart/add"><input type="hidden" name="id" value="42"></form>`,
    "https://s.example/products/tee",
    { selected: "TEE-M-BLK", variants: ["TEE-S-BLK", "TEE-M-BLK"] },
  ],
  ["offers per variant (Debut)", ld(DEBUT_OFFERS), "https://s.example/products/mug?variant=8", { selected: "MUG-BLUE", variants: ["MUG-RED", "MUG-BLUE"] }],
  ["@graph (Yoast, WooCommerce)", ld(WOO_GRAPH), "https://s.example/p/", { selected: "HOODIE", variants: ["HOODIE"] }],
  [
    "mainEntity of a WebPage",
    ld({ "@type": "ItemPage", mainEntity: { "@type": "Product", sku: "CAP-5" } }),
    "https://s.example/",
    { selected: "CAP-5", variants: ["CAP-5"] },
  ],
  [
    "a malformed block is skipped, the next one counts",
    `${ld('{"@type": "Product", "sku": "BROKEN",}')}${ld({ "@type": "Product", sku: "CAP-6" })}`,
    "https://s.example/",
    { selected: "CAP-6", variants: ["CAP-6"] },
  ],
  [
    "microdata: itemprop=sku as meta content",
    `<div itemscope itemtype="https://schema.org/Product"><meta itemprop="sku" content="MD-1"><span itemprop="name">X</span></div>`,
    "https://s.example/",
    { selected: "MD-1", variants: ["MD-1"] },
  ],
  [
    "microdata: itemprop=sku as text",
    `<div itemscope itemtype="https://schema.org/Product"><span itemprop="sku"> MD-2 </span></div>`,
    "https://s.example/",
    { selected: "MD-2", variants: ["MD-2"] },
  ],
  [
    "JSON-LD wins over microdata",
    `${ld({ "@type": "Product", sku: "LD-1" })}<div itemscope itemtype="https://schema.org/Product"><meta itemprop="sku" content="MD-3"></div>`,
    "https://s.example/",
    { selected: "LD-1", variants: ["LD-1"] },
  ],
  [
    "WooCommerce variation form, a variation chosen",
    `${ld(WOO_GRAPH)}${WOO_FORM("302")}`,
    "https://s.example/p/",
    { selected: "HOODIE-M", variants: ["HOODIE", "HOODIE-S", "HOODIE-M"] },
  ],
  [
    "WooCommerce variation form, nothing chosen yet",
    `${ld(WOO_GRAPH)}${WOO_FORM("0")}`,
    "https://s.example/p/",
    { selected: "HOODIE", variants: ["HOODIE", "HOODIE-S", "HOODIE-M"] },
  ],
  ["WooCommerce form only, no structured data", WOO_FORM("301"), "https://s.example/p/", { selected: "HOODIE-S", variants: ["HOODIE-S", "HOODIE-M"] }],
  [
    "microdata identified only by mpn (no sku, no cart form)",
    `<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Anvil</span>Product #: <span itemprop="mpn">925872</span></div>`,
    "https://s.example/",
    { selected: "925872", variants: ["925872"] },
  ],
  [
    "Shopify variant JSON (variant-radios) with barcodes, the form's id picks",
    `<variant-radios><script type="application/json">[{"id":7,"sku":"","barcode":"4012345000016"},{"id":8,"sku":"MUG-B","barcode":""}]</script></variant-radios><form action="/cart/add"><input name="id" value="8"></form>`,
    "https://s.example/products/mug",
    { selected: "MUG-B", variants: ["4012345000016", "MUG-B"] },
  ],
  [
    "Hydrogen: the offer whose URL query is in the page's URL",
    ld({
      "@type": "Product",
      offers: [
        { sku: "TR-S", url: "https://h.example/products/t?Size=S" },
        { sku: "TR-M", url: "https://h.example/products/t?Size=M" },
      ],
    }),
    "https://h.example/products/t?Size=M",
    { selected: "TR-M", variants: ["TR-S", "TR-M"] },
  ],
  [
    "BigCommerce: JSON-LD names the product, [data-product-sku] the chosen variant",
    `${ld({ "@type": "Product", sku: "OTS" })}<div class="productView"><dd data-product-sku>OTS-LG</dd></div>`,
    "https://s.example/",
    { selected: "OTS-LG", variants: ["OTS", "OTS-LG"] },
  ],
  [
    "PrestaShop: the product JSON on #product-details",
    `<div id="product-details" data-product='{"reference":"demo_1_M","ean13":""}'></div>`,
    "https://s.example/",
    { selected: "demo_1_M", variants: ["demo_1_M"] },
  ],
  [
    "SFCC SFRA: .product-id over the container's master pid",
    `<div class="product-detail" data-pid="25604455M"><span class="product-id">008884304030M</span></div>`,
    "https://s.example/",
    { selected: "008884304030M", variants: ["008884304030M"] },
  ],
  [
    "productID with a scheme prefix loses it; the GTIN goes with it as an alternative",
    ld({ "@type": "Product", productID: "isbn:9780141036144", gtin13: "9780141036144", mpn: "PB-1984" }),
    "https://s.example/",
    { selected: "PB-1984", variants: ["PB-1984"] },
  ],
  ["no product at all", `${ld({ "@type": "Organization", name: "Shop" })}<h1>About us</h1>`, "https://s.example/about", undefined],
  ["only malformed JSON-LD", ld("{not json"), "https://s.example/", undefined],
];

describe("detectProduct", () => {
  it.each(cases)("%s", (_name, html, url, expected) => {
    const found = detectProduct(page(html), url);
    expect(found && { selected: found.selected, variants: found.variants.map((v) => v.sku) }).toEqual(expected);
  });
});

describe("OpenGraph / Meta catalogue tags (SFCC)", () => {
  it("names the product by product:retailer_item_id, with product:gtin asked too, when there is no structured data", () => {
    const doc = new DOMParser().parseFromString(
      `<!doctype html><html><head><meta property="og:type" content="product"><meta property="product:retailer_item_id" content="fye.0032"><meta property="product:gtin" content="32429335302"></head><body><h1>Steelbook</h1></body></html>`,
      "text/html",
    );
    expect(detectProduct(doc, "https://s.example/")).toEqual({ variants: [{ sku: "fye.0032", alt: ["32429335302"] }], selected: "fye.0032" });
  });
});

describe("skuElements", () => {
  it("finds every [data-backroom-sku] in document order and ignores empty ones", () => {
    const doc = page(`<div data-backroom-sku="A-1"></div><p><span data-backroom-sku=" B-2 "></span></p><div data-backroom-sku=""></div>`);
    expect(skuElements(doc).map((e) => [e.el.tagName, e.sku])).toEqual([
      ["DIV", "A-1"],
      ["SPAN", "B-2"],
    ]);
  });
});
