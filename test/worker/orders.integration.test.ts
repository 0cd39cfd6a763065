import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { Availability } from "../../worker/contract";
import { applyOrderEvent } from "../../worker/orders/apply";
import { normalise } from "../../worker/orders/inbox";
import { reserveLines } from "../../worker/orders/reserve";
import { withPool } from "../../worker/pool/plane";
import { runScheduled } from "../../worker/scheduled";
import { openShopifyOrder, shopifyOrderBody, wooOrderBody } from "../fakes/hooks";
import { ADMIN, ORIGIN, call, createShop, poolDb, pushOk } from "./helpers";

const SHOP = "res";
/** The shop's data plane: its pool's database, and `env` running on it, as the worker's entry points do. */
const db = poolDb(SHOP);
const plane = withPool(env, SHOP);
let erpSecret = "";

/** Shopify's documented order with its lines replaced by `lines` (sku, qty). */
function shopifyEvent(orderId: string, topic: string, lines: Array<[string, number]>, edit: (o: Record<string, unknown>) => void = openShopifyOrder) {
  const body = shopifyOrderBody((o) => {
    edit(o);
    const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
    o.line_items = lines.map(([sku, quantity], i) => ({
      ...template,
      id: 9000 + i,
      admin_graphql_api_id: `gid://shopify/LineItem/${orderId}${i}`,
      sku,
      quantity,
      current_quantity: quantity,
    }));
  }, orderId);
  return normalise(SHOP, "shopify", topic, body);
}

const stock = async (sku: string) =>
  (await db.prepare("SELECT warehouse, on_hand, reserved FROM stock WHERE shop_id = ? AND sku = ? ORDER BY warehouse").bind(SHOP, sku).all()).results;
const available = async (sku: string) => {
  const res = await call(`/v1/shops/${SHOP}/availability?sku=${sku}`, { headers: { origin: ORIGIN } });
  return Availability.parse(await res.json()).items[0]?.available;
};
const reservation = async (orderRef: string) =>
  (await db.prepare("SELECT reservation, release_reason FROM shop_orders WHERE shop_id = ? AND order_ref = ?").bind(SHOP, orderRef).first()) ?? undefined;

beforeAll(async () => {
  erpSecret = (await createShop(SHOP, { platform: "shopify", platformWebhookSecret: "hush-platform-secret" })).erpSecret;
  await pushOk(SHOP, erpSecret, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin" },
      { code: "HAM", name: "Hamburg" },
    ],
  });
  await pushOk(SHOP, erpSecret, "products", {
    products: [
      { sku: "LAST", name: "Last ten", version: 1 },
      { sku: "TEE", name: "Tee", version: 1 },
      { sku: "MUG", name: "Mug", backorder: true, version: 1 },
      { sku: "CAP", name: "Cap", safetyStock: 2, version: 1 },
    ],
  });
  await pushOk(SHOP, erpSecret, "stock", {
    items: [
      { sku: "LAST", warehouse: "BER", onHand: 10, version: 1 },
      { sku: "TEE", warehouse: "BER", onHand: 3, version: 1 },
      { sku: "TEE", warehouse: "HAM", onHand: 8, version: 1 },
      { sku: "MUG", warehouse: "BER", onHand: 1, version: 1 },
      { sku: "CAP", warehouse: "HAM", onHand: 5, version: 1 },
    ],
  });
});

