import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultPatience } from "../../worker/connectors/http";
import worker from "../../worker/index";
import { reconcileShop } from "../../worker/orders/reconcile";
import { syncPlatformStock } from "../../worker/platform-stock/sync";
import { FakeErp } from "../fakes/erp";
import { FakeMagento, MAGENTO_TOKEN, magentoHookHeaders, sampleMagentoOrder } from "../fakes/magento/app";
import { fakeFetch } from "../fakes/router";
import { until } from "../fakes/wait";
import { ADMIN, call, createShop, pushOk } from "./helpers";

/**
 * Magento 2 orders inside workerd: the observer's signed event names the order, the edge reads it
 * from the REST API (a fake built from Adobe's reference and sample order), reserves, delivers to
 * the ERP, ships the ERP's tracking back with a track, and sets MSI source items.
 */

const SHOP = "mg";
const SECRET = "mg-observer-secret";
const mg = new FakeMagento();
let erp: FakeErp;
let staffKey: string;
let erpSecret: string;

const hook = (headers: Record<string, string>, body: string) => call(`/v1/hooks/magento/${SHOP}`, { method: "POST", headers, body });
const held = async (orderRef: string) =>
  (
    await env.DB.prepare("SELECT COALESCE(SUM(qty), 0) AS n FROM reservations WHERE shop_id = ? AND order_ref = ? AND state = 'held'")
      .bind(SHOP, orderRef)
      .first<{ n: number }>()
  )?.n;
const erpEvents = (orderRef: string) => [...erp.applied.values()].filter((e) => e.orderRef === orderRef);
const delivery = (orderRef: string, kind: string) =>
  env.DB.prepare("SELECT id, status FROM deliveries WHERE shop_id = ? AND order_ref = ? AND kind = ? ORDER BY created_at DESC")
    .bind(SHOP, orderRef, kind)
    .first<{ id: string; status: string }>();

async function deliver(id: string) {
  const batch = createMessageBatch("backroom-orders", [{ id: `mgm-${id}-${Date.now()}`, timestamp: new Date(), attempts: 1, body: { delivery: id } }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

beforeAll(async () => {
  ({ staffKey, erpSecret } = await createShop(SHOP, { platform: "magento", platformWebhookSecret: SECRET }));
  erp = new FakeErp(erpSecret);
  vi.stubGlobal("fetch", fakeFetch({ "erp.fake": erp, "mg.fake": mg }));
  const settings = await call(`/v1/admin/shops/${SHOP}/orders-settings`, {
    method: "PUT",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ erpEndpointUrl: "https://erp.fake/orders" }),
  });
  expect(settings.status).toBe(200);
  const put = await call(`/v1/staff/${SHOP}/connectors/platform`, {
    method: "PUT",
    headers: { authorization: `Bearer ${staffKey}`, "content-type": "application/json" },
    body: JSON.stringify({ settings: { kind: "magento", url: "https://mg.fake", accessToken: MAGENTO_TOKEN }, enabled: true }),
  });
  expect(put.status).toBe(200);
  await pushOk(SHOP, erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await pushOk(SHOP, erpSecret, "products", { products: ["WS12-M-Orange", "MUG"].map((sku) => ({ sku, name: sku, version: 1 })) });
  await pushOk(SHOP, erpSecret, "stock", { items: ["WS12-M-Orange", "MUG"].map((sku) => ({ sku, warehouse: "BER", onHand: 12, version: 1 })) });
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
    await deliver(f.id);
    await until(async () => ((await delivery("3", "fulfilment"))?.status === "delivered" ? true : undefined), 8000, "shipment delivered");
    expect(mg.shipments).toEqual([
      expect.objectContaining({ order_id: 3, items: [{ order_item_id: 30, qty: 2 }], tracks: [expect.objectContaining({ track_number: "1Y-9876543210" })] }),
    ]);
    expect(mg.orders.get(3)?.state).toBe("complete");
    await deliver(f.id);
    expect(mg.shipments).toHaveLength(1);
  });

  it("a cancelled order (state canceled) gives its stock back; reconciliation finds what events missed", async () => {
    mg.orders.set(
      4,
      sampleMagentoOrder(4, [["MUG", 3]], (o) => Object.assign(o, { updated_at: "2026-11-30 10:00:00" })),
    );
    expect(await reconcileShop(env, SHOP, fetch, Date.parse("2026-11-30T12:00:00Z"))).toBeGreaterThanOrEqual(1);
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
    const out = await syncPlatformStock(env, SHOP, { ...defaultPatience(), fetch });
    expect(out).toMatchObject({ status: "partial", pushed: 1 });
    // 12 on hand; order 3 shipped (the ERP counts it now), order 4 cancelled.
    expect(mg.sourceItems.get("default/WS12-M-Orange")).toEqual({ quantity: 12, status: 1 });
    const missing = await env.DB.prepare("SELECT code, record FROM connector_errors WHERE run_id = ?").bind(out?.runId).first();
    expect(missing).toEqual({ code: "unknown_on_platform", record: "MUG" });
  });
});
