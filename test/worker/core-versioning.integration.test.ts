import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createShop, poolDb, pushOk } from "./helpers";

/**
 * The replica's core promise: whatever order the ERP's updates arrive in, and however often each
 * is redelivered, every record ends at its highest version's values. Each property run gets a fresh
 * shop and pushes a random permutation of versioned updates (with repeats) through the real, signed
 * ingest routes, in random chunks, so equal keys also meet inside one push.
 */

const RUNS = 50;
const TIMEOUT = 60_000;
let shopCounter = 0;

interface Update<V> {
  key: number;
  version: number;
  value: V;
}

/** For `keys` keys: 1–4 distinct versions each with its own value, every update sent 1–3 times, in any order, in chunks. */
function deliveries<V>(value: fc.Arbitrary<V>, keys = 3) {
  const perKey = (key: number) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 4 })
      .chain((versions) =>
        fc.tuple(
          ...versions.map((version) => fc.tuple(value, fc.integer({ min: 1, max: 3 })).map(([v, times]) => ({ update: { key, version, value: v }, times }))),
        ),
      );
  return fc
    .tuple(...Array.from({ length: keys }, (_, k) => perKey(k)))
    .chain((all) => {
      const updates = all.flat();
      const sent = updates.flatMap(({ update, times }) => Array.from({ length: times }, () => update));
      return fc.tuple(
        fc.constant(updates.map((u) => u.update)),
        fc.shuffledSubarray(sent, { minLength: sent.length, maxLength: sent.length }),
        fc.integer({ min: 1, max: 4 }),
      );
    })
    .map(([updates, order, chunk]) => ({ updates, order, chunk }));
}

/** The value with the highest version, per key. */
function winners<V>(updates: ReadonlyArray<Update<V>>): Map<number, Update<V>> {
  const best = new Map<number, Update<V>>();
  for (const u of updates) if ((best.get(u.key)?.version ?? -1) < u.version) best.set(u.key, u);
  return best;
}

/** Pushes `order` in chunks of `chunk` rows; every row is applied or stale, never rejected. */
async function pushAll<V>(
  shop: string,
  secret: string,
  resource: string,
  order: ReadonlyArray<Update<V>>,
  chunk: number,
  body: (rows: ReadonlyArray<Update<V>>) => unknown,
) {
  for (let i = 0; i < order.length; i += chunk) {
    const rows = order.slice(i, i + chunk);
    const r = await pushOk(shop, secret, resource, body(rows));
    expect(r.rejected).toEqual([]);
    expect(r.applied + r.stale).toBe(rows.length);
  }
}

async function freshShop(setup?: (shop: string, secret: string) => Promise<void>) {
  const shop = `ver-${++shopCounter}`;
  const { erpSecret } = await createShop(shop);
  await setup?.(shop, erpSecret);
  return { shop, secret: erpSecret };
}

