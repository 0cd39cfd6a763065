import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Patience } from "../../worker/connectors/http";
import { reconcileShop } from "../../worker/orders/reconcile";
import { syncPlatformStock } from "../../worker/platform-stock/sync";
import { withPool } from "../../worker/pool/plane";
import { BC_STORE, BC_TOKEN, FakeBigCommerce, sampleOrder } from "../fakes/bigcommerce/app";
import { bigCommerceHookBody, registeredHeaders, signedHeaders } from "../fakes/bigcommerce/hooks";
import type { FakeErp } from "../fakes/erp";
import { until } from "../fakes/wait";
import { call, poolDb, pushOk } from "./helpers";
import { heldUnits, latestDelivery, platformShop, runDelivery } from "./platform-shop";

/**
 * BigCommerce orders end to end inside workerd: the webhook names only the order, the edge reads it
 * from the V2 Orders API (a protocol fake built from BigCommerce's reference and samples), reserves,
 * delivers to the ERP, ships the ERP's tracking back, and pushes stock within the rate limit.
 */

const SHOP = "bc";
/** The shop's data plane: its pool's database, and `env` running on it, as the worker's entry points do. */
const db = poolDb(SHOP);
const plane = withPool(env, SHOP);
const SECRET = "bc-hook-secret";
const bc = new FakeBigCommerce();
let erp: FakeErp;
let staffKey: string;
let erpSecret: string;
const connector = { kind: "bigcommerce", storeHash: BC_STORE, accessToken: BC_TOKEN, apiUrl: "https://bc.fake" };

const hook = (headers: Record<string, string>, body: string) => call(`/v1/hooks/bigcommerce/${SHOP}`, { method: "POST", headers, body });
const held = (orderRef: string) => heldUnits(SHOP, orderRef);
const delivery = (orderRef: string, kind: string) => latestDelivery(SHOP, orderRef, kind);
const inboxRows = async () => (await db.prepare("SELECT COUNT(*) AS n FROM order_inbox WHERE shop_id = ?").bind(SHOP).first<{ n: number }>())?.n;
const erpEvents = (orderRef: string) => [...erp.applied.values()].filter((e) => e.orderRef === orderRef);

beforeAll(async () => {
  ({ staffKey, erpSecret, erp } = await platformShop({
    shop: SHOP,
    platform: "bigcommerce",
    secret: SECRET,
    connector,
    hosts: { "bc.fake": bc },
    skus: ["TEE", "MUG", "CAP"],
    onHand: 20,
  }));
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe("BigCommerce webhooks are authenticated before anything is read or written", () => {
  it("refuses a callback without the registered header, with a wrong one, or with a signature by another key (401, nothing written)", async () => {
    const body = bigCommerceHookBody("store/order/created", 250);
    const refused = [
      await hook({ "content-type": "application/json" }, body),
      await hook(registeredHeaders("not-the-secret"), body),
      await hook(registeredHeaders(`${SECRET}x`), body),
      await hook(await signedHeaders("another-client-secret", body, "wh_1"), body),
      await hook(await signedHeaders(SECRET, body, "wh_2", Math.floor(Date.now() / 1000) - 3600), body),
    ];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await refused[1]?.json()).toMatchObject({ error: { code: "signature_invalid" } });
    expect(await inboxRows()).toBe(0);
    expect(bc.requests).toEqual([]);
  });

  it("accepts the registered header and a Standard Webhooks signature keyed with the client secret", async () => {
    const ignoredScope = JSON.stringify({ scope: "store/cart/created", data: { type: "cart", id: "x" }, created_at: 1 });
    expect((await hook(registeredHeaders(SECRET), ignoredScope)).status).toBe(200);
    const body = bigCommerceHookBody("store/order/updated", 9999, 1);
    const signed = await hook(await signedHeaders(SECRET, body, "wh_ok"), body);
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ ok: true });
  });
});

