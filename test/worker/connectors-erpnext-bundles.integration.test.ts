import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { pullErp } from "../../worker/connector-jobs";
import type { Patience } from "../../worker/connectors/http";
import { saveSettings } from "../../worker/connectors/settings";
import type { Availability, CustomerPrices } from "../../worker/contract";
import { toBase64 } from "../../worker/domain/encoding";
import { hmacSha256 } from "../../worker/domain/hmac";
import { withPool } from "../../worker/pool/plane";
import { createErpNextFake, ERPNEXT_KEY, ERPNEXT_SECRET, type ErpNextFake } from "../fakes/erpnext/app";
import { loadBundles } from "../fakes/erpnext/bundles";
import { routeFetch } from "../fakes/route-fetch";
import { call, createShop, customerToken, poolDb } from "./helpers";

/** Issue 12: ERPNext Product Bundles as kits, an item's sales UOM as its sales unit, prices per that unit. */

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const patience: Patience = { attempts: 3, maxWaitMs: 5_000, sleep: async () => {} };

async function setup(shop: string): Promise<{ fake: ErpNextFake; customerSecret: string }> {
  const secrets = await createShop(shop);
  const fake = createErpNextFake();
  loadBundles(fake);
  restore = routeFetch({ "erp.example.test": fake }).mockRestore;
  await saveSettings(
    withPool(env, shop),
    shop,
    "erp",
    {
      kind: "erpnext",
      url: "https://erp.example.test",
      apiKey: ERPNEXT_KEY,
      apiSecret: ERPNEXT_SECRET,
      webhookSecret: "frappe-webhook-secret-1",
      company: "Backroom Demo",
      warehouses: { "Stores - BR": "BER" },
    },
    true,
    Date.now(),
  );
  return { fake, customerSecret: secrets.customerSecret };
}

const salesRow = (shop: string, sku: string) =>
  poolDb(shop).prepare("SELECT unit, factor, min_qty, components FROM product_sales WHERE shop_id = ? AND sku = ?").bind(shop, sku).first();

const available = async (shop: string, sku: string) => {
  const body = await (await call(`/v1/shops/${shop}/availability?sku=${sku}`)).json<Availability>();
  return body.items[0]?.available;
};

describe("ERPNext bundles and sales UOMs", () => {
  it("a Product Bundle is a kit of its items; its availability is what the components make", async () => {
    const shop = "erpnext-bundle";
    await setup(shop);
    expect((await pullErp(withPool(env, shop), shop, patience))?.status).toBe("ok");
    expect(await salesRow(shop, "SKU-BUNDLE")).toEqual({
      unit: null,
      factor: "1",
      min_qty: "1",
      components: JSON.stringify([
        { sku: "SKU-LAPTOP", qty: 1 },
        { sku: "SKU-BAG", qty: 2 },
      ]),
    });
    // 7 laptops, 9 bags at 2 a bundle: 4 bundles.
    expect(await available(shop, "SKU-BUNDLE")).toBe(4);
  });

  it("an item with a sales UOM sells in it: availability in whole boxes, prices per box from a per-Nos and a per-Box Item Price; min_order_qty (purchasing) is no sales rule", async () => {
    const shop = "erpnext-uom";
    const { customerSecret } = await setup(shop);
    expect((await pullErp(withPool(env, shop), shop, patience))?.status).toBe("ok");
    expect(await salesRow(shop, "SKU-PEN")).toEqual({ unit: "Box", factor: "12", min_qty: "1", components: null });
    expect(await available(shop, "SKU-PEN")).toBe(8);
    const prices = async (customer: string) => {
      const res = await call(`/v1/shops/${shop}/prices?sku=SKU-PEN`, { headers: { "x-backroom-customer": await customerToken(customerSecret, customer) } });
      return (await res.json<CustomerPrices>()).items[0];
    };
    // Wholesale prices the pen at 0.45 per Nos: 5.40 a box of 12, exactly.
    expect(await prices("Acme GmbH")).toEqual({ sku: "SKU-PEN", unit: "Box", unitPrice: "5.40", breaks: [{ minQty: 1, unitPrice: "5.40" }] });
    // Standard Selling prices it per Box already: 6.5 a box.
    expect(await prices("Walk-in")).toMatchObject({ unit: "Box", unitPrice: "6.5" });
  });

  it("a changed Product Bundle re-maps its parent item at the next pull", async () => {
    const shop = "erpnext-bundle-change";
    const { fake } = await setup(shop);
    await pullErp(withPool(env, shop), shop, patience);
    const bundle = fake.docs.get("Product Bundle")?.get("SKU-BUNDLE");
    if (bundle && Array.isArray(bundle.items)) {
      bundle.items = bundle.items.slice(0, 1).map((r) => ({ ...r, qty: 3 }));
      bundle.modified = fake.tick(60);
    }
    await pullErp(withPool(env, shop), shop, patience);
    expect(await salesRow(shop, "SKU-BUNDLE")).toMatchObject({ components: JSON.stringify([{ sku: "SKU-LAPTOP", qty: 3 }]) });
    expect(await available(shop, "SKU-BUNDLE")).toBe(2);
  });

  it("a bundle item with a part of a unit (0.5 bag) is reported and the bundle not sold as a plain item", async () => {
    const shop = "erpnext-bundle-fraction";
    const { fake } = await setup(shop);
    const bundle = fake.docs.get("Product Bundle")?.get("SKU-BUNDLE");
    if (bundle && Array.isArray(bundle.items)) bundle.items = bundle.items.map((r, i) => (i === 1 ? { ...r, qty: 0.5 } : r));
    expect((await pullErp(withPool(env, shop), shop, patience))?.status).toBe("partial");
    const { results } = await poolDb(shop)
      .prepare("SELECT DISTINCT record, code FROM connector_errors WHERE shop_id = ? AND code LIKE 'kit_%'")
      .bind(shop)
      .all();
    expect(results).toEqual([{ record: "Product Bundle/SKU-BUNDLE", code: "kit_component_fraction" }]);
    expect(await poolDb(shop).prepare("SELECT sku FROM products WHERE shop_id = ? AND sku = 'SKU-BUNDLE'").bind(shop).first()).toBeNull();
  });

  it("an Item webhook (the whole document) keeps the item's bundle and sales unit", async () => {
    const shop = "erpnext-bundle-hook";
    const { fake } = await setup(shop);
    await pullErp(withPool(env, shop), shop, patience);
    for (const code of ["SKU-BUNDLE", "SKU-PEN"]) {
      const body = JSON.stringify({ ...fake.docs.get("Item")?.get(code), item_name: `${code} renamed`, modified: fake.tick(60) });
      const res = await call(`/v1/hooks/erpnext/${shop}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-frappe-webhook-signature": toBase64(await hmacSha256("frappe-webhook-secret-1", body)) },
        body,
      });
      expect(await res.json()).toMatchObject({ applied: 1 });
    }
    expect(await poolDb(shop).prepare("SELECT name FROM products WHERE shop_id = ? AND sku = 'SKU-PEN'").bind(shop).first()).toEqual({
      name: "SKU-PEN renamed",
    });
    expect(await salesRow(shop, "SKU-PEN")).toMatchObject({ unit: "Box", factor: "12" });
    expect(await salesRow(shop, "SKU-BUNDLE")).toMatchObject({
      components: JSON.stringify([
        { sku: "SKU-LAPTOP", qty: 1 },
        { sku: "SKU-BAG", qty: 2 },
      ]),
    });
  });
});
