import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { pullErp } from "../../worker/connector-jobs";
import type { Patience } from "../../worker/connectors/http";
import { odooClient } from "../../worker/connectors/odoo/client";
import { saveSettings } from "../../worker/connectors/settings";
import type { StaffProduct } from "../../worker/contract";
import type { OdooSettings } from "../../worker/contract/connectors";
import { applyOrderEvent } from "../../worker/orders/apply";
import { normalise } from "../../worker/orders/inbox";
import { putOrderSettings } from "../../worker/orders/settings";
import { withPool } from "../../worker/pool/plane";
import { attemptDelivery } from "../../worker/queue";
import { openShopifyOrder, shopifyOrderBody } from "../fakes/hooks";
import { createOdooFake, FAKE_KEY, FAKE_LOGIN, fakeDb, type OdooFake } from "../fakes/odoo/app";
import { capturedFor } from "../fakes/odoo/captured";
import { loadCurrencyCapture, loadPricingCapture } from "../fakes/odoo/pricing-capture";
import type { Version } from "../fakes/odoo/seed";
import { routeFetch } from "../fakes/route-fetch";
import { call, createShop, poolDb } from "./helpers";

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  vi.useRealTimers();
});

/** Never really waits; remembers what it was asked to wait. */
const patience = (waits: number[] = [], maxWaitMs = 5_000): Patience => ({
  attempts: 3,
  maxWaitMs,
  sleep: async (ms) => {
    waits.push(ms);
  },
});

const settingsFor = (version: Version, extra: Partial<OdooSettings> = {}): OdooSettings => ({
  kind: "odoo",
  url: `http://odoo${version}.test`,
  db: fakeDb(version),
  protocol: version >= 19 ? "json2" : "jsonrpc",
  login: FAKE_LOGIN,
  apiKey: FAKE_KEY,
  currency: "USD",
  ...extra,
});

async function setup(
  shopId: string,
  version: Version,
  extra: Partial<OdooSettings> = {},
  shopExtra: Record<string, unknown> = {},
): Promise<{ fake: OdooFake; staffKey: string }> {
  const secrets = await createShop(shopId, shopExtra);
  const fake = createOdooFake(version);
  restore = routeFetch({ [`odoo${version}.test`]: fake }).mockRestore;
  await saveSettings(withPool(env, shopId), shopId, "erp", settingsFor(version, extra), true, Date.now());
  // The operator sends this shop's orders to its ERP connector (issue 10: where orders go is the operator's call).
  await putOrderSettings(poolDb(shopId), shopId, { ordersTo: "erp-connector" }, Date.now());
  return { fake, staffKey: secrets.staffKey };
}

const one = async <T>(shop: string, sql: string, ...args: unknown[]): Promise<T | null> =>
  poolDb(shop)
    .prepare(sql)
    .bind(...args)
    .first<T>();

describe("the Odoo fake answers as the captured servers did", () => {
  const replayed = ["01_", "02_", "04_", "05_", "06_", "07_", "14_", "15_", "15b_", "16_"];
  for (const version of [16, 17, 18] as const) {
    const cases = capturedFor(version).filter((c) => replayed.some((p) => c.file.startsWith(p)));
    it.each(cases.map((c) => [c.file, c] as const))(`Odoo ${version}: %s`, async (_file, captured) => {
      const fake = createOdooFake(version);
      const res = await fake.fetch(new Request("http://odoo.test/jsonrpc", { method: "POST", body: JSON.stringify(captured.request) }));
      expect(res.status).toBe(captured.http_status ?? 200);
      const body = await res.json<{ result?: unknown; error?: { code: number; message: string; data: { name: string; message: string } } }>();
      if (captured.response.error) {
        expect(body.error).toMatchObject({
          code: captured.response.error.code,
          message: captured.response.error.message,
          data: { name: captured.response.error.data.name, message: captured.response.error.data.message },
        });
      } else expect(body.result).toEqual(captured.response.result);
    });
  }
});