describe("reservation", () => {
  it("1,000 concurrent orders for the last 10 units → exactly 10 reserved, none below zero", { timeout: 120_000 }, async () => {
    // The reservation writer itself, 1,000 orders at once (the full webhook path is the next test).
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => reserveLines(db, SHOP, `race-${i}`, [{ lineId: "1", sku: "LAST", qty: 1 }], [], Date.now())),
    );
    expect(results.filter((r) => r[0]?.allocations.length === 1)).toHaveLength(10);
    expect(results.filter((r) => r[0]?.short === 1)).toHaveLength(990);
    expect(await stock("LAST")).toEqual([{ warehouse: "BER", on_hand: 10, reserved: 10 }]);
    const held = await db.prepare("SELECT sum(qty) AS n FROM reservations WHERE shop_id = ? AND sku = 'LAST' AND state = 'held'").bind(SHOP).first();
    expect(held).toEqual({ n: 10 });
    expect(await available("LAST")).toBe(0);
  });

  it("100 concurrent platform orders through the whole order path for 5 units → 5 served", { timeout: 120_000 }, async () => {
    await pushOk(SHOP, erpSecret, "products", { products: [{ sku: "FIVE", name: "Last five", version: 1 }] });
    await pushOk(SHOP, erpSecret, "stock", { items: [{ sku: "FIVE", warehouse: "HAM", onHand: 5, version: 1 }] });
    const events = Array.from({ length: 100 }, (_, i) => shopifyEvent(String(7_000_000_000_000_000_000n + BigInt(i)), "orders/create", [["FIVE", 1]]));
    const results = await Promise.all(events.map((e) => applyOrderEvent(plane, SHOP, e, Date.now())));
    expect(results.filter((r) => r.reservations[0]?.allocations.length === 1)).toHaveLength(5);
    expect(await stock("FIVE")).toEqual([{ warehouse: "HAM", on_hand: 5, reserved: 5 }]);
    // Ids beyond 2^53 stayed exact all the way to the customer-facing table.
    expect(await db.prepare("SELECT count(*) AS n FROM orders WHERE shop_id = ? AND order_ref = '7000000000000000099'").bind(SHOP).first()).toEqual({
      n: 1,
    });
  });

  it("allocates by the shop's warehouse priority, then by most available, and splits a line across warehouses", async () => {
    const put = await call(`/v1/admin/shops/${SHOP}/orders-settings`, {
      method: "PUT",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ warehousePriority: ["BER"] }),
    });
    expect(put.status).toBe(200);
    const r = await applyOrderEvent(plane, SHOP, shopifyEvent("1100", "orders/create", [["TEE", 5]]), Date.now());
    expect(r.reservations[0]?.allocations).toEqual([
      { warehouse: "BER", qty: 3 },
      { warehouse: "HAM", qty: 2 },
    ]);
    expect(await stock("TEE")).toEqual([
      { warehouse: "BER", on_hand: 3, reserved: 3 },
      { warehouse: "HAM", on_hand: 8, reserved: 2 },
    ]);
    // Safety stock is never promised: CAP has 5 on hand, 2 safety → 3 reservable.
    const cap = await applyOrderEvent(plane, SHOP, shopifyEvent("1101", "orders/create", [["CAP", 4]]), Date.now());
    expect(cap.reservations[0]).toMatchObject({ allocations: [{ warehouse: "HAM", qty: 3 }], short: 1 });
  });

  it("a backorder product may go below zero; the line is flagged", async () => {
    const r = await applyOrderEvent(plane, SHOP, shopifyEvent("1200", "orders/create", [["MUG", 3]]), Date.now());
    expect(r.reservations[0]).toMatchObject({ allocations: [{ warehouse: "BER", qty: 3 }], backordered: 2, short: 0 });
    expect(await stock("MUG")).toEqual([{ warehouse: "BER", on_hand: 1, reserved: 3 }]);
    expect(await available("MUG")).toBe(0);
  });

  it("cancel releases the reservation, and availability shows it at once", async () => {
    await pushOk(SHOP, erpSecret, "stock", { items: [{ sku: "TEE", warehouse: "HAM", onHand: 8, version: 2 }] });
    const before = await available("TEE");
    await applyOrderEvent(plane, SHOP, shopifyEvent("1300", "orders/create", [["TEE", 2]]), Date.now());
    expect(await available("TEE")).toBe((before ?? 0) - 2);
    const cancel = await applyOrderEvent(
      plane,
      SHOP,
      shopifyEvent("1300", "orders/cancelled", [["TEE", 2]], () => {}),
      Date.now(),
    );
    expect(cancel.order?.status).toBe("cancelled");
    expect(await available("TEE")).toBe(before);
    expect(await reservation("1300")).toEqual({ reservation: "released", release_reason: "cancelled" });
    const row = await db.prepare("SELECT status FROM orders WHERE shop_id = ? AND order_ref = '1300'").bind(SHOP).first();
    expect(row).toEqual({ status: "cancelled" });
  });
});

