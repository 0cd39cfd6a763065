import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { pullErp } from "../../worker/connector-jobs";
import type { Patience } from "../../worker/connectors/http";
import { saveSettings } from "../../worker/connectors/settings";
import type { ErpNextSettings } from "../../worker/contract/connectors";
import { toBase64 } from "../../worker/domain/encoding";
import { hmacSha256 } from "../../worker/domain/hmac";
import { withPool } from "../../worker/pool/plane";
import { createErpNextFake, ERPNEXT_KEY, ERPNEXT_SECRET, type ErpNextFake } from "../fakes/erpnext/app";
import { routeFetch } from "../fakes/route-fetch";
import { call, createShop, poolDb } from "./helpers";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const patience = (waits: number[] = []): Patience => ({
  attempts: 3,
  maxWaitMs: 5_000,
  sleep: async (ms) => {
    waits.push(ms);
  },
});
const WEBHOOK_SECRET = "frappe-webhook-secret-1";
const settings = (extra: Partial<ErpNextSettings> = {}): ErpNextSettings => ({
  kind: "erpnext",
  url: "https://erp.example.test",
  apiKey: ERPNEXT_KEY,
  apiSecret: ERPNEXT_SECRET,
  webhookSecret: WEBHOOK_SECRET,
  company: "Backroom Demo",
  warehouses: { "Stores - BR": "BER" },
  ...extra,
});

async function setup(shop: string, extra: Partial<ErpNextSettings> = {}): Promise<ErpNextFake> {
  await createShop(shop);
  const fake = createErpNextFake();
  restore = routeFetch({ "erp.example.test": fake }).mockRestore;
  await saveSettings(withPool(env, shop), shop, "erp", settings(extra), true, Date.now());
  return fake;
}

const one = async <T>(shop: string, sql: string, ...args: unknown[]): Promise<T | null> =>
  poolDb(shop)
    .prepare(sql)
    .bind(...args)
    .first<T>();

describe("ERPNext pull", () => {
  it("maps Warehouse, Item, Price List, Item Price, Customer (credit limit), Bin (reserved, ordered with the PO date) and Sales Order", async () => {
    const shop = "erpnext-pull";
    await setup(shop);
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("ok");
    // Group warehouses are not stock locations; the mapping renames "Stores - BR" to the edge's BER.
    const whs = await poolDb(shop).prepare("SELECT code FROM warehouses WHERE shop_id = ? ORDER BY code").bind(shop).raw();
    expect(whs).toEqual([["BER"], ["Finished Goods - BR"]]);
    expect(await one(shop, "SELECT name, cost FROM products WHERE shop_id = ? AND sku = 'SKU-TEE-M'", shop)).toEqual({ name: "T-Shirt M", cost: "4.2" });
    const tee = await one<{ on_hand: number; committed: number; incoming: string }>(
      shop,
      "SELECT on_hand, committed, incoming FROM stock WHERE shop_id = ? AND sku = 'SKU-TEE-M' AND warehouse = 'BER'",
      shop,
    );
    expect(tee).toMatchObject({ on_hand: 40, committed: 3 });
    expect(JSON.parse(tee?.incoming ?? "[]")).toEqual([{ qty: 25, eta: "2099-03-10" }]);
    expect(await one(shop, "SELECT unit_price FROM prices WHERE shop_id = ? AND list = 'Wholesale' AND sku = 'SKU-TEE-M'", shop)).toEqual({
      unit_price: "12.5",
    });
    expect(await one(shop, "SELECT price_list, credit_limit, payment_terms, email FROM customers WHERE shop_id = ? AND id = 'Acme GmbH'", shop)).toEqual({
      price_list: "Wholesale",
      credit_limit: "5000",
      payment_terms: "Net 30",
      email: "buyer@acme.example",
    });
    expect(await one(shop, "SELECT status, erp_ref FROM orders WHERE shop_id = ? AND order_ref = '5001'", shop)).toEqual({
      status: "confirmed",
      erp_ref: "SAL-ORD-2026-00001",
    });
  });

  it("takes a submitted Delivery Note as the shipment, reading only what changed since the cursors", async () => {
    const shop = "erpnext-incr";
    const fake = await setup(shop);
    await pullErp(withPool(env, shop), shop, patience());
    const dn = {
      name: "MAT-DN-2026-00001",
      doctype: "Delivery Note",
      docstatus: 1,
      po_no: "5001",
      lr_no: "00340434161094042557",
      lr_date: "2026-11-24",
      transporter_name: "DHL",
      modified: fake.tick(60),
    };
    fake.docs.set("Delivery Note", new Map([[dn.name, dn]]));
    const bin = fake.docs.get("Bin")?.get("BIN-0001");
    if (bin) Object.assign(bin, { actual_qty: 38, reserved_qty: 1, modified: fake.tick() });
    fake.calls.length = 0;
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("ok");
    const order = await one<{ status: string; shipments: string }>(shop, "SELECT status, shipments FROM orders WHERE shop_id = ? AND order_ref = '5001'", shop);
    expect(order?.status).toBe("shipped");
    expect(JSON.parse(order?.shipments ?? "[]")).toEqual([{ carrier: "DHL", trackingNumber: "00340434161094042557", shippedAt: "2026-11-24" }]);
    expect(await one(shop, "SELECT on_hand, committed FROM stock WHERE shop_id = ? AND sku = 'SKU-TEE-M' AND warehouse = 'BER'", shop)).toEqual({
      on_hand: 38,
      committed: 1,
    });
    // Nothing else changed: customers were listed once and no Customer document was fetched again.
    expect(fake.calls.filter((c) => c === "get Customer")).toHaveLength(0);
  });

  it("a customer without a price list is an error row; the rest of the page applies", async () => {
    const shop = "erpnext-bad";
    const fake = await setup(shop);
    fake.docs
      .get("Customer")
      ?.set("No List", { name: "No List", customer_name: "No List", default_price_list: null, disabled: 0, credit_limits: [], modified: fake.tick() });
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("partial");
    expect(await one(shop, "SELECT code, record FROM connector_errors WHERE run_id = ?", outcome?.runId)).toEqual({
      code: "no_price_list",
      record: "Customer/No List",
    });
    expect(await one(shop, "SELECT company FROM customers WHERE shop_id = ? AND id = 'Acme GmbH'", shop)).toEqual({ company: "Acme GmbH" });
  });

  it("waits out 429 Retry-After and backs off on 502", async () => {
    const shop = "erpnext-throttle";
    const fake = await setup(shop);
    const waits: number[] = [];
    fake.faults.push({ status: 429, retryAfter: "3" }, { status: 502 });
    expect((await pullErp(withPool(env, shop), shop, patience(waits)))?.status).toBe("ok");
    expect(waits).toEqual([3000, 500]);
  });
});