describe("a BigCommerce order, from webhook to ERP and back", () => {
  it("is fetched from the V2 Orders API and reserved once; the duplicate webhook and a later update change nothing", async () => {
    bc.orders.set(
      250,
      sampleOrder(250, [
        ["TEE", 2],
        ["MUG", 1],
      ]),
    );
    const body = bigCommerceHookBody("store/order/created", 250);
    expect((await hook(registeredHeaders(SECRET), body)).status).toBe(200);
    await until(async () => ((await held("250")) === 3 ? true : undefined), 8000, "order 250 reserved");
    expect(bc.requests).toEqual(expect.arrayContaining(["GET /v2/orders/250", "GET /v2/orders/250/products", "GET /v2/orders/250/shipping_addresses"]));
    await until(async () => (erpEvents("250").length > 0 ? true : undefined), 8000, "ERP got order 250");
    expect(erpEvents("250")).toEqual([expect.objectContaining({ type: "order.created", orderRef: "250", status: "open" })]);

    // BigCommerce retries with the same body: answered as a duplicate, not read again.
    const fetched = bc.requests.length;
    expect(await (await hook(registeredHeaders(SECRET), body)).json()).toEqual({ ok: true, duplicate: true });
    // statusUpdated for the same order: read again, the same lines, nothing more held.
    expect((await hook(registeredHeaders(SECRET), bigCommerceHookBody("store/order/statusUpdated", 250))).status).toBe(200);
    await until(async () => (bc.requests.length > fetched ? true : undefined), 8000, "order 250 read again");
    const pending = async () =>
      (await db.prepare("SELECT COUNT(*) AS n FROM order_inbox WHERE shop_id = ? AND state IN ('received', 'processing')").bind(SHOP).first<{ n: number }>())
        ?.n;
    await until(async () => ((await pending()) === 0 ? true : undefined), 8000, "inbox drained");
    expect(await held("250")).toBe(3);
    const staff = await call(`/v1/staff/${SHOP}/orders/250`, { headers: { authorization: `Bearer ${staffKey}` } });
    expect(staff.status).toBe(200);
    expect(await staff.json()).toMatchObject({ orderRef: "250" });
  });

  it("ships the ERP's tracking back as a shipment of what is left, once", async () => {
    await pushOk(SHOP, erpSecret, "orders", {
      orders: [
        { orderRef: "250", status: "shipped", shipments: [{ carrier: "UPS", trackingNumber: "1Z999AA10123456784" }], at: new Date().toISOString(), version: 7 },
      ],
    });
    const f = await until(() => delivery("250", "fulfilment"), 8000, "shipment queued");
    await runDelivery(f.id, SHOP);
    await until(async () => ((await delivery("250", "fulfilment"))?.status === "delivered" ? true : undefined), 8000, "shipment delivered");
    const order = bc.orders.get(250);
    expect(order?.shipments).toEqual([
      expect.objectContaining({
        tracking_number: "1Z999AA10123456784",
        order_address_id: 2501,
        items: [
          { order_product_id: 25000, quantity: 2 },
          { order_product_id: 25001, quantity: 1 },
        ],
      }),
    ]);
    expect(order?.order.status).toBe("Shipped");
    // A replay of the delivered shipment creates nothing new.
    await runDelivery(f.id, SHOP);
    expect(bc.orders.get(250)?.shipments).toHaveLength(1);
  });

  it("archived (BigCommerce's delete) cancels and gives the stock back without reading the order", async () => {
    bc.orders.set(251, sampleOrder(251, [["CAP", 4]]));
    expect((await hook(registeredHeaders(SECRET), bigCommerceHookBody("store/order/created", 251))).status).toBe(200);
    await until(async () => ((await held("251")) === 4 ? true : undefined), 8000, "order 251 reserved");
    const reads = bc.requests.length;
    expect((await hook(registeredHeaders(SECRET), bigCommerceHookBody("store/order/archived", 251))).status).toBe(200);
    await until(async () => ((await held("251")) === 0 ? true : undefined), 8000, "order 251 released");
    expect(bc.requests.length).toBe(reads);
  });

  it("reconciles what webhooks missed through GET /v2/orders?min_date_modified", async () => {
    bc.orders.set(
      260,
      sampleOrder(260, [["MUG", 5]], (o) => {
        o.date_modified = "Mon, 30 Nov 2026 10:00:00 +0000";
      }),
    );
    bc.listQueries = [];
    const n = await reconcileShop(plane, SHOP, fetch, Date.parse("2026-11-30T12:00:00Z"));
    expect(n).toBeGreaterThanOrEqual(1);
    expect(bc.listQueries[0]?.get("min_date_modified")).toBe("2026-11-29T12:00:00.000Z");
    expect(bc.listQueries[0]?.get("sort")).toBe("date_modified:asc");
    expect(await held("260")).toBe(5);
  });
});

