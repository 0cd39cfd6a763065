import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BC_STORE, BC_TOKEN, FakeBigCommerce, sampleOrder } from "../fakes/bigcommerce/app";
import { bigCommerceHookBody, registeredHeaders } from "../fakes/bigcommerce/hooks";
import { type PlatformShop, startPlatformShop } from "./platform-shop";
import { e2ePort } from "./ports";

/**
 * A BigCommerce order end to end on a real `wrangler dev` (its own queue consumer, its own fetch):
 * the webhook names the order, the edge reads it from the BigCommerce fake over HTTP, reserves it,
 * delivers it to the ERP, ships the ERP's tracking back, and pushes the stock left.
 */

const SHOP = "bce2e";
const SKU = "TEE-BC";
const HOOK_SECRET = "bigcommerce-e2e-secret";
const bc = new FakeBigCommerce();
let s: PlatformShop;

beforeAll(async () => {
  s = await startPlatformShop({
    shop: SHOP,
    platform: "bigcommerce",
    hookSecret: HOOK_SECRET,
    ports: { fake: e2ePort(8876), erp: e2ePort(8877), edge: e2ePort(8878) },
    fake: bc,
    connector: (apiUrl) => ({ kind: "bigcommerce", storeHash: BC_STORE, accessToken: BC_TOKEN, apiUrl }),
    skus: [SKU],
  });
});

afterAll(async () => {
  await s?.stop();
});

describe("a BigCommerce order through wrangler dev and the BigCommerce fake", () => {
  it("is read from the Orders API, reserved, delivered to the ERP, shipped back, and the stock left is pushed", async () => {
    bc.orders.set(300, sampleOrder(300, [[SKU, 3]]));
    bc.variants.set(SKU, 901);
    const body = bigCommerceHookBody("store/order/created", 300);
    const hook = await fetch(`${s.edge.url}/v1/hooks/bigcommerce/${SHOP}`, { method: "POST", headers: registeredHeaders(HOOK_SECRET), body });
    expect(hook.status).toBe(200);

    expect(await s.until(async () => ((await s.reserved(SKU)) === 3 ? 3 : undefined), 30_000, "3 reserved")).toBe(3);
    const delivered = await s.until(async () => s.erpOrders.find((e) => e.order.orderRef === "300"), 30_000, "the ERP got order 300");
    expect(delivered).toMatchObject({ type: "order.created", order: { orderRef: "300", lines: [expect.objectContaining({ sku: SKU, qty: 3 })] } });

    await s.erpPush("orders", {
      orders: [
        {
          orderRef: "300",
          status: "shipped",
          shipments: [{ carrier: "DHL", trackingNumber: "JD014600006281234567" }],
          at: new Date().toISOString(),
          version: 3,
        },
      ],
    });
    const shipment = await s.until(async () => bc.orders.get(300)?.shipments[0], 30_000, "the shipment in BigCommerce");
    expect(shipment).toMatchObject({ tracking_number: "JD014600006281234567", items: [{ order_product_id: 30000, quantity: 3 }] });

    // The ERP counts the shipped order from now on: 10 on hand, 3 committed.
    await s.erpPush("stock", { items: [{ sku: SKU, warehouse: "BER", onHand: 10, committed: 3, version: 2 }] });
    const run = await fetch(`${s.edge.url}/v1/staff/${SHOP}/connectors/platform/run`, { method: "POST", headers: { authorization: `Bearer ${s.staffKey}` } });
    expect(run.status, await run.clone().text()).toBe(200);
    expect(await s.until(async () => bc.stock.get("1/901"), 30_000, "stock in BigCommerce")).toBe(7);
    expect(bc.rejected429).toEqual([]);
  });
});