describe("ERPNext webhooks", () => {
  const sign = async (body: string, secret = WEBHOOK_SECRET) => toBase64(await hmacSha256(secret, body));
  const send = async (shop: string, body: string, signature?: string) =>
    call(`/v1/hooks/erpnext/${shop}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-frappe-webhook-signature": signature ?? (await sign(body)) },
      body,
    });

  it("applies a signed Bin document, refuses a bad signature, and applies a repeated delivery once", async () => {
    const shop = "erpnext-hook";
    await setup(shop);
    await pullErp(withPool(env, shop), shop, patience());
    const body = JSON.stringify({
      doctype: "Bin",
      name: "BIN-0003",
      item_code: "SKU-TEE-M",
      warehouse: "Finished Goods - BR",
      actual_qty: 2,
      reserved_qty: 0,
      ordered_qty: 0,
      modified: "2026-11-23 09:30:00.000000",
    });
    expect((await send(shop, body, await sign(body, "wrong-secret"))).status).toBe(401);
    const first = await send(shop, body);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ applied: 1, duplicate: false });
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = 'SKU-TEE-M' AND warehouse = 'Finished Goods - BR'", shop)).toEqual({
      on_hand: 2,
    });
    expect(await (await send(shop, body)).json()).toMatchObject({ applied: 0, duplicate: true });
    expect((await send(shop, JSON.stringify({ doctype: "ToDo", name: "x" }))).status).toBe(422);
  });
});

describe("ERPNext documents deleted since the last pull", () => {
  it("a deleted Bin zeroes its stock row and a deleted Item Price goes, at the next full snapshot", async () => {
    const shop = "erpnext-snapshot";
    const fake = await setup(shop);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = 'SKU-TEE-M' AND warehouse = 'Finished Goods - BR'", shop)).toEqual({
      on_hand: 7,
    });
    expect(await one(shop, "SELECT count(*) AS n FROM prices WHERE shop_id = ? AND sku = 'SKU-MUG'", shop)).toEqual({ n: 1 });
    fake.docs.get("Bin")?.delete("BIN-0003");
    fake.docs.get("Item Price")?.delete("ITEM-PRICE-0003");
    vi.useFakeTimers({ now: Date.now() + 16 * 60_000, toFake: ["Date"] });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    vi.useRealTimers();
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = 'SKU-TEE-M' AND warehouse = 'Finished Goods - BR'", shop)).toEqual({
      on_hand: 0,
    });
    // The other warehouse of the same item keeps its stock.
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = 'SKU-TEE-M' AND warehouse = 'BER'", shop)).toEqual({ on_hand: 40 });
    expect(await one(shop, "SELECT count(*) AS n FROM prices WHERE shop_id = ? AND sku = 'SKU-MUG'", shop)).toEqual({ n: 0 });
  });
});
