import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { loadAvailability } from "../../worker/db/availability";
import { getOrderByNumberAndEmail, getOrderByRef } from "../../worker/db/orders";
import { lookupPlatformId } from "../../worker/db/platform-ids";
import { kitsContaining } from "../../worker/db/product-sales";
import { loadPromiseSnapshot } from "../../worker/db/promise-snapshot";
import { loadStaffProduct } from "../../worker/db/staff";
import { lookupPlatformIds } from "../../worker/db/staff-lists";
import { searchProducts } from "../../worker/db/staff-search";
import { markChangedSince, takeDirty } from "../../worker/db/stock-dirty";
import { applyPlan } from "../../worker/ingest/apply";
import { planCustomers } from "../../worker/ingest/customers";
import { planOrders } from "../../worker/ingest/orders";
import { planPrices } from "../../worker/ingest/prices";
import { planProducts } from "../../worker/ingest/products";
import { planStock } from "../../worker/ingest/stock";
import { planWarehouses } from "../../worker/ingest/warehouses";
import { followLines, releaseReservations, reserveLines } from "../../worker/orders/reserve";
import { withPool } from "../../worker/pool/plane";
import type { Statement } from "../../worker/pool/store";
import { EVERY_15_MINUTES, EVERY_MINUTE, runPoolJobs, runScheduled } from "../../worker/scheduled";
import { createShop, poolDb } from "./helpers";
import { inPoolObject } from "./pool-object";

/**
 * The hot queries keep their indexes: every statement the hot paths really run (recorded from a
 * D1 binding that notes each `prepare`) is explained, and none may read a whole table (`SCAN t`) or
 * a whole shop of a table that grows with the shop (`SEARCH t USING … (shop_id=?)` and nothing more).
 * Checked twice: as right after the migrations (no planner statistics) and after `ANALYZE` on data.
 * Each statement is explained where it runs (issue 17): pool data in the shop's pool object, the
 * registry's tables in D1.
 */

const SHOP = "plans";
const NOW = Date.now();
/** The shop's data plane, as the worker's requests, queue and cron see it. */
const plane = poolDb(SHOP);

/** Runs `sql` in the pool's object itself: its catalogue (through `plane`, `sqlite_master` is D1's) and its `ANALYZE`. */
const inPool = <T>(sql: string): Promise<T[]> => inPoolObject<T>(SHOP, sql);

/** Tables that grow with a shop's catalogue, orders or traffic: reading one shop's worth of them is a scan. */
const GROWING = new Set([
  "products",
  "product_sales",
  "kit_components",
  "sku_aliases",
  "stock",
  "stock_history",
  "prices",
  "customers",
  "orders",
  "order_timeline",
  "shop_orders",
  "reservations",
  "deliveries",
  "delivery_attempts",
  "order_inbox",
  "platform_ids",
  "platform_stock",
  "platform_stock_dirty",
  "sync_log",
  "webhook_receipts",
]);

/**
 * Reads that are whole by design, each with its reason. Nothing else may scan.
 * - the registry tables hold one row per shop (or per shop and slot): the cron walks them;
 * - staff search is a substring match (`LIKE '%q%'`) over one shop's products: no B-tree index
 *   answers that (an FTS5 trigram index would; see README "Data plane").
 */
const WHOLE_BY_DESIGN: ReadonlyArray<{ table: string; sql: RegExp }> = [
  { table: "shops", sql: /./ },
  { table: "connector_settings", sql: /./ },
  { table: "shop_order_settings", sql: /./ },
  { table: "products", sql: /name LIKE \?3/ },
];

/** Forwards every property of `target` except those `own` answers (methods stay bound to `target`). */
function intercept<T extends object>(target: T, own: Partial<Record<PropertyKey, unknown>>): T {
  return new Proxy(target, {
    get(t, key) {
      if (key in own) return own[key];
      const value = Reflect.get(t, key);
      // Not `bind`: on an object's stub every property is a remote method, `bind` too.
      return typeof value === "function" ? (...args: unknown[]) => Reflect.apply(value, t, args) : value;
    },
  });
}