describe("Odoo pull", () => {
  it.each([16, 17, 18] as const)("Odoo %i: maps warehouses, products, stock with reservations, prices, customers and order status", async (version) => {
    const shop = `odoo-pull-${version}`;
    const { fake } = await setup(shop, version);
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("ok");
    const captured = (prefix: string) => capturedFor(version).find((c) => c.file.startsWith(prefix))?.response.result as Array<Record<string, unknown>>;
    const second = captured("07_")[1];
    expect(await one(shop, "SELECT name FROM warehouses WHERE shop_id = ? AND code = ?", shop, second?.code)).toEqual({ name: second?.name });
    expect(await one(shop, "SELECT name FROM products WHERE shop_id = ? AND sku = 'FURN_7777'", shop)).toEqual({ name: "Office Chair" });
    // Quant 3 as captured (E-COM07 in WH/Stock; 16 and 17/18 differ), its reserved quantity as committed.
    const quant = captured("06_").find((q) => q.id === 3);
    expect(await one(shop, "SELECT on_hand, committed FROM stock WHERE shop_id = ? AND sku = 'E-COM07' AND warehouse = 'WH'", shop)).toEqual({
      on_hand: quant?.quantity,
      committed: quant?.reserved_quantity,
    });
    // A warehouse with no quant of the product gets a zero row, so stock that left it drops too.
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = 'E-COM07' AND warehouse = ?", shop, second?.code)).toEqual({ on_hand: 0 });
    // The captured pricelist item: FURN_7777's template at 59.5 from 10 units; below 10 no rule
    // applies and Odoo sells at the sales price, which is also the public list's price.
    const chair = fake.db
      .get("product.product")
      ?.get([...(fake.db.get("product.product")?.values() ?? [])].find((p) => p.default_code === "FURN_7777")?.id ?? 0);
    const { results } = await poolDb(shop)
      .prepare("SELECT list, min_qty, unit_price FROM prices WHERE shop_id = ? AND sku = 'FURN_7777' ORDER BY list, min_qty")
      .bind(shop)
      .all();
    expect(results).toEqual([
      { list: "1", min_qty: 1, unit_price: String(chair?.lst_price) },
      { list: "1", min_qty: 10, unit_price: "59.5" },
      { list: "public", min_qty: 1, unit_price: String(chair?.lst_price) },
    ]);
    const partner = captured("09b_")[0];
    expect(await one(shop, "SELECT company, price_list FROM customers WHERE shop_id = ? AND id = ?", shop, String(partner?.id))).toEqual({
      company: partner?.name,
      price_list: "1",
    });
    // The captured order PROBE-001 is confirmed and its delivery is ready: the warehouse is picking.
    expect(await one(shop, "SELECT status, erp_ref FROM orders WHERE shop_id = ? AND order_ref = 'PROBE-001'", shop)).toEqual({
      status: "picking",
      erp_ref: "S00025",
    });
  });

  it.each([16, 17, 18] as const)("Odoo %i: a later run takes only what changed: the shipped order with tracking, the stock it took", async (version) => {
    const shop = `odoo-incr-${version}`;
    const { fake } = await setup(shop, version);
    await pullErp(withPool(env, shop), shop, patience());
    const picking = [...(fake.db.get("stock.picking")?.values() ?? [])].find((p) => Array.isArray(p.sale_id));
    expect(picking).toBeDefined();
    const rpc = async (model: string, method: string, args: unknown[], kw: Record<string, unknown> = {}) =>
      fake.fetch(
        new Request("http://x/jsonrpc", {
          method: "POST",
          body: JSON.stringify({
            jsonrpc: "2.0",
            method: "call",
            id: 1,
            params: { service: "object", method: "execute_kw", args: [fakeDb(version), 2, FAKE_KEY, model, method, args, kw] },
          }),
        }),
      );
    fake.tick(60);
    await rpc("stock.picking", "write", [[picking?.id], { carrier_id: 1, carrier_tracking_ref: "1Z999AA10123456784" }]);
    const carrier = fake.db.get("delivery.carrier")?.get(1);
    if (picking) picking.carrier_id = [1, String(carrier?.name)];
    await rpc("stock.picking", "button_validate", [[picking?.id]], { context: { skip_sms: true } });
    fake.calls.length = 0;

    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("ok");
    const order = await one<{ status: string; shipments: string }>(
      shop,
      "SELECT status, shipments FROM orders WHERE shop_id = ? AND order_ref = 'PROBE-001'",
      shop,
    );
    expect(order?.status).toBe("shipped");
    expect(JSON.parse(order?.shipments ?? "[]")).toEqual([
      expect.objectContaining({ carrier: String(carrier?.name), trackingNumber: "1Z999AA10123456784", items: [{ sku: "DESK0005", qty: 2 }] }),
    ]);
    expect(await one(shop, "SELECT on_hand, committed FROM stock WHERE shop_id = ? AND sku = 'DESK0005' AND warehouse = 'WH'", shop)).toEqual({
      on_hand: 63,
      committed: 0,
    });
    // Products did not change: the cursor's second and what follows it came back empty, nothing else was read for them
    // (twice: for the products, and for the prices that follow their sales price and cost).
    expect(fake.calls.filter((c) => c === "product.product.search_read")).toHaveLength(4);
    expect(outcome?.totals.applied).toBeGreaterThan(0);
  });

  it("open receipts (incoming stock.move) arrive as incoming stock with their dates", async () => {
    const shop = "odoo-incoming";
    const { fake } = await setup(shop, 17);
    await pullErp(withPool(env, shop), shop, patience());
    const moves = fake.db.get("stock.move");
    moves?.set(500, {
      id: 500,
      product_id: [17, "[E-COM07] Large Cabinet"],
      product_uom_qty: 40,
      state: "assigned",
      picking_code: "incoming",
      location_dest_id: [8, "WH/Stock"],
      date: "2099-02-03 09:00:00",
      reference: "WH/IN/00042",
      quantity: 0,
      picked: false,
      write_date: fake.tick(30),
    });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const row = await one<{ incoming: string }>(shop, "SELECT incoming FROM stock WHERE shop_id = ? AND sku = 'E-COM07' AND warehouse = 'WH'", shop);
    expect(JSON.parse(row?.incoming ?? "[]")).toEqual([{ qty: 40, eta: "2099-02-03", ref: "WH/IN/00042" }]);
  });

  it("a receipt past its date still counts as incoming, as of today and marked overdue", async () => {
    const shop = "odoo-overdue";
    const { fake } = await setup(shop, 17);
    await pullErp(withPool(env, shop), shop, patience());
    fake.db.get("stock.move")?.set(501, {
      id: 501,
      product_id: [17, "[E-COM07] Large Cabinet"],
      product_uom_qty: 12,
      state: "assigned",
      picking_code: "incoming",
      location_dest_id: [8, "WH/Stock"],
      date: "2020-01-05 09:00:00",
      reference: "WH/IN/00007",
      quantity: 0,
      picked: false,
      write_date: fake.tick(30),
    });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const row = await one<{ incoming: string }>(shop, "SELECT incoming FROM stock WHERE shop_id = ? AND sku = 'E-COM07' AND warehouse = 'WH'", shop);
    expect(JSON.parse(row?.incoming ?? "[]")).toEqual([
      { qty: 12, eta: new Date().toISOString().slice(0, 10), ref: "WH/IN/00007 · overdue, was due 2020-01-05" },
    ]);
  });

  it("one bad record never blocks the batch, and staff see it", async () => {
    const shop = "odoo-bad";
    const { fake, staffKey } = await setup(shop, 17);
    const products = fake.db.get("product.product");
    products?.set(900, {
      id: 900,
      default_code: false,
      name: "No reference",
      barcode: false,
      standard_price: 0,
      product_tmpl_id: [900, "x"],
      write_date: fake.now(),
    });
    products?.set(901, {
      id: 901,
      default_code: "BAD SKU",
      name: "Space in SKU",
      barcode: false,
      standard_price: 0,
      product_tmpl_id: [901, "y"],
      write_date: fake.now(),
    });
    // Two lists based on each other: Odoo itself cannot price them.
    fake.db.get("product.pricelist")?.set(2, { id: 2, name: "Other", currency_id: [2, "USD"], sequence: 17, write_date: fake.now() });
    for (const [id, list, base] of [
      [50, 1, 2],
      [51, 2, 1],
    ] as const)
      fake.db.get("product.pricelist.item")?.set(id, {
        id,
        pricelist_id: [list, `List ${list} (USD)`],
        applied_on: "3_global",
        product_tmpl_id: false,
        product_id: false,
        categ_id: false,
        compute_price: "formula",
        base: "pricelist",
        base_pricelist_id: [base, `List ${base} (USD)`],
        price_discount: 5,
        min_quantity: 0,
        write_date: fake.now(),
      });
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("partial");
    expect(await one(shop, "SELECT name FROM products WHERE shop_id = ? AND sku = 'FURN_8888'", shop)).toEqual({ name: "Office Lamp" });
    const res = await call(`/v1/staff/${shop}/connectors`, { headers: { authorization: `Bearer ${staffKey}` } });
    expect(res.status).toBe(200);
    const view = await res.json<{
      runs: Array<{ status: string; errors: Array<{ record?: string; code: string }> }>;
      connectors: Array<{ settings: Record<string, unknown> }>;
    }>();
    expect(view.connectors[0]?.settings.apiKey).toBe("***");
    expect(view.runs[0]?.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ record: "product.product/900", code: "no_sku" }),
        expect.objectContaining({ record: "product.product/901", code: "invalid_record" }),
        expect.objectContaining({ record: "product.pricelist/1", code: "price_rule_cycle" }),
      ]),
    );
  });

  it("waits out a 429 within its patience, and stops a run the ERP throttles longer, resuming from the cursors", async () => {
    const shop = "odoo-throttle";
    const { fake } = await setup(shop, 17);
    const waits: number[] = [];
    fake.faults.push({ status: 429, retryAfter: "2" });
    expect((await pullErp(withPool(env, shop), shop, patience(waits)))?.status).toBe("ok");
    expect(waits).toEqual([2000]);

    fake.tick(60);
    const quant = fake.db.get("stock.quant")?.get(3);
    if (quant) Object.assign(quant, { quantity: 480, write_date: fake.now() });
    // The third call of the next run (products' page) is throttled for two minutes: too long to wait.
    fake.faults.push({ status: 200 }, { status: 200 });
    fake.faults.length = 0;
    let calls = 0;
    const original = fake.fetch;
    fake.fetch = async (req) => (++calls === 3 ? new Response("slow down", { status: 429, headers: { "retry-after": "120" } }) : original(req));
    const throttled = await pullErp(withPool(env, shop), shop, patience());
    expect(throttled?.status).toBe("throttled");
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = 'E-COM07' AND warehouse = 'WH'", shop)).toEqual({ on_hand: 500 });
    const resumed = await pullErp(withPool(env, shop), shop, patience());
    expect(resumed?.status).toBe("ok");
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = 'E-COM07' AND warehouse = 'WH'", shop)).toEqual({ on_hand: 480 });
  });

  it.each([18, 19] as const)("Odoo %i: an ORM error (HTTP 200 + error in JSON-RPC, 422 in JSON-2) is permanent, with Odoo's message", async (version) => {
    await setup(`odoo-err-${version}`, version);
    const client = odooClient(settingsFor(version), patience());
    const err = await client.searchRead("product.product", [], { fields: ["no_such_field"] }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "odoo_refused",
      retryable: false,
      message: expect.stringContaining("Invalid field 'no_such_field' on model 'product.product'"),
    });
  });

  it("speaks JSON-2 to Odoo 19 with a bearer key, and records refused credentials as a failed run", async () => {
    const shop = "odoo-json2";
    await setup(shop, 19);
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("ok");
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = 'E-COM07' AND warehouse = 'WH'", shop)).toEqual({ on_hand: 500 });
    await saveSettings(withPool(env, shop), shop, "erp", settingsFor(19, { apiKey: "wrong" }), true, Date.now());
    const refused = await pullErp(withPool(env, shop), shop, patience());
    expect(refused?.status).toBe("failed");
    const err = await one<{ code: string; retryable: number }>(shop, "SELECT code, retryable FROM connector_errors WHERE run_id = ? LIMIT 1", refused?.runId);
    expect(err).toEqual({ code: "unauthorized", retryable: 0 });
  });
});

