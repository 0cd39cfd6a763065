import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultPatience } from "../../worker/connectors/http";
import { reconcileShop } from "../../worker/orders/reconcile";
import { syncPlatformStock } from "../../worker/platform-stock/sync";
import { withPool } from "../../worker/pool/plane";
import type { FakeErp } from "../fakes/erp";
import { FakeMagento, MAGENTO_TOKEN, magentoHookHeaders, sampleMagentoOrder } from "../fakes/magento/app";
import { until } from "../fakes/wait";
import { call, poolDb, pushOk } from "./helpers";
import { heldUnits, latestDelivery, platformShop, runDelivery } from "./platform-shop";

/**
 * Magento 2 orders inside workerd: the observer's signed event names the order, the edge reads it
 * from the REST API (a fake built from Adobe's reference and sample order), reserves, delivers to
 * the ERP, ships the ERP's tracking back with a track, and sets MSI source items.
 */

const SHOP = "mg";
/** The shop's data plane: its pool's database, and `env` running on it, as the worker's entry points do. */
const db = poolDb(SHOP);
const plane = withPool(env, SHOP);
const SECRET = "mg-observer-secret";
const mg = new FakeMagento();
let erp: FakeErp;
let erpSecret: string;

const hook = (headers: Record<string, string>, body: string) => call(`/v1/hooks/magento/${SHOP}`, { method: "POST", headers, body });
const held = (orderRef: string) => heldUnits(SHOP, orderRef);
const delivery = (orderRef: string, kind: string) => latestDelivery(SHOP, orderRef, kind);
const erpEvents = (orderRef: string) => [...erp.applied.values()].filter((e) => e.orderRef === orderRef);

beforeAll(async () => {
  ({ erpSecret, erp } = await platformShop({
    shop: SHOP,
    platform: "magento",
    secret: SECRET,
    connector: { kind: "magento", url: "https://mg.fake", accessToken: MAGENTO_TOKEN },
    hosts: { "mg.fake": mg },
    skus: ["WS12-M-Orange", "MUG"],
    onHand: 12,
  }));
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe("Magento observer events", () => {
  it("are refused without a valid signature (401, nothing read)", async () => {
    const body = JSON.stringify({ order_id: 3 });
    const unsigned = await hook({ "content-type": "application/json" }, body);
    const forged = await hook(await magentoHookHeaders("another-secret", body, "sales_order_save_after", "d-0"), body);
    expect([unsigned.status, forged.status]).toEqual([401, 401]);
    expect(mg.requests).toEqual([]);
  });

  it("an order is read from the REST API and reserved once; the repeated event changes nothing", async () => {
    mg.orders.set(3, sampleMagentoOrder(3, [["WS12-M-Orange", 2]]));
    const body = JSON.stringify({ order_id: 3 });
    const headers = await magentoHookHeaders(SECRET, body, "sales_order_save_after", "d-1");
    expect((await hook(headers, body)).status).toBe(200);
    await until(async () => ((await held("3")) === 2 ? true : undefined), 8000, "order 3 reserved");
    expect(mg.requests).toContain("GET /orders/3");
    await until(async () => (erpEvents("3").length > 0 ? true : undefined), 8000, "ERP got order 3");
    expect(erpEvents("3")).toEqual([expect.objectContaining({ type: "order.created", orderRef: "3", orderNumber: "000000003", status: "open" })]);
    expect(await (await hook(headers, body)).json()).toEqual({ ok: true, duplicate: true });
    expect(await held("3")).toBe(2);
  });

  it("ships the ERP's tracking back as a shipment with its track, once", async () => {
    await pushOk(SHOP, erpSecret, "orders", {
      orders: [
        { orderRef: "3", status: "shipped", shipments: [{ carrier: "UPS", trackingNumber: "1Y-9876543210" }], at: new Date().toISOString(), version: 4 },
      ],
    });
    const f = await until(() => delivery("3", "fulfilment"), 8000, "shipment queued");
    await runDelivery(f.id, SHOP);
    await until(async () => ((await delivery("3", "fulfilment"))?.status === "delivered" ? true : undefined), 8000, "shipment delivered");
    expect(mg.shipments).toEqual([
      expect.objectContaining({ order_id: 3, items: [{ order_item_id: 30, qty: 2 }], tracks: [expect.objectContaining({ track_number: "1Y-9876543210" })] }),
    ]);
    expect(mg.orders.get(3)?.state).toBe("complete");
    await runDelivery(f.id, SHOP);
    expect(mg.shipments).toHaveLength(1);
  });

  it("a cancelled order (state canceled) gives its stock back; reconciliation finds what events missed", async () => {
    mg.orders.set(
      4,
      sampleMagentoOrder(4, [["MUG", 3]], (o) => Object.assign(o, { updated_at: "2026-11-30 10:00:00" })),
    );
    expect(await reconcileShop(plane, SHOP, fetch, Date.parse("2026-11-30T12:00:00Z"))).toBeGreaterThanOrEqual(1);
    expect(mg.searches[0]?.get("searchCriteria[filter_groups][0][filters][0][value]")).toBe("2026-11-29 12:00:00");
    expect(await held("4")).toBe(3);
    Object.assign(mg.orders.get(4) ?? {}, { state: "canceled", updated_at: "2026-11-30 10:30:00" });
    const body = JSON.stringify({ order_id: 4 });
    expect((await hook(await magentoHookHeaders(SECRET, body, "order_cancel_after", "d-2"), body)).status).toBe(200);
    await until(async () => ((await held("4")) === 0 ? true : undefined), 8000, "order 4 released");
  });
});

describe("stock into Magento", () => {
  it("sets MSI source items in the default source; a SKU the catalog lacks is reported, not sent", async () => {
    mg.products.add("WS12-M-Orange");
    const out = await syncPlatformStock(plane, SHOP, { ...defaultPatience(), fetch });
    expect(out).toMatchObject({ status: "partial", pushed: 1 });
    // 12 on hand; order 3 shipped (the ERP counts it now), order 4 cancelled.
    expect(mg.sourceItems.get("default/WS12-M-Orange")).toEqual({ quantity: 12, status: 1 });
    const missing = await db.prepare("SELECT code, record FROM connector_errors WHERE run_id = ?").bind(out?.runId).first();
    expect(missing).toEqual({ code: "unknown_on_platform", record: "MUG" });
  });
});