/**
 * `env` whose databases remember the SQL of every statement they are sent: D1 (the registry) at
 * each `prepare`, and every pool object at each `run`. So what is recorded is what really runs,
 * on the side it runs, whichever plane the code under test builds from this `env`.
 */
function recording(base: Env): { env: Env; statements: Set<string> } {
  const statements = new Set<string>();
  const registry = intercept(base.DB, {
    prepare: (sql: string) => {
      statements.add(sql);
      return base.DB.prepare(sql);
    },
  });
  const pools = intercept(base.POOLS, {
    get: (id: DurableObjectId) => {
      const stub = base.POOLS.get(id);
      return intercept(stub, {
        run: (list: Statement[]) => {
          for (const s of list) statements.add(s.sql);
          return stub.run(list);
        },
      });
    },
  });
  return { env: { ...base, DB: registry, POOLS: pools }, statements };
}

/** The highest parameter a statement names (`?`, `?N`), so EXPLAIN can bind that many NULLs. */
function parameterCount(sql: string): number {
  let plain = 0;
  let numbered = 0;
  for (const m of sql.replace(/'[^']*'/g, "").matchAll(/\?(\d*)/g)) {
    if (m[1]) numbered = Math.max(numbered, Number(m[1]));
    else plain++;
  }
  return Math.max(plain, numbered);
}

let explained = 0;

async function planOf(sql: string): Promise<string[]> {
  // A fresh text each time: SQLite's prepared statements are kept, and a kept plan outlives a DROP INDEX.
  const { results } = await plane
    .prepare(`EXPLAIN QUERY PLAN ${sql}\n-- ${++explained}`)
    .bind(...Array.from({ length: parameterCount(sql) }, () => null))
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

/** The tables of both databases a statement may run in: the registry's (D1) and the pool object's. */
async function realTables(): Promise<Set<string>> {
  const sql = "SELECT name FROM sqlite_master WHERE type = 'table'";
  const { results } = await env.DB.prepare(sql).all<{ name: string }>();
  return new Set([...results, ...(await inPool<{ name: string }>(sql))].map((r) => r.name));
}

const NOT_ALIASES = new Set(["where", "join", "left", "inner", "cross", "on", "using", "indexed", "order", "group", "limit", "union", "set", "as", "natural"]);

/** Plans name tables by their alias (`SCAN a`): the alias → table map of a statement. */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+AS)?\s+(\w+)/gi)) {
    const [, table, alias] = m;
    if (table && alias && !NOT_ALIASES.has(alias.toLowerCase())) out.set(alias, table);
  }
  return out;
}

/** What is wrong with a statement's plan: every whole-table or whole-shop read not allowed by design. */
export function scansIn(sql: string, plan: readonly string[], tables: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const names = aliases(sql);
  // A shop's rows walked in index order up to a LIMIT stop early: the cost is the LIMIT, not the shop.
  const orderedWalk = /\bLIMIT\s+\?\d*\s*$/i.test(sql.trim()) && !plan.some((l) => l.includes("TEMP B-TREE"));
  for (const line of plan) {
    const scan = /^SCAN (\w+)/.exec(line);
    const shopWide = /^SEARCH (\w+) USING (?:COVERING )?(?:INDEX \w+|PRIMARY KEY) \(shop_id=\?\)$/.exec(line);
    const named = scan?.[1] ?? shopWide?.[1];
    const real = named && (names.get(named) ?? named);
    const table = scan ? real : real && GROWING.has(real) && !orderedWalk ? real : undefined;
    if (!table || !tables.has(table)) continue;
    if (WHOLE_BY_DESIGN.some((w) => w.table === table && w.sql.test(sql))) continue;
    found.push(line);
  }
  return found;
}

