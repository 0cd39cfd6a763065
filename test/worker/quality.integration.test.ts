import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { saveSettings } from "../../worker/connectors/settings";
import type { QualityReport } from "../../worker/contract/quality";
import { withPool } from "../../worker/pool/plane";
import { readCatalogue } from "../../worker/quality/catalogue-read";
import { routeFetch } from "../fakes/route-fetch";
import { createShopifyFake, SHOPIFY_TOKEN, type ShopifyFake } from "../fakes/shopify/app";
import { createWooFake, WOO_KEY, WOO_SECRET } from "../fakes/woocommerce/app";
import shopifyProduct from "../fixtures/shopify/products_create.json";
import wooVariations from "../fixtures/woocommerce/product_variations__list_all_product_variations.json";
import wooProducts from "../fixtures/woocommerce/products__list_all_products.json";
import { ADMIN, call, createShop, poolDb, pushOk } from "./helpers";

/** The staff data-quality report (issue 15): the platform catalogue against the ERP's products, customers, anomalies. */

const SHOP = "quality";
const DAY = 86_400_000;
let shopKey: string;
let readKey: string;
let restore: (() => void) | undefined;
afterEach(() => restore?.());

/** The real products/create sample's variants in productVariants' GraphQL shape; `sku`/`barcode` (null in the sample) set per copy. */
const product = shopifyProduct.response;
const variantNode = (i: number, sku: string | null, opts: { barcode?: string; title?: string; productTitle?: string } = {}) => {
  const v = product.variants[i % product.variants.length];
  if (!v) throw new Error("the sample has variants");
  return {
    id: i < product.variants.length ? v.admin_graphql_api_id : `${v.admin_graphql_api_id}${i}`,
    sku,
    barcode: opts.barcode ?? v.barcode,
    title: opts.title ?? v.title,
    price: v.price,
    product: { id: product.admin_graphql_api_id, title: opts.productTitle ?? product.title },
  };
};