describe("out-of-order events converge", () => {
  const finalState = async (ref: string) => {
    const r = await db
      .prepare("SELECT state, reservation FROM shop_orders WHERE shop_id = ? AND order_ref = ?")
      .bind(SHOP, ref)
      .first<{ state: string; reservation: string }>();
    const held = await db
      .prepare("SELECT COALESCE(sum(qty), 0) AS n FROM reservations WHERE shop_id = ? AND order_ref = ? AND state = 'held'")
      .bind(SHOP, ref)
      .first();
    const o = JSON.parse(r?.state ?? "{}");
    return { cancelled: o.cancelled, financial: o.financialStatus, lines: o.order?.lines.length, held, reservation: r?.reservation };
  };
  const paid = (o: Record<string, unknown>) => {
    openShopifyOrder(o);
    o.financial_status = "paid";
  };

  it("paid before create ends paid and reserved, like create then paid", async () => {
    await applyOrderEvent(plane, SHOP, shopifyEvent("1400", "orders/create", [["TEE", 1]]), Date.now());
    await applyOrderEvent(plane, SHOP, shopifyEvent("1400", "orders/paid", [["TEE", 1]], paid), Date.now());
    await applyOrderEvent(plane, SHOP, shopifyEvent("1401", "orders/paid", [["TEE", 1]], paid), Date.now());
    await applyOrderEvent(plane, SHOP, shopifyEvent("1401", "orders/create", [["TEE", 1]]), Date.now());
    const inOrder = await finalState("1400");
    const reversed = await finalState("1401");
    expect(reversed).toEqual(inOrder);
    expect(reversed).toMatchObject({ cancelled: false, financial: "paid", held: { n: 1 } });
  });

  it("cancel before create ends cancelled with nothing reserved, like create then cancel", async () => {
    const cancelled = () => {};
    await applyOrderEvent(plane, SHOP, shopifyEvent("1500", "orders/create", [["TEE", 1]]), Date.now());
    await applyOrderEvent(plane, SHOP, shopifyEvent("1500", "orders/cancelled", [["TEE", 1]], cancelled), Date.now());
    await applyOrderEvent(plane, SHOP, shopifyEvent("1501", "orders/cancelled", [["TEE", 1]], cancelled), Date.now());
    await applyOrderEvent(plane, SHOP, shopifyEvent("1501", "orders/create", [["TEE", 1]]), Date.now());
    const a = await finalState("1500");
    const b = await finalState("1501");
    expect(b).toEqual(a);
    expect(b).toMatchObject({ cancelled: true, held: { n: 0 } });
    expect(await db.prepare("SELECT status FROM orders WHERE shop_id = ? AND order_ref = '1501'").bind(SHOP).first()).toEqual({ status: "cancelled" });
  });

  it("WooCommerce order.deleted (id only) before order.created also ends cancelled", async () => {
    await applyOrderEvent(plane, SHOP, normalise(SHOP, "woocommerce", "order.deleted", '{"id":727}'), Date.now());
    const r = await applyOrderEvent(plane, SHOP, normalise(SHOP, "woocommerce", "order.created", wooOrderBody()), Date.now());
    expect(r.order?.status).toBe("cancelled");
    expect(r.reservations).toEqual([]);
  });
});

describe("release by the ERP and by time", () => {
  it("an ERP push with status confirmed releases the reservation", async () => {
    await applyOrderEvent(plane, SHOP, shopifyEvent("1600", "orders/create", [["TEE", 1]]), Date.now());
    expect(await reservation("1600")).toEqual({ reservation: "held", release_reason: null });
    await pushOk(SHOP, erpSecret, "orders", {
      orders: [{ orderRef: "1600", status: "confirmed", erpRef: "SO-1600", at: new Date().toISOString(), version: Date.now() }],
    });
    // The push's follow-up runs after the answer; the cron's backstop does the same work.
    await runScheduled("* * * * *", env, Date.now());
    expect(await reservation("1600")).toEqual({ reservation: "released", release_reason: "erp_confirmed" });
    const lookup = await call(`/v1/shops/${SHOP}/orders/lookup`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ orderNumber: "#9999", email: "jon@example.com" }),
    });
    expect(lookup.status).toBe(200);
  });

  it("an unconfirmed reservation past the shop's TTL is released by the cron and flagged for staff", async () => {
    await applyOrderEvent(plane, SHOP, shopifyEvent("1700", "orders/create", [["TEE", 1]]), Date.now());
    await runScheduled("* * * * *", env, Date.now() + 25 * 60 * 60 * 1000);
    expect(await reservation("1700")).toEqual({ reservation: "expired", release_reason: "expired" });
  });

  it("a reservation whose worker died mid-way (left 'reserving') still expires with the TTL and gives its stock back", async () => {
    await applyOrderEvent(plane, SHOP, shopifyEvent("1710", "orders/create", [["TEE", 1]]), Date.now());
    // Simulate a worker that took the order's lock and never came back.
    await db.prepare("UPDATE shop_orders SET reservation = 'reserving' WHERE shop_id = ? AND order_ref = '1710'").bind(SHOP).run();
    const held = () => db.prepare("SELECT COUNT(*) AS n FROM reservations WHERE shop_id = ? AND order_ref = '1710' AND state = 'held'").bind(SHOP).first("n");
    expect(await held()).toBe(1);
    await runScheduled("* * * * *", env, Date.now() + 25 * 60 * 60 * 1000);
    expect(await reservation("1710")).toEqual({ reservation: "expired", release_reason: "expired" });
    expect(await held()).toBe(0);
  });
});
