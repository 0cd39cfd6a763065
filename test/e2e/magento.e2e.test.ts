import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeMagento, MAGENTO_TOKEN, magentoHookHeaders, sampleMagentoOrder } from "../fakes/magento/app";
import { type PlatformShop, startPlatformShop } from "./platform-shop";
import { e2ePort } from "./ports";

/**
 * A Magento order end to end on a real `wrangler dev`: the observer's signed event names the order,
 * the edge reads it from the Magento fake over HTTP, reserves it, delivers it to the ERP, ships the
 * ERP's tracking back with a track, and sets the stock left as an MSI source item.
 */

const SHOP = "mge2e";
const SKU = "WS12-M-Orange";
const HOOK_SECRET = "magento-e2e-secret";
const mg = new FakeMagento();
let s: PlatformShop;

beforeAll(async () => {
  s = await startPlatformShop({
    shop: SHOP,
    platform: "magento",
    hookSecret: HOOK_SECRET,
    ports: { fake: e2ePort(8879), erp: e2ePort(8880), edge: e2ePort(8881) },
    fake: mg,
    connector: (url) => ({ kind: "magento", url, accessToken: MAGENTO_TOKEN }),
    skus: [SKU],
  });
});

afterAll(async () => {
  await s?.stop();
});

describe("a Magento order through wrangler dev and the Magento fake", () => {
  it("is read from the REST API, reserved, delivered to the ERP, shipped back with its track, and the stock left is set", async () => {
    mg.orders.set(7, sampleMagentoOrder(7, [[SKU, 3]]));
    mg.products.add(SKU);
    const body = JSON.stringify({ order_id: 7 });
    const headers = await magentoHookHeaders(HOOK_SECRET, body, "sales_order_save_after", "e2e-1");
    expect((await fetch(`${s.edge.url}/v1/hooks/magento/${SHOP}`, { method: "POST", headers, body })).status).toBe(200);

    expect(await s.until(async () => ((await s.reserved(SKU)) === 3 ? 3 : undefined), 30_000, "3 reserved")).toBe(3);
    const delivered = await s.until(async () => s.erpOrders.find((e) => e.order.orderRef === "7"), 30_000, "the ERP got order 7");
    expect(delivered).toMatchObject({ type: "order.created", order: { orderRef: "7", lines: [expect.objectContaining({ sku: SKU, qty: 3 })] } });

    await s.erpPush("orders", {
      orders: [
        { orderRef: "7", status: "shipped", shipments: [{ carrier: "UPS", trackingNumber: "1Y-9876543210" }], at: new Date().toISOString(), version: 3 },
      ],
    });
    const shipment = await s.until(async () => mg.shipments[0], 30_000, "the shipment in Magento");
    expect(shipment).toMatchObject({
      order_id: 7,
      items: [{ order_item_id: 70, qty: 3 }],
      tracks: [expect.objectContaining({ track_number: "1Y-9876543210" })],
    });

    await s.erpPush("stock", { items: [{ sku: SKU, warehouse: "BER", onHand: 10, committed: 3, version: 2 }] });
    const run = await fetch(`${s.edge.url}/v1/staff/${SHOP}/connectors/platform/run`, { method: "POST", headers: { authorization: `Bearer ${s.staffKey}` } });
    expect(run.status, await run.clone().text()).toBe(200);
    expect(await s.until(async () => mg.sourceItems.get(`default/${SKU}`), 30_000, "the source item in Magento")).toEqual({ quantity: 7, status: 1 });
  });
});