describe("Odoo's write_date is read back in whole seconds while it is stored with microseconds", () => {
  it("250 products written in one call (one shared write_date) all arrive with pages of 200, and the next run reads almost nothing", async () => {
    const shop = "odoo-cursor-bulk";
    const { fake } = await setup(shop, 17);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    fake.tick(60);
    const vals = Array.from({ length: 250 }, (_, i) => ({ default_code: `BULK-${String(i).padStart(3, "0")}`, name: `Bulk ${i}`, type: "product" }));
    await fake.rpc("product.product", "create", [vals]);
    const stamps = new Set(
      [...(fake.db.get("product.product")?.values() ?? [])].filter((p) => String(p.default_code).startsWith("BULK-")).map((p) => p.write_date),
    );
    expect(stamps.size).toBe(1);
    expect([...stamps][0]).toMatch(/\.\d{6}$/);

    fake.calls.length = 0;
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("ok");
    expect(await one(shop, "SELECT count(*) AS n FROM products WHERE shop_id = ? AND sku LIKE 'BULK-%'", shop)).toEqual({ n: 250 });
    // The old cursor's second, one page that finds the shared second, two pages draining it by id,
    // one look past it: never the same page again (the old cursor read 200 of them 100 times).
    // (As many again for the prices, which follow the products' sales price and cost.)
    expect(fake.calls.filter((c) => c === "product.product.search_read").length).toBeLessThanOrEqual(10);

    // They were written seconds before that run ended (not yet settled on Odoo's clock): read once more, then never.
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    fake.tick(60);
    fake.calls.length = 0;
    const next = await pullErp(withPool(env, shop), shop, patience());
    expect(next?.status).toBe("ok");
    expect(fake.calls.filter((c) => c === "product.product.search_read").length).toBeLessThanOrEqual(4);
    expect(next?.totals.applied).toBe(0);
  });

  it("a record changed later in the same second as the cursor, with a lower id, is not lost", async () => {
    const shop = "odoo-cursor-same-second";
    const { fake } = await setup(shop, 17);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    fake.tick(60);
    const [a, b] = (await fake.rpc("product.product", "create", [
      [
        { default_code: "SEC-A", name: "A" },
        { default_code: "SEC-B", name: "B" },
      ],
    ])) as number[];
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    // The same whole second, later microseconds: Odoo answers the same write_date for both writes.
    const rec = fake.db.get("product.product")?.get(a ?? 0);
    const other = fake.db.get("product.product")?.get(b ?? 0);
    if (rec && other) Object.assign(rec, { name: "A renamed", write_date: `${String(other.write_date).slice(0, 19)}.999999` });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT name FROM products WHERE shop_id = ? AND sku = 'SEC-A'", shop)).toEqual({ name: "A renamed" });
  });
});

