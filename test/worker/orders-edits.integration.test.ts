import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { applyOrderEvent } from "../../worker/orders/apply";
import { normalise } from "../../worker/orders/inbox";
import { withPool } from "../../worker/pool/plane";
import { runScheduled } from "../../worker/scheduled";
import { openShopifyOrder, shopifyOrderBody } from "../fakes/hooks";
import { createShop, poolDb, pushOk } from "./helpers";

const SHOP = "edits";
const SKUS = ["TEE", "HAT", "MUG", "SOCK"];
let erpSecret = "";
/** The shop's data plane: its pool's database, and `env` running on it, as the worker's entry points do. */
const db = poolDb(SHOP);
const plane = withPool(env, SHOP);

/**
 * Shopify's documented order as of revision `minute` (its `updated_at`), with its lines replaced by
 * `lines` (sku, qty). A line keeps its id across revisions, as on Shopify, so it is keyed by SKU.
 */
function revision(orderId: string, minute: number, lines: Array<[string, number]>, topic = "orders/updated") {
  const body = shopifyOrderBody((o) => {
    openShopifyOrder(o);
    o.updated_at = new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();
    const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
    o.line_items = lines.map(([sku, quantity]) => ({
      ...template,
      id: 9000 + SKUS.indexOf(sku),
      admin_graphql_api_id: `gid://shopify/LineItem/${orderId}0${SKUS.indexOf(sku)}`,
      sku,
      quantity,
      current_quantity: quantity,
    }));
  }, orderId);
  return normalise(SHOP, "shopify", topic, body);
}
const apply = (e: ReturnType<typeof revision>) => applyOrderEvent(plane, SHOP, e, Date.now());

/** Units the order holds per SKU (held reservation rows). */
async function held(orderRef: string): Promise<Record<string, number>> {
  const { results } = await db
    .prepare("SELECT sku, sum(qty) AS n FROM reservations WHERE shop_id = ? AND order_ref = ? AND state = 'held' GROUP BY sku ORDER BY sku")
    .bind(SHOP, orderRef)
    .all<{ sku: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.sku, r.n]));
}
/** `stock.reserved` summed over warehouses: it must always equal what the held rows say. */
const reserved = async (sku: string) =>
  (await db.prepare("SELECT sum(reserved) AS n FROM stock WHERE shop_id = ? AND sku = ?").bind(SHOP, sku).first<{ n: number }>())?.n;
async function heldEverywhere(sku: string) {
  const r = await db
    .prepare("SELECT COALESCE(sum(qty), 0) AS n FROM reservations WHERE shop_id = ? AND sku = ? AND state = 'held'")
    .bind(SHOP, sku)
    .first<{ n: number }>();
  return r?.n;
}
const state = async (orderRef: string) =>
  db.prepare("SELECT reservation, release_reason FROM shop_orders WHERE shop_id = ? AND order_ref = ?").bind(SHOP, orderRef).first();

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
      { sku: "TEE", name: "Tee", version: 1 },
      { sku: "HAT", name: "Hat", version: 1 },
      { sku: "MUG", name: "Mug", backorder: true, version: 1 },
      { sku: "SOCK", name: "Sock", version: 1 },
    ],
  });
  await pushOk(SHOP, erpSecret, "stock", {
    items: [
      { sku: "TEE", warehouse: "BER", onHand: 3, version: 1 },
      { sku: "TEE", warehouse: "HAM", onHand: 8, version: 1 },
      { sku: "HAT", warehouse: "BER", onHand: 5, version: 1 },
      { sku: "MUG", warehouse: "BER", onHand: 1, version: 1 },
      { sku: "SOCK", warehouse: "HAM", onHand: 100, version: 1 },
    ],
  });
});