const staff = (path: string, key = shopKey, init: RequestInit = {}) =>
  call(`/v1/staff/${SHOP}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...init.headers } });
const report = async (query = "") => {
  const res = await staff(`/quality${query}`);
  expect(res.status).toBe(200);
  return res.json<QualityReport>();
};
const patience = (fake?: ShopifyFake) => ({ attempts: 4, maxWaitMs: 60_000, sleep: async (ms: number) => fake?.advance(ms) });

beforeAll(async () => {
  const s = await createShop(SHOP, { platform: "shopify" });
  shopKey = s.staffKey;
  const issued = await call(`/v1/admin/shops/${SHOP}/staff-keys`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ name: "Reader", scopes: ["read"] }),
  });
  readKey = (await issued.json<{ key: string }>()).key;
  const now = Date.now();
  await pushOk(SHOP, s.erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin", leadTimeDays: 7 }] });
  await pushOk(SHOP, s.erpSecret, "products", {
    products: [
      { sku: "TEE-S", name: "Example T-Shirt Small", cost: "8.00", currency: "EUR", version: 1 },
      { sku: "TEE-M", name: "Example T-Shirt Medium", gtin: "4006381333931", cost: "8.00", currency: "EUR", aliases: ["tee-m-old"], version: 1 },
      { sku: "MUG", name: "Enamel Mug", cost: "3.00", currency: "EUR", version: 1 },
      { sku: "CAP", name: "Baseball Cap", version: 1 },
    ],
  });
  await pushOk(SHOP, s.erpSecret, "stock", {
    items: [
      { sku: "MUG", warehouse: "BER", onHand: 4, version: 1 },
      { sku: "TEE-S", warehouse: "BER", onHand: 6, version: 1 },
    ],
  });
  // A stock row in a warehouse the ERP never named (written directly: the push refuses unknown warehouses).
  await poolDb(SHOP)
    .prepare("INSERT INTO stock (shop_id, sku, warehouse, on_hand, version, updated_at) VALUES (?, 'CAP', 'OLD', 3, 1, ?)")
    .bind(SHOP, now)
    .run();
  await pushOk(SHOP, s.erpSecret, "prices", {
    lists: [{ id: "retail", name: "Retail", currency: "EUR" }],
    prices: [
      { list: "retail", sku: "TEE-S", minQty: 1, unitPrice: "19.99", version: now - 200 * DAY },
      { list: "retail", sku: "MUG", minQty: 1, unitPrice: "2.50", version: now },
      { list: "retail", sku: "MUG", minQty: 10, unitPrice: "3.10", version: 7 },
    ],
  });
  await pushOk(SHOP, s.erpSecret, "customers", {
    customers: [
      { id: "C1", company: "Müller GmbH", email: "einkauf@mueller.example", priceList: "retail", version: 1 },
      { id: "C2", company: "MUELLER", email: "anna@mueller.example", priceList: "retail", version: 1 },
      { id: "C3", company: "Acme AG", vatId: "DE 123 456 789", priceList: "retail", version: 1 },
      { id: "C4", company: "ACME Deutschland", vatId: "de123456789", priceList: "retail", version: 1 },
      { id: "C5", company: "Solo KG", email: "x@gmail.com", priceList: "retail", version: 1 },
    ],
  });
  // Six orders went from confirmed to shipped within two hours; one has rested in confirmed for ten days.
  const t0 = now - 30 * DAY;
  const orders = Array.from({ length: 6 }, (_, i) => `O-${i}`);
  await pushOk(SHOP, s.erpSecret, "orders", {
    orders: orders.map((orderRef) => ({ orderRef, status: "confirmed", at: new Date(t0).toISOString(), version: 1 })),
  });
  await pushOk(SHOP, s.erpSecret, "orders", {
    orders: orders.map((orderRef) => ({ orderRef, status: "shipped", at: new Date(t0 + 2 * 3_600_000).toISOString(), version: 2 })),
  });
  await pushOk(SHOP, s.erpSecret, "orders", {
    orders: [
      { orderRef: "O-STUCK", orderNumber: "#1042", status: "confirmed", at: new Date(now - 10 * DAY).toISOString(), version: 1 },
      { orderRef: "O-FRESH", status: "confirmed", at: new Date(now - 3_600_000).toISOString(), version: 1 },
    ],
  });
});

describe("the platform catalogue read", () => {
  it("reads Shopify productVariants page by page (250 a page), paced by the cost throttle, and goes on from its cursor", async () => {
    const fake = createShopifyFake({ maximumAvailable: 30, restoreRate: 10 });
    fake.variants = Array.from({ length: 600 }, (_, i) => variantNode(i, `BULK-${i}`));
    restore = routeFetch({ "paging.test": fake }).mockRestore;
    const paging = withPool(env, "quality-paging");
    await saveSettings(
      paging,
      "quality-paging",
      "platform",
      { kind: "shopify", shopDomain: "http://paging.test", accessToken: SHOPIFY_TOKEN, apiVersion: "2026-10", locations: {} },
      true,
      Date.now(),
    );
    const first = await readCatalogue(paging, "quality-paging", patience(fake), Date.now(), 2);
    expect(first).toMatchObject({ pages: 2, variants: 500, finished: false });
    const rest = await readCatalogue(paging, "quality-paging", patience(fake), Date.now(), 2);
    expect(rest).toMatchObject({ pages: 3, variants: 600, finished: true });
    expect(fake.variantPages).toEqual([250, 250, 250]);
    // The bucket (30, 12 a query) ran dry: within a read the reader waits for it; the second read starts
    // without knowing the bucket, meets THROTTLED once, waits for the restore and tries the same page again.
    expect(fake.throttled).toBe(1);

    // A later read that no longer sees a variant drops it.
    fake.variants = fake.variants.slice(0, 100);
    expect(await readCatalogue(paging, "quality-paging", patience(fake), Date.now())).toMatchObject({ pages: 1, variants: 100, finished: true });
  });

  it("reads WooCommerce products and each variable product's variations (100 a page)", async () => {
    const fake = createWooFake();
    const [variable, simple] = wooProducts;
    if (!variable || !simple) throw new Error("the sample lists two products");
    // The sample's SKUs are all ""; the simple product gets one, and 150 copies make a second products page.
    fake.catalogue = [variable, { ...simple, sku: "WOO-SIMPLE" }, ...Array.from({ length: 150 }, (_, i) => ({ ...simple, id: 1000 + i, sku: `WOO-${i}` }))];
    fake.variations.set(
      String(variable.id),
      wooVariations.map((v, i) => ({ ...v, sku: i === 0 ? "WOO-VAR-A" : "" })),
    );
    restore = routeFetch({ "woo.test": fake }).mockRestore;
    const woo = withPool(env, "quality-woo");
    await saveSettings(
      woo,
      "quality-woo",
      "platform",
      { kind: "woocommerce", url: "http://woo.test", consumerKey: WOO_KEY, consumerSecret: WOO_SECRET },
      true,
      Date.now(),
    );
    expect(await readCatalogue(woo, "quality-woo", patience(), Date.now())).toMatchObject({ pages: 2, variants: 153, finished: true });
    expect(fake.catalogueRequests).toEqual(["products@1", `variations/${variable.id}@1`, "products@2"]);
    const rows = await woo.DB.prepare(
      "SELECT variant_id, product_id, sku, title, price FROM platform_catalogue WHERE shop_id = 'quality-woo' AND product_id = ?",
    )
      .bind(String(variable.id))
      .all();
    expect(rows.results).toEqual([
      { variant_id: "732", product_id: "799", sku: null, title: "Ship Your Idea – Black", price: "9.00" },
      { variant_id: "733", product_id: "799", sku: "WOO-VAR-A", title: "Ship Your Idea – Green", price: "9.00" },
    ]);
  });
});

describe("GET /v1/staff/:shop/quality", () => {
  it("needs a read key; reading the catalogue needs operate; before any read the SKU checks are empty", async () => {
    expect((await call(`/v1/staff/${SHOP}/quality`)).status).toBe(401);
    expect((await staff("/quality/catalogue", readKey, { method: "POST" })).status).toBe(403);
    const none = await staff("/quality/catalogue", shopKey, { method: "POST" });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: { code: "connector_not_found" } });
    const r = await report();
    expect(r.catalogue).toBeUndefined();
    expect(r.counts.unmapped_sku).toBe(0);
  });

  it("finds unmapped, missing and duplicate platform SKUs with suggested matches, and ERP SKUs not on sale", async () => {
    const fake = createShopifyFake();
    fake.variants = [
      variantNode(0, "tee_s"), // normalises to TEE-S
      variantNode(1, "SHIRT-M-NEW", { barcode: "04006381333931" }), // TEE-M's GTIN as GTIN-14
      variantNode(2, null),
      variantNode(3, "MUG", { productTitle: "Enamel Mug", title: "Default Title" }),
      variantNode(4, "MUG", { productTitle: "Enamel Mug", title: "Blue" }),
      variantNode(5, "MUG-XL-2024", { productTitle: "Enamel mug", title: "Default Title" }),
      variantNode(6, "tee-m-old"), // the ERP's own alias
    ];
    restore = routeFetch({ "shop.test": fake }).mockRestore;
    await saveSettings(
      withPool(env, SHOP),
      SHOP,
      "platform",
      { kind: "shopify", shopDomain: "http://shop.test", accessToken: SHOPIFY_TOKEN, apiVersion: "2026-10", locations: {} },
      true,
      Date.now(),
    );
    const read = await staff("/quality/catalogue", shopKey, { method: "POST" });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ variants: 7, finished: true });

    const r = await report("?kind=unmapped_sku");
    expect(r.counts).toMatchObject({ unmapped_sku: 3, variant_without_sku: 1, duplicate_platform_sku: 1, erp_sku_not_on_sale: 2 });
    const bySku = Object.fromEntries(r.items.map((i) => [i.fields.sku, i.suggestions?.[0]]));
    expect(bySku).toEqual({
      tee_s: expect.objectContaining({ sku: "TEE-S", reason: "normalised_sku" }),
      "SHIRT-M-NEW": expect.objectContaining({ sku: "TEE-M", reason: "gtin", score: 1 }),
      "MUG-XL-2024": expect.objectContaining({ sku: "MUG", reason: "title" }),
    });
    const notOnSale = await report("?kind=erp_sku_not_on_sale");
    expect(notOnSale.items.map((i) => i.ref).sort()).toEqual(["CAP", "TEE-S"]);
  });

  it("accepting a suggestion creates a SKU alias the edge resolves at once; a clash is refused and changes nothing", async () => {
    const body = (alias: string, sku: string) => ({ method: "POST", body: JSON.stringify({ alias, sku }) });
    expect((await staff("/quality/aliases", readKey, body("tee_s", "TEE-S"))).status).toBe(403);
    expect(await staff("/quality/aliases", shopKey, body("tee_s", "NOPE")).then((r) => r.json())).toMatchObject({ error: { code: "sku_not_found" } });
    const taken = await staff("/quality/aliases", shopKey, body("tee-m-old", "TEE-S"));
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: { code: "alias_taken", details: { sku: "TEE-M" } } });

    const ok = await staff("/quality/aliases", shopKey, body("tee_s", "TEE-S"));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ alias: "tee_s", sku: "TEE-S", createdBy: "shop" });
    expect((await staff("/quality/aliases", shopKey, body("tee_s", "TEE-S"))).status).toBe(200);
    expect((await staff("/quality/aliases", shopKey, body("tee_s", "MUG"))).status).toBe(409);

    const r = await report();
    expect(r.counts).toMatchObject({ unmapped_sku: 2, erp_sku_not_on_sale: 1 });
    // The storefront asking for the platform's SKU now gets TEE-S's stock (answered under the name it asked by).
    const avail = await call(`/v1/shops/${SHOP}/availability?sku=tee_s`, { headers: { origin: "https://shop.example" } }).then((res) =>
      res.json<{ items: Array<{ sku: string; available: number }> }>(),
    );
    expect(avail.items).toEqual([expect.objectContaining({ sku: "tee_s", available: 6 })]);
    const audit = await staff("/audit").then((res) => res.json<{ entries: unknown[] }>());
    expect(audit.entries[0]).toMatchObject({ action: "sku_alias.accepted", target: "sku/TEE-S" });
  });

  it("reports duplicate customers, prices below cost, old prices, stock with no warehouse and orders stuck longer than usual", async () => {
    const r = await report("?limit=200");
    const of = (kind: string) => r.items.filter((i) => i.kind === kind);
    expect(of("duplicate_customer").map((i) => i.fields)).toEqual([
      expect.objectContaining({ reason: "vat_id", keep: "C3", merge: "C4" }),
      expect.objectContaining({ reason: "email_domain_and_name", keep: "C1", merge: "C2" }),
    ]);
    expect(of("price_below_cost").map((i) => i.ref)).toEqual(["retail/MUG/1"]);
    expect(of("price_below_cost")[0]?.fields).toMatchObject({ unitPrice: "2.50", cost: "3.00", margin: "-0.50" });
    // The version 7 is a counter, not a time: it tells no age.
    expect(of("stale_price").map((i) => i.ref)).toEqual(["retail/TEE-S/1"]);
    expect(of("stock_without_warehouse").map((i) => i.ref)).toEqual(["CAP@OLD"]);
    expect(of("stuck_order").map((i) => i.title)).toEqual(["#1042"]);
    expect(of("stuck_order")[0]?.fields).toMatchObject({ status: "confirmed", usualHours: 4 });
    expect(r.total).toBe(Object.values(r.counts).reduce((a, b) => a + b, 0));
  });

  it("pages items and exports them as CSV, the customer merge suggestion included", async () => {
    const page = await report("?limit=2&offset=1");
    expect(page.items).toHaveLength(2);
    expect(page.next).toBe(3);
    expect((await staff("/quality?limit=0")).status).toBe(400);
    const csv = await staff("/quality/export.csv?kind=duplicate_customer");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect((await csv.text()).split("\r\n")).toEqual([
      "kind,ref,title,reason,shared,keep,merge",
      "duplicate_customer,C3+C4,Acme AG / ACME Deutschland,vat_id,DE123456789,C3,C4",
      "duplicate_customer,C1+C2,Müller GmbH / MUELLER,email_domain_and_name,mueller.example|mueller,C1,C2",
      "",
    ]);
  });
});