describe("stock Odoo no longer has", () => {
  it.each([16, 17, 18] as const)("Odoo %i: a quant counted to zero and deleted by the scheduler reads onHand 0 at the edge", async (version) => {
    const shop = `odoo-zero-quant-${version}`;
    const { fake } = await setup(shop, version);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const quant = [...(fake.db.get("stock.quant")?.values() ?? [])].find((q) => Number(q.reserved_quantity) === 0 && Number(q.quantity) > 0);
    if (!quant) throw new Error("the seed has an unreserved quant");
    const product = fake.db.get("product.product")?.get((quant.product_id as [number])[0]);
    const sku = String(product?.default_code);
    expect(
      Number((await one<{ on_hand: number }>(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = ? AND warehouse = 'WH'", shop, sku))?.on_hand),
    ).toBe(quant?.quantity);
    fake.tick(60);
    await fake.rpc("stock.quant", "write", [[quant?.id], { inventory_quantity: 0 }]);
    await fake.rpc("stock.quant", "action_apply_inventory", [[quant?.id]]);
    await fake.rpc("procurement.group", "run_scheduler", []);
    expect(fake.db.get("stock.quant")?.has(quant?.id ?? 0)).toBe(false);
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT on_hand, committed FROM stock WHERE shop_id = ? AND sku = ? AND warehouse = 'WH'", shop, sku)).toEqual({
      on_hand: 0,
      committed: 0,
    });
  });
});

describe("the periodic full stock snapshot", () => {
  it("zeroes stock whose quant vanished without any move, once the snapshot is due, and rewrites nothing unchanged", async () => {
    const shop = "odoo-snapshot";
    const { fake } = await setup(shop, 17, { snapshotMinutes: 15 });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const quant = fake.db.get("stock.quant")?.get(1);
    if (!quant) throw new Error("the seed has quant 1");
    const sku = String(fake.db.get("product.product")?.get((quant.product_id as [number])[0])?.default_code);
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = ? AND warehouse = 'WH'", shop, sku)).toEqual({ on_hand: quant?.quantity });
    fake.db.get("stock.quant")?.delete(1);
    fake.tick(60);
    // Not due yet: the change cursors see nothing.
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = ? AND warehouse = 'WH'", shop, sku)).toEqual({ on_hand: quant?.quantity });
    vi.useFakeTimers({ now: Date.now() + 16 * 60_000, toFake: ["Date"] });
    fake.tick(60);
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("ok");
    expect(await one(shop, "SELECT on_hand FROM stock WHERE shop_id = ? AND sku = ? AND warehouse = 'WH'", shop, sku)).toEqual({ on_hand: 0 });
    // Only the vanished quant's row changed.
    expect(outcome?.totals.applied).toBe(1);
  });

  it("measures a snapshot of 10,000 SKUs against the fake", { timeout: 300_000 }, async () => {
    const shop = "odoo-snapshot-bench";
    const { fake } = await setup(shop, 17);
    const n = 10_000;
    const products = fake.db.get("product.product");
    const quants = fake.db.get("stock.quant");
    for (let i = 0; i < n; i++) {
      const id = 100_000 + i;
      products?.set(id, {
        id,
        default_code: `SNAP-${i}`,
        name: `Snap ${i}`,
        type: "product",
        barcode: false,
        standard_price: 0,
        product_tmpl_id: [id, "t"],
        write_date: fake.now(),
      });
      quants?.set(id, {
        id,
        product_id: [id, `[SNAP-${i}] Snap ${i}`],
        location_id: [8, "WH/Stock"],
        quantity: 5,
        reserved_quantity: 0,
        write_date: fake.now(),
      });
    }
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    vi.useFakeTimers({ now: Date.now() + 16 * 60_000, toFake: ["Date"] });
    fake.tick(60);
    const t0 = performance.now();
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    const ms = performance.now() - t0;
    vi.useRealTimers();
    expect(outcome?.status).toBe("ok");
    const rows = outcome?.totals.fetched ?? 0;
    console.log(`odoo stock snapshot: ${n} SKUs, ${rows} records read, ${Math.round(ms)} ms, ${Math.round((n / ms) * 1000)} SKUs/s (fake, nothing changed)`);
    expect(outcome?.totals.applied).toBe(0);
  });
});

describe("price-list items and customers Odoo no longer has", () => {
  it("are removed at the edge by the next full snapshot", async () => {
    const shop = "odoo-snapshot-keys";
    const { fake } = await setup(shop, 17);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT count(*) AS n FROM prices WHERE shop_id = ? AND list = '1' AND sku = 'FURN_7777'", shop)).toEqual({ n: 2 });
    const partner = [...(fake.db.get("res.partner")?.values() ?? [])][0];
    expect(await one(shop, "SELECT count(*) AS n FROM customers WHERE shop_id = ? AND id = ?", shop, String(partner?.id))).toEqual({ n: 1 });
    // Deleted and archived in Odoo: nothing a write-date cursor can see.
    const items = fake.db.get("product.pricelist.item");
    for (const [id, item] of items ?? []) if (item.applied_on === "1_product") items?.delete(id);
    fake.db.get("res.partner")?.delete(partner?.id ?? 0);
    vi.useFakeTimers({ now: Date.now() + 16 * 60_000, toFake: ["Date"] });
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT count(*) AS n FROM prices WHERE shop_id = ? AND list = '1' AND sku = 'FURN_7777'", shop)).toEqual({ n: 0 });
    expect(await one(shop, "SELECT count(*) AS n FROM customers WHERE shop_id = ? AND id = ?", shop, String(partner?.id))).toEqual({ n: 0 });
  });
});

describe("Odoo orders read back by the pull", () => {
  it.each([16, 17, 18] as const)("Odoo %i: a draft, then cancelled, order without any picking updates from its own write_date", async (version) => {
    const shop = `odoo-draft-pull-${version}`;
    const { fake } = await setup(shop, version);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const partner = [...(fake.db.get("res.partner")?.values() ?? [])][0];
    const product = [...(fake.db.get("product.product")?.values() ?? [])].find((p) => p.default_code === "FURN_7777");
    fake.tick(60);
    const id = await fake.rpc("sale.order", "create", [
      { partner_id: partner?.id, client_order_ref: "#9101", origin: "backroom:9101", order_line: [[0, 0, { product_id: product?.id, product_uom_qty: 1 }]] },
    ]);
    fake.tick(60);
    const first = await pullErp(withPool(env, shop), shop, patience());
    expect(first?.status).toBe("ok");
    expect(await one(shop, "SELECT status, erp_ref FROM orders WHERE shop_id = ? AND order_ref = '9101'", shop)).toEqual({
      status: "received",
      erp_ref: fake.db.get("sale.order")?.get(Number(id))?.name,
    });
    await fake.rpc("sale.order", "action_cancel", [[id]]);
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT status FROM orders WHERE shop_id = ? AND order_ref = '9101'", shop)).toEqual({ status: "cancelled" });
  });

  it("the edge's hold ends in the same pull that brings Odoo's reservation of the order: never counted twice", async () => {
    const shop = "odoo-hold-release";
    const { fake } = await setup(shop, 17, {}, { platform: "shopify", platformWebhookSecret: "hush-platform-secret" });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const available = async () =>
      (await one<{ on_hand: number; committed: number; reserved: number }>(
        shop,
        "SELECT on_hand, committed, reserved FROM stock WHERE shop_id = ? AND sku = 'E-COM08' AND warehouse = 'WH'",
        shop,
      )) ?? undefined;
    expect(await available()).toEqual({ on_hand: 18, committed: 0, reserved: 0 });
    const body = shopifyOrderBody((o) => {
      openShopifyOrder(o);
      const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
      o.line_items = [{ ...template, id: 7001, sku: "E-COM08", quantity: 3, current_quantity: 3 }];
      o.email = "buyer@example.com";
    }, "880001");
    await applyOrderEvent(withPool(env, shop), shop, normalise(shop, "shopify", "orders/create", body), Date.now());
    expect(await available()).toEqual({ on_hand: 18, committed: 0, reserved: 3 });
    const delivery = await one<{ id: string }>(shop, "SELECT id FROM deliveries WHERE shop_id = ? AND order_ref = '880001' AND kind = 'erp_order'", shop);
    expect(await attemptDelivery(withPool(env, shop), String(delivery?.id), 1, (i, init) => fetch(i, init))).toEqual({ ack: true });
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    // Odoo reserved the 3 (committed); the edge's own hold is gone in the same pull.
    expect(await available()).toEqual({ on_hand: 18, committed: 3, reserved: 0 });
    expect(await one(shop, "SELECT reservation FROM shop_orders WHERE shop_id = ? AND order_ref = '880001'", shop)).toEqual({ reservation: "released" });
  });
});

describe("the wrong protocol", () => {
  it("json2 against Odoo 18 says so instead of passing on Odoo's HTML 404", async () => {
    const shop = "odoo-json2-on-18";
    await setup(shop, 18, { protocol: "json2" });
    const outcome = await pullErp(withPool(env, shop), shop, patience());
    expect(outcome?.status).toBe("failed");
    const err = await one<{ code: string; message: string; retryable: number }>(
      shop,
      "SELECT code, message, retryable FROM connector_errors WHERE run_id = ? LIMIT 1",
      outcome?.runId,
    );
    expect(err).toMatchObject({ code: "odoo_protocol_mismatch", retryable: 0 });
    expect(err?.message).toContain("jsonrpc");
    expect(err?.message).not.toContain("<html");
  });
});

describe("availability as the shop defines it", () => {
  it.each([
    ["free", 0],
    ["forecast", 7],
  ] as const)("%s: a confirmed delivery Odoo could not reserve yet commits %i, and is sent as demand in either mode", async (mode, committed) => {
    const shop = `odoo-availability-${mode}`;
    const { fake, staffKey } = await setup(shop, 17, { availability: mode });
    fake.db.get("stock.move")?.set(600, {
      id: 600,
      picking_id: false,
      product_id: [18, "[E-COM08] Storage Box"],
      product_uom_qty: 7,
      state: "confirmed",
      picking_code: "outgoing",
      location_id: [8, "WH/Stock"],
      location_dest_id: [5, "Partners/Customers"],
      date: fake.now(),
      reference: "WH/OUT/00600",
      quantity: 0,
      picked: false,
      write_date: fake.now(),
    });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT on_hand, committed, demand FROM stock WHERE shop_id = ? AND sku = 'E-COM08' AND warehouse = 'WH'", shop)).toEqual({
      on_hand: 18,
      committed,
      demand: 7,
    });
    // Staff see both readings, and which one the shop sells by.
    const res = await call(`/v1/staff/${shop}/products/E-COM08`, { headers: { authorization: `Bearer ${staffKey}` } });
    const p: StaffProduct = await res.json();
    const wh = p.warehouses.find((w) => w.code === "WH");
    const receipts = (wh?.incoming ?? []).reduce((n, i) => n + i.qty, 0);
    expect(p.availabilityMode).toBe(mode);
    expect(wh).toMatchObject({ committed, demand: 7, free: 18 - committed, forecast: 18 - 7 + receipts });
  });
});

