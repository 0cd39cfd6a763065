// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { shopifyCartLines, wooCartLines } from "../../widget/src/cart/payload";
import { cartAnchor, cartSource } from "../../widget/src/cart/source";
import { signal } from "@preact/signals-core";
import { formatter } from "../../widget/src/format";
import { promiseBox } from "../../widget/src/more/promise-loader";
import { pageQuantity } from "../../widget/src/promise/quantity";
import { describeLine, describeRule } from "../../widget/src/promise/summary";
import { promiseWords } from "../../widget/src/promise/words";
import type { AvailabilityItem, LinePromiseView } from "../../worker/contract";

/** Real cart payloads (test/fixtures/carts/PROVENANCE.md): Shopify's `/cart.js`, WooCommerce's Store API cart. */
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/carts", name), "utf8"));

afterEach(() => {
  document.head.innerHTML = "";
  document.body.innerHTML = "";
  document.body.className = "";
  Reflect.deleteProperty(window, "Shopify");
});

describe("reading a storefront cart's lines", () => {
  it('Shopify /cart.js: key, quantity and title per item; the sample\'s variant has no SKU (""), so its line has none', () => {
    expect(shopifyCartLines(fixture("shopify-cart-populated.json"))).toEqual([
      { key: "123456:123456", sku: undefined, qty: "1", title: "Ratio Eight - Nickel / 110 Volts" },
    ]);
  });

  it("Shopify /cart.js with SKUs set on copies of the sample's item (as a shop with SKUs answers): one line each, in cart order", () => {
    const cart = fixture("shopify-cart-populated.json");
    if (typeof cart !== "object" || cart === null || !("items" in cart) || !Array.isArray(cart.items)) throw new Error("fixture");
    const [item] = cart.items;
    cart.items = [
      { ...item, key: "1:a", sku: "STARTER-KIT", quantity: 2 },
      { ...item, key: "2:b", sku: " SOAP-BAR ", quantity: 3 },
      { ...item, key: "3:c", sku: null, quantity: 1 },
    ];
    expect(shopifyCartLines(cart)).toEqual([
      { key: "1:a", sku: "STARTER-KIT", qty: "2", title: item.title },
      { key: "2:b", sku: "SOAP-BAR", qty: "3", title: item.title },
      { key: "3:c", sku: undefined, qty: "1", title: item.title },
    ]);
  });

  it("WooCommerce Store API cart: each item's own sku, quantity and name", () => {
    expect(wooCartLines(fixture("woocommerce-store-api-cart.json"))).toEqual([
      { key: "a5771bce93e200c36f7cd9dfd0e5deaa", sku: "Woo-beanie-logo", qty: "1", title: "Beanie with Logo" },
      { key: "b6d767d2f8ed5d21a44b0e5886680cb9", sku: "woo-belt", qty: "1", title: "Belt" },
    ]);
  });

  it("anything that is not a cart reads as nothing; a line without a positive quantity is skipped", () => {
    for (const bad of [undefined, null, "cart", [], { items: "x" }, { items: [1] }]) {
      expect(shopifyCartLines(bad)).toBeUndefined();
      expect(wooCartLines(bad)).toBeUndefined();
    }
    expect(wooCartLines({ items: [{ key: "k", sku: "A", quantity: 0, name: "A" }] })).toEqual([]);
  });
});

describe("where the cart page's cart is read from", () => {
  it("a Shopify theme: {Shopify.routes.root}cart.js (the locale's root)", () => {
    Reflect.set(window, "Shopify", { routes: { root: "/fr/" } });
    expect(cartSource(window, document)?.url).toBe(new URL("/fr/cart.js", location.href).href);
    Reflect.set(window, "Shopify", {});
    expect(cartSource(window, document)?.url).toBe(new URL("/cart.js", location.href).href);
  });

  it("WooCommerce: the Store API under the REST root the page announces, else /wp-json/", () => {
    document.body.className = "woocommerce-cart woocommerce-page";
    expect(cartSource(window, document)?.url).toBe(new URL("/wp-json/wc/store/v1/cart", location.href).href);
    document.head.innerHTML = '<link rel="https://api.w.org/" href="https://shop.example/blog/wp-json/">';
    expect(cartSource(window, document)?.url).toBe("https://shop.example/blog/wp-json/wc/store/v1/cart");
  });

  it("neither: no cart; the box goes after the cart form, never after a cart drawer's", () => {
    expect(cartSource(window, document)).toBeUndefined();
    document.body.innerHTML = '<cart-drawer><form action="/cart" id="drawer"></form></cart-drawer><main><form action="/cart" id="cart"></form></main>';
    expect(cartAnchor(document)?.id).toBe("cart");
  });
});