const money = fc.integer({ min: 0, max: 99_999 }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`);

describe("versioned upserts: any order, any duplicates, highest version wins", () => {
  it(
    "stock",
    async () => {
      const value = fc.record({
        warehouse: fc.constantFrom("BER", "HAM"),
        onHand: fc.integer({ min: -5, max: 500 }),
        committed: fc.nat(50),
        eta: fc.constantFrom("2099-01-01", "2099-02-02"),
      });
      await fc.assert(
        fc.asyncProperty(deliveries(value), async ({ updates, order, chunk }) => {
          // Warehouse is part of the key: fix it per key so each key is one (sku, warehouse) row.
          const fixed = (u: Update<typeof value extends fc.Arbitrary<infer V> ? V : never>) => ({
            ...u,
            value: { ...u.value, warehouse: u.key % 2 ? "HAM" : "BER" },
          });
          const { shop, secret } = await freshShop((s, k) =>
            pushOk(s, k, "warehouses", {
              warehouses: [
                { code: "BER", name: "Berlin" },
                { code: "HAM", name: "Hamburg" },
              ],
            }).then(() => undefined),
          );
          await pushAll(shop, secret, "stock", order.map(fixed), chunk, (rows) => ({
            items: rows.map((u) => ({
              sku: `S${u.key}`,
              warehouse: u.value.warehouse,
              onHand: u.value.onHand,
              committed: u.value.committed,
              incoming: [{ qty: 1, eta: u.value.eta }],
              version: u.version,
            })),
          }));
          for (const [key, w] of winners(updates.map(fixed))) {
            const row = await poolDb(shop)
              .prepare("SELECT on_hand, committed, incoming, version FROM stock WHERE shop_id = ? AND sku = ? AND warehouse = ?")
              .bind(shop, `S${key}`, w.value.warehouse)
              .first();
            expect(row).toEqual({
              on_hand: w.value.onHand,
              committed: w.value.committed,
              incoming: JSON.stringify([{ qty: 1, eta: w.value.eta }]),
              version: w.version,
            });
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "products, with their aliases",
    async () => {
      const value = fc.record({
        name: fc.string({ minLength: 1, maxLength: 12 }),
        cost: money,
        backorder: fc.boolean(),
        alias: fc.integer({ min: 0, max: 3 }),
      });
      await fc.assert(
        fc.asyncProperty(deliveries(value), async ({ updates, order, chunk }) => {
          const { shop, secret } = await freshShop();
          const aliasOf = (u: Update<{ alias: number }>) => `P${u.key}-alias-${u.value.alias}`;
          await pushAll(shop, secret, "products", order, chunk, (rows) => ({
            products: rows.map((u) => ({
              sku: `P${u.key}`,
              name: u.value.name,
              cost: u.value.cost,
              backorder: u.value.backorder,
              aliases: [aliasOf(u)],
              version: u.version,
            })),
          }));
          for (const [key, w] of winners(updates)) {
            const row = await poolDb(shop)
              .prepare("SELECT name, cost, backorder, version FROM products WHERE shop_id = ? AND sku = ?")
              .bind(shop, `P${key}`)
              .first();
            expect(row).toEqual({ name: w.value.name, cost: w.value.cost, backorder: w.value.backorder ? 1 : 0, version: w.version });
            const aliases = await poolDb(shop)
              .prepare("SELECT alias FROM sku_aliases WHERE shop_id = ? AND sku = ?")
              .bind(shop, `P${key}`)
              .all<{ alias: string }>();
            expect(aliases.results.map((a) => a.alias)).toEqual([aliasOf(w)]);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "prices",
    async () => {
      await fc.assert(
        fc.asyncProperty(deliveries(money), async ({ updates, order, chunk }) => {
          const { shop, secret } = await freshShop((s, k) =>
            pushOk(s, k, "prices", { lists: [{ id: "B2B", name: "B2B", currency: "EUR" }] }).then(() => undefined),
          );
          // Keys are (sku, minQty) breaks of one list.
          await pushAll(shop, secret, "prices", order, chunk, (rows) => ({
            prices: rows.map((u) => ({ list: "B2B", sku: "SKU", minQty: 1 + u.key * 10, unitPrice: u.value, version: u.version })),
          }));
          for (const [key, w] of winners(updates)) {
            const row = await poolDb(shop)
              .prepare("SELECT unit_price, version FROM prices WHERE shop_id = ? AND list = 'B2B' AND sku = 'SKU' AND min_qty = ?")
              .bind(shop, 1 + key * 10)
              .first();
            expect(row).toEqual({ unit_price: w.value, version: w.version });
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "customers",
    async () => {
      const value = fc.record({ company: fc.constantFrom("Acme", "Globex", "Initech"), priceList: fc.constantFrom("L1", "L2"), creditLimit: money });
      await fc.assert(
        fc.asyncProperty(deliveries(value), async ({ updates, order, chunk }) => {
          const { shop, secret } = await freshShop((s, k) =>
            pushOk(s, k, "prices", {
              lists: [
                { id: "L1", name: "One", currency: "EUR" },
                { id: "L2", name: "Two", currency: "EUR" },
              ],
            }).then(() => undefined),
          );
          await pushAll(shop, secret, "customers", order, chunk, (rows) => ({
            customers: rows.map((u) => ({
              id: `C${u.key}`,
              company: u.value.company,
              priceList: u.value.priceList,
              creditLimit: u.value.creditLimit,
              version: u.version,
            })),
          }));
          for (const [key, w] of winners(updates)) {
            const row = await poolDb(shop)
              .prepare("SELECT company, price_list, credit_limit, version FROM customers WHERE shop_id = ? AND id = ?")
              .bind(shop, `C${key}`)
              .first();
            expect(row).toEqual({ company: w.value.company, price_list: w.value.priceList, credit_limit: w.value.creditLimit, version: w.version });
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "orders: status and shipments follow the highest version; the timeline keeps every status reached",
    async () => {
      const value = fc.record({
        status: fc.constantFrom("received", "confirmed", "picking", "packed", "shipped", "delivered", "cancelled", "returned"),
        tracking: fc.option(fc.constantFrom("1Z5R89390357567127", "1Z879E930346834440"), { nil: undefined }),
        day: fc.integer({ min: 1, max: 28 }),
      });
      await fc.assert(
        fc.asyncProperty(deliveries(value, 2), async ({ updates, order, chunk }) => {
          const { shop, secret } = await freshShop();
          const at = (day: number) => `2026-10-${String(day).padStart(2, "0")}T10:00:00Z`;
          await pushAll(shop, secret, "orders", order, chunk, (rows) => ({
            orders: rows.map((u) => ({
              orderRef: `O${u.key}`,
              status: u.value.status,
              at: at(u.value.day),
              ...(u.value.tracking ? { shipments: [{ carrier: "UPS", trackingNumber: u.value.tracking }] } : {}),
              version: u.version,
            })),
          }));
          for (const [key, w] of winners(updates)) {
            const row = await poolDb(shop)
              .prepare("SELECT status, at, shipments, version FROM orders WHERE shop_id = ? AND order_ref = ?")
              .bind(shop, `O${key}`)
              .first<{ shipments: string }>();
            expect(row).toMatchObject({ status: w.value.status, at: Date.parse(at(w.value.day)), version: w.version });
            // A version without shipments keeps what the edge knew, which depends on arrival order; one with shipments sets them.
            if (w.value.tracking) expect(JSON.parse(row?.shipments ?? "[]")).toEqual([{ carrier: "UPS", trackingNumber: w.value.tracking }]);
            const statuses = await poolDb(shop)
              .prepare("SELECT status FROM order_timeline WHERE shop_id = ? AND order_ref = ? ORDER BY status")
              .bind(shop, `O${key}`)
              .all<{ status: string }>();
            expect(statuses.results.map((s) => s.status)).toEqual([...new Set(updates.filter((u) => u.key === key).map((u) => u.value.status))].sort());
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe("large stock pushes", () => {
  it("keep per-row fates exact across the statement chunks of a 1,200-row push", async () => {
    const { shop, secret } = await freshShop((s, k) => pushOk(s, k, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] }).then(() => undefined));
    // 1,197 distinct SKUs, plus one SKU three times far apart (v5, then stale v3, then v7); SKUs that look like numbers stay text.
    const items: Array<{ sku: string; warehouse: string; onHand: number; version: number }> = Array.from({ length: 1_197 }, (_, i) => ({
      sku: String(i).padStart(5, "0"),
      warehouse: "BER",
      onHand: i,
      version: 1,
    }));
    items.splice(10, 0, { sku: "MOVER", warehouse: "BER", onHand: 5, version: 5 });
    items.splice(700, 0, { sku: "MOVER", warehouse: "BER", onHand: 3, version: 3 });
    items.splice(1_100, 0, { sku: "MOVER", warehouse: "BER", onHand: 7, version: 7 });
    expect(await pushOk(shop, secret, "stock", { items })).toEqual({ applied: 1_199, stale: 1, rejected: [] });
    const mover = await poolDb(shop).prepare("SELECT on_hand, version FROM stock WHERE shop_id = ? AND sku = 'MOVER'").bind(shop).first();
    expect(mover).toEqual({ on_hand: 7, version: 7 });
    const zero = await poolDb(shop).prepare("SELECT sku, typeof(sku) AS t, on_hand FROM stock WHERE shop_id = ? AND sku = '00042'").bind(shop).first();
    expect(zero).toEqual({ sku: "00042", t: "text", on_hand: 42 });
    // The same push again: every row is stale, nothing is written (no history rows either).
    const history = async () => poolDb(shop).prepare("SELECT count(*) AS n FROM stock_history WHERE shop_id = ?").bind(shop).first("n");
    const before = await history();
    expect(await pushOk(shop, secret, "stock", { items })).toEqual({ applied: 0, stale: 1_200, rejected: [] });
    expect(await history()).toBe(before);
  }, 30_000);
});
