import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { pullErp } from "../../worker/connector-jobs";
import type { Patience } from "../../worker/connectors/http";
import { saveSettings } from "../../worker/connectors/settings";
import type { AccountInvoices, AccountReturn, AccountReturns } from "../../worker/contract";
import { putOrderSettings } from "../../worker/orders/settings";
import { withPool } from "../../worker/pool/plane";
import { attemptDelivery } from "../../worker/queue";
import { createErpNextFake, ERPNEXT_KEY, ERPNEXT_SECRET, type ErpNextFake, pdfOf } from "../fakes/erpnext/app";
import { routeFetch } from "../fakes/route-fetch";
import { call, createShop, customerToken, ORIGIN, poolDb, pushOk } from "./helpers";

/**
 * Issue 13 against the ERPNext fake (Frappe REST as documented): Sales Invoices pulled with their
 * outstanding amount, the invoice's print format fetched once as a PDF and kept in R2, and a
 * return filed at the edge becoming a return Delivery Note (`make_sales_return`: `is_return`,
 * `return_against`, negative quantities) whose submission comes back as received.
 */

let restore: (() => void) | undefined;
afterEach(() => restore?.());
const patience = (): Patience => ({ attempts: 2, maxWaitMs: 0, sleep: async () => {} });
const one = <T>(shop: string, sql: string, ...args: unknown[]) =>
  poolDb(shop)
    .prepare(sql)
    .bind(...args)
    .first<T>();

interface World {
  shop: string;
  fake: ErpNextFake;
  acme: string;
  walkIn: string;
}

/** A shop on ERPNext; Acme's order 5001 (SAL-ORD-2026-00001) was delivered by MAT-DN-2026-00001. */
async function world(shop: string): Promise<World> {
  const secrets = await createShop(shop);
  const fake = createErpNextFake();
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
      company: "Backroom Demo",
      warehouses: { "Stores - BR": "BER" },
    },
    true,
    Date.now(),
  );
  await putOrderSettings(poolDb(shop), shop, { ordersTo: "erp-connector" }, Date.now());
  fake.docs.set(
    "Delivery Note",
    new Map([
      [
        "MAT-DN-2026-00001",
        {
          name: "MAT-DN-2026-00001",
          doctype: "Delivery Note",
          customer: "Acme GmbH",
          company: "Backroom Demo",
          po_no: "5001",
          docstatus: 1,
          is_return: 0,
          lr_no: "DN-TRACK-1",
          transporter_name: "DHL",
          posting_date: "2026-11-24",
          items: [{ doctype: "Delivery Note Item", name: "dn-item-1", item_code: "SKU-TEE-M", qty: 2, rate: 19.9, against_sales_order: "SAL-ORD-2026-00001" }],
          modified: fake.tick(),
        },
      ],
    ]),
  );
  expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
  // The goods arrived (ERPNext's last word on a delivery is the submitted note: the edge's `shipped`).
  await pushOk(shop, secrets.erpSecret, "orders", {
    orders: [
      {
        orderRef: "5001",
        email: "buyer@acme.example",
        status: "delivered",
        shipments: [{ carrier: "DHL", trackingNumber: "DN-TRACK-1", items: [{ sku: "SKU-TEE-M", qty: 2 }] }],
        at: new Date().toISOString(),
        version: Date.now(),
      },
    ],
  });
  return {
    shop,
    fake,
    acme: await customerToken(secrets.customerSecret, "Acme GmbH"),
    walkIn: await customerToken(secrets.customerSecret, "Walk-in"),
  };
}

const get = (w: World, path: string, token: string) => call(`/v1/shops/${w.shop}${path}`, { headers: { origin: ORIGIN, "x-backroom-customer": token } });

const salesInvoice = (fake: ErpNextFake, over: Record<string, unknown>) => {
  const t = fake.docs.get("Sales Invoice") ?? new Map();
  fake.docs.set("Sales Invoice", t);
  const doc = {
    name: "ACC-SINV-2026-00001",
    doctype: "Sales Invoice",
    customer: "Acme GmbH",
    posting_date: "2026-11-24",
    due_date: "2026-12-24",
    grand_total: 45.77,
    outstanding_amount: 45.77,
    currency: "EUR",
    status: "Unpaid",
    is_return: 0,
    po_no: "5001",
    docstatus: 1,
    modified: fake.tick(),
    ...over,
  };
  t.set(String(doc.name), { ...doc, name: String(doc.name), modified: String(doc.modified) });
};

