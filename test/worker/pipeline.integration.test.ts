import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import { writeInbox } from "../../worker/orders/inbox";
import { limiter } from "../../worker/orders/limit";
import { runScheduled } from "../../worker/scheduled";
import { FakeErp } from "../fakes/erp";
import { openShopifyOrder, shopifyOrderBody } from "../fakes/hooks";
import { fakeFetch } from "../fakes/router";
import shopifyCreate from "../fixtures/shopify/orders_create.json";
import { ADMIN, call, createShop, poolDb, pushOk } from "./helpers";

/**
 * The order pipeline's throughput path: a webhook's queue message reserves the order and makes its
 * first ERP delivery attempt in the same invocation (no second message on the way to the ERP).
 */

const SHOP = "pipe";
/** The shop's data plane: its pool's database. */
const db = poolDb(SHOP);
let erp: FakeErp;
let seq = 0;

/** The queue producer, recorded instead of sent: what the pipeline queues. */
function recordingEnv(): { env: Env; sent: Array<{ body: unknown; delaySeconds: number | undefined }> } {
  const sent: Array<{ body: unknown; delaySeconds: number | undefined }> = [];
  const accepted = { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
  const queue: Queue = {
    metrics: async () => ({ backlogCount: 0, backlogBytes: 0 }),
    send: async (body, options) => {
      sent.push({ body, delaySeconds: options?.delaySeconds });
      return accepted;
    },
    sendBatch: async (messages) => {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds });
      return accepted;
    },
  };
  return { env: { ...env, ORDERS_QUEUE: queue }, sent };
}

async function webhook(orderId: string) {
  const body = shopifyOrderBody((o) => {
    openShopifyOrder(o);
    o.name = `#P${orderId}`;
    o.line_items = [{ ...shopifyCreate.response.line_items[0], id: 1, sku: "PIPE-1", quantity: 1, current_quantity: 1 }];
  }, orderId);
  const deliveryId = `pipe-${orderId}`;
  await writeInbox(db, { shop: SHOP, platform: "shopify", deliveryId, topic: "orders/create", body }, Date.now());
  return { inbox: { shop: SHOP, platform: "shopify", deliveryId } };
}

async function consume(bodies: unknown[], withEnv: Env) {
  const batch = createMessageBatch(
    "backroom-orders",
    bodies.map((body) => ({ id: `p${++seq}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, withEnv);
  return getQueueResult(batch, ctx);
}

const deliveryOf = (orderRef: string) =>
  db
    .prepare("SELECT id, status, attempts FROM deliveries WHERE shop_id = ? AND order_ref = ? AND kind = 'erp_order'")
    .bind(SHOP, orderRef)
    .first<{ id: string; status: string; attempts: number }>();

beforeAll(async () => {
  const secrets = await createShop(SHOP, { platform: "shopify", platformWebhookSecret: "pipe-platform-secret" });
  erp = new FakeErp(secrets.erpSecret);
  vi.stubGlobal("fetch", fakeFetch({ "erp.fake": erp }));
  const put = await call(`/v1/admin/shops/${SHOP}/orders-settings`, {
    method: "PUT",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ erpEndpointUrl: "https://erp.fake/orders" }),
  });
  expect(put.status).toBe(200);
  await pushOk(SHOP, secrets.erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await pushOk(SHOP, secrets.erpSecret, "products", { products: [{ sku: "PIPE-1", name: "Pipe", version: 1 }] });
  await pushOk(SHOP, secrets.erpSecret, "stock", { items: [{ sku: "PIPE-1", warehouse: "BER", onHand: 1000, version: 1 }] });
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe("order pipeline: a webhook reaches the ERP in one queue invocation", () => {
  it("reserves and delivers each order of a batch before the batch returns, without a second queue message", async () => {
    const recorded = recordingEnv();
    const ids = ["9000000000000000001", "9000000000000000002", "9000000000000000003"];
    const result = await consume(await Promise.all(ids.map(webhook)), recorded.env);
    expect(result.explicitAcks).toHaveLength(3);
    for (const id of ids) expect(await deliveryOf(id)).toMatchObject({ status: "delivered", attempts: 1 });
    expect([...erp.applied.values()].filter((o) => ids.includes(o.orderRef))).toHaveLength(3);
    expect(recorded.sent).toEqual([]);
    expect(erp.duplicates).toBe(0);
  });

  it("an ERP that fails the first attempt: the delivery is queued with its backoff and delivered once later", async () => {
    const recorded = recordingEnv();
    erp.failFirst = 1;
    await consume([await webhook("9000000000000000010")], recorded.env);
    const d = await deliveryOf("9000000000000000010");
    expect(d).toMatchObject({ status: "retrying", attempts: 1 });
    expect(recorded.sent).toEqual([{ body: { delivery: d?.id, pool: SHOP }, delaySeconds: expect.any(Number) }]);
    expect(recorded.sent[0]?.delaySeconds).toBeGreaterThanOrEqual(3);
    // The retry message, when it comes.
    await consume([{ delivery: d?.id, pool: SHOP }], recorded.env);
    expect(await deliveryOf("9000000000000000010")).toMatchObject({ status: "delivered", attempts: 2 });
    expect([...erp.applied.values()].filter((o) => o.orderRef === "9000000000000000010")).toHaveLength(1);
  });

  it("a retrying delivery whose message was lost is sent again by the cron once any backoff would have ended", async () => {
    const now = Date.now();
    await db
      .prepare(
        "INSERT INTO deliveries (id, shop_id, kind, order_ref, event, status, attempts, created_at, updated_at) VALUES ('ord_lost_retry', ?, 'erp_order', 'lost', 'order.created', 'retrying', 1, ?, ?)",
      )
      .bind(SHOP, now - 3 * 3_600_000, now - 3 * 3_600_000)
      .run();
    // The pool's jobs run inside its object, which sends with its own queue binding: recorded there.
    const send = vi.spyOn(env.ORDERS_QUEUE, "send").mockResolvedValue({ metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } });
    try {
      await runScheduled("* * * * *", env, now, async () => new Response("{}"));
      expect(send.mock.calls.map(([body]) => body)).toContainEqual({ delivery: "ord_lost_retry", pool: SHOP });
    } finally {
      send.mockRestore();
    }
  });

  it("outbound attempts are bounded per invocation; the rest wait their turn", async () => {
    const limit = limiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        limit(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 5));
          order.push(i);
          running--;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order.sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