describe("the page's quantity field", () => {
  it("Shopify's and WooCommerce's name=quantity, WooCommerce's .qty; 1 without one or with nonsense in it", () => {
    expect(pageQuantity(document)).toBe("1");
    document.body.innerHTML = '<header><input name="quantity" value="9"></header><input class="input-text qty text" name="q" value="12">';
    expect(pageQuantity(document)).toBe("12");
    document.body.innerHTML = '<input name="quantity" value="007">';
    expect(pageQuantity(document)).toBe("7");
    for (const bad of ["", "-3", "0", "abc", "1e3"]) {
      document.body.innerHTML = `<input name="quantity" value="${bad}">`;
      expect(pageQuantity(document)).toBe("1");
    }
  });
});

describe("a promise in words", () => {
  const line = (over: Partial<LinePromiseView> = {}): LinePromiseView => ({
    sku: "TEE",
    qty: "50",
    rule: { min: "1", increment: "1" },
    available: "12",
    now: [{ warehouse: "BER", qty: "12", date: "2026-03-01" }],
    dated: [
      { warehouse: "BER", qty: "30", date: "2026-03-14", refs: ["PO-4711"] },
      { warehouse: "HAM", qty: "8", date: "2026-04-02", refs: ["PO-4800"] },
    ],
    unscheduled: "0",
    orderable: "50",
    backorder: false,
    completeDate: "2026-04-02",
    ...over,
  });
  const names = (code: string) => ({ BER: "Berlin", HAM: "Hamburg" })[code] ?? code;

  it("what ships today and from where, then each dated receipt, and when the whole line is complete", () => {
    const fmt = formatter("en-GB");
    expect(describeLine(line(), fmt, promiseWords("en-GB"), "2026-03-01", names)).toEqual({
      head: "For 50: complete by 2 April",
      parts: ["12 ship today (Berlin)", "30 on 14 March", "8 on 2 April"],
    });
  });

  it("backordered rest and a violated rule, in German and French", () => {
    const de = formatter("de-DE");
    const backordered = line({ dated: [], unscheduled: "38", backorder: true, completeDate: null });
    expect(describeLine(backordered, de, promiseWords("de"), "2026-03-01", names)).toEqual({
      head: "Für 50: noch nicht alle mit Termin",
      parts: ["12 heute versandbereit (Berlin)", "38 nachbestellt"],
    });
    const below = line({
      qty: "1",
      rule: { min: "2", increment: "1" },
      now: [],
      dated: [],
      completeDate: null,
      violation: { code: "below_minimum", message: "At least 2 must be ordered" },
    });
    expect(describeLine(below, formatter("fr-FR"), promiseWords("fr"), "2026-03-01", names).violation).toBe("Commandez au moins 2");
  });

  it("the ERP's sales unit and rule: only what differs from loose units in ones", () => {
    const fmt = formatter("en");
    const w = promiseWords("en");
    expect(describeRule(w, fmt, { name: "case", factor: "12" }, { min: "2", increment: "1" })).toBe("Sold per case of 12 · minimum 2");
    expect(describeRule(w, fmt, undefined, { min: "1", increment: "6" })).toBe("in steps of 6");
    expect(describeRule(w, fmt, undefined, undefined)).toBe("");
  });
});

describe("when the product page needs the promise chunk", () => {
  const item = (over: Partial<AvailabilityItem>): AvailabilityItem => ({
    sku: "TEE",
    available: 5,
    status: "in_stock",
    warehouses: [],
    updatedAt: "2026-03-01T12:00:00Z",
    ...over,
  });
  /** Whether rendering the box for `item` with the page's field at `qty` started loading the promise chunk. */
  const loads = (over: Partial<AvailabilityItem>, qty: string): boolean => {
    Reflect.deleteProperty(window, "__backroomPromise");
    document.head.innerHTML = "";
    document.body.innerHTML = `<input name="quantity" value="${qty}">`;
    const abort = new AbortController();
    promiseBox(formatter("en"), "https://edge.example/v1/shops/demo", signal, abort.signal)(item(over));
    abort.abort();
    return [...document.head.querySelectorAll("script")].some((s) => s.src.includes("widget-promise"));
  };

  it("more than ships now, or a sales unit or rule: yes; one of a sold-out product, or what ships now: no (the availability box answers that)", () => {
    expect(loads({}, "6")).toBe(true);
    expect(loads({ rule: { min: "2", increment: "1" } }, "1")).toBe(true);
    expect(loads({ unit: { name: "case", factor: "12" } }, "1")).toBe(true);
    expect(loads({}, "5")).toBe(false);
    expect(loads({ available: 0, status: "out_of_stock" }, "1")).toBe(false);
    expect(loads({ available: 0, status: "out_of_stock" }, "2")).toBe(true);
  });
});
