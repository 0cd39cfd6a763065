import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { pullErp } from "../../worker/connector-jobs";
import type { Patience } from "../../worker/connectors/http";
import { saveSettings } from "../../worker/connectors/settings";
import type { Availability, CustomerPrices, StaffProduct } from "../../worker/contract";
import { applyOrderEvent } from "../../worker/orders/apply";
import { normalise } from "../../worker/orders/inbox";
import { putOrderSettings } from "../../worker/orders/settings";
import { withPool } from "../../worker/pool/plane";
import { attemptDelivery } from "../../worker/queue";
import { openShopifyOrder, shopifyOrderBody } from "../fakes/hooks";
import { createOdooFake, FAKE_KEY, FAKE_LOGIN, fakeDb, type OdooFake } from "../fakes/odoo/app";
import { loadKitsCapture } from "../fakes/odoo/kits";
import type { Version } from "../fakes/odoo/seed";
import { routeFetch } from "../fakes/route-fetch";
import { call, createShop, customerToken, poolDb } from "./helpers";

/** Issue 12: Odoo kits (phantom BoMs), sales packagings and prices in the sales unit, against the fake refreshed from live captures (k01–k10). */

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const patience: Patience = { attempts: 3, maxWaitMs: 5_000, sleep: async () => {} };

async function setup(shop: string, version: Version): Promise<{ fake: OdooFake; secrets: Awaited<ReturnType<typeof createShop>> }> {
  const secrets = await createShop(shop, { platform: "shopify", platformWebhookSecret: "hush-platform-secret" });
  await putOrderSettings(poolDb(shop), shop, { ordersTo: "erp-connector" }, Date.now());
  const fake = createOdooFake(version);
  restore = routeFetch({ [`odoo${version}.test`]: fake }).mockRestore;
  await saveSettings(
    withPool(env, shop),
    shop,
    "erp",
    { kind: "odoo", url: `http://odoo${version}.test`, db: fakeDb(version), protocol: "jsonrpc", login: FAKE_LOGIN, apiKey: FAKE_KEY, currency: "USD" },
    true,
    Date.now(),
  );
  return { fake, secrets };
}

const rpc = (fake: OdooFake, version: Version, model: string, method: string, args: unknown[]) =>
  fake.fetch(
    new Request("http://x/jsonrpc", {
      method: "POST",
      body: JSON.stringify({
        jsonrpc: "2.0",
        method: "call",
        id: 1,
        params: { service: "object", method: "execute_kw", args: [fakeDb(version), 2, FAKE_KEY, model, method, args, {}] },
      }),
    }),
  );

const availability = async (shop: string, skus: string[]): Promise<Map<string, number>> => {
  const res = await call(`/v1/shops/${shop}/availability?${skus.map((s) => `sku=${s}`).join("&")}`);
  expect(res.status).toBe(200);
  const body = await res.json<Availability>();
  return new Map(body.items.map((i) => [i.sku, i.available]));
};

const salesRow = (shop: string, sku: string) =>
  poolDb(shop)
    .prepare("SELECT unit, factor, components FROM product_sales WHERE shop_id = ? AND sku = ?")
    .bind(shop, sku)
    .first<{ unit: string | null; factor: string; components: string | null }>();

