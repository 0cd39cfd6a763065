import { beforeAll, describe, expect, it } from "vitest";
import { createShop, poolDb, pushOk } from "./helpers";

/**
 * Every ERP push kind is written in set-based chunks (one statement per ≤ 500 rows); a push still
 * means what it meant row by row, including rows of the same record inside one push.
 */
const SHOP = "chunks";
let secret: string;

const aliases = async (sku: string) =>
  (
    await poolDb(SHOP).prepare("SELECT alias FROM sku_aliases WHERE shop_id = ? AND sku = ? ORDER BY alias").bind(SHOP, sku).all<{ alias: string }>()
  ).results.map((r) => r.alias);

/** What `work` wrote to `table` (each row inserted, updated or deleted, with its `key`), seen by triggers set for the while. */
async function writesTo(table: string, key: string, work: () => Promise<unknown>): Promise<Array<{ op: string; key: string }>> {
  const db = poolDb(SHOP);
  const ops = [
    ["insert", "NEW"],
    ["update", "NEW"],
    ["delete", "OLD"],
  ];
  await db.batch([
    db.prepare("CREATE TABLE test_writes (op TEXT, key TEXT)"),
    ...ops.map(([op, row]) =>
      db.prepare(`CREATE TRIGGER test_writes_${op} AFTER ${op?.toUpperCase()} ON ${table} BEGIN INSERT INTO test_writes VALUES ('${op}', ${row}.${key}); END`),
    ),
  ]);
  try {
    await work();
    return (await db.prepare("SELECT op, key FROM test_writes ORDER BY op, key").all<{ op: string; key: string }>()).results;
  } finally {
    await db.batch([...ops.map(([op]) => db.prepare(`DROP TRIGGER test_writes_${op}`)), db.prepare("DROP TABLE test_writes")]);
  }
}

beforeAll(async () => {
  ({ erpSecret: secret } = await createShop(SHOP));
});

describe("products and their aliases, row by row inside one push", () => {
  it("a later row without aliases keeps the aliases an earlier row of the same product set", async () => {
    const r = await pushOk(SHOP, secret, "products", {
      products: [
        { sku: "A1", name: "first", aliases: ["a1-old"], version: 1 },
        { sku: "A1", name: "second", version: 2 },
      ],
    });
    expect(r).toMatchObject({ applied: 2, stale: 0 });
    expect(await aliases("A1")).toEqual(["a1-old"]);
    expect(await poolDb(SHOP).prepare("SELECT name, version FROM products WHERE shop_id = ? AND sku = 'A1'").bind(SHOP).first()).toEqual({
      name: "second",
      version: 2,
    });
  });

  it("two rows at the same version: the first row is kept, the last row's aliases win", async () => {
    const r = await pushOk(SHOP, secret, "products", {
      products: [
        { sku: "A2", name: "first", aliases: ["x"], version: 1 },
        { sku: "A2", name: "again", aliases: ["y"], version: 1 },
      ],
    });
    expect(r).toMatchObject({ applied: 1, stale: 1 });
    expect(await aliases("A2")).toEqual(["y"]);
  });

  it("a stale row changes neither the product nor its aliases; a newer one replaces both, and an alias moves to the product that names it last", async () => {
    await pushOk(SHOP, secret, "products", { products: [{ sku: "A3", name: "v5", aliases: ["keep"], version: 5 }] });
    expect(await pushOk(SHOP, secret, "products", { products: [{ sku: "A3", name: "v3", aliases: ["lost"], version: 3 }] })).toMatchObject({ stale: 1 });
    expect(await aliases("A3")).toEqual(["keep"]);
    await pushOk(SHOP, secret, "products", {
      products: [
        { sku: "A3", name: "v6", aliases: ["shared", "new"], version: 6 },
        { sku: "A4", name: "other", aliases: ["shared"], version: 1 },
      ],
    });
    expect(await aliases("A3")).toEqual(["new"]);
    expect(await aliases("A4")).toEqual(["shared"]);
  });

  it("re-sending a product's aliases writes only what changed: a kept alias is neither deleted nor re-added", async () => {
    await pushOk(SHOP, secret, "products", { products: [{ sku: "A5", name: "v1", aliases: ["kept", "dropped"], version: 1 }] });
    const writes = await writesTo("sku_aliases", "alias", () =>
      pushOk(SHOP, secret, "products", { products: [{ sku: "A5", name: "v2", aliases: ["kept", "added"], version: 2 }] }),
    );
    expect(await aliases("A5")).toEqual(["added", "kept"]);
    expect(writes).toEqual([
      { op: "delete", key: "dropped" },
      { op: "insert", key: "added" },
    ]);
  });

  it("a push larger than one chunk applies every row", async () => {
    const products = Array.from({ length: 1_234 }, (_, i) => ({ sku: `BULK-${i}`, name: `Bulk ${i}`, aliases: [`bulk-old-${i}`], version: 1 }));
    expect(await pushOk(SHOP, secret, "products", { products })).toMatchObject({ applied: 1_234, stale: 0 });
    expect(await aliases("BULK-1233")).toEqual(["bulk-old-1233"]);
  });
});

describe("orders, row by row inside one push", () => {
  it("a new order without shipments has none; a newer row without shipments keeps them; one with shipments sets them", async () => {
    const at = "2026-11-30T10:00:00Z";
    await pushOk(SHOP, secret, "orders", {
      orders: [
        { orderRef: "R1", orderNumber: "#1", status: "confirmed", at, version: 1 },
        { orderRef: "R2", status: "shipped", shipments: [{ carrier: "UPS", trackingNumber: "1Z" }], at, version: 1 },
        { orderRef: "R2", status: "delivered", at, version: 2 },
      ],
    });
    const row = (ref: string) =>
      poolDb(SHOP).prepare("SELECT order_number, status, shipments FROM orders WHERE shop_id = ? AND order_ref = ?").bind(SHOP, ref).first();
    expect(await row("R1")).toEqual({ order_number: "#1", status: "confirmed", shipments: "[]" });
    expect(await row("R2")).toEqual({ order_number: null, status: "delivered", shipments: JSON.stringify([{ carrier: "UPS", trackingNumber: "1Z" }]) });
    const timeline = await poolDb(SHOP).prepare("SELECT status FROM order_timeline WHERE shop_id = ? AND order_ref = 'R2' ORDER BY status").bind(SHOP).all();
    expect(timeline.results.map((t) => t.status)).toEqual(["delivered", "shipped"]);
  });

  it("a status seen again keeps its first time and writes nothing; seen earlier, it takes the earlier time", async () => {
    const push = (at: string, version: number) => pushOk(SHOP, secret, "orders", { orders: [{ orderRef: "R3", status: "confirmed", at, version }] });
    await push("2026-11-30T10:00:00Z", 1);
    expect(await writesTo("order_timeline", "status", () => push("2026-11-30T11:00:00Z", 2))).toEqual([]);
    expect(await writesTo("order_timeline", "status", () => push("2026-11-30T09:00:00Z", 3))).toEqual([{ op: "update", key: "confirmed" }]);
    const first = await poolDb(SHOP).prepare("SELECT at FROM order_timeline WHERE shop_id = ? AND order_ref = 'R3'").bind(SHOP).first("at");
    expect(first).toBe(Date.parse("2026-11-30T09:00:00Z"));
  });
});