/** Runs every hot path once through a recording binding and answers the SQL each ran. */
async function hotStatements(): Promise<Set<string>> {
  const { env: recorded, statements } = recording(env);
  const db = withPool(recorded, SHOP).DB;
  const receipt = (resource: string) => ({ shop: SHOP, source: "erp", webhookId: `plans-${resource}-${crypto.randomUUID()}`, resource, now: NOW });
  const rows = <T>(list: T[]) => list.map((row, index) => ({ index, row }));

  // Ingest, every kind.
  await applyPlan(db, receipt("warehouses"), planWarehouses(db, SHOP, rows([{ code: "BER", name: "Berlin" }])));
  await applyPlan(
    db,
    receipt("products"),
    planProducts(
      db,
      SHOP,
      rows(Array.from({ length: 20 }, (_, i) => ({ sku: `P-${i}`, name: `Product ${i}`, gtin: `400638133393${i % 10}`, aliases: [`old-${i}`], version: 1 }))),
      NOW,
    ),
  );
  await applyPlan(
    db,
    receipt("stock"),
    await planStock(db, SHOP, rows(Array.from({ length: 20 }, (_, i) => ({ sku: `P-${i}`, warehouse: "BER", onHand: 50, version: 1 }))), NOW),
  );
  await applyPlan(
    db,
    receipt("prices"),
    await planPrices(
      db,
      SHOP,
      rows([{ id: "B2B", name: "B2B", currency: "EUR" }]),
      rows([{ list: "B2B", sku: "P-1", minQty: 1, unitPrice: "9.50", version: 1 }]),
    ),
  );
  await applyPlan(db, receipt("customers"), await planCustomers(db, SHOP, rows([{ id: "C1", company: "ACME", priceList: "B2B", version: 1 }])));
  await applyPlan(
    db,
    receipt("orders"),
    planOrders(
      db,
      SHOP,
      rows([{ orderRef: "9001", orderNumber: "#1001", email: "a@example.com", status: "confirmed" as const, at: new Date(NOW).toISOString(), version: 1 }]),
      NOW,
    ),
  );

  // Reads: availability (SKU, alias, GTIN), order lookups, platform ids, staff views.
  await loadAvailability(db, SHOP, ["P-1", "old-2", "04006381333933", "nope"], 5, new Date(NOW));
  await getOrderByNumberAndEmail(db, SHOP, "#1001", "a@example.com");
  await getOrderByRef(db, SHOP, "9001");
  await lookupPlatformId(db, SHOP, "order", "555");
  await lookupPlatformIds(db, SHOP, "variant", ["1", "2"]);
  await loadStaffProduct(db, SHOP, "P-1");
  await searchProducts(db, SHOP, "duct 1", 20);
  await loadPromiseSnapshot(db, SHOP, ["P-1", "old-2", "04006381333933", "nope"], new Date(NOW).toISOString().slice(0, 10));
  await kitsContaining(db, SHOP, ["P-1", "P-2"]);

  // Reservation of a 5-line order, an edit, and its release.
  const lines = Array.from({ length: 5 }, (_, i) => ({ lineId: `L${i}`, sku: `P-${i}`, qty: 2 }));
  await reserveLines(db, SHOP, "9001", lines, ["BER"], NOW);
  await followLines(db, SHOP, "9001", lines.slice(1), ["BER"], NOW);
  await releaseReservations(db, SHOP, "9001", NOW);

  // The platform stock sync's dirty scan, and every job of the every-minute cron (stuck deliveries, expiry, retention…).
  await db.batch([markChangedSince(db, SHOP, NOW - 60_000, NOW)]);
  await takeDirty(db, SHOP, 100);
  // The cron: each pool's jobs run inside its object (one call per tick, statements sent in place, which
  // nothing outside sees), so the same jobs (`runPoolJobs`) run here on the recording plane;
  // then a whole tick, for what the worker itself sends (the registry's list of pools).
  await runPoolJobs(EVERY_MINUTE, withPool(recorded, SHOP), NOW, async () => new Response("{}"));
  await runScheduled(EVERY_MINUTE, recorded, NOW, async () => new Response("{}"));
  return statements;
}