/** Waits that move the fake's clock instead of the test's, recorded; at most `maxWaitMs` each. */
function fakeTime(maxWaitMs: number): { waits: number[]; patience: Patience } {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    bc.advance(ms);
  };
  return { waits, patience: { attempts: 4, maxWaitMs, fetch, sleep } };
}

describe("stock into BigCommerce", () => {
  it("waits for the window reset when X-Rate-Limit-Requests-Left reaches 0 instead of spending a request on a 429", async () => {
    for (const [i, sku] of ["TEE", "MUG", "CAP"].entries()) bc.variants.set(sku, 700 + i);
    bc.quota = 1;
    bc.windowMs = 30_000;
    bc.advance(60_000); // a fresh window
    bc.rejected429.length = 0;
    const { waits, patience } = fakeTime(60_000);
    const out = await syncPlatformStock(plane, SHOP, patience);
    expect(out).toMatchObject({ status: "ok", pushed: 3 });
    expect(bc.rejected429).toEqual([]);
    // One lookup used the window's only request; the adjustment waited for the reset.
    expect(waits).toEqual([30_000]);
    expect(bc.adjustments).toHaveLength(1);
    // 20 on hand in BER, all warehouses into the default location 1, minus what the orders hold.
    // Order 250 shipped (the ERP counts it now); order 260 still holds 5 MUG.
    expect(bc.stock.get("1/700")).toBe(20);
    expect(bc.stock.get("1/701")).toBe(15);
    expect(bc.stock.get("1/702")).toBe(20);
  });

  it("a 429 (another app spent the store's shared quota) waits X-Rate-Limit-Time-Reset-Ms, then pushes", async () => {
    await pushOk(SHOP, erpSecret, "stock", { items: [{ sku: "CAP", warehouse: "BER", onHand: 9, version: 2 }] });
    bc.quota = 1;
    bc.advance(60_000);
    bc.spend(1);
    bc.rejected429.length = 0;
    const { waits, patience } = fakeTime(60_000);
    const out = await syncPlatformStock(plane, SHOP, patience);
    expect(out).toMatchObject({ status: "ok", pushed: 1 });
    expect(bc.rejected429).toEqual(["PUT /v3/inventory/adjustments/absolute"]);
    expect(waits).toEqual([30_000]);
    expect(bc.stock.get("1/702")).toBe(9);
  });

  it("a reset longer than it may wait ends the run throttled; the SKU stays for the next run", async () => {
    await pushOk(SHOP, erpSecret, "stock", { items: [{ sku: "CAP", warehouse: "BER", onHand: 8, version: 3 }] });
    bc.advance(60_000);
    bc.spend(1);
    const before = bc.adjustments.length;
    const { patience } = fakeTime(1_000);
    const out = await syncPlatformStock(plane, SHOP, patience);
    expect(out?.status).toBe("throttled");
    expect(bc.adjustments.length).toBe(before);
    expect((await db.prepare("SELECT sku FROM platform_stock_dirty WHERE shop_id = ?").bind(SHOP).all()).results).toEqual([{ sku: "CAP" }]);
  });
});
