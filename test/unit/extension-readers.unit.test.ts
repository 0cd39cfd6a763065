// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { detectPage } from "../../extension/lib/pages";
import { parseOrderNumber, readPage } from "../../extension/lib/readers";

const FIXTURES = resolve(import.meta.dirname, "../../extension/fixtures");

/** Loads a fixture into the test document, as the admin would have rendered it at `url`. */
function read(fixture: string, url: string) {
  const doc = new DOMParser().parseFromString(readFileSync(resolve(FIXTURES, fixture), "utf8"), "text/html");
  const page = detectPage(url);
  if (!page) throw new Error(`not an admin page: ${url}`);
  return readPage(page, doc, url);
}

describe("product pages", () => {
  it.each([
    ["shopify-product.html", "https://admin.shopify.com/store/acme/products/8001", { kind: "product", id: "8001" }, 12, "Polaris-Layout__Section--secondary"],
    ["woocommerce-product.html", "https://shop.example/wp-admin/post.php?post=45&action=edit", { kind: "product", id: "45" }, 13, "postbox-container"],
    ["bigcommerce-product.html", "https://store-abc.mybigcommerce.com/manage/products/edit/112", { kind: "product", id: "112" }, 13, "product-form"],
    ["magento-product.html", "https://shop.example/admin/catalog/product/edit/id/42/", { kind: "product", id: "42" }, 13, "page-content"],
  ])("%s: reads the SKU, the platform id, the platform's stock and its price", (fixture, url, platformId, stock, anchorClass) => {
    const r = read(fixture, url);
    expect(r?.complete).toBe(true);
    expect(r?.subject).toMatchObject({ kind: "product", query: { sku: "TEE-M", platformId }, platformStock: stock, platformPrice: "19.90" });
    const anchor = r?.subject.kind === "product" ? r.subject.anchor : undefined;
    expect(`${anchor?.className} ${anchor?.id}`).toContain(anchorClass);
  });

  it("asks for the variant on a Shopify variant page", () => {
    const r = read("shopify-product.html", "https://admin.shopify.com/store/acme/products/8001/variants/44001");
    expect(r?.subject).toMatchObject({ query: { sku: "TEE-M", platformId: { kind: "variant", id: "44001" } } });
  });

  it("falls back to the platform id, as a partial reading, while the SKU field is missing", () => {
    const doc = new DOMParser().parseFromString(readFileSync(resolve(FIXTURES, "shopify-product.html"), "utf8"), "text/html");
    for (const label of doc.querySelectorAll("label")) if (label.textContent?.startsWith("SKU")) label.remove();
    const url = "https://admin.shopify.com/store/acme/products/8001";
    const page = detectPage(url);
    const r = page ? readPage(page, doc, url) : undefined;
    expect(r?.complete).toBe(false);
    expect(r?.subject).toMatchObject({ query: { platformId: { kind: "product", id: "8001" } } });
    expect(r?.subject.kind === "product" ? r.subject.query : undefined).not.toHaveProperty("sku");
  });

  it("waits (reads nothing) while a single-page admin has not rendered its layout", () => {
    const url = "https://admin.shopify.com/store/acme/products/8001";
    const page = detectPage(url);
    const doc = new DOMParser().parseFromString("<html><body><div id='AppFrameMain'></div></body></html>", "text/html");
    expect(page && readPage(page, doc, url)).toBeUndefined();
  });
});

describe("order pages", () => {
  it.each([
    ["shopify-order.html", "https://admin.shopify.com/store/acme/orders/5001", { ref: "5001", number: "1001" }],
    ["woocommerce-order-legacy.html", "https://shop.example/wp-admin/post.php?post=727&action=edit", { ref: "727", number: "727" }],
    ["woocommerce-order-hpos.html", "https://shop.example/wp-admin/admin.php?page=wc-orders&action=edit&id=728", { ref: "728", number: "728" }],
    ["bigcommerce-order.html", "https://store-abc.mybigcommerce.com/manage/orders/101", { ref: "101", number: "101" }],
    ["magento-order.html", "https://shop.example/admin/sales/order/view/order_id/1/", { ref: "1", number: "000000001" }],
  ])("%s: reads the order ref and number", (fixture, url, query) => {
    const r = read(fixture, url);
    expect(r).toMatchObject({ complete: true, subject: { kind: "order", query } });
  });

  it("tells WooCommerce's products from its legacy orders on post.php by the body class", () => {
    expect(read("woocommerce-product.html", "https://shop.example/wp-admin/post.php?post=727&action=edit")?.subject.kind).toBe("product");
    expect(read("woocommerce-order-legacy.html", "https://shop.example/wp-admin/post.php?post=727&action=edit")?.subject.kind).toBe("order");
  });

  it.each([
    ["#1001", "1001"],
    ["Order #727 details", "727"],
    ["# 000000001", "000000001"],
    ["Order #SO-2026-17", "SO-2026-17"],
    ["Orders", undefined],
  ])("parseOrderNumber(%j) = %j", (text, expected) => expect(parseOrderNumber(text)).toBe(expected));
});

describe("list pages", () => {
  it("Shopify products: one row per product, looked up by platform id", () => {
    const r = read("shopify-products.html", "https://admin.shopify.com/store/acme/products");
    expect(r?.subject.kind).toBe("productList");
    if (r?.subject.kind !== "productList") return;
    expect(r.subject.bySku).toEqual([]);
    expect(r.subject.byPlatformId.map((row) => row.key)).toEqual(["8001", "8002", "8003", "8999"]);
    expect(r.subject.byPlatformId[0]?.cell.textContent).toBe("Tee M");
  });

  it("WooCommerce products: the SKU column where filled, the post id otherwise", () => {
    const r = read("woocommerce-products.html", "https://shop.example/wp-admin/edit.php?post_type=product");
    if (r?.subject.kind !== "productList") throw new Error("not a product list");
    expect(r.subject.bySku.map((row) => row.key)).toEqual(["TEE-M", "MUG"]);
    expect(r.subject.byPlatformId.map((row) => row.key)).toEqual(["47"]);
  });

  it.each([
    ["shopify-orders.html", "https://admin.shopify.com/store/acme/orders", ["5001", "5002", "5003"]],
    ["woocommerce-orders.html", "https://shop.example/wp-admin/admin.php?page=wc-orders", ["727", "728"]],
  ])("%s: one row per order, by ref", (fixture, url, refs) => {
    const r = read(fixture, url);
    if (r?.subject.kind !== "orderList") throw new Error("not an order list");
    expect(r.subject.byRef.map((row) => row.key)).toEqual(refs);
  });
});
