import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type AccountInvoices,
  type AccountOrders,
  type AccountReturn,
  type AccountReturns,
  type AccountSummary,
  ReorderQuote,
  type StaffOrder,
} from "../../worker/contract";
import { withPool } from "../../worker/pool/plane";
import { attemptDelivery } from "../../worker/queue";
import { FakeErp } from "../fakes/erp";
import { fakeFetch } from "../fakes/router";
import { ADMIN, call, createShop, customerToken, ORIGIN, poolDb, pushOk } from "./helpers";

/**
 * The signed-in buyer's account (issue 13): balance and terms, order history with tracking, invoices
 * open first, invoice PDFs from R2 (fetched from the ERP once), and returns that travel to the ERP and
 * come back with its decision. Authorization is tested on every route in account-authz.
 */

const SHOP = "acct";
let secrets: { erpSecret: string; customerSecret: string; staffKey: string };
let erp: FakeErp;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const now = Date.now();
const PDF_A3 = "%PDF-1.4\n% invoice A3 of Acme\n%%EOF\n";

const get = (path: string, token?: string) =>
  call(`/v1/shops/${SHOP}${path}`, { headers: { origin: ORIGIN, ...(token === undefined ? {} : { "x-backroom-customer": token }) } });
const fileReturn = (token: string, body: unknown) =>
  call(`/v1/shops/${SHOP}/account/returns`, {
    method: "POST",
    headers: { origin: ORIGIN, "x-backroom-customer": token, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const returnDelivery = (orderRef: string) =>
  poolDb(SHOP)
    .prepare("SELECT id, status, event FROM deliveries WHERE shop_id = ? AND order_ref = ? AND kind = 'erp_return' ORDER BY created_at DESC")
    .bind(SHOP, orderRef)
    .first<{ id: string; status: string; event: string }>();

beforeAll(async () => {
  secrets = await createShop(SHOP);
  erp = new FakeErp(secrets.erpSecret);
  erp.pdfs.set("INV-A3", PDF_A3);
  vi.stubGlobal("fetch", fakeFetch({ "erp.fake": erp }));
  const put = await call(`/v1/admin/shops/${SHOP}/orders-settings`, {
    method: "PUT",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ erpEndpointUrl: "https://erp.fake/orders" }),
  });
  expect(put.status).toBe(200);
  const s = secrets.erpSecret;
  await pushOk(SHOP, s, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  // NUT is no longer sold: a reorder lists it as gone.
  await pushOk(SHOP, s, "products", { products: [{ sku: "BOLT", name: "Bolt", version: 1 }] });
  await pushOk(SHOP, s, "stock", { items: [{ sku: "BOLT", warehouse: "BER", onHand: 40, version: 1 }] });
  await pushOk(SHOP, s, "prices", {
    lists: [{ id: "L", name: "Dealers", currency: "EUR" }],
    prices: [
      { list: "L", sku: "BOLT", minQty: 1, unitPrice: "2.00", version: 1 },
      { list: "L", sku: "BOLT", minQty: 5, unitPrice: "1.80", version: 1 },
      { list: "L", sku: "BOLT", minQty: 50, unitPrice: "1.50", version: 1 },
    ],
  });
  await pushOk(SHOP, s, "customers", {
    customers: [
      {
        id: "CUST-A",
        email: "Buyer@Acme.example",
        company: "Acme GmbH",
        priceList: "L",
        paymentTerms: "Net 30",
        creditLimit: "5000.00",
        balance: "1234.56",
        version: 1,
      },
      { id: "CUST-B", email: "b@globex.example", company: "Globex AG", priceList: "L", balance: "10.00", version: 1 },
    ],
  });
  const ship = (n: string, items?: Array<{ sku: string; qty: number }>) => ({
    carrier: "DHL",
    trackingNumber: n,
    shippedAt: iso(now - 5 * DAY),
    ...(items ? { items } : {}),
  });
  await pushOk(SHOP, s, "orders", {
    orders: [
      {
        orderRef: "9001",
        orderNumber: "#9001",
        email: "buyer@acme.example",
        status: "delivered",
        shipments: [
          ship("3318810025", [
            { sku: "BOLT", qty: 5 },
            { sku: "NUT", qty: 10 },
          ]),
        ],
        at: iso(now - 4 * DAY),
        version: 1,
      },
      {
        orderRef: "9002",
        orderNumber: "#9002",
        email: "buyer@acme.example",
        status: "shipped",
        shipments: [ship("222", [{ sku: "BOLT", qty: 1 }])],
        at: iso(now - 2 * DAY),
        version: 1,
      },
      {
        orderRef: "9003",
        orderNumber: "#9003",
        email: "b@globex.example",
        status: "delivered",
        shipments: [ship("333", [{ sku: "BOLT", qty: 7 }])],
        at: iso(now - 3 * DAY),
        version: 1,
      },
      // Placed under another address; the ERP's invoice to Acme makes it Acme's.
      { orderRef: "9004", orderNumber: "#9004", email: "someone@acme.example", status: "confirmed", at: iso(now - 1 * DAY), version: 1 },
      { orderRef: "9005", orderNumber: "#9005", email: "anna@example.com", status: "delivered", at: iso(now - 1 * DAY), version: 1 },
    ],
  });
  const inv = (number: string, customer: string, over: Record<string, unknown>) => ({
    number,
    customer,
    issuedAt: iso(now - 40 * DAY),
    currency: "EUR",
    total: "100.00",
    openAmount: "100.00",
    status: "open",
    version: 1,
    ...over,
  });
  await pushOk(SHOP, s, "invoices", {
    invoices: [
      inv("INV-A1", "CUST-A", { orderRefs: ["9001"], dueAt: iso(now - 10 * DAY), openAmount: "60.50", status: "partial" }),
      inv("INV-A2", "CUST-A", { orderRefs: ["9001"], dueAt: iso(now - 30 * DAY), openAmount: "0.00", status: "paid" }),
      inv("INV-A3", "CUST-A", { orderRefs: ["9004"], issuedAt: iso(now - DAY), dueAt: iso(now + 20 * DAY), total: "250.00", openAmount: "250.00", pdf: true }),
      inv("INV-A4", "CUST-A", { dueAt: iso(now - 2 * DAY), openAmount: "40.00" }),
      inv("INV-B1", "CUST-B", { orderRefs: ["9003"], dueAt: iso(now - 2 * DAY), pdf: true }),
    ],
  });
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe("account summary", () => {
  it("shows company, terms, limit, the ERP's balance, available credit and what is overdue", async () => {
    const res = await get("/account", await customerToken(secrets.customerSecret, "CUST-A"));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(await res.json()).toEqual({
      company: "Acme GmbH",
      currency: "EUR",
      paymentTerms: "Net 30",
      creditLimit: "5000.00",
      balance: "1234.56",
      creditAvailable: "3765.44",
      overdue: "100.50",
      openInvoices: 3,
    } satisfies AccountSummary);
  });
});

describe("order history", () => {
  it("lists the buyer's orders (by email and by the ERP's invoices), latest first, paged, with tracking, invoices and what may be returned", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    const first = await get("/account/orders?limit=2", token);
    expect(first.status).toBe(200);
    const page1: AccountOrders = await first.json();
    expect(page1.orders.map((o) => o.orderRef)).toEqual(["9004", "9002"]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2: AccountOrders = await (await get(`/account/orders?limit=2&cursor=${encodeURIComponent(String(page1.nextCursor))}`, token)).json();
    expect(page2.orders.map((o) => o.orderRef)).toEqual(["9001"]);
    expect(page2.nextCursor).toBeUndefined();
    const [o9001] = page2.orders;
    expect(o9001).toMatchObject({
      orderNumber: "#9001",
      status: "delivered",
      invoices: ["INV-A1", "INV-A2"],
      lines: [
        { sku: "BOLT", qty: 5 },
        { sku: "NUT", qty: 10 },
      ],
      returnable: [
        { sku: "BOLT", qty: 5 },
        { sku: "NUT", qty: 10 },
      ],
      returns: [],
    });
    expect(o9001?.shipments[0]).toMatchObject({ carrier: "DHL", trackingNumber: "3318810025", trackingUrl: expect.stringContaining("3318810025") });
    // Shipped (what Odoo and ERPNext call delivered, and all they ever say): what left may come back.
    expect(page1.orders[1]?.returnable).toEqual([{ sku: "BOLT", qty: 1 }]);
  });

  it("answers a malformed cursor or limit with 400", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    expect((await get("/account/orders?limit=0", token)).status).toBe(400);
    expect((await get("/account/orders?limit=51", token)).status).toBe(400);
    // An unreadable cursor starts from the top rather than failing.
    expect((await get("/account/orders?cursor=%%%", token)).status).toBe(200);
  });
});

describe("invoices", () => {
  it("lists open invoices first, earliest due first, then the settled ones, with overdue flags", async () => {
    const res = await get("/account/invoices", await customerToken(secrets.customerSecret, "CUST-A"));
    const body: AccountInvoices = await res.json();
    expect(body.invoices.map((i) => [i.number, i.status, i.overdue])).toEqual([
      ["INV-A1", "partial", true],
      ["INV-A4", "open", true],
      ["INV-A3", "open", false],
      ["INV-A2", "paid", false],
    ]);
    expect(body.invoices[2]).toMatchObject({ openAmount: "250.00", total: "250.00", pdf: true, orderRefs: ["9004"] });
  });

  it("serves an invoice PDF fetched once from the ERP, then from R2, private and not cached", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    for (let i = 0; i < 2; i++) {
      const res = await get("/account/invoices/INV-A3/pdf", token);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(await res.text()).toBe(PDF_A3);
    }
    expect(erp.pdfFetches.get("INV-A3")).toBe(1);
    expect(await (await env.DOCUMENTS.get(`${SHOP}/invoices/INV-A3.pdf`))?.text()).toBe(PDF_A3);
  });

  it("answers 404 when the ERP has no PDF, or the invoice has none", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    const none = await get("/account/invoices/INV-A1/pdf", token);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("invoice_pdf_unavailable");
  });
});

describe("returns", () => {
  it("files a return of delivered units, queues it to the ERP, and shows the ERP's decision", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    const res = await fileReturn(token, { orderRef: "9001", lines: [{ sku: "BOLT", qty: 2 }], reason: "Two arrived bent" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const filed: AccountReturn = await res.json();
    expect(filed).toMatchObject({ orderRef: "9001", status: "requested", lines: [{ sku: "BOLT", qty: 2 }], photo: false });
    const d = await returnDelivery("9001");
    expect(d).toMatchObject({ status: "pending", event: "return.requested" });

    erp.returnDecision = "approved";
    expect(await attemptDelivery(withPool(env, SHOP), String(d?.id), 1, fetch)).toEqual({ ack: true });
    expect([...erp.returns.values()]).toEqual([
      {
        returnRef: filed.returnRef,
        orderRef: "9001",
        lines: [{ sku: "BOLT", qty: 2 }],
        reason: "Two arrived bent",
        customer: "CUST-A",
        orderNumber: "#9001",
        photo: false,
        requestedAt: filed.requestedAt,
      },
    ]);
    const list: AccountReturns = await (await get("/account/returns", token)).json();
    expect(list.returns).toEqual([expect.objectContaining({ returnRef: filed.returnRef, rmaNumber: "RMA-1", status: "approved" })]);

    // The ERP's later, versioned word wins: received.
    await pushOk(SHOP, secrets.erpSecret, "returns", {
      returns: [
        {
          returnRef: filed.returnRef,
          customer: "CUST-A",
          orderRef: "9001",
          lines: [{ sku: "BOLT", qty: 2 }],
          status: "received",
          at: iso(Date.now()),
          version: 5,
        },
      ],
    });
    const orders: AccountOrders = await (await get("/account/orders", token)).json();
    const o = orders.orders.find((x) => x.orderRef === "9001");
    expect(o?.returns).toEqual([{ returnRef: filed.returnRef, rmaNumber: "RMA-1", status: "received" }]);
    expect(o?.returnable).toEqual([
      { sku: "BOLT", qty: 3 },
      { sku: "NUT", qty: 10 },
    ]);
  });

  it("refuses more than delivered − already returned (repeated SKUs summed), changing nothing", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    const before = await poolDb(SHOP).prepare("SELECT count(*) AS n FROM account_returns WHERE shop_id = ?").bind(SHOP).first("n");
    const over = await fileReturn(token, {
      orderRef: "9001",
      lines: [
        { sku: "BOLT", qty: 2 },
        { sku: "BOLT", qty: 2 },
      ],
      reason: "too many",
    });
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ error: { code: "return_quantity_exceeded", details: { lines: [{ sku: "BOLT", asked: 4, returnable: 3 }] } } });
    const notShipped = await fileReturn(token, { orderRef: "9001", lines: [{ sku: "CAP", qty: 1 }], reason: "never ordered" });
    expect(notShipped.status).toBe(422);
    // 9002 has shipped 1 BOLT: no more than that; 9004 is only confirmed: nothing has left.
    const beyondShipped = await fileReturn(token, { orderRef: "9002", lines: [{ sku: "BOLT", qty: 2 }], reason: "in transit" });
    expect(await beyondShipped.json()).toMatchObject({
      error: { code: "return_quantity_exceeded", details: { lines: [{ sku: "BOLT", asked: 2, returnable: 1 }] } },
    });
    const notSent = await fileReturn(token, { orderRef: "9004", lines: [{ sku: "BOLT", qty: 1 }], reason: "not sent yet" });
    expect(notSent.status).toBe(422);
    for (const bad of [
      { orderRef: "9001", lines: [], reason: "x" },
      { orderRef: "9001", lines: [{ sku: "BOLT", qty: 0 }], reason: "x" },
      { orderRef: "9001", lines: [{ sku: "BOLT", qty: 1 }] },
    ]) {
      expect((await fileReturn(token, bad)).status).toBe(400);
    }
    expect(await poolDb(SHOP).prepare("SELECT count(*) AS n FROM account_returns WHERE shop_id = ?").bind(SHOP).first("n")).toBe(before);
  });

  it("lets two concurrent requests for the last units have them once", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    const answers = await Promise.all([1, 2, 3].map(() => fileReturn(token, { orderRef: "9001", lines: [{ sku: "NUT", qty: 6 }], reason: "race" })));
    // The losers are told the units are gone: 409 when they raced the write, 422 when they read after it.
    for (const r of answers) expect([201, 409, 422]).toContain(r.status);
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    const rows = await poolDb(SHOP)
      .prepare("SELECT lines FROM account_returns WHERE shop_id = ? AND order_ref = '9001' AND lines LIKE '%NUT%'")
      .bind(SHOP)
      .all();
    expect(rows.results).toHaveLength(1);
  });

  it("keeps a photo (JPEG, PNG or WebP by its bytes, at most 5 MB) in R2 and refuses other files", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    const post = (photo: Blob, name = "p.jpg") => {
      const form = new FormData();
      form.set("request", JSON.stringify({ orderRef: "9001", lines: [{ sku: "NUT", qty: 1 }], reason: "scratched" }));
      form.set("photo", photo, name);
      return call(`/v1/shops/${SHOP}/account/returns`, { method: "POST", headers: { origin: ORIGIN, "x-backroom-customer": token }, body: form });
    };
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const ok = await post(new Blob([jpeg], { type: "image/jpeg" }));
    expect(ok.status).toBe(201);
    const filed: AccountReturn = await ok.json();
    expect(filed.photo).toBe(true);
    const stored = await env.DOCUMENTS.get(`${SHOP}/returns/${filed.returnRef}/photo`);
    expect(new Uint8Array(await (stored as R2ObjectBody).arrayBuffer())).toEqual(jpeg);
    expect(stored?.httpMetadata?.contentType).toBe("image/jpeg");

    const html = await post(new Blob(["<script>alert(1)</script>"], { type: "image/jpeg" }));
    expect(html.status).toBe(415);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
    const mismatch = await post(new Blob([png], { type: "image/jpeg" }));
    expect(((await mismatch.json()) as { error: { code: string } }).error.code).toBe("photo_type_mismatch");
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(jpeg);
    expect((await post(new Blob([big], { type: "image/jpeg" }))).status).toBe(413);
  });

  it("rate limits return requests per buyer", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-B");
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await fileReturn(token, { orderRef: "9003", lines: [{ sku: "BOLT", qty: 1 }], reason: `r${i}` })).status);
    expect(statuses.slice(0, 7)).toEqual([201, 201, 201, 201, 201, 201, 201]);
    expect(statuses.slice(7, 10)).toEqual([422, 422, 422]);
    expect(statuses[10]).toBe(429);
  });
});

