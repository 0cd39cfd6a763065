import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StaffStockPushResult } from "../../worker/contract";
import { saveSettings } from "../../worker/connectors/settings";
import { withPool } from "../../worker/pool/plane";
import { routeFetch } from "../fakes/route-fetch";
import { createShopifyFake, SHOPIFY_TOKEN } from "../fakes/shopify/app";
import { ADMIN, call, createShop, poolDb, pushOk } from "./helpers";

/** Staff's "push ERP stock to the shop now" on a stock mismatch: the platform stock push, forced, for one SKU. */

const SHOP = "push-now";
let shopKey: string;
let readKey: string;
let restore: (() => void) | undefined;
afterEach(() => restore?.());

const pushNow = (sku: string, key: string | null = shopKey) =>
  call(`/v1/staff/${SHOP}/products/${sku}/push-stock`, { method: "POST", headers: key === null ? {} : { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  const s = await createShop(SHOP);
  shopKey = s.staffKey;
  const issued = await call(`/v1/admin/shops/${SHOP}/staff-keys`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ name: "Reader", scopes: ["read"] }),
  });
  readKey = (await issued.json<{ key: string }>()).key;
  await pushOk(SHOP, s.erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await pushOk(SHOP, s.erpSecret, "stock", { items: [{ sku: "TEE", warehouse: "BER", onHand: 9, committed: 2, version: 1 }] });
});

describe("POST /v1/staff/:shop/products/:sku/push-stock", () => {
  it("needs a key with the operate scope, a SKU the ERP pushed stock for, and a platform connector; refusals change nothing", async () => {
    expect((await pushNow("TEE", null)).status).toBe(401);
    const readOnly = await pushNow("TEE", readKey);
    expect(readOnly.status).toBe(403);
    expect(await pushNow("NOPE").then((r) => r.json())).toMatchObject({ error: { code: "sku_not_found" } });
    const none = await pushNow("TEE");
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: { code: "connector_not_found" } });
    expect(await poolDb(SHOP).prepare("SELECT count(*) AS n FROM platform_stock_dirty WHERE shop_id = ?").bind(SHOP).first("n")).toBe(0);
  });

  it("sends the SKU's available stock now, and again when pressed again with nothing changed at the edge (Shopify was edited by hand)", async () => {
    const fake = createShopifyFake();
    fake.items.set("TEE", "gid://shopify/InventoryItem/9");
    fake.locations.add("gid://shopify/Location/1");
    restore = routeFetch({ "shop.test": fake }).mockRestore;
    await saveSettings(
      withPool(env, SHOP),
      SHOP,
      "platform",
      { kind: "shopify", shopDomain: "http://shop.test", accessToken: SHOPIFY_TOKEN, apiVersion: "2026-10", locations: { BER: "gid://shopify/Location/1" } },
      true,
      Date.now(),
    );
    const first = await pushNow("TEE");
    expect(first.status).toBe(200);
    expect(await first.json<StaffStockPushResult>()).toMatchObject({ sku: "TEE", status: "ok", told: [{ location: "gid://shopify/Location/1", qty: 7 }] });
    expect(fake.levels.get("gid://shopify/InventoryItem/9|gid://shopify/Location/1")).toBe(7);

    fake.levels.set("gid://shopify/InventoryItem/9|gid://shopify/Location/1", 13);
    expect((await pushNow("TEE")).status).toBe(200);
    expect(fake.mutations).toHaveLength(2);
    expect(fake.levels.get("gid://shopify/InventoryItem/9|gid://shopify/Location/1")).toBe(7);
    const audit = await call(`/v1/staff/${SHOP}/audit`, { headers: { authorization: `Bearer ${shopKey}` } }).then((r) => r.json<{ entries: unknown[] }>());
    expect(audit.entries[0]).toMatchObject({ action: "stock.pushed", target: "sku/TEE" });
  });

  it("says why when the platform refuses the quantity (the item is gone from Shopify), instead of claiming it was sent", async () => {
    const fake = createShopifyFake();
    restore = routeFetch({ "shop.test": fake }).mockRestore;
    const res = await pushNow("TEE");
    expect(res.status).toBe(200);
    expect(await res.json<StaffStockPushResult>()).toMatchObject({ status: "partial", told: [], error: { code: "refused_by_platform" } });
  });
});
