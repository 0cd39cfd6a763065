import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import worker from "../../worker/index";
import { poolOfShop } from "../../worker/pool/plane";
import { FakeErp } from "../fakes/erp";
import { type FakeHost, fakeFetch } from "../fakes/router";
import { ADMIN, call, createShop, pushOk, shopDb } from "./helpers";

/** What the platform order tests (BigCommerce, Magento) share: a shop wired to fakes, and reading what the pipeline did. */

/**
 * Creates `shop` on `platform` with its webhook secret, sends its orders to a FakeErp at erp.fake,
 * sets the platform connector, stubs the global fetch with the fakes (`hosts` plus erp.fake), and has
 * the ERP push `onHand` of every SKU in BER.
 */
export async function platformShop(o: {
  shop: string;
  platform: string;
  secret: string;
  connector: Record<string, unknown>;
  hosts: Record<string, FakeHost>;
  skus: string[];
  onHand: number;
}): Promise<{ staffKey: string; erpSecret: string; erp: FakeErp }> {
  const { staffKey, erpSecret } = await createShop(o.shop, { platform: o.platform, platformWebhookSecret: o.secret });
  const erp = new FakeErp(erpSecret);
  vi.stubGlobal("fetch", fakeFetch({ "erp.fake": erp, ...o.hosts }));
  const settings = await call(`/v1/admin/shops/${o.shop}/orders-settings`, {
    method: "PUT",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ erpEndpointUrl: "https://erp.fake/orders" }),
  });
  expect(settings.status).toBe(200);
  const put = await call(`/v1/staff/${o.shop}/connectors/platform`, {
    method: "PUT",
    headers: { authorization: `Bearer ${staffKey}`, "content-type": "application/json" },
    body: JSON.stringify({ settings: o.connector, enabled: true }),
  });
  expect(put.status).toBe(200);
  await pushOk(o.shop, erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await pushOk(o.shop, erpSecret, "products", { products: o.skus.map((sku) => ({ sku, name: sku, version: 1 })) });
  await pushOk(o.shop, erpSecret, "stock", { items: o.skus.map((sku) => ({ sku, warehouse: "BER", onHand: o.onHand, version: 1 })) });
  return { staffKey, erpSecret, erp };
}

/** Units the edge holds for one order. */
export const heldUnits = async (shop: string, orderRef: string): Promise<number | undefined> =>
  (
    await (
      await shopDb(shop)
    )
      .prepare("SELECT COALESCE(SUM(qty), 0) AS n FROM reservations WHERE shop_id = ? AND order_ref = ? AND state = 'held'")
      .bind(shop, orderRef)
      .first<{ n: number }>()
  )?.n;

/** The newest delivery of `kind` (erp_order, fulfilment) for one order. */
export const latestDelivery = async (shop: string, orderRef: string, kind: string) =>
  (await shopDb(shop))
    .prepare("SELECT id, status, last_error FROM deliveries WHERE shop_id = ? AND order_ref = ? AND kind = ? ORDER BY created_at DESC")
    .bind(shop, orderRef, kind)
    .first<{ id: string; status: string; last_error: string | null }>();

let seq = 0;
/** Runs the worker's own queue handler on one delivery message of `shop`'s pool, as the Queues runtime would. */
export async function runDelivery(id: string, shop: string) {
  const pool = await poolOfShop(env.DB, shop);
  const batch = createMessageBatch("backroom-orders", [{ id: `platform-m${++seq}`, timestamp: new Date(), attempts: 1, body: { delivery: id, pool } }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}