describe("Odoo kits and case packs, as captured from live Odoo", () => {
  it.each([16, 17, 18] as const)("Odoo %i: a kit's availability is Odoo's own kit quantity; the case pack's is Odoo's packaging math", async (version) => {
    const shop = `odoo-kits-${version}`;
    const { fake } = await setup(shop, version);
    const kits = loadKitsCapture(fake);
    const outcome = await pullErp(withPool(env, shop), shop, patience);
    expect(outcome?.status).toBe("ok");
    // The gift kit makes 2 per BoM from 1 dozen A and 4 B: 6 A and 2 B per kit; the consumable C is left out, as Odoo leaves it.
    expect(JSON.parse((await salesRow(shop, kits.skus.gift))?.components ?? "null")).toEqual([
      { sku: kits.skus.a, qty: 6 },
      { sku: kits.skus.b, qty: 2 },
    ]);
    // The variant's own BoM: 3 B per kit.
    expect(JSON.parse((await salesRow(shop, kits.skus.duo))?.components ?? "null")).toEqual([{ sku: kits.skus.b, qty: 3 }]);
    expect(await salesRow(shop, kits.skus.soap)).toEqual({ unit: "Case of 12", factor: "12", components: null });
    const edge = await availability(shop, [kits.skus.gift, kits.skus.duo, kits.skus.soap]);
    expect(edge.get(kits.skus.gift)).toBe(kits.odooFree.get(kits.skus.gift));
    expect(edge.get(kits.skus.duo)).toBe(kits.odooFree.get(kits.skus.duo));
    // Odoo: 40 bars free; a quotation line of 36 with the case packaging reads 3 packagings → 3 whole cases.
    expect(kits.caseLine).toMatchObject({ packagingQty: 3, units: 36 });
    expect(edge.get(kits.skus.soap)).toBe(Math.floor((kits.odooFree.get(kits.skus.soap) ?? 0) / (kits.caseLine.units / kits.caseLine.packagingQty)));
  });

  it.each([16, 17, 18] as const)("Odoo %i: a case pack's prices and breaks are per case, as Odoo's quotation line prices 12 units", async (version) => {
    const shop = `odoo-kits-prices-${version}`;
    const { fake, secrets } = await setup(shop, version);
    const kits = loadKitsCapture(fake);
    // A break on the captured customers' list: the soap at 2.25 from 24 units (2 cases).
    const items = fake.db.get("product.pricelist.item");
    const template = [...(items?.values() ?? [])][0];
    const soap = kits.ids.get(kits.skus.soap) ?? 0;
    items?.set(90_001, {
      ...template,
      id: 90_001,
      applied_on: "0_product_variant",
      product_id: [soap, `[${kits.skus.soap}] soap`],
      product_tmpl_id: false,
      categ_id: false,
      compute_price: "fixed",
      fixed_price: 2.25,
      min_quantity: 24,
      date_start: false,
      date_end: false,
    });
    expect((await pullErp(withPool(env, shop), shop, patience))?.status).toBe("ok");
    const list = Array.isArray(template?.pricelist_id) ? String(template.pricelist_id[0]) : "";
    const customer = await poolDb(shop).prepare("SELECT id FROM customers WHERE shop_id = ? AND price_list = ?").bind(shop, list).first<{ id: string }>();
    const res = await call(`/v1/shops/${shop}/prices?sku=${kits.skus.soap}`, {
      headers: { "x-backroom-customer": await customerToken(secrets.customerSecret, customer?.id ?? "") },
    });
    expect(res.status).toBe(200);
    const [item] = (await res.json<CustomerPrices>()).items;
    // Odoo (k08): 36 units with the case packaging at price_unit 2.5 → 90, i.e. 30 a case.
    const perCase = (kits.caseLine.subtotal / kits.caseLine.packagingQty).toFixed(2);
    expect(item).toEqual({
      sku: kits.skus.soap,
      unit: "Case of 12",
      unitPrice: perCase,
      breaks: [
        { minQty: 1, unitPrice: perCase },
        { minQty: 2, unitPrice: "27.00" },
      ],
    });
  });

  it("a shop order of 2 cases reserves 24 bars and reaches Odoo as 24 units at the case price / 12", async () => {
    const shop = "odoo-kits-order";
    const { fake } = await setup(shop, 17);
    const kits = loadKitsCapture(fake);
    await pullErp(withPool(env, shop), shop, patience);
    const body = shopifyOrderBody((o) => {
      openShopifyOrder(o);
      const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
      o.line_items = [{ ...template, id: 7101, sku: kits.skus.soap, quantity: 2, current_quantity: 2, price: "30.00" }];
      o.email = "cases@example.com";
    }, "880101");
    await applyOrderEvent(withPool(env, shop), shop, normalise(shop, "shopify", "orders/create", body), Date.now());
    expect(
      await poolDb(shop).prepare("SELECT reserved FROM stock WHERE shop_id = ? AND sku = ? AND warehouse = 'WH'").bind(shop, kits.skus.soap).first(),
    ).toEqual({
      reserved: 24,
    });
    const delivery = await poolDb(shop)
      .prepare("SELECT id FROM deliveries WHERE shop_id = ? AND order_ref = '880101' AND kind = 'erp_order'")
      .bind(shop)
      .first<{ id: string }>();
    expect(await attemptDelivery(withPool(env, shop), String(delivery?.id), 1, (i, init) => fetch(i, init))).toEqual({ ack: true });
    const line = [...(fake.db.get("sale.order.line")?.values() ?? [])].find(
      (l) => Array.isArray(l.product_id) && l.product_id[0] === kits.ids.get(kits.skus.soap),
    );
    expect(line).toMatchObject({ product_uom_qty: 24, price_unit: 2.5 });
  });

  it("staff see a case pack's margin per case: the case price against 12 × Odoo's unit cost", async () => {
    const shop = "odoo-kits-margin";
    const { fake, secrets } = await setup(shop, 17);
    const kits = loadKitsCapture(fake);
    const soap = fake.db.get("product.product")?.get(kits.ids.get(kits.skus.soap) ?? 0);
    if (soap) soap.standard_price = 1.5;
    await pullErp(withPool(env, shop), shop, patience);
    const res = await call(`/v1/staff/${shop}/products/${kits.skus.soap}`, { headers: { authorization: `Bearer ${secrets.staffKey}` } });
    const product = await res.json<StaffProduct>();
    // Odoo's sales price 2.50 a bar: 30.00 a case; its cost 1.50 a bar: 18.00 a case.
    expect(product.priceLists.find((l) => l.id === "public")).toMatchObject({
      breaks: [{ minQty: 1, unitPrice: "30.00" }],
      margin: { amount: "12.00", percent: "40.0" },
    });
  });

  it("a changed BoM line re-maps the kit at the next pull", async () => {
    const shop = "odoo-kits-change";
    const { fake } = await setup(shop, 17);
    const kits = loadKitsCapture(fake);
    await pullErp(withPool(env, shop), shop, patience);
    const line = [...(fake.db.get("mrp.bom.line")?.values() ?? [])].find((l) => Array.isArray(l.product_id) && String(l.product_id[1]).includes(kits.skus.a));
    fake.tick(60);
    await rpc(fake, 17, "mrp.bom.line", "write", [[line?.id], { product_qty: 2 }]);
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience))?.status).toBe("ok");
    // 2 dozen A for 2 kits: 12 A per kit; 30 A make 2 kits.
    expect(JSON.parse((await salesRow(shop, kits.skus.gift))?.components ?? "null")).toEqual([
      { sku: kits.skus.a, qty: 12 },
      { sku: kits.skus.b, qty: 2 },
    ]);
    expect((await availability(shop, [kits.skus.gift])).get(kits.skus.gift)).toBe(2);
  });

  it("a new sales packaging turns the product into a case pack at the next pull; a purchase-only one does not", async () => {
    const shop = "odoo-kits-pack";
    const { fake } = await setup(shop, 18);
    const kits = loadKitsCapture(fake);
    await pullErp(withPool(env, shop), shop, patience);
    expect(await salesRow(shop, kits.skus.b)).toBeNull();
    fake.tick(60);
    await rpc(fake, 18, "product.packaging", "create", [{ name: "Box of 6", product_id: kits.ids.get(kits.skus.b), qty: 6, sales: true }]);
    await rpc(fake, 18, "product.packaging", "create", [{ name: "Crate", product_id: kits.ids.get(kits.skus.a), qty: 100, sales: false }]);
    fake.tick(60);
    await pullErp(withPool(env, shop), shop, patience);
    expect(await salesRow(shop, kits.skus.b)).toEqual({ unit: "Box of 6", factor: "6", components: null });
    expect(await salesRow(shop, kits.skus.a)).toBeNull();
    // 100 B in boxes of 6: 16 whole boxes.
    expect((await availability(shop, [kits.skus.b])).get(kits.skus.b)).toBe(16);
  });

  it("a BoM whose kit takes a part of a component (1 for 2 kits) is reported and the product left as it was", async () => {
    const shop = "odoo-kits-fraction";
    const { fake } = await setup(shop, 16);
    const kits = loadKitsCapture(fake);
    const line = [...(fake.db.get("mrp.bom.line")?.values() ?? [])].find((l) => Array.isArray(l.product_id) && String(l.product_id[1]).includes(kits.skus.b));
    if (line) line.product_qty = 1;
    const outcome = await pullErp(withPool(env, shop), shop, patience);
    expect(outcome?.status).toBe("partial");
    const { results } = await poolDb(shop)
      .prepare("SELECT DISTINCT record, code FROM connector_errors WHERE shop_id = ? AND code LIKE 'kit_%'")
      .bind(shop)
      .all();
    expect(results).toEqual([{ record: `mrp.bom/${kits.bomIds[0]}`, code: "kit_component_fraction" }]);
    expect(await poolDb(shop).prepare("SELECT sku FROM products WHERE shop_id = ? AND sku = ?").bind(shop, kits.skus.gift).first()).toBeNull();
  });

  it("an Odoo without mrp: no BoM is asked for, products and stock pull as before", async () => {
    const shop = "odoo-kits-nomrp";
    const { fake } = await setup(shop, 17);
    fake.db.get("ir.model")?.clear();
    fake.db.delete("mrp.bom");
    fake.db.delete("mrp.bom.line");
    const outcome = await pullErp(withPool(env, shop), shop, patience);
    expect(outcome?.status).toBe("ok");
    expect(fake.calls.filter((c) => c.startsWith("mrp."))).toEqual([]);
    expect(await poolDb(shop).prepare("SELECT COUNT(*) AS n FROM products WHERE shop_id = ?").bind(shop).first<{ n: number }>()).toMatchObject({
      n: expect.any(Number),
    });
  });
});
