import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { StaffOrder, SyncHealth } from "../../worker/contract";
import worker from "../../worker/index";
import { applyOrderEvent } from "../../worker/orders/apply";
import { normalise } from "../../worker/orders/inbox";
import { reconcileShop } from "../../worker/orders/reconcile";
import { withPool } from "../../worker/pool/plane";
import { runScheduled } from "../../worker/scheduled";
import { FakeErp } from "../fakes/erp";
import { openShopifyOrder, shopifyOrderBody, wooOrderBody } from "../fakes/hooks";
import { fakeFetch } from "../fakes/router";
import { FakeShopify } from "../fakes/shopify";
import { until } from "../fakes/wait";
import { FakeWooCommerce } from "../fakes/woocommerce";
import listAllOrders from "../fixtures/woocommerce/orders__list_all_orders.json";
import { ADMIN, call, createShop, poolDb, pushOk } from "./helpers";

const SHOP = "q";
/** The shop's data plane: its pool's database, and `env` running on it, as the worker's entry points do. */
const db = poolDb(SHOP);
const plane = withPool(env, SHOP);
let secrets: { erpSecret: string; staffKey: string };
let erp: FakeErp;
const shopify = new FakeShopify("shpat_test");
const woo = new FakeWooCommerce("ck_test", "cs_test");
let messageSeq = 0;