describe("pricelist rules computed as Odoo computes them", () => {
  it("percentage and formula (discount, rounding, surcharge, margins) on the sales price or the cost", async () => {
    const shop = "odoo-price-rules";
    const { fake } = await setup(shop, 17);
    const products = [...(fake.db.get("product.product")?.values() ?? [])];
    const chair = products.find((p) => p.default_code === "FURN_7777");
    const lamp = products.find((p) => p.default_code === "FURN_8888");
    Object.assign(chair ?? {}, { lst_price: 70, standard_price: 40 });
    Object.assign(lamp ?? {}, { lst_price: 45, standard_price: 30 });
    const item = (id: number, product: typeof chair, rule: Record<string, unknown>) =>
      fake.db.get("product.pricelist.item")?.set(id, {
        id,
        pricelist_id: [1, "Probe Pricelist (USD)"],
        applied_on: "0_product_variant",
        product_tmpl_id: false,
        product_id: [product?.id, String(product?.name)],
        min_quantity: 0,
        fixed_price: 0,
        base: "list_price",
        write_date: fake.now(),
        ...rule,
      });
    item(60, chair, { compute_price: "percentage", percent_price: 10 });
    item(61, lamp, { compute_price: "formula", price_discount: 20, price_round: 5, price_surcharge: -0.01, min_quantity: 5 });
    item(62, lamp, { compute_price: "formula", base: "standard_price", price_discount: -50, price_max_margin: 10, min_quantity: 20 });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const price = async (sku: string, minQty: number) =>
      (await one<{ unit_price: string }>(shop, "SELECT unit_price FROM prices WHERE shop_id = ? AND sku = ? AND min_qty = ?", shop, sku, minQty))?.unit_price;
    expect(await price("FURN_7777", 1)).toBe("63");
    // 45 − 20 % = 36 → rounded to 5 = 35 → − 0.01
    expect(await price("FURN_8888", 5)).toBe("34.99");
    // cost 30 + 50 % = 45, at most cost + 10
    expect(await price("FURN_8888", 20)).toBe("40");
  });
});