describe("reorder", () => {
  it("prices a past order today: availability, the buyer's break for the quantity, and the lines no longer sold", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    const res = await get("/account/orders/9001/reorder", token);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await res.json()).toEqual({
      currency: "EUR",
      lines: [{ sku: "BOLT", qty: 5, available: 40, status: "in_stock", unitPrice: "1.80" }],
      gone: [{ sku: "NUT", qty: 10 }],
    });
    // Another buyer's order is not there.
    expect((await get("/account/orders/9003/reorder", token)).status).toBe(404);
  });

  it("names the id the shop's cart takes: the variant's, else (a WooCommerce simple product) the product's", async () => {
    const token = await customerToken(secrets.customerSecret, "CUST-A");
    const remember = (kind: string, id: string, at: number) =>
      poolDb(SHOP)
        .prepare("INSERT OR REPLACE INTO platform_ids (shop_id, kind, platform_id, value, updated_at) VALUES (?, ?, ?, 'BOLT', ?)")
        .bind(SHOP, kind, id, at)
        .run();
    const variantOf = async () => ReorderQuote.parse(await (await get("/account/orders/9001/reorder", token)).json()).lines[0]?.variantId;
    // A simple product's order line carries product_id and variation_id 0: only the product id is known.
    await remember("product", "77", 1_000);
    expect(await variantOf()).toBe("77");
    // A variant id wins over a product id, even an older one.
    await remember("variant", "4401", 500);
    expect(await variantOf()).toBe("4401");
    await poolDb(SHOP).prepare("DELETE FROM platform_ids WHERE shop_id = ? AND value = 'BOLT'").bind(SHOP).run();
  });
});

describe("staff: the order's invoices and returns", () => {
  it("shows staff of the shop the invoices naming the order (open first) and its returns with the ERP's status", async () => {
    const res = await call(`/v1/staff/${SHOP}/orders/9001`, { headers: { authorization: `Bearer ${secrets.staffKey}` } });
    expect(res.status).toBe(200);
    const order: StaffOrder = await res.json();
    expect(order.invoices?.map((i) => [i.number, i.status, i.openAmount, i.overdue])).toEqual([
      ["INV-A1", "partial", "60.50", true],
      ["INV-A2", "paid", "0.00", false],
    ]);
    expect(order.returns?.length).toBeGreaterThan(0);
    expect(order.returns?.[order.returns.length - 1]).toMatchObject({ rmaNumber: "RMA-1", status: "received", lines: [{ sku: "BOLT", qty: 2 }] });
    // Another shop's staff key opens nothing here.
    const other = await createShop("acct-staff-other");
    expect((await call(`/v1/staff/${SHOP}/orders/9001`, { headers: { authorization: `Bearer ${other.staffKey}` } })).status).toBe(401);
  });
});