describe("an edited order's reservation follows its current lines", () => {
  it("quantity increased → the difference is reserved, and beyond availability the line is short", async () => {
    await apply(revision("2100", 0, [["TEE", 2]], "orders/create"));
    const up = await apply(revision("2100", 1, [["TEE", 5]]));
    expect(await held("2100")).toEqual({ TEE: 5 });
    expect(up.reservations).toEqual([expect.objectContaining({ sku: "TEE", short: 0, backordered: 0 })]);
    expect(up.touchedSkus).toEqual(["TEE"]);
    // 11 on hand in all: 6 more can be taken, the other 14 are refused and flagged short, like on create.
    const beyond = await apply(revision("2100", 2, [["TEE", 25]]));
    expect(beyond.reservations).toEqual([expect.objectContaining({ sku: "TEE", short: 14 })]);
    expect(await held("2100")).toEqual({ TEE: 11 });
    expect(await reserved("TEE")).toBe(11);
    // Back within what is held: the surplus goes back, so the stock is free again for the next test.
    await apply(revision("2100", 3, [["TEE", 1]]));
    expect(await held("2100")).toEqual({ TEE: 1 });
    expect(await reserved("TEE")).toBe(1);
    expect(await state("2100")).toEqual({ reservation: "held", release_reason: null });
  });

  it("quantity increased on a backorder product → taken beyond stock and flagged backordered", async () => {
    await apply(revision("2150", 0, [["MUG", 1]], "orders/create"));
    const up = await apply(revision("2150", 1, [["MUG", 3]]));
    expect(up.reservations).toEqual([expect.objectContaining({ sku: "MUG", backordered: 2, short: 0 })]);
    expect(await held("2150")).toEqual({ MUG: 3 });
    expect(await reserved("MUG")).toBe(3);
  });

  it("quantity decreased → the surplus is released", async () => {
    await apply(revision("2200", 0, [["SOCK", 4]], "orders/create"));
    await apply(revision("2200", 1, [["SOCK", 10]]));
    const before = await reserved("SOCK");
    const down = await apply(revision("2200", 2, [["SOCK", 3]]));
    expect(await held("2200")).toEqual({ SOCK: 3 });
    expect(await reserved("SOCK")).toBe((before ?? 0) - 7);
    expect(down.touchedSkus).toEqual(["SOCK"]);
    expect(down.reservations).toEqual([]);
  });

  it("line removed → its reservation is released; line added → it is reserved", async () => {
    await apply(
      revision(
        "2300",
        0,
        [
          ["SOCK", 1],
          ["HAT", 2],
        ],
        "orders/create",
      ),
    );
    expect(await held("2300")).toEqual({ HAT: 2, SOCK: 1 });
    await apply(revision("2300", 1, [["SOCK", 1]]));
    expect(await held("2300")).toEqual({ SOCK: 1 });
    expect(await reserved("HAT")).toBe(await heldEverywhere("HAT"));
    const added = await apply(
      revision("2300", 2, [
        ["SOCK", 1],
        ["HAT", 4],
      ]),
    );
    // The line comes back under its own id: the released row is taken up again with the new quantity, not added to the old one.
    expect(await held("2300")).toEqual({ HAT: 4, SOCK: 1 });
    expect(added.reservations).toEqual([expect.objectContaining({ sku: "HAT", allocations: [{ warehouse: "BER", qty: 4 }] })]);
    expect(await reserved("HAT")).toBe(4);
  });

  it("an older revision arriving after a newer one changes nothing, and neither does a replay", async () => {
    await apply(revision("2400", 0, [["SOCK", 2]], "orders/create"));
    await apply(revision("2400", 5, [["SOCK", 6]]));
    const before = await reserved("SOCK");
    const stale = await apply(revision("2400", 3, [["SOCK", 1]]));
    const replay = await apply(revision("2400", 5, [["SOCK", 6]]));
    expect(await held("2400")).toEqual({ SOCK: 6 });
    expect(await reserved("SOCK")).toBe(before);
    expect([stale.touchedSkus, replay.touchedSkus]).toEqual([[], []]);
  });

  it("concurrent revisions in any arrival order end holding what the newest says", async () => {
    await apply(revision("2500", 0, [["SOCK", 1]], "orders/create"));
    const minutes = [4, 1, 7, 2, 6, 3, 5];
    await Promise.all(minutes.map((m) => apply(revision("2500", m, [["SOCK", m * 3]]))));
    expect(await held("2500")).toEqual({ SOCK: 21 });
    expect(await reserved("SOCK")).toBe(await heldEverywhere("SOCK"));
    expect(await state("2500")).toEqual({ reservation: "held", release_reason: null });
  });

  it("an edit after the ERP confirmed the order changes nothing at the edge", async () => {
    await apply(revision("2600", 0, [["HAT", 1]], "orders/create"));
    await pushOk(SHOP, erpSecret, "orders", {
      orders: [{ orderRef: "2600", status: "confirmed", erpRef: "SO-2600", at: new Date().toISOString(), version: Date.now() }],
    });
    await runScheduled("* * * * *", env, Date.now());
    expect(await state("2600")).toEqual({ reservation: "released", release_reason: "erp_confirmed" });
    const before = await reserved("HAT");
    const edit = await apply(revision("2600", 1, [["HAT", 3]]));
    expect(edit.touchedSkus).toEqual([]);
    expect(await held("2600")).toEqual({});
    expect(await reserved("HAT")).toBe(before);
    expect(await state("2600")).toEqual({ reservation: "released", release_reason: "erp_confirmed" });
  });

  it("an edit of a cancelled order reserves nothing", async () => {
    await apply(revision("2700", 0, [["HAT", 1]], "orders/create"));
    await apply(revision("2700", 1, [["HAT", 1]], "orders/cancelled"));
    const edit = await apply(revision("2700", 2, [["HAT", 2]]));
    expect(edit.order?.status).toBe("cancelled");
    expect(await held("2700")).toEqual({});
    expect(await reserved("HAT")).toBe(await heldEverywhere("HAT"));
  });
});