/** Runs the worker's own queue handler on one batch, as the Queues runtime would. */
async function deliver(queue: string, ids: string[], attempts = 1, pool = SHOP) {
  const batch = createMessageBatch(
    queue,
    ids.map((delivery) => ({ id: `m${++messageSeq}`, timestamp: new Date(), attempts, body: { delivery, pool } })),
  );
  // The runtime's result does not carry retry delays; watch the calls themselves.
  const delays = new Map<string, number | undefined>();
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options?: QueueRetryOptions) => {
      delays.set((m.body as { delivery: string }).delivery, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  const byDelivery = (msgIds: string[]) => batch.messages.filter((m) => msgIds.includes(m.id)).map((m) => (m.body as { delivery: string }).delivery);
  return { acked: byDelivery(result.explicitAcks), retried: byDelivery(result.retryMessages.map((r) => r.msgId)), delays };
}

const delivery = async (shop: string, orderRef: string, kind = "erp_order") =>
  poolDb(shop)
    .prepare("SELECT id, status, attempts, last_error FROM deliveries WHERE shop_id = ? AND order_ref = ? AND kind = ? ORDER BY created_at DESC")
    .bind(shop, orderRef, kind)
    .first<{ id: string; status: string; attempts: number; last_error: string | null }>();

function shopifyOrder(shop: string, orderId: string, lines: Array<[string, number]>, name = `#${orderId}`) {
  const body = shopifyOrderBody((o) => {
    openShopifyOrder(o);
    o.name = name;
    const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
    o.line_items = lines.map(([sku, quantity], i) => ({
      ...template,
      id: 100 + i,
      admin_graphql_api_id: `gid://shopify/LineItem/${orderId}${i}`,
      sku,
      quantity,
      current_quantity: quantity,
    }));
  }, orderId);
  return normalise(shop, "shopify", "orders/create", body);
}

const settings = (shop: string, body: unknown) =>
  call(`/v1/admin/shops/${shop}/orders-settings`, { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(body) });

/** The shop platform's API credentials, set once as the platform connector (with the shop's staff key). */
const platformConnector = (shop: string, staffKey: string, settings: unknown, enabled = true) =>
  call(`/v1/staff/${shop}/connectors/platform`, {
    method: "PUT",
    headers: { authorization: `Bearer ${staffKey}`, "content-type": "application/json" },
    body: JSON.stringify({ settings, enabled }),
  });

beforeAll(async () => {
  secrets = await createShop(SHOP, { platform: "shopify", platformWebhookSecret: "hush-platform-secret" });
  erp = new FakeErp(secrets.erpSecret);
  // Every outbound call of the worker (including the runtime's own queue consumer) reaches the fakes.
  vi.stubGlobal("fetch", fakeFetch({ "erp.fake": erp, "fake-shop.myshopify.com": shopify, "woo.fake": woo }));
  expect((await settings(SHOP, { erpEndpointUrl: "https://erp.fake/orders" })).status).toBe(200);
  expect((await platformConnector(SHOP, secrets.staffKey, { kind: "shopify", shopDomain: "fake-shop.myshopify.com", accessToken: "shpat_test" })).status).toBe(
    200,
  );
  await pushOk(SHOP, secrets.erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await pushOk(SHOP, secrets.erpSecret, "products", {
    products: [
      { sku: "TEE", name: "Tee", version: 1 },
      { sku: "MUG", name: "Mug", version: 1 },
    ],
  });
  await pushOk(SHOP, secrets.erpSecret, "stock", {
    items: [
      { sku: "TEE", warehouse: "BER", onHand: 100, version: 1 },
      { sku: "MUG", warehouse: "BER", onHand: 100, version: 1 },
    ],
  });
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe("delivery to the ERP", () => {
  it("ERP answers 503 for its first 3 attempts → the order is delivered exactly once afterwards", async () => {
    erp.failFirst = 3;
    const { delivery: id } = await applyOrderEvent(plane, SHOP, shopifyOrder(SHOP, "3001", [["TEE", 2]]), Date.now());
    expect(id).toBeDefined();
    let attempts = 0;
    while ((await delivery(SHOP, "3001"))?.status !== "delivered" && attempts < 10) {
      const r = await deliver("backroom-orders", [id ?? ""], ++attempts);
      // Exponential backoff with jitter: attempt n waits within [5·2^(n−1)/2, 5·2^(n−1)] seconds.
      if (r.retried.length) expect(r.delays.get(id ?? "")).toBeGreaterThanOrEqual(2.5 * 2 ** (attempts - 1));
      if (r.retried.length) expect(r.delays.get(id ?? "")).toBeLessThanOrEqual(5 * 2 ** (attempts - 1));
    }
    const row = await delivery(SHOP, "3001");
    expect(row).toMatchObject({ status: "delivered", attempts: 4, last_error: null });
    expect(erp.attempts.filter((a) => a.id === id).map((a) => a.status)).toEqual([503, 503, 503, 200]);
    expect(erp.applied.get(id ?? "")).toMatchObject({ type: "order.created", orderRef: "3001", status: "open" });
    expect(erp.duplicates).toBe(0);
    // A late twin of the message changes nothing.
    expect((await deliver("backroom-orders", [id ?? ""])).acked).toEqual([id]);
    expect(erp.attempts.filter((a) => a.id === id)).toHaveLength(4);
    const staff = await call(`/v1/staff/${SHOP}/orders/3001`, { headers: { authorization: `Bearer ${secrets.staffKey}` } });
    expect(await staff.json()).toMatchObject({ erpRef: expect.stringMatching(/^SO-/) });
  });

  it("a 429 with Retry-After is retried no sooner than the ERP asked", async () => {
    erp.throttleFirst = 1;
    const { delivery: id } = await applyOrderEvent(plane, SHOP, shopifyOrder(SHOP, "3002", [["TEE", 1]]), Date.now());
    await until(async () => (erp.attempts.some((a) => a.id === id) || (await delivery(SHOP, "3002"))?.status === "retrying" ? true : undefined), 5000);
    const r = await deliver("backroom-orders", [id ?? ""], 1);
    if (r.retried.length) expect(r.delays.get(id ?? "")).toBeGreaterThanOrEqual(7);
    await until(async () => ((await delivery(SHOP, "3002"))?.status === "delivered" ? true : undefined), 5000, "delivered").catch(async () => {
      await deliver("backroom-orders", [id ?? ""], 2);
    });
    expect((await delivery(SHOP, "3002"))?.status).toBe("delivered");
    expect(erp.attempts.filter((a) => a.id === id).map((a) => a.status)).toEqual([429, 200]);
  });

  it("one poison order in a batch → the others are acked; it reaches the DLQ, shows in /sync, and replay delivers it once fixed", async () => {
    erp.poison.add("#POISON");
    const a = (await applyOrderEvent(plane, SHOP, shopifyOrder(SHOP, "3101", [["TEE", 1]]), Date.now())).delivery ?? "";
    const p = (await applyOrderEvent(plane, SHOP, shopifyOrder(SHOP, "3102", [["MUG", 1]], "#POISON"), Date.now())).delivery ?? "";
    const b = (await applyOrderEvent(plane, SHOP, shopifyOrder(SHOP, "3103", [["TEE", 1]]), Date.now())).delivery ?? "";
    const first = await deliver("backroom-orders", [a, p, b]);
    expect(first.acked.sort()).toEqual([a, b].sort());
    expect(first.retried).toEqual([p]);
    // Retries exhausted: the runtime moves the message to the dead-letter queue.
    const dead = await deliver("backroom-orders-dlq", [p], 9);
    expect(dead.acked).toEqual([p]);
    const health = SyncHealth.parse(await (await call(`/v1/staff/${SHOP}/sync`, { headers: { authorization: `Bearer ${secrets.staffKey}` } })).json());
    expect(health.failed).toBe(1);
    expect(health.failures[0]).toMatchObject({ id: p, orderRef: "3102", status: "failed", lastError: expect.stringContaining("HTTP 500") });
    expect(await call(`/v1/staff/${SHOP}/sync`)).toHaveProperty("status", 401);

    erp.poison.delete("#POISON");
    const replay = await call(`/v1/staff/${SHOP}/sync/${p}/replay`, { method: "POST", headers: { authorization: `Bearer ${secrets.staffKey}` } });
    expect(replay.status).toBe(202);
    // The replayed message is on the real queue; run it here too (whichever runs first delivers, the other is a no-op).
    await deliver("backroom-orders", [p]);
    expect((await delivery(SHOP, "3102"))?.status).toBe("delivered");
    // The replay counts on from the failed attempt and keeps its history: staff see what went wrong before.
    const order = StaffOrder.parse(await (await call(`/v1/staff/${SHOP}/orders/3102`, { headers: { authorization: `Bearer ${secrets.staffKey}` } })).json());
    const replayed = order.deliveries?.find((d) => d.id === p);
    expect(replayed?.attempts).toBe(2);
    expect(replayed?.history?.map((h) => [h.attempt, h.outcome])).toEqual([
      [1, "retrying"],
      [2, "delivered"],
    ]);
    expect(replayed?.history?.[0]?.error).toContain("HTTP 500");
    expect([...erp.applied.values()].filter((x) => x.orderRef === "3102")).toHaveLength(1);
    expect(erp.duplicates).toBe(0);
    const after = SyncHealth.parse(await (await call(`/v1/staff/${SHOP}/sync`, { headers: { authorization: `Bearer ${secrets.staffKey}` } })).json());
    expect(after.failed).toBe(0);
    const missing = await call(`/v1/staff/${SHOP}/sync/ord_nope/replay`, { method: "POST", headers: { authorization: `Bearer ${secrets.staffKey}` } });
    expect(missing.status).toBe(404);
  });
});

describe("tracking back to the shop", () => {
  it("Shopify: each ERP shipment becomes one fulfillmentCreate with tracking info; partial shipments work", async () => {
    await applyOrderEvent(
      plane,
      SHOP,
      shopifyOrder(SHOP, "4001", [
        ["TEE", 2],
        ["MUG", 1],
      ]),
      Date.now(),
    );
    shopify.fulfilmentOrders.set("4001", [
      {
        id: "gid://shopify/FulfillmentOrder/41",
        status: "OPEN",
        lines: [
          { id: "gid://shopify/FulfillmentOrderLineItem/411", sku: "TEE", remainingQuantity: 2 },
          { id: "gid://shopify/FulfillmentOrderLineItem/412", sku: "MUG", remainingQuantity: 1 },
        ],
      },
    ]);
    const first = { carrier: "DHL", trackingNumber: "00340434161234567890", items: [{ sku: "TEE", qty: 1 }] };
    shopify.throttleNext = 1;
    await pushOk(SHOP, secrets.erpSecret, "orders", {
      orders: [{ orderRef: "4001", status: "packed", shipments: [first], at: new Date().toISOString(), version: 10 }],
    });
    const f1 = await until(() => delivery(SHOP, "4001", "fulfilment"), 5000, "fulfilment queued");
    for (let i = 1; i <= 5 && (await delivery(SHOP, "4001", "fulfilment"))?.status !== "delivered"; i++) await deliver("backroom-orders", [f1.id], i);
    expect(shopify.created).toHaveLength(1);
    expect(shopify.created[0]?.input).toMatchObject({
      trackingInfo: { company: "DHL", number: "00340434161234567890" },
      lineItemsByFulfillmentOrder: [
        {
          fulfillmentOrderId: "gid://shopify/FulfillmentOrder/41",
          fulfillmentOrderLineItems: [{ id: "gid://shopify/FulfillmentOrderLineItem/411", quantity: 1 }],
        },
      ],
    });

    const second = { carrier: "UPS", trackingNumber: "1Z999AA10123456784", trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784" };
    await pushOk(SHOP, secrets.erpSecret, "orders", {
      orders: [{ orderRef: "4001", status: "shipped", shipments: [first, second], at: new Date().toISOString(), version: 11 }],
    });
    const f2 = await until(
      async () => ((await delivery(SHOP, "4001", "fulfilment"))?.id !== f1.id ? delivery(SHOP, "4001", "fulfilment") : undefined),
      5000,
      "second",
    );
    await deliver("backroom-orders", [f2?.id ?? ""]);
    await until(async () => ((await delivery(SHOP, "4001", "fulfilment"))?.status === "delivered" ? true : undefined), 5000, "second delivered");
    expect(shopify.created).toHaveLength(2);
    expect(shopify.created[1]?.input).toMatchObject({
      trackingInfo: { company: "UPS", number: "1Z999AA10123456784", url: second.trackingUrl },
      lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/41" }],
    });
    // Replaying a delivered fulfilment creates nothing new.
    await deliver("backroom-orders", [f1.id]);
    expect(shopify.created).toHaveLength(2);
  });

  it("a platform SKU that is an ERP alias or a GTIN: the ERP's stock is held, the ERP gets its SKU, and its shipment finds the platform's line", async () => {
    await pushOk(SHOP, secrets.erpSecret, "products", {
      products: [
        { sku: "HOODIE", name: "Hoodie", aliases: ["SHOP-HOODIE"], version: 1 },
        { sku: "CAP", name: "Cap", gtin: "4006381333931", version: 1 },
      ],
    });
    await pushOk(SHOP, secrets.erpSecret, "stock", {
      items: [
        { sku: "HOODIE", warehouse: "BER", onHand: 3, version: 1 },
        { sku: "CAP", warehouse: "BER", onHand: 5, version: 1 },
      ],
    });
    const r = await applyOrderEvent(
      plane,
      SHOP,
      shopifyOrder(SHOP, "4101", [
        ["SHOP-HOODIE", 3],
        ["4006381333931", 1],
      ]),
      Date.now(),
    );
    // Held from the ERP's SKUs: nothing is left of HOODIE for the next order.
    expect(r.reservations.map((x) => [x.sku, x.allocations])).toEqual([
      ["HOODIE", [{ warehouse: "BER", qty: 3 }]],
      ["CAP", [{ warehouse: "BER", qty: 1 }]],
    ]);
    const next = await applyOrderEvent(plane, SHOP, shopifyOrder(SHOP, "4102", [["SHOP-HOODIE", 1]]), Date.now());
    expect(next.reservations[0]).toMatchObject({ sku: "HOODIE", allocations: [], short: 1 });

    await deliver("backroom-orders", [r.delivery ?? ""]);
    expect(erp.applied.get(r.delivery ?? "")?.lines.map((l) => [l.sku, l.platformSku, l.qty])).toEqual([
      ["HOODIE", "SHOP-HOODIE", 3],
      ["CAP", "4006381333931", 1],
    ]);

    shopify.fulfilmentOrders.set("4101", [
      {
        id: "gid://shopify/FulfillmentOrder/51",
        status: "OPEN",
        lines: [
          { id: "gid://shopify/FulfillmentOrderLineItem/511", sku: "SHOP-HOODIE", remainingQuantity: 3 },
          { id: "gid://shopify/FulfillmentOrderLineItem/512", sku: "4006381333931", remainingQuantity: 1 },
        ],
      },
    ]);
    const before = shopify.created.length;
    await pushOk(SHOP, secrets.erpSecret, "orders", {
      orders: [
        {
          orderRef: "4101",
          status: "packed",
          shipments: [{ carrier: "DHL", trackingNumber: "00340434161234567891", items: [{ sku: "HOODIE", qty: 2 }] }],
          at: new Date().toISOString(),
          version: 10,
        },
      ],
    });
    const f = await until(() => delivery(SHOP, "4101", "fulfilment"), 5000, "fulfilment queued");
    await deliver("backroom-orders", [f.id]);
    expect(shopify.created.slice(before).map((c) => c.input)).toMatchObject([
      {
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId: "gid://shopify/FulfillmentOrder/51",
            fulfillmentOrderLineItems: [{ id: "gid://shopify/FulfillmentOrderLineItem/511", quantity: 2 }],
          },
        ],
      },
    ]);
  });

  it("WooCommerce: a shipment becomes a customer note with the tracking link, and the order completes once shipped", async () => {
    const w = await createShop("qw", { platform: "woocommerce", platformWebhookSecret: "hush-platform-secret" });
    expect(
      (await platformConnector("qw", w.staffKey, { kind: "woocommerce", url: "https://woo.fake", consumerKey: "ck_test", consumerSecret: "cs_test" })).status,
    ).toBe(200);
    await applyOrderEvent(withPool(env, "qw"), "qw", normalise("qw", "woocommerce", "order.created", wooOrderBody()), Date.now());
    await pushOk("qw", w.erpSecret, "orders", {
      orders: [
        { orderRef: "727", status: "shipped", shipments: [{ carrier: "UPS", trackingNumber: "1Z999AA10123456784" }], at: new Date().toISOString(), version: 5 },
      ],
    });
    const f = await until(() => delivery("qw", "727", "fulfilment"), 5000, "woo fulfilment queued");
    await deliver("backroom-orders", [f.id], 1, "qw");
    await until(async () => ((await delivery("qw", "727", "fulfilment"))?.status === "delivered" ? true : undefined), 5000, "woo delivered");
    expect(woo.notes.get("727")).toEqual([{ id: 280, note: expect.stringContaining('href="https://'), customer_note: true }]);
    expect(woo.notes.get("727")?.[0]?.note).toContain("1Z999AA10123456784");
    expect(woo.statusUpdates).toContainEqual({ id: "727", status: "completed" });
  });
});

describe("reconciliation", () => {
  it("asks Shopify for orders updated since the stored cursor and ingests what webhooks missed", async () => {
    shopify.changedOrders = [
      {
        id: "gid://shopify/Order/9007199254740993",
        name: "#5001",
        email: "Missed@Example.com",
        createdAt: "2026-11-23T10:00:00Z",
        updatedAt: "2026-11-23T10:05:00Z",
        cancelledAt: null,
        displayFinancialStatus: "PAID",
        currencyCode: "EUR",
        note: null,
        totalPriceSet: { shopMoney: { amount: "19.90" } },
        subtotalPriceSet: { shopMoney: { amount: "19.90" } },
        totalTaxSet: { shopMoney: { amount: "3.18" } },
        lineItems: {
          nodes: [
            {
              id: "gid://shopify/LineItem/9007199254740995",
              sku: "TEE",
              name: "Tee",
              quantity: 1,
              currentQuantity: 1,
              originalUnitPriceSet: { shopMoney: { amount: "19.90" } },
              variant: { id: "gid://shopify/ProductVariant/9007199254740997" },
              product: { id: "gid://shopify/Product/9007199254740999" },
            },
          ],
        },
      },
    ];
    const out = await runScheduled("*/15 * * * *", env, Date.parse("2026-11-23T12:00:00Z"));
    expect(out.reconcile).toBeGreaterThanOrEqual(1);
    expect(shopify.ordersQueries[0]).toBe("updated_at:>'2026-11-22T12:00:00.000Z'");
    const row = await db.prepare("SELECT order_number, email FROM orders WHERE shop_id = ? AND order_ref = '9007199254740993'").bind(SHOP).first();
    expect(row).toEqual({ order_number: "#5001", email: "missed@example.com" });
    expect(
      await db.prepare("SELECT value FROM platform_ids WHERE shop_id = ? AND kind = 'variant' AND platform_id = '9007199254740997'").bind(SHOP).first(),
    ).toEqual({
      value: "TEE",
    });
    await runScheduled("*/15 * * * *", env, Date.parse("2026-11-23T12:15:00Z"));
    expect(shopify.ordersQueries[1]).toBe("updated_at:>'2026-11-23T10:04:00.000Z'");
    expect(await db.prepare("SELECT count(*) AS n FROM shop_orders WHERE shop_id = ? AND order_ref = '9007199254740993'").bind(SHOP).first()).toEqual({
      n: 1,
    });
  });

  it("asks WooCommerce for orders modified after the cursor (REST modified_after) and ingests them", async () => {
    const r = await createShop("qr", { platform: "woocommerce", platformWebhookSecret: "hush-platform-secret" });
    expect(
      (await platformConnector("qr", r.staffKey, { kind: "woocommerce", url: "https://woo.fake", consumerKey: "ck_test", consumerSecret: "cs_test" })).status,
    ).toBe(200);
    woo.orders = listAllOrders;
    await runScheduled("*/15 * * * *", env, Date.parse("2026-11-23T12:00:00Z"));
    const query = woo.listQueries.at(-1);
    expect(query?.get("modified_after")).toBe("2026-11-22T12:00:00.000Z");
    expect(query?.get("orderby")).toBe("modified");
    const { results } = await poolDb("qr").prepare("SELECT order_ref, order_number, email FROM orders WHERE shop_id = 'qr' ORDER BY order_ref").all();
    expect(results).toEqual(
      listAllOrders
        .map((o) => ({ order_ref: String(o.id), order_number: String(o.number), email: o.billing.email }))
        .sort((a, b) => (a.order_ref < b.order_ref ? -1 : 1)),
    );
  });

  it("leaves the platform alone while the shop's platform connector is disabled", async () => {
    const d = await createShop("qd", { platform: "woocommerce", platformWebhookSecret: "hush-platform-secret" });
    const woocommerce = { kind: "woocommerce", url: "https://woo.fake", consumerKey: "ck_test", consumerSecret: "cs_test" };
    expect((await platformConnector("qd", d.staffKey, woocommerce, false)).status).toBe(200);
    const asked = vi.fn(fakeFetch({ "woo.fake": woo }));
    expect(await reconcileShop(withPool(env, "qd"), "qd", asked)).toBe(0);
    expect(asked).not.toHaveBeenCalled();
    expect((await platformConnector("qd", d.staffKey, woocommerce, true)).status).toBe(200);
    await reconcileShop(withPool(env, "qd"), "qd", asked);
    expect(asked).toHaveBeenCalled();
  });
});
