import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Patience } from "../../worker/connectors/http";
import { saveSettings } from "../../worker/connectors/settings";
import { syncPlatformStock } from "../../worker/platform-stock/sync";
import { withPool } from "../../worker/pool/plane";
import { routeFetch } from "../fakes/route-fetch";
import { createShopifyFake, SHOPIFY_TOKEN } from "../fakes/shopify/app";
import { createWooFake, WOO_KEY, WOO_SECRET } from "../fakes/woocommerce/app";
import { createShop, pushOk } from "./helpers";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const sku = (i: number) => `SKU-${String(i).padStart(4, "0")}`;

/** A catalogue of `n` SKUs in BER and HAM: BER holds i % 7 with one committed when possible, HAM holds 3. */
async function catalogue(shop: string, n: number): Promise<string> {
  const { erpSecret } = await createShop(shop);
  await pushOk(shop, erpSecret, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin" },
      { code: "HAM", name: "Hamburg" },
    ],
  });
  const items = [];
  for (let i = 0; i < n; i++) {
    items.push({ sku: sku(i), warehouse: "BER", onHand: i % 7, committed: i % 7 > 0 ? 1 : 0, version: 1 });
    items.push({ sku: sku(i), warehouse: "HAM", onHand: 3, version: 1 });
  }
  await pushOk(shop, erpSecret, "stock", { items });
  return erpSecret;
}

describe("stock into Shopify", () => {
  it("sets every available quantity per location in calls of at most 250, paced by the cost bucket, then only what changed", async () => {
    const shop = "stock-shopify";
    const plane = withPool(env, shop);
    const erpSecret = await catalogue(shop, 600);
    const fake = createShopifyFake({ maximumAvailable: 40, restoreRate: 20 });
    for (let i = 0; i < 599; i++) fake.items.set(sku(i), `gid://shopify/InventoryItem/${1000 + i}`); // SKU-0599 is not in the shop
    fake.locations.add("gid://shopify/Location/1").add("gid://shopify/Location/2");
    restore = routeFetch({ "shop.test": fake }).mockRestore;
    const locations = { BER: "gid://shopify/Location/1", HAM: "gid://shopify/Location/2" };
    await saveSettings(
      plane,
      shop,
      "platform",
      { kind: "shopify", shopDomain: "http://shop.test", accessToken: SHOPIFY_TOKEN, apiVersion: "2026-10", locations },
      true,
      Date.now(),
    );
    const waits: number[] = [];
    const patience: Patience = {
      attempts: 5,
      maxWaitMs: 60_000,
      sleep: async (ms) => {
        waits.push(ms);
        fake.advance(ms);
      },
    };

    const first = await syncPlatformStock(plane, shop, patience);
    expect(first).toMatchObject({ status: "partial", pushed: 1198 });
    expect(fake.mutations.map((m) => m.count)).toEqual([250, 250, 250, 250, 198]);
    expect(waits.length).toBeGreaterThan(0); // a 40-point bucket cannot take 12 queries and 5 mutations without pausing
    // BER: on hand i % 7 minus one committed; HAM: 3.
    expect(fake.levels.get("gid://shopify/InventoryItem/1005|gid://shopify/Location/1")).toBe(4);
    expect(fake.levels.get("gid://shopify/InventoryItem/1007|gid://shopify/Location/1")).toBe(0);
    expect(fake.levels.get("gid://shopify/InventoryItem/1005|gid://shopify/Location/2")).toBe(3);
    const ghost = await plane.DB.prepare("SELECT code, record FROM connector_errors WHERE run_id = ?").bind(first?.runId).first();
    expect(ghost).toEqual({ code: "unknown_on_platform", record: "SKU-0599" });

    expect(await syncPlatformStock(plane, shop, patience)).toEqual({ status: "ok", pushed: 0 });
    expect(fake.mutations).toHaveLength(5);

    // Two SKUs change in BER only; a third is re-pushed by the ERP unchanged.
    await pushOk(shop, erpSecret, "stock", {
      items: [
        { sku: sku(1), warehouse: "BER", onHand: 50, committed: 0, version: 2 },
        { sku: sku(2), warehouse: "BER", onHand: 0, version: 2 },
        { sku: sku(3), warehouse: "BER", onHand: 3, committed: 1, version: 2 },
      ],
    });
    const second = await syncPlatformStock(plane, shop, patience);
    expect(second).toMatchObject({ status: "ok", pushed: 2 });
    expect(fake.mutations.at(-1)?.count).toBe(2);
    expect(fake.levels.get("gid://shopify/InventoryItem/1001|gid://shopify/Location/1")).toBe(50);
  });
});

describe("stock into WooCommerce", () => {
  it("sets the summed stock in batches of at most 100, waits out 429, and keeps unpushed SKUs for the next run when throttled longer", async () => {
    const shop = "stock-woo";
    const plane = withPool(env, shop);
    const erpSecret = await catalogue(shop, 150);
    const fake = createWooFake();
    for (let i = 0; i < 150; i++) fake.products.set(500 + i, { id: 500 + i, sku: sku(i), parent_id: 0, stock_quantity: null, manage_stock: false });
    restore = routeFetch({ "woo.test": fake }).mockRestore;
    await saveSettings(
      plane,
      shop,
      "platform",
      { kind: "woocommerce", url: "https://woo.test", consumerKey: WOO_KEY, consumerSecret: WOO_SECRET },
      true,
      Date.now(),
    );
    const waits: number[] = [];
    const patience: Patience = { attempts: 3, maxWaitMs: 5_000, sleep: async (ms) => void waits.push(ms) };

    fake.faults.push({ status: 429, retryAfter: "2" });
    const first = await syncPlatformStock(plane, shop, patience);
    expect(first).toMatchObject({ status: "ok", pushed: 150 });
    expect(waits).toEqual([2000]);
    expect(fake.batches).toEqual([100, 50]);
    // i = 5: BER 5 − 1 committed + HAM 3.
    expect(fake.products.get(505)).toMatchObject({ stock_quantity: 7, manage_stock: true });

    await pushOk(shop, erpSecret, "stock", { items: [{ sku: sku(5), warehouse: "HAM", onHand: 0, version: 2 }] });
    fake.faults.push({ status: 429, retryAfter: "600" });
    expect(await syncPlatformStock(plane, shop, patience)).toMatchObject({ status: "throttled", pushed: 0 });
    expect(fake.products.get(505)?.stock_quantity).toBe(7);
    expect(await syncPlatformStock(plane, shop, patience)).toMatchObject({ status: "ok", pushed: 1 });
    expect(fake.products.get(505)?.stock_quantity).toBe(4);
  });
});