describe("prices equal live Odoo's own sale order prices (captured from 16, 17 and 18)", () => {
  /** The edge's unit price on `list` for `qty`: the highest break not above it. */
  const edgePrice = async (shop: string, list: string, sku: string, qty: number) =>
    (
      await one<{ unit_price: string }>(
        shop,
        "SELECT unit_price FROM prices WHERE shop_id = ? AND list = ? AND sku = ? AND min_qty <= ? ORDER BY min_qty DESC LIMIT 1",
        shop,
        list,
        sku,
        qty,
      )
    )?.unit_price;

  it.each([16, 17, 18] as const)(
    "Odoo %i: fixed, breaks, percentage, formula, another list as base, category with sub-category, global rule after a category",
    async (version) => {
      const shop = `odoo-live-prices-${version}`;
      const { fake } = await setup(shop, version);
      const cap = loadPricingCapture(fake);
      expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
      const got = await Promise.all(cap.odoo.map(async (c) => ({ ...c, price: Number(await edgePrice(shop, cap.list, c.sku, c.qty)) })));
      expect(got).toEqual(cap.odoo);
      // A product no rule is for below 5 is sold at its sales price: the break at 1 says so.
      expect(cap.odoo.filter((c) => c.sku.endsWith("-G")).map((c) => c.price)).toEqual([700, 560, 560]);
    },
  );

  it("a rule whose date window opens, then closes, re-prices at the next pull though nothing changed in Odoo", async () => {
    const shop = "odoo-live-prices-window";
    const { fake } = await setup(shop, 17);
    const cap = loadPricingCapture(fake);
    const b = [...(fake.db.get("product.product")?.values() ?? [])].find((p) => String(p.default_code).endsWith("-PRICE-B"));
    const at = (hours: number) =>
      new Date(Date.parse(`${fake.now().slice(0, 19).replace(" ", "T")}Z`) + hours * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
    // A fixed 150 for B on the customers' list, from in 1 hour to in 3 hours (Odoo's datetimes, UTC).
    fake.db.get("product.pricelist.item")?.set(9001, {
      id: 9001,
      pricelist_id: [Number(cap.list), `List ${cap.list} (USD)`],
      applied_on: "0_product_variant",
      product_id: [b?.id, String(b?.name)],
      product_tmpl_id: false,
      categ_id: false,
      compute_price: "fixed",
      fixed_price: 150,
      base: "list_price",
      min_quantity: 0,
      date_start: at(1),
      date_end: at(3),
      write_date: fake.now(),
    });
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const sku = String(b?.default_code);
    expect(await edgePrice(shop, cap.list, sku, 1)).toBe("180");
    fake.tick(2 * 3600);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await edgePrice(shop, cap.list, sku, 1)).toBe("150");
    fake.tick(2 * 3600);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await edgePrice(shop, cap.list, sku, 1)).toBe("180");
  });

  it("a changed sales price re-prices the rules based on it and the public list at the next pull", async () => {
    const shop = "odoo-live-prices-change";
    const { fake } = await setup(shop, 17);
    const cap = loadPricingCapture(fake);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const b = [...(fake.db.get("product.product")?.values() ?? [])].find((p) => String(p.default_code).endsWith("-PRICE-B"));
    expect(await edgePrice(shop, cap.list, String(b?.default_code), 1)).toBe("180");
    fake.tick(60);
    await fake.rpc("product.product", "write", [[b?.id], { lst_price: 250 }]);
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await edgePrice(shop, cap.list, String(b?.default_code), 1)).toBe("225");
    expect(await edgePrice(shop, "public", String(b?.default_code), 1)).toBe("250");
  });

  it.each([16, 17, 18] as const)(
    "Odoo %i: a list in another currency: every base converted at Odoo's rate, even a product with no rule; a list based on it converts back",
    async (version) => {
      const shop = `odoo-live-prices-fx-${version}`;
      const { fake } = await setup(shop, version);
      const cap = loadCurrencyCapture(fake);
      expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
      const got = await Promise.all(cap.odoo.map(async (c) => ({ ...c, price: Number(await edgePrice(shop, c.list, c.sku, 1)) })));
      // As Odoo priced the two sale orders (capture 9fx6). On 17 and 18: EUR 92, 165.6, 243.99, 332.12, 276; USD 100, 180, 265.21,
      // 361, 300. On 16 the demo data rates USD itself (1.5289 since 2026-01-01), so EUR is 0.92 / 1.5289 of a dollar: 60.17 for A.
      expect(got).toEqual(cap.odoo);
      expect(cap.odoo.map((c) => c.price)).toEqual(
        version === 16 ? [60.17, 108.31, 159.99, 217.23, 180.52, 100, 180, 265.88, 361, 300] : [92, 165.6, 243.99, 332.12, 276, 100, 180, 265.21, 361, 300],
      );
      expect(await one(shop, "SELECT currency FROM price_lists WHERE shop_id = ? AND id = ?", shop, cap.eurList)).toEqual({ currency: "EUR" });
    },
  );

  it("a new currency rate re-prices the converted lists at the next pull", async () => {
    const shop = "odoo-live-prices-fx-rate";
    const { fake } = await setup(shop, 17);
    const cap = loadCurrencyCapture(fake);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    // A second pull past the settle window: the loaded records are behind every change stream now.
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const a = cap.odoo.find((c) => c.list === cap.eurList && c.sku.endsWith("-FX-A"))?.sku ?? "";
    expect(await edgePrice(shop, cap.eurList, a, 1)).toBe("92");
    // The next day's rate (Odoo allows one per currency, company and day).
    fake.tick(86_400);
    const eur = [...(fake.db.get("res.currency")?.values() ?? [])].find((c) => c.name === "EUR");
    await fake.rpc("res.currency.rate", "create", [{ currency_id: eur?.id, rate: 0.8, name: fake.now().slice(0, 10), company_id: 1 }]);
    fake.tick(60);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await edgePrice(shop, cap.eurList, a, 1)).toBe("80");
    // The USD list based on the EUR one converts back: still the sales price.
    expect(await edgePrice(shop, cap.usdOnEurList, a, 1)).toBe("100");
  });
});