/**
 * Thousands of rows in the tables the hot paths read, spread over another shop and this one, so
 * that `ANALYZE` sees realistic proportions (on a handful of rows a scan is honestly the cheapest plan).
 */
async function seedBulk(): Promise<void> {
  const n = (count: number) => `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
  const shops = "CASE WHEN i % 10 = 0 THEN 'plans' ELSE 'bulk' END";
  await plane.batch(
    [
      `${n(5000)} INSERT INTO products (shop_id, sku, name, gtin, version, updated_at)
        SELECT ${shops}, 'B-' || i, 'Bulk ' || i, CASE WHEN i % 3 = 0 THEN printf('%013d', i) END, 1, ${NOW} FROM n`,
      `${n(5000)} INSERT INTO sku_aliases (shop_id, alias, sku) SELECT ${shops}, 'alias-' || i, 'B-' || i FROM n`,
      `${n(5000)} INSERT INTO stock (shop_id, sku, warehouse, on_hand, version, updated_at) SELECT ${shops}, 'B-' || i, 'BER', 10, 1, ${NOW} - i * 1000 FROM n`,
      `${n(5000)} INSERT INTO reservations (shop_id, order_ref, line_id, sku, warehouse, qty, state, created_at, released_at)
        SELECT ${shops}, 'O-' || (i / 5), 'L' || (i % 5), 'B-' || i, 'BER', 1, CASE WHEN i % 2 = 0 THEN 'held' ELSE 'released' END,
          ${NOW} - i * 1000, CASE WHEN i % 2 = 1 THEN ${NOW} - i * 500 END FROM n`,
      `${n(2000)} INSERT INTO orders (shop_id, order_ref, order_number, email, status, at, version, updated_at)
        SELECT ${shops}, 'O-' || i, '#' || (5000 + i), 'c' || i || '@example.com', 'confirmed', ${NOW}, 1, ${NOW} FROM n`,
      `${n(2000)} INSERT INTO shop_orders (shop_id, order_ref, platform, state, reservation, reserved_at, created_at, updated_at)
        SELECT ${shops}, 'O-' || i, 'shopify', '{}', CASE WHEN i % 4 = 0 THEN 'held' ELSE 'released' END, ${NOW} - i * 1000, ${NOW}, ${NOW} FROM n`,
      `${n(2000)} INSERT INTO deliveries (id, shop_id, kind, order_ref, event, status, created_at, updated_at)
        SELECT 'D-' || i, ${shops}, 'erp_order', 'O-' || i, 'order.created', CASE WHEN i % 50 = 0 THEN 'pending' ELSE 'delivered' END,
          ${NOW} - i * 60000, ${NOW} - i * 60000 FROM n`,
      `${n(4000)} INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome) SELECT 'D-' || (i / 2), i % 2 + 1, ${NOW} - i * 30000, 'delivered' FROM n`,
      `${n(2000)} INSERT INTO sync_log (shop_id, resource, webhook_id, applied, stale, rejected, at) SELECT ${shops}, 'stock', 'w' || i, 1, 0, 0, ${NOW} - i * 60000 FROM n`,
      `${n(2000)} INSERT INTO order_inbox (shop_id, platform, delivery_id, topic, body, received_at, state)
        SELECT ${shops}, 'shopify', 'in-' || i, 'orders/create', '{}', ${NOW} - i * 60000, 'done' FROM n`,
      `${n(2000)} INSERT INTO webhook_receipts (shop_id, source, id, received_at) SELECT ${shops}, 'erp', 'r' || i, ${NOW} - i * 60000 FROM n`,
      `${n(2000)} INSERT INTO platform_ids (shop_id, kind, platform_id, value, updated_at) SELECT ${shops}, 'variant', 'v' || i, 'B-' || i, ${NOW} FROM n`,
      `${n(500)} INSERT INTO platform_stock_dirty (shop_id, sku, since) SELECT ${shops}, 'B-' || i, ${NOW} - i FROM n`,
    ].map((sql) => plane.prepare(sql)),
  );
}

let statements: Set<string>;

beforeAll(async () => {
  await createShop(SHOP);
  statements = await hotStatements();
});

describe("query plans of the hot paths", () => {
  it("records the hot paths' statements (the check below sees what really runs)", () => {
    const all = [...statements].join("\n");
    for (const expected of ["json_each", "reservations", "platform_stock_dirty", "deliveries", "delivery_attempts", "order_number", "sku_aliases"])
      expect(all, expected).toContain(expected);
    expect(statements.size).toBeGreaterThan(30);
  });

  const withoutIndex = async (statementPart: string, drop: string, recreate: string) => {
    const sql = [...statements].find((s) => s.includes(statementPart));
    if (!sql) throw new Error(`not recorded: ${statementPart}`);
    const tables = await realTables();
    expect(scansIn(sql, await planOf(sql), tables)).toEqual([]);
    await plane.prepare(drop).run();
    try {
      return scansIn(sql, await planOf(sql), tables);
    } finally {
      await plane.prepare(recreate).run();
    }
  };

  it("the check catches a whole-shop read: without sku_aliases_sku, replacing a product's aliases reads all of the shop's", async () => {
    expect(await withoutIndex("DELETE FROM sku_aliases", "DROP INDEX sku_aliases_sku", "CREATE INDEX sku_aliases_sku ON sku_aliases (shop_id, sku)")).toEqual([
      "SEARCH sku_aliases USING PRIMARY KEY (shop_id=?)",
    ]);
  });

  it("the check catches a full scan: without delivery_attempts_at, their retention scans every attempt", async () => {
    expect(
      await withoutIndex("DELETE FROM delivery_attempts", "DROP INDEX delivery_attempts_at", "CREATE INDEX delivery_attempts_at ON delivery_attempts (at)"),
      // The plan names the table by the statement's alias.
    ).toEqual(["SCAN a"]);
  });

  it("a query held to its index (INDEXED BY) fails loudly when the index is gone, never silently scans", async () => {
    const sql = [...statements].find((s) => s.includes("INDEXED BY stock_history_at"));
    if (!sql) throw new Error("the dirty scan was not recorded");
    await plane.prepare("DROP INDEX stock_history_at").run();
    try {
      await expect(planOf(sql)).rejects.toThrow(/no such index: stock_history_at/);
    } finally {
      await plane.prepare("CREATE INDEX stock_history_at ON stock_history (at)").run();
    }
  });

  it.each([
    ["right after the migrations (no statistics)", false],
    ["after ANALYZE on data", true],
  ])("no statement reads a whole table or a whole shop, %s", async (_, analyze) => {
    if (analyze) {
      await seedBulk();
      // Statistics on both sides: the pool object's (its data) and the registry's.
      await inPool("ANALYZE");
      await env.DB.prepare("ANALYZE").run();
    }
    const tables = await realTables();
    const problems: string[] = [];
    for (const sql of statements) {
      const bad = scansIn(sql, await planOf(sql), tables);
      if (bad.length > 0) problems.push(`${bad.join(" / ")}\n    in: ${sql.replace(/\s+/g, " ").slice(0, 240)}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("planner statistics in pool objects", () => {
  it("the 15-minute cron runs PRAGMA optimize in each pool object, so a grown pool gets statistics", async () => {
    const shop = "plans-stats";
    await createShop(shop);
    await poolDb(shop)
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
         INSERT INTO stock (shop_id, sku, warehouse, on_hand, version, updated_at) SELECT ?1, 'S-' || i, 'BER', 1, 1, 1 FROM n`,
      )
      .bind(shop)
      .run();
    const stats = () => inPoolObject(shop, "SELECT idx FROM sqlite_stat1 WHERE tbl = 'stock'");
    expect(await stats()).toEqual([]);
    await runScheduled(EVERY_15_MINUTES, env, NOW, async () => new Response("{}"));
    expect(await stats()).not.toEqual([]);
  });
});