describe("ERPNext: the buyer's invoices, PDFs and returns", { timeout: 60_000 }, () => {
  it("a Sales Invoice arrives with its outstanding amount; its print format is fetched once as a PDF, kept in R2, for its buyer only", async () => {
    const w = await world("erpnext-acct-inv");
    salesInvoice(w.fake, {});
    salesInvoice(w.fake, { name: "ACC-SINV-2026-00002", grand_total: -19.9, outstanding_amount: -19.9, is_return: 1, status: "Return" });
    expect((await pullErp(withPool(env, w.shop), w.shop, patience()))?.status).toBe("ok");
    let list: AccountInvoices = await (await get(w, "/account/invoices", w.acme)).json();
    expect(list.invoices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          number: "ACC-SINV-2026-00001",
          kind: "invoice",
          orderRefs: ["5001"],
          total: "45.77",
          openAmount: "45.77",
          status: "open",
          pdf: true,
        }),
        expect.objectContaining({ number: "ACC-SINV-2026-00002", kind: "credit_note", total: "19.9", openAmount: "19.9", status: "open" }),
      ]),
    );
    // A part payment: ERPNext lowers the outstanding amount and says "Partly Paid".
    salesInvoice(w.fake, { outstanding_amount: 20, status: "Partly Paid" });
    expect((await pullErp(withPool(env, w.shop), w.shop, patience()))?.status).toBe("ok");
    list = await (await get(w, "/account/invoices", w.acme)).json();
    expect(list.invoices.find((i) => i.number === "ACC-SINV-2026-00001")).toMatchObject({ openAmount: "20", status: "partial" });
    expect((await (await get(w, "/account/invoices", w.walkIn)).json<AccountInvoices>()).invoices).toEqual([]);
    expect((await get(w, "/account/invoices/ACC-SINV-2026-00001/pdf", w.walkIn)).status).toBe(404);

    const pdf = await get(w, "/account/invoices/ACC-SINV-2026-00001/pdf", w.acme);
    expect(pdf.status).toBe(200);
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(pdfOf("Sales Invoice", "ACC-SINV-2026-00001"));
    expect((await get(w, "/account/invoices/ACC-SINV-2026-00001/pdf", w.acme)).status).toBe(200);
    expect(w.fake.calls.filter((c) => c === "download_pdf")).toHaveLength(1);
  });

  it("a return filed at the edge becomes a draft return Delivery Note against the delivery (approved), received once submitted", async () => {
    const w = await world("erpnext-acct-ret");
    const filed = await call(`/v1/shops/${w.shop}/account/returns`, {
      method: "POST",
      headers: { origin: ORIGIN, "x-backroom-customer": w.acme, "content-type": "application/json" },
      body: JSON.stringify({ orderRef: "5001", lines: [{ sku: "SKU-TEE-M", qty: 1 }], reason: "Wrong size" }),
    });
    expect(filed.status).toBe(201);
    const ret: AccountReturn = await filed.json();
    const d = await one<{ id: string }>(w.shop, "SELECT id FROM deliveries WHERE shop_id = ? AND kind = 'erp_return'", w.shop);
    expect(await attemptDelivery(withPool(env, w.shop), String(d?.id), 1, (i, init) => fetch(i, init))).toEqual({ ack: true });
    const notes = () => [...(w.fake.docs.get("Delivery Note")?.values() ?? [])].filter((n) => n.is_return === 1);
    expect(notes()).toEqual([
      expect.objectContaining({
        name: "MAT-DN-2026-00002",
        is_return: 1,
        return_against: "MAT-DN-2026-00001",
        customer: "Acme GmbH",
        po_no: "5001",
        docstatus: 0,
        instructions: `[backroom-return:${ret.returnRef}] Wrong size`,
        items: [expect.objectContaining({ item_code: "SKU-TEE-M", qty: -1, dn_detail: "dn-item-1" })],
      }),
    ]);
    let mine: AccountReturns = await (await get(w, "/account/returns", w.acme)).json();
    expect(mine.returns).toEqual([expect.objectContaining({ returnRef: ret.returnRef, rmaNumber: "MAT-DN-2026-00002", status: "approved" })]);
    // Replayed: the note is found by its mark, not made twice.
    expect(await attemptDelivery(withPool(env, w.shop), String(d?.id), 2, (i, init) => fetch(i, init))).toEqual({ ack: true });
    expect(notes()).toHaveLength(1);

    // Staff submit it when the goods are back: the pull says received.
    Object.assign(notes()[0] ?? {}, { docstatus: 1, status: "Return", modified: w.fake.tick(60) });
    expect((await pullErp(withPool(env, w.shop), w.shop, patience()))?.status).toBe("ok");
    mine = await (await get(w, "/account/returns", w.acme)).json();
    expect(mine.returns).toEqual([
      expect.objectContaining({ returnRef: ret.returnRef, rmaNumber: "MAT-DN-2026-00002", status: "received", lines: [{ sku: "SKU-TEE-M", qty: 1 }] }),
    ]);
    expect((await (await get(w, "/account/returns", w.walkIn)).json<AccountReturns>()).returns).toEqual([]);
    // The return note is not a second shipment of the order.
    const order = await one<{ shipments: string }>(w.shop, "SELECT shipments FROM orders WHERE shop_id = ? AND order_ref = '5001'", w.shop);
    expect(JSON.parse(order?.shipments ?? "[]")).toHaveLength(1);
  });
});