describe("customers as Odoo prices them", () => {
  it.each([17, 18] as const)("Odoo %i without any pricelist (its demo data): customers buy at the public list, the sales price", async (version) => {
    const shop = `odoo-no-pricelist-${version}`;
    const { fake } = await setup(shop, version);
    // As captured (90_/91_): no pricelist, every partner's property_product_pricelist false.
    fake.db.get("product.pricelist")?.clear();
    fake.db.get("product.pricelist.item")?.clear();
    for (const p of fake.db.get("res.partner")?.values() ?? []) p.property_product_pricelist = false;
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    const partner = [...(fake.db.get("res.partner")?.values() ?? [])][0];
    expect(await one(shop, "SELECT price_list FROM customers WHERE shop_id = ? AND id = ?", shop, String(partner?.id))).toEqual({ price_list: "public" });
    expect(await one(shop, "SELECT name, currency FROM price_lists WHERE shop_id = ? AND id = 'public'", shop)).toEqual({
      name: "Sales price (no Odoo pricelist)",
      currency: "USD",
    });
    const chair = [...(fake.db.get("product.product")?.values() ?? [])].find((p) => p.default_code === "FURN_7777");
    expect(await one(shop, "SELECT unit_price FROM prices WHERE shop_id = ? AND list = 'public' AND sku = 'FURN_7777' AND min_qty = 1", shop)).toEqual({
      unit_price: String(chair?.lst_price),
    });
  });

  it.each([16, 17, 18] as const)("Odoo %i: a person given a pricelist before any sale (customer_rank 0, not a company) is a customer", async (version) => {
    const shop = `odoo-person-list-${version}`;
    const { fake } = await setup(shop, version);
    const cap = loadPricingCapture(fake);
    expect((await pullErp(withPool(env, shop), shop, patience()))?.status).toBe("ok");
    expect(await one(shop, "SELECT price_list FROM customers WHERE shop_id = ? AND id = ?", shop, String(cap.person))).toEqual({ price_list: cap.list });
  });
});
