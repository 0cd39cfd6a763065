import { describe, expect, it } from "vitest";
import { addToCart, type CartLine, detectCart, storeApiUrl } from "../../widget/src/account/cart";
import { planReorder, reorderInto } from "../../widget/src/account/reorder";
import type { ReorderQuote } from "../../worker/contract";
import shopifyAdd from "../fixtures/shopify/ajax_cart_add.json";
import shopifyErrors from "../fixtures/shopify/ajax_cart_errors.json";
import wooCart from "../fixtures/woocommerce/store_api_cart.json";
import wooErrors from "../fixtures/woocommerce/store_api_errors.json";

/**
 * The widget's reorder against the shop's own cart: the requests it sends (Shopify's Ajax Cart API,
 * WooCommerce's Store API) and what it makes of the platforms' documented answers (fixtures with
 * provenance in test/fixtures/{shopify,woocommerce}/PROVENANCE.md).
 */

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records each request and answers from `answer` in turn. */
function fakeFetch(answer: (req: Sent, i: number) => Response) {
  const sent: Sent[] = [];
  const doFetch: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const req = { url: String(input), method: init?.method ?? "GET", headers, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    sent.push(req);
    return answer(req, sent.length - 1);
  };
  return { sent, doFetch };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const lines: CartLine[] = [
  { sku: "TEE-ORG-M-BLK", variantId: "44000000000003", qty: 20 },
  { sku: "HOODIE-M", variantId: "44000000000012", qty: 2 },
];

describe("which cart the page has", () => {
  it.each([
    ["a Shopify theme (routes.root '/')", { Shopify: { shop: "x.myshopify.com", routes: { root: "/" } } }, { kind: "shopify", root: "/" }],
    ["a localised Shopify store", { Shopify: { routes: { root: "/fr" } } }, { kind: "shopify", root: "/fr/" }],
    ["a Shopify theme without routes", { Shopify: { shop: "x.myshopify.com" } }, { kind: "shopify", root: "/" }],
    [
      "WooCommerce Blocks (wcBlocksMiddlewareConfig)",
      { wcBlocksMiddlewareConfig: { storeApiNonce: "7784d3df17", wcStoreApiNonceTimestamp: "1706789303" } },
      { kind: "woocommerce", api: "https://shop.example/wp-json/", nonce: "7784d3df17" },
    ],
    [
      "a classic WooCommerce theme",
      { wc_add_to_cart_params: { ajax_url: "/wp-admin/admin-ajax.php" } },
      { kind: "woocommerce", api: "https://shop.example/wp-json/", nonce: undefined },
    ],
    ["a page of neither", { jQuery: {} }, undefined],
  ])("%s", (_name, globals, expected) => {
    expect(detectCart(globals, undefined, "https://shop.example")).toEqual(expected);
  });

  it("takes WordPress's REST root from the page, also without pretty permalinks", () => {
    expect(detectCart({ wcSettings: {} }, "https://shop.example/blog/wp-json/", "https://shop.example")).toEqual({
      kind: "woocommerce",
      api: "https://shop.example/blog/wp-json/",
      nonce: undefined,
    });
    expect(storeApiUrl("https://shop.example/blog/wp-json/", "cart/add-item")).toBe("https://shop.example/blog/wp-json/wc/store/v1/cart/add-item");
    expect(storeApiUrl("https://shop.example/?rest_route=/", "cart/add-item")).toBe("https://shop.example/?rest_route=%2Fwc%2Fstore%2Fv1%2Fcart%2Fadd-item");
  });
});

describe("Shopify: POST {routes.root}cart/add.js", () => {
  it("sends each line as { items: [{ id, quantity }] } JSON under the page's routes.root", async () => {
    const { sent, doFetch } = fakeFetch(() => json(200, shopifyAdd));
    const result = await addToCart({ kind: "shopify", root: "/fr/" }, lines, doFetch);
    expect(sent.map((r) => [r.method, r.url, r.headers["content-type"], r.body])).toEqual([
      ["POST", "/fr/cart/add.js", "application/json", { items: [{ id: 44000000000003, quantity: 20 }] }],
      ["POST", "/fr/cart/add.js", "application/json", { items: [{ id: 44000000000012, quantity: 2 }] }],
    ]);
    expect(result).toEqual({
      added: [
        { sku: "TEE-ORG-M-BLK", qty: 20 },
        { sku: "HOODIE-M", qty: 2 },
      ],
      refused: [],
    });
  });

  it.each(Object.entries(shopifyErrors))("a 422 (%s) refuses that line with Shopify's description; the others still go in", async (_name, error) => {
    const { doFetch } = fakeFetch((_req, i) => (i === 0 ? json(422, error) : json(200, shopifyAdd)));
    const result = await addToCart({ kind: "shopify", root: "/" }, lines, doFetch);
    expect(result).toEqual({ added: [{ sku: "HOODIE-M", qty: 2 }], refused: [{ sku: "TEE-ORG-M-BLK", qty: 20, reason: error.description }] });
  });

  it("an unknown variant (404) is refused, not dropped", async () => {
    const { doFetch } = fakeFetch(() => json(404, { status: 404, message: "Cart Error", description: "Cannot find variant" }));
    const result = await addToCart({ kind: "shopify", root: "/" }, lines.slice(0, 1), doFetch);
    expect(result.refused).toEqual([{ sku: "TEE-ORG-M-BLK", qty: 20, reason: "Cannot find variant" }]);
  });

  it("a cart that stops answering refuses that line and the rest, sends no more, and keeps what went in", async () => {
    const three = [...lines, { sku: "MUG-ENAMEL", variantId: "44000000000013", qty: 24 }];
    const { sent, doFetch } = fakeFetch((_req, i) => (i === 0 ? json(200, shopifyAdd) : new Response("<html>502</html>", { status: 502 })));
    expect(await addToCart({ kind: "shopify", root: "/" }, three, doFetch)).toEqual({
      added: [{ sku: "TEE-ORG-M-BLK", qty: 20 }],
      refused: [
        { sku: "HOODIE-M", qty: 2, reason: "HTTP 502" },
        { sku: "MUG-ENAMEL", qty: 24, reason: "HTTP 502" },
      ],
    });
    expect(sent).toHaveLength(2);
    // No network at all: every line is refused with the browser's reason.
    const down: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    expect((await addToCart({ kind: "woocommerce", api: "https://shop.example/wp-json/", nonce: "n" }, lines, down)).refused.map((l) => l.reason)).toEqual([
      "Failed to fetch",
      "Failed to fetch",
    ]);
  });
});

describe("WooCommerce: POST /wp-json/wc/store/v1/cart/add-item with the Nonce header", () => {
  const woo = { kind: "woocommerce" as const, api: "https://shop.example/wp-json/", nonce: "7784d3df17" };

  it("sends { id, quantity } with the page's nonce, then the nonce each answer hands back", async () => {
    const { sent, doFetch } = fakeFetch((_req, i) => json(201, wooCart, { Nonce: `n${i + 1}` }));
    const result = await addToCart(woo, lines, doFetch);
    expect(sent.map((r) => [r.method, r.url, r.headers.nonce, r.body])).toEqual([
      ["POST", "https://shop.example/wp-json/wc/store/v1/cart/add-item", "7784d3df17", { id: 44000000000003, quantity: 20 }],
      ["POST", "https://shop.example/wp-json/wc/store/v1/cart/add-item", "n1", { id: 44000000000012, quantity: 2 }],
    ]);
    expect(result.added).toHaveLength(2);
  });

  it("without a nonce in the page, takes one from GET cart's Nonce header first", async () => {
    const { sent, doFetch } = fakeFetch((req) => (req.method === "GET" ? json(200, wooCart, { Nonce: "fresh" }) : json(201, wooCart)));
    await addToCart({ ...woo, nonce: undefined }, lines.slice(0, 1), doFetch);
    expect(sent.map((r) => [r.method, r.url, r.headers.nonce])).toEqual([
      ["GET", "https://shop.example/wp-json/wc/store/v1/cart", undefined],
      ["POST", "https://shop.example/wp-json/wc/store/v1/cart/add-item", "fresh"],
    ]);
  });

  it("a stale nonce (403 woocommerce_rest_invalid_nonce) is renewed once and the line sent again", async () => {
    const { sent, doFetch } = fakeFetch((req, i) =>
      req.method === "GET"
        ? json(200, wooCart, { Nonce: "fresh" })
        : i === 0
          ? json(wooErrors.invalid_nonce.status, wooErrors.invalid_nonce.body)
          : json(201, wooCart),
    );
    const result = await addToCart(woo, lines.slice(0, 1), doFetch);
    expect(sent.map((r) => `${r.method} ${r.headers.nonce ?? "-"}`)).toEqual(["POST 7784d3df17", "GET -", "POST fresh"]);
    expect(result.added).toEqual([{ sku: "TEE-ORG-M-BLK", qty: 20 }]);
  });

  it("stock refusals keep WooCommerce's own message, unescaped, and the next line still goes in", async () => {
    const { doFetch } = fakeFetch((_req, i) =>
      i === 0 ? json(wooErrors.partially_out_of_stock.status, wooErrors.partially_out_of_stock.body) : json(201, wooCart),
    );
    const result = await addToCart(woo, lines, doFetch);
    expect(result).toEqual({
      added: [{ sku: "HOODIE-M", qty: 2 }],
      refused: [
        {
          sku: "TEE-ORG-M-BLK",
          qty: 20,
          reason: 'You cannot add that amount of "Heavy hoodie M" to the cart because there is not enough stock (2 remaining).',
        },
      ],
    });
  });

  it("a nonce that stays invalid refuses the line instead of looping", async () => {
    const { sent, doFetch } = fakeFetch((req) => (req.method === "GET" ? json(200, wooCart) : json(401, wooErrors.missing_nonce.body)));
    const result = await addToCart({ ...woo, nonce: undefined }, lines.slice(0, 1), doFetch);
    expect(sent).toHaveLength(4);
    expect(result.refused[0]?.reason).toBe("Missing the Nonce header. This endpoint requires a valid nonce.");
  });
});

describe("the reorder plan: nothing of the order is dropped unnamed", () => {
  const quote: ReorderQuote = {
    currency: "EUR",
    lines: [
      { sku: "TOTE-CANVAS", qty: 15, available: 80, status: "in_stock", unitPrice: "5.36", variantId: "44000000000016" },
      { sku: "HOODIE-M", qty: 10, available: 2, status: "low_stock", unitPrice: "23.06", variantId: "44000000000012" },
      { sku: "MUG-ENAMEL", qty: 24, available: 0, status: "backorder", variantId: "44000000000013" },
      { sku: "TEE-ORG-XL-WHT", qty: 3, available: 0, status: "out_of_stock", variantId: "44000000000008" },
      { sku: "CAP-WOOL", qty: 12, available: 40, status: "in_stock" },
    ],
    gone: [{ sku: "TEE-CLASSIC-2024", qty: 5 }],
  };

  it("adds what can be had now, backorders whole, and lists short, gone and unplaceable lines", () => {
    expect(planReorder(quote, true)).toEqual({
      add: [
        { sku: "TOTE-CANVAS", variantId: "44000000000016", qty: 15 },
        { sku: "HOODIE-M", variantId: "44000000000012", qty: 2 },
        { sku: "MUG-ENAMEL", variantId: "44000000000013", qty: 24 },
      ],
      gone: [{ sku: "TEE-CLASSIC-2024", qty: 5 }],
      short: [
        { sku: "HOODIE-M", qty: 10, available: 2 },
        { sku: "TEE-ORG-XL-WHT", qty: 3, available: 0 },
      ],
      notHere: [{ sku: "CAP-WOOL", qty: 12 }],
    });
  });

  it("on a page without a cart it speaks, every available line is listed as not addable here", async () => {
    const outcome = await reorderInto(undefined, quote);
    expect(outcome.added).toEqual([]);
    expect(outcome.notHere.map((l) => l.sku)).toEqual(["TOTE-CANVAS", "HOODIE-M", "MUG-ENAMEL", "CAP-WOOL"]);
    expect(outcome.prices).toEqual({ "TOTE-CANVAS": "5.36", "HOODIE-M": "23.06" });
  });
});
