import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { pullErp } from "../../worker/connector-jobs";
import type { Patience } from "../../worker/connectors/http";
import { saveSettings } from "../../worker/connectors/settings";
import type { AccountInvoices, AccountReturn, AccountReturns } from "../../worker/contract";
import { applyOrderEvent } from "../../worker/orders/apply";
import { normalise } from "../../worker/orders/inbox";
import { putOrderSettings } from "../../worker/orders/settings";
import { withPool } from "../../worker/pool/plane";
import { attemptDelivery } from "../../worker/queue";
import { openShopifyOrder, shopifyOrderBody } from "../fakes/hooks";
import { createOdooFake, FAKE_KEY, FAKE_LOGIN, fakeDb, type OdooFake } from "../fakes/odoo/app";
import type { Version } from "../fakes/odoo/seed";
import { routeFetch } from "../fakes/route-fetch";
import { call, createShop, customerToken, ORIGIN, poolDb, pushOk } from "./helpers";

/**
 * Issue 13 against the Odoo fake (16, 17, 18, as captured in odoo-captured/<v>/account): the
 * buyer's invoices pulled from `account.move` with Odoo's open amount and payment state, the
 * invoice PDF fetched once from Odoo's report and then served from R2, a return filed at the edge
 * becoming an Odoo return picking whose state comes back, and none of it visible to another buyer.
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
  fake: OdooFake;
  buyer: string;
  other: string;
  orderRef: string;
  saleOrder: number;
  erpSecret: string;
}

/** A shop on Odoo with two company customers; the first buys 3 × FURN_7777 in the shop, Odoo delivers it with tracking. */
async function world(shop: string, version: Version): Promise<World> {
  const secrets = await createShop(shop, { platform: "shopify", platformWebhookSecret: "hush-platform-secret" });
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
  await putOrderSettings(poolDb(shop), shop, { ordersTo: "erp-connector" }, Date.now());
  const buyerId = Number(await fake.rpc("res.partner", "create", [{ name: "Docs Buyer GmbH", is_company: true, email: "buyer@docs.example" }]));
  const otherId = Number(await fake.rpc("res.partner", "create", [{ name: "Other GmbH", is_company: true, email: "other@docs.example" }]));
  const orderRef = `77${version}01`;
  const body = shopifyOrderBody((o) => {
    openShopifyOrder(o);
    const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
    o.line_items = [{ ...template, id: 7001, sku: "FURN_7777", quantity: 3, current_quantity: 3, price: "40.00" }];
    o.email = "buyer@docs.example";
  }, orderRef);
  await applyOrderEvent(withPool(env, shop), shop, normalise(shop, "shopify", "orders/create", body), Date.now());
  const delivery = await one<{ id: string }>(shop, "SELECT id FROM deliveries WHERE shop_id = ? AND order_ref = ? AND kind = 'erp_order'", shop, orderRef);
  expect(await attemptDelivery(withPool(env, shop), String(delivery?.id), 1, (i, init) => fetch(i, init))).toEqual({ ack: true });
  const so = [...(fake.db.get("sale.order")?.values() ?? [])].find((s) => s.origin === `backroom:${orderRef}`);
  const picking = [...(fake.db.get("stock.picking")?.values() ?? [])].find((p) => Array.isArray(p.sale_id) && p.sale_id[0] === so?.id);
  await fake.rpc("stock.picking", "write", [[picking?.id], { carrier_tracking_ref: "DOCS-TRACK-1" }]);
  await fake.rpc("stock.picking", "button_validate", [[picking?.id]], { context: { skip_sms: true } });
  return {
    shop,
    fake,
    buyer: await customerToken(secrets.customerSecret, String(buyerId)),
    other: await customerToken(secrets.customerSecret, String(otherId)),
    orderRef,
    saleOrder: Number(so?.id),
    erpSecret: secrets.erpSecret,
  };
}

/**
 * The goods arrived: Odoo's last word on a delivery is "done" (the edge's `shipped`), so the
 * carrier's delivered notice comes as a signed `orders` push, as a shop's carrier integration sends
 * it. The edge takes returns of delivered orders only.
 */
