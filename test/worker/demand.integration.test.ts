import { beforeAll, describe, expect, it } from "vitest";
import { collectOrderDemand, dailyDemandQuery, parseDailyDemand, SETTLE_MS } from "../../worker/forecast/order-demand";
import { wooHeaders, wooOrderBody } from "../fakes/hooks";
import { until } from "../fakes/wait";
import { call, createShop, poolDb, push, pushOk } from "./helpers";

/** Demand history per SKU × warehouse (issue 15): the orders the edge has seen, and an ERP's imported sales history. */

const SHOP = "demand";
const WOO = "demand-woo";
const SECRET = "woo-hook-secret";
let erpSecret: string;
let wooErpSecret: string;

const demandRows = (pool: string) =>
  poolDb(pool)
    .prepare("SELECT source, line, sku, warehouse, day, qty FROM demand_lines WHERE pool_id = ? ORDER BY source, line, warehouse")
    .bind(pool)
    .all()
    .then((r) => r.results);

beforeAll(async () => {
  erpSecret = (await createShop(SHOP)).erpSecret;
  wooErpSecret = (await createShop(WOO, { platform: "woocommerce", platformWebhookSecret: SECRET })).erpSecret;
  await pushOk(WOO, wooErpSecret, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin" },
      { code: "HAM", name: "Hamburg" },
    ],
  });
  await pushOk(WOO, wooErpSecret, "products", { products: [{ sku: "Bar3", name: "Bar 3", version: 1 }] });
  await pushOk(WOO, wooErpSecret, "stock", {
    items: [
      { sku: "Bar3", warehouse: "BER", onHand: 1, version: 1 },
      { sku: "Bar3", warehouse: "HAM", onHand: 2, version: 1 },
    ],
  });
});

describe("POST /v1/erp/:shop/sales (npm run import -- sales.csv --kind sales)", () => {
  it("takes signed daily history, one bad row never blocks the rest, and a day imported again replaces its quantity", async () => {
    const first = await pushOk(SHOP, erpSecret, "sales", {
      sales: [
        { sku: "TEE", warehouse: "BER", date: "2026-01-05", qty: 4 },
        { sku: "TEE", warehouse: "BER", date: "2026-01-06", qty: 2 },
        { sku: "TEE", date: "2026-01-06", qty: 1 },
        { sku: "TEE", warehouse: "BER", date: "2099-01-01", qty: 9 },
        { sku: "TEE", warehouse: "BER", date: "06.01.2026", qty: 9 },
      ],
    });
    expect(first).toMatchObject({
      applied: 3,
      rejected: [
        { index: 3, code: "date_in_future" },
        { index: 4, code: "invalid_row" },
      ],
    });
    await pushOk(SHOP, erpSecret, "sales", { sales: [{ sku: "TEE", warehouse: "BER", date: "2026-01-06", qty: 5 }] });
    const dailyDemand = async (sku: string, warehouse: string, since: string) =>
      parseDailyDemand(await dailyDemandQuery(poolDb(SHOP), SHOP, sku, warehouse, since).all());
    expect(Object.fromEntries(await dailyDemand("TEE", "BER", "2026-01-01"))).toEqual({ "2026-01-05": 4, "2026-01-06": 5 });
    expect(Object.fromEntries(await dailyDemand("TEE", "", "2026-01-01"))).toEqual({ "2026-01-06": 1 });
  });

  it("refuses an unsigned push, a malformed envelope and a body of only bad rows, changing nothing", async () => {
    const before = await demandRows(SHOP);
    const unsigned = await call(`/v1/erp/${SHOP}/sales`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"sales":[]}' });
    expect(unsigned.status).toBe(401);
    expect((await push(SHOP, erpSecret, "sales", { rows: [] })).status).toBe(400);
    const bad = await push(SHOP, erpSecret, "sales", { sales: [{ sku: "TEE", date: "2026-13-40", qty: 1 }] });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: "all_rows_rejected" } });
    expect(await demandRows(SHOP)).toEqual(before);
  });
});

describe("demand from the orders the edge has seen", () => {
  it("counts each order line under the warehouses its reservation took from, on the order's day, once however often it is read", async () => {
    // WooCommerce's documented order: line 316 sells 1 × Bar3 (line 315 has no SKU); the sample's qty is raised to 3, more
    // than either warehouse holds, so the reservation splits.
    const body = wooOrderBody((o) => {
      const lines = o.line_items as Array<Record<string, unknown>>;
      const line = lines[1];
      if (line) line.quantity = 3;
    });
    const res = await call(`/v1/hooks/woocommerce/${WOO}`, { method: "POST", headers: await wooHeaders(SECRET, body, "order.created", "d-1"), body });
    expect(res.status).toBe(200);
    await until(
      () => poolDb(WOO).prepare("SELECT count(*) AS n FROM reservations WHERE shop_id = ? AND order_ref = '727'").bind(WOO).first("n"),
      15_000,
      "reserved",
    );
    // Not yet settled: nothing is read.
    expect(await collectOrderDemand(poolDb(WOO), Date.now())).toBe(0);
    const later = Date.now() + SETTLE_MS + 1000;
    expect(await collectOrderDemand(poolDb(WOO), later)).toBe(1);
    expect(await demandRows(WOO)).toEqual([
      { source: `order:${WOO}:727`, line: "316", sku: "Bar3", warehouse: "BER", day: "2017-03-22", qty: 1 },
      { source: `order:${WOO}:727`, line: "316", sku: "Bar3", warehouse: "HAM", day: "2017-03-22", qty: 2 },
    ]);
    expect(await collectOrderDemand(poolDb(WOO), later)).toBe(0);
  });

  it("drops a cancelled order's demand when the order changes", async () => {
    const body = wooOrderBody((o) => {
      o.status = "cancelled";
      o.date_modified_gmt = "2017-03-23T10:00:00";
    });
    await call(`/v1/hooks/woocommerce/${WOO}`, { method: "POST", headers: await wooHeaders(SECRET, body, "order.updated", "d-2"), body });
    await until(
      () =>
        poolDb(WOO).prepare("SELECT count(*) AS n FROM shop_orders WHERE shop_id = ? AND order_ref = '727' AND reservation = 'released'").bind(WOO).first("n"),
      15_000,
      "released",
    );
    expect(await collectOrderDemand(poolDb(WOO), Date.now() + SETTLE_MS + 1000)).toBe(1);
    expect(await demandRows(WOO)).toEqual([]);
  });
});