const arrived = (w: World) =>
  pushOk(w.shop, w.erpSecret, "orders", {
    orders: [
      {
        orderRef: w.orderRef,
        status: "delivered",
        shipments: [{ carrier: "DHL", trackingNumber: "DOCS-TRACK-1", items: [{ sku: "FURN_7777", qty: 3 }] }],
        at: new Date().toISOString(),
        version: Date.now(),
      },
    ],
  });

/** A picking's first move id (Odoo's `move_ids` is a list of ids). */
const firstMove = (picking: Record<string, unknown> | undefined): number => (Array.isArray(picking?.move_ids) ? Number(picking.move_ids[0]) : Number.NaN);
const get = (w: World, path: string, token: string) => call(`/v1/shops/${w.shop}${path}`, { headers: { origin: ORIGIN, "x-backroom-customer": token } });
const pull = async (w: World) => {
  w.fake.tick(60);
  const run = await pullErp(withPool(env, w.shop), w.shop, patience());
  expect(run?.status).toBe("ok");
};

/** Several pulls, pushes and queue attempts per test: more than the default 5 s on a loaded machine. */
const SLOW = { timeout: 60_000 };

describe.each([16, 17, 18] as const)("Odoo %i: the buyer's invoices, PDFs and returns", SLOW, (version) => {
  it("an invoice arrives with Odoo's open amount and payment state; its PDF is fetched once, kept in R2 and served to its buyer only", async () => {
    const w = await world(`odoo-acct-inv-${version}`, version);
    const invoiceId = w.fake.account.postInvoice(w.saleOrder);
    await pull(w);
    const number = String(w.fake.db.get("account.move")?.get(invoiceId)?.name);
    let list: AccountInvoices = await (await get(w, "/account/invoices", w.buyer)).json();
    // 3 × 40 + 15 % tax, nothing paid yet.
    expect(list.invoices).toEqual([
      expect.objectContaining({
        number,
        kind: "invoice",
        orderRefs: [w.orderRef],
        currency: "USD",
        total: "138",
        openAmount: "138",
        status: "open",
        pdf: true,
      }),
    ]);
    w.fake.account.pay(invoiceId, 50);
    await pull(w);
    list = await (await get(w, "/account/invoices", w.buyer)).json();
    expect(list.invoices[0]).toMatchObject({ number, openAmount: "88", status: "partial" });
    w.fake.account.pay(invoiceId, 88);
    await pull(w);
    list = await (await get(w, "/account/invoices", w.buyer)).json();
    expect(list.invoices[0]).toMatchObject({ number, openAmount: "0", status: "paid" });

    // Another buyer sees neither the invoice nor its PDF.
    expect((await (await get(w, "/account/invoices", w.other)).json<AccountInvoices>()).invoices).toEqual([]);
    expect((await get(w, `/account/invoices/${encodeURIComponent(number)}/pdf`, w.other)).status).toBe(404);

    const first = await get(w, `/account/invoices/${encodeURIComponent(number)}/pdf`, w.buyer);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/pdf");
    expect(first.headers.get("cache-control")).toContain("no-store");
    expect(new TextDecoder().decode(await first.arrayBuffer())).toBe(new TextDecoder().decode(w.fake.account.pdfOf(invoiceId)));
    expect(await env.DOCUMENTS.head(`${w.shop}/invoices/${encodeURIComponent(number)}.pdf`)).not.toBeNull();
    // The second request is R2's: Odoo is not asked again.
    expect(w.fake.account.reports).toBe(1);
    const second = await get(w, `/account/invoices/${encodeURIComponent(number)}/pdf`, w.buyer);
    expect(second.status).toBe(200);
    expect(new TextDecoder().decode(await second.arrayBuffer()).startsWith("%PDF-")).toBe(true);
    expect(w.fake.account.reports).toBe(1);
  });

  it("a return filed at the edge becomes an Odoo return picking on the delivery; its state comes back approved, then received", async () => {
    const w = await world(`odoo-acct-ret-${version}`, version);
    await pull(w);
    await arrived(w);
    const filed = await call(`/v1/shops/${w.shop}/account/returns`, {
      method: "POST",
      headers: { origin: ORIGIN, "x-backroom-customer": w.buyer, "content-type": "application/json" },
      body: JSON.stringify({ orderRef: w.orderRef, lines: [{ sku: "FURN_7777", qty: 1 }], reason: "One arrived scratched" }),
    });
    expect(filed.status).toBe(201);
    const ret: AccountReturn = await filed.json();
    const d = await one<{ id: string }>(w.shop, "SELECT id FROM deliveries WHERE shop_id = ? AND order_ref = ? AND kind = 'erp_return'", w.shop, w.orderRef);
    expect(await attemptDelivery(withPool(env, w.shop), String(d?.id), 1, (i, init) => fetch(i, init))).toEqual({ ack: true });
    const returns = () => [...(w.fake.db.get("stock.picking")?.values() ?? [])].filter((p) => p.picking_type_code === "incoming");
    expect(returns()).toHaveLength(1);
    const picking = returns()[0];
    // 16 returns through its own type (WH/RET), 17 and 18 into receipts (WH/IN), as captured.
    expect(String(picking?.name)).toMatch(version <= 16 ? /^WH\/RET\// : /^WH\/IN\//);
    expect(String(picking?.origin)).toContain(`[backroom-return:${ret.returnRef}]`);
    const move = w.fake.db.get("stock.move")?.get(firstMove(picking));
    expect(move).toMatchObject({ product_uom_qty: 1, picking_code: "incoming" });
    expect(w.fake.calls).toContain(`stock.return.picking.${version >= 18 ? "action_create_returns" : "create_returns"}`);

    let mine: AccountReturns = await (await get(w, "/account/returns", w.buyer)).json();
    expect(mine.returns).toEqual([expect.objectContaining({ returnRef: ret.returnRef, rmaNumber: picking?.name, status: "approved" })]);
    // A replayed delivery finds the return picking it made.
    expect(await attemptDelivery(withPool(env, w.shop), String(d?.id), 2, (i, init) => fetch(i, init))).toEqual({ ack: true });
    expect(returns()).toHaveLength(1);

    // The warehouse receives it in Odoo: the next pull says received.
    await w.fake.rpc("stock.picking", "button_validate", [[picking?.id]], { context: { skip_sms: true } });
    await pull(w);
    mine = await (await get(w, "/account/returns", w.buyer)).json();
    expect(mine.returns).toEqual([
      expect.objectContaining({ returnRef: ret.returnRef, rmaNumber: picking?.name, status: "received", lines: [{ sku: "FURN_7777", qty: 1 }] }),
    ]);
    expect((await (await get(w, "/account/returns", w.other)).json<AccountReturns>()).returns).toEqual([]);
  });
});

describe("Odoo invoice PDFs and returns beyond the happy path", SLOW, () => {
  it("a PDF Odoo keeps (printed on 16, Send & Print on 17/18) is read over RPC, without a web session", async () => {
    for (const version of [16, 18] as const) {
      const w = await world(`odoo-acct-kept-${version}`, version);
      const id = w.fake.account.postInvoice(w.saleOrder);
      w.fake.account.keepPdf(id);
      w.fake.account.wkhtmltopdf = false;
      await pull(w);
      const number = String(w.fake.db.get("account.move")?.get(id)?.name);
      const res = await get(w, `/account/invoices/${encodeURIComponent(number)}/pdf`, w.buyer);
      expect(res.status).toBe(200);
      expect(new TextDecoder().decode(await res.arrayBuffer()).startsWith("%PDF-")).toBe(true);
      expect(w.fake.account.reports).toBe(0);
      restore?.();
    }
  });

  it("Odoo that cannot render a PDF (no wkhtmltopdf, its captured error page) is a clear 502 to the buyer, and nothing is kept", async () => {
    const w = await world("odoo-acct-nopdf", 17);
    const id = w.fake.account.postInvoice(w.saleOrder);
    w.fake.account.wkhtmltopdf = false;
    await pull(w);
    const number = String(w.fake.db.get("account.move")?.get(id)?.name);
    const res = await get(w, `/account/invoices/${encodeURIComponent(number)}/pdf`, w.buyer);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error: { code: "invoice_pdf_failed", message: `The ERP could not provide the PDF of invoice ${number}`, details: { retryable: false } },
    });
    expect(await env.DOCUMENTS.head(`${w.shop}/invoices/${encodeURIComponent(number)}.pdf`)).toBeNull();
    // Once Odoo can render again, the same request works.
    w.fake.account.wkhtmltopdf = true;
    expect((await get(w, `/account/invoices/${encodeURIComponent(number)}/pdf`, w.buyer)).status).toBe(200);
  });

  it("a return staff make in Odoo for a shop order is pulled to its buyer with Odoo's number; a credit note arrives as one", async () => {
    const w = await world("odoo-acct-staff-ret", 17);
    const picking = [...(w.fake.db.get("stock.picking")?.values() ?? [])].find((p) => p.state === "done");
    const move = firstMove(picking);
    const wizard = await w.fake.rpc("stock.return.picking", "create", [
      {
        picking_id: picking?.id,
        product_return_moves: [[0, 0, { product_id: w.fake.db.get("stock.move")?.get(Number(move))?.product_id, quantity: 2, move_id: move }]],
      },
    ]);
    const action = (await w.fake.rpc("stock.return.picking", "create_returns", [[wizard]])) as { res_id: number };
    const refund = w.fake.account.postInvoice(w.saleOrder, { refund: true });
    await pull(w);
    const mine: AccountReturns = await (await get(w, "/account/returns", w.buyer)).json();
    expect(mine.returns).toEqual([
      expect.objectContaining({
        returnRef: `odoo-return-${action.res_id}`,
        rmaNumber: w.fake.db.get("stock.picking")?.get(action.res_id)?.name,
        orderRef: w.orderRef,
        status: "approved",
        lines: [{ sku: "FURN_7777", qty: 2 }],
      }),
    ]);
    const invoices: AccountInvoices = await (await get(w, "/account/invoices", w.buyer)).json();
    expect(invoices.invoices).toEqual([expect.objectContaining({ number: w.fake.db.get("account.move")?.get(refund)?.name, kind: "credit_note" })]);
  });

  it("a return of more than was delivered is refused without asking Odoo's wizard, for staff to see", async () => {
    const w = await world("odoo-acct-over", 18);
    await pull(w);
    await arrived(w);
    // The edge already refuses more than delivered; the ERP side checks again what Odoo says is left.
    const picking = [...(w.fake.db.get("stock.picking")?.values() ?? [])].find((p) => p.state === "done");
    const move = firstMove(picking);
    const wizard = await w.fake.rpc("stock.return.picking", "create", [
      {
        picking_id: picking?.id,
        product_return_moves: [[0, 0, { product_id: w.fake.db.get("stock.move")?.get(Number(move))?.product_id, quantity: 3, move_id: move }]],
      },
    ]);
    await w.fake.rpc("stock.return.picking", "action_create_returns", [[wizard]]);
    const filed = await call(`/v1/shops/${w.shop}/account/returns`, {
      method: "POST",
      headers: { origin: ORIGIN, "x-backroom-customer": w.buyer, "content-type": "application/json" },
      body: JSON.stringify({ orderRef: w.orderRef, lines: [{ sku: "FURN_7777", qty: 1 }], reason: "late" }),
    });
    expect(filed.status).toBe(201);
    const d = await one<{ id: string }>(w.shop, "SELECT id FROM deliveries WHERE shop_id = ? AND order_ref = ? AND kind = 'erp_return'", w.shop, w.orderRef);
    const calls = w.fake.calls.filter((c) => c.startsWith("stock.return.picking.")).length;
    expect(await attemptDelivery(withPool(env, w.shop), String(d?.id), 1, (i, init) => fetch(i, init))).toEqual({ ack: true });
    const row = await one<{ status: string; last_error: string }>(w.shop, "SELECT status, last_error FROM deliveries WHERE id = ?", String(d?.id));
    expect(row?.status).toBe("failed");
    expect(row?.last_error).toContain("left to return");
    expect(w.fake.calls.filter((c) => c.startsWith("stock.return.picking.")).length).toBe(calls);
  });
});
