/**
 * Data plane benchmark (issue 17): what one shop's writes cost as the shop grows.
 *
 * 1. ERP ingest per kind into one shop, rows/s: signed pushes of the largest allowed size through
 *    the bundled worker on Miniflare (signature, parsing, validation and the D1 batch all timed, as an
 *    ERP sees it), several pushes with rising versions so every row applies; the median push.
 * 2. Reservation of a 5-line order and its release, timed INSIDE workerd: a small bench worker
 *    (bundled from `worker/orders/reserve.ts`, never part of the product) runs `reserveLines` and
 *    `releaseReservations` against the local D1 of a shop with 100,000 SKUs × 3 warehouses and
 *    100,000 held reservation rows, and answers each call's wall time (performance.now() around the
 *    awaited call: every D1 statement is a call to the local D1 object, no HTTP in between).
 *
 *   node_modules/.bin/node test/bench/dataplane.mjs         (standalone; `npm run bench` runs it too)
 *   BENCH_ROOT=<checkout> …                                  (the same bench against another checkout: before/after)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { bundleDriver, migrate, ROOT, startEdge } from "./lib/server.mjs";
import { createShop, erpPush } from "./lib/sign.mjs";
import { percentile, round } from "./lib/stats.mjs";

const EDGE_PORT = Number(process.env.BENCH_DATAPLANE_PORT ?? 8870);
const SIZES = {
  full: { pushes: 3, rows: 10_000, orderRows: 1_000, warehouseRows: 1_000, skus: 100_000, held: 100_000, orders: 300 },
  quick: { pushes: 1, rows: 200, orderRows: 50, warehouseRows: 20, skus: 2_000, held: 500, orders: 5 },
};
const WAREHOUSES = ["BER", "HAM", "MUC"];

/** The rows of one push of `kind` at `version` (`n` rows; every push re-writes the same keys with a higher version). */
export function rowsOf(kind, n, version) {
  const at = new Date().toISOString();
  switch (kind) {
    case "warehouses":
      // Warehouses carry no version: each push renames them so every row changes.
      return { warehouses: Array.from({ length: n }, (_, i) => ({ code: `W${i}`, name: `Warehouse ${i} v${version}`, country: "DE", leadTimeDays: 2 })) };
    case "products":
      return {
        products: Array.from({ length: n }, (_, i) => ({
          sku: `SKU-${i}`,
          name: `Product ${i} v${version}`,
          gtin: String(4_000_000_000_000 + i),
          cost: "4.20",
          currency: "EUR",
          aliases: [`OLD-${i}`],
          version,
        })),
      };
    case "stock":
      return {
        items: Array.from({ length: n }, (_, i) => ({
          sku: `SKU-${Math.floor(i / WAREHOUSES.length)}`,
          warehouse: WAREHOUSES[i % WAREHOUSES.length],
          onHand: (i * 7 + version) % 500,
          committed: i % 3,
          ...(i % 10 === 0 ? { incoming: [{ qty: 24, eta: "2099-01-15", ref: `PO-${i}` }] } : {}),
          version,
        })),
      };
    case "prices":
      return {
        prices: Array.from({ length: n }, (_, i) => ({
          list: "B2B",
          sku: `SKU-${Math.floor(i / 2)}`,
          minQty: i % 2 === 0 ? 1 : 10,
          unitPrice: `${9 + version}.50`,
          version,
        })),
      };
    case "customers":
      return {
        customers: Array.from({ length: n }, (_, i) => ({
          id: `C-${i}`,
          email: `buyer${i}@example.com`,
          company: `Company ${i}`,
          priceList: "B2B",
          paymentTerms: "30 days",
          creditLimit: "5000.00",
          balance: "120.00",
          version,
        })),
      };
    case "orders":
      return {
        orders: Array.from({ length: n }, (_, i) => ({
          orderRef: `O-${i}`,
          orderNumber: `#${10_000 + i}`,
          email: `buyer${i}@example.com`,
          erpRef: `SO-${i}`,
          status: version % 2 === 0 ? "confirmed" : "picking",
          shipments: i % 4 === 0 ? [{ carrier: "dhl", trackingNumber: `JJD${i}`, shippedAt: at }] : [],
          at,
          version,
        })),
      };
  }
  throw new Error(`unknown kind ${kind}`);
}

/** Median rows/s of `pushes` pushes of `n` rows of `kind`; every row must apply. */
async function ingestKind(base, secret, kind, n, pushes) {
  const seconds = [];
  for (let v = 2; v < 2 + pushes; v++) {
    const payload = rowsOf(kind, n, v);
    const t = performance.now();
    const result = await erpPush(base, "dp", secret, kind, payload);
    seconds.push((performance.now() - t) / 1000);
    if (result.applied !== n) throw new Error(`${kind} push v${v}: applied ${result.applied} of ${n} (${JSON.stringify(result.rejected?.[0])})`);
  }
  return n / percentile(seconds, 50);
}

async function ingestRows(size, root) {
  const edge = await startEdge({ port: EDGE_PORT, root });
  try {
    const { erpSecret } = await createShop(edge.url, edge.adminToken, "dp");
    await erpPush(edge.url, "dp", erpSecret, "warehouses", { warehouses: WAREHOUSES.map((code) => ({ code, name: code })) });
    await erpPush(edge.url, "dp", erpSecret, "prices", { lists: [{ id: "B2B", name: "B2B", currency: "EUR" }] });
    const rows = [];
    for (const [kind, n] of [
      ["warehouses", size.warehouseRows],
      ["products", size.rows],
      ["stock", size.rows],
      ["prices", size.rows],
      ["customers", size.rows],
      ["orders", size.orderRows],
    ]) {
      const rps = await ingestKind(edge.url, erpSecret, kind, n, size.pushes);
      rows.push({
        name: `dataplane: ingest ${kind}, ${size.pushes} pushes of ${n.toLocaleString("en-US")} rows into one shop (median)`,
        value: round(rps),
        unit: "rows/s",
        goal: ">= 100000",
      });
    }
    return rows;
  } finally {
    await edge.dispose();
  }
}

/**
 * The bench-only worker: reserve and release, timed inside workerd. Two figures per call: its wall
 * time (every D1 statement a call to the local D1 object), and the time SQLite itself spent, summed
 * from each result's `meta.duration` (what D1 reports as the query's own duration): the part that
 * stays when the same SQL runs inside a pool object.
 */
const BENCH_WORKER = (reservePath) => `
import { releaseReservations, reserveLines } from ${JSON.stringify(reservePath)};
const REAL = Symbol("statement");
function statement(s, spent) {
  return new Proxy(s, {
    get(target, key) {
      if (key === REAL) return target;
      if (key === "bind") return (...args) => statement(target.bind(...args), spent);
      if (key === "all" || key === "run")
        return async () => {
          const result = await target[key]();
          spent.ms += result.meta?.duration ?? 0;
          return result;
        };
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
function timed(db, spent) {
  return new Proxy(db, {
    get(target, key) {
      if (key === "prepare") return (sql) => statement(target.prepare(sql), spent);
      if (key === "batch")
        return async (statements) => {
          const results = await target.batch(statements.map((s) => s[REAL] ?? s));
          for (const r of results) spent.ms += r.meta?.duration ?? 0;
          return results;
        };
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
export default {
  async fetch(request, env) {
    const { shop, orders, skus, from } = await request.json();
    const out = { reserve: [], release: [], reserveSql: [], releaseSql: [] };
    const now = Date.now();
    for (let o = 0; o < orders; o++) {
      const ref = "bench-" + (from + o);
      const lines = Array.from({ length: 5 }, (_, i) => ({ lineId: "L" + i, sku: "SKU-" + ((o * 7919 + i * 104729) % skus), qty: 1 }));
      let spent = { ms: 0 };
      let t = performance.now();
      const taken = await reserveLines(timed(env.DB, spent), shop, ref, lines, [], now);
      out.reserve.push(performance.now() - t);
      out.reserveSql.push(spent.ms);
      if (taken.some((l) => l.allocations.length === 0)) throw new Error("a line found no stock: " + JSON.stringify(taken));
      spent = { ms: 0 };
      t = performance.now();
      const skusBack = await releaseReservations(timed(env.DB, spent), shop, ref, now);
      out.release.push(performance.now() - t);
      out.releaseSql.push(spent.ms);
      if (skusBack.length === 0) throw new Error("release gave nothing back");
    }
    return Response.json(out);
  },
};`;

/** A shop with `skus` SKUs in 3 warehouses and `held` held reservation rows (stock.reserved consistent with them). */
function seedSql(shop, skus, held) {
  const n = (count) => `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
  const now = Date.now();
  return [
    `INSERT INTO shops (id, name, platform, origins, currency, locale, erp_secret_enc, customer_secret_enc, created_at)
      VALUES ('${shop}', 'Bench', 'custom', '[]', 'EUR', 'de-DE', 'x', 'x', ${now})`,
    `INSERT INTO warehouses (shop_id, code, name) VALUES ${WAREHOUSES.map((w) => `('${shop}', '${w}', '${w}')`).join(", ")}`,
    `${n(skus)} INSERT INTO products (shop_id, sku, name, gtin, version, updated_at) SELECT '${shop}', 'SKU-' || i, 'Product ' || i, 4000000000000 + i, 1, ${now} FROM n`,
    ...WAREHOUSES.map(
      (w) =>
        `${n(skus)} INSERT INTO stock (shop_id, sku, warehouse, on_hand, version, updated_at) SELECT '${shop}', 'SKU-' || i, '${w}', 1000000, 1, ${now} - i FROM n`,
    ),
    `${n(held)} INSERT INTO reservations (shop_id, order_ref, line_id, sku, warehouse, qty, state, created_at)
      SELECT '${shop}', 'held-' || (i / 5), 'L' || (i % 5), 'SKU-' || ((i * 37) % ${skus}), '${WAREHOUSES[0]}', 1, 'held', ${now} - i FROM n`,
    `UPDATE stock SET reserved = (SELECT count(*) FROM reservations r WHERE r.shop_id = stock.shop_id AND r.sku = stock.sku AND r.warehouse = stock.warehouse AND r.state = 'held')
      WHERE shop_id = '${shop}' AND warehouse = '${WAREHOUSES[0]}'`,
  ];
}

async function reserveRelease(size, root) {
  const { dir, out } = await bundleDriver("dataplane", BENCH_WORKER(join(root, "worker/orders/reserve.ts")), root);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: out,
      modulesRoot: dir,
      compatibilityDate: "2026-10-01",
      compatibilityFlags: ["nodejs_compat"],
      d1Databases: { DB: "bench-dataplane" },
    }),
  );
  try {
    await mf.ready;
    const db = await mf.getD1Database("DB");
    await migrate(db, root);
    const t = performance.now();
    for (const sql of seedSql("dp", size.skus, size.held)) await db.prepare(sql).run();
    // What the code under test does for its planner after migrations and every 15 minutes (nothing, before issue 17).
    const optimizes = existsSync(join(root, "worker/db/optimize.ts"));
    if (optimizes) await db.prepare("PRAGMA optimize").run();
    console.error(
      `bench dataplane: seeded ${size.skus} SKUs × 3 warehouses and ${size.held} held reservations in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const times = { reserve: [], release: [], reserveSql: [], releaseSql: [] };
    // Warm-up, then the measured orders in rounds (one request may not run for ever).
    await (
      await mf.dispatchFetch("http://bench/", { method: "POST", body: JSON.stringify({ shop: "dp", orders: 3, skus: size.skus, from: 1_000_000 }) })
    ).json();
    for (let from = 0; from < size.orders; from += 50) {
      const res = await mf.dispatchFetch("http://bench/", {
        method: "POST",
        body: JSON.stringify({ shop: "dp", orders: Math.min(50, size.orders - from), skus: size.skus, from }),
      });
      if (res.status !== 200) throw new Error(`bench worker: ${res.status} ${await res.text()}`);
      const body = await res.json();
      for (const k of Object.keys(times)) times[k].push(...body[k]);
    }
    const label = `${size.skus.toLocaleString("en-US")} SKUs × 3 warehouses, ${size.held.toLocaleString("en-US")} held reservation rows, ${size.orders} orders, in workerd${optimizes ? ", after PRAGMA optimize" : ""}`;
    const p = (k, q) => round(percentile(times[k], q));
    return [
      { name: `dataplane: reserve a 5-line order, wall p50 (${label})`, value: p("reserve", 50), unit: "ms" },
      { name: "dataplane: reserve a 5-line order, wall p99", value: p("reserve", 99), unit: "ms", goal: "<= 5" },
      { name: "dataplane: reserve a 5-line order, SQL time (D1 meta.duration) p50", value: p("reserveSql", 50), unit: "ms" },
      { name: "dataplane: reserve a 5-line order, SQL time p99", value: p("reserveSql", 99), unit: "ms", goal: "<= 5" },
      { name: "dataplane: release it, wall p50", value: p("release", 50), unit: "ms" },
      { name: "dataplane: release it, wall p99", value: p("release", 99), unit: "ms", goal: "<= 5" },
      { name: "dataplane: release it, SQL time p50", value: p("releaseSql", 50), unit: "ms" },
      { name: "dataplane: release it, SQL time p99", value: p("releaseSql", 99), unit: "ms", goal: "<= 5" },
    ];
  } finally {
    await mf.dispose();
  }
}

export async function run({ quick = false } = {}) {
  const size = quick ? SIZES.quick : SIZES.full;
  // BENCH_ROOT measures another checkout (e.g. the commit before a change) on the same machine.
  const root = process.env.BENCH_ROOT ?? ROOT;
  const only = process.env.BENCH_DATAPLANE_PART;
  return [...(only === "reserve" ? [] : await ingestRows(size, root)), ...(only === "ingest" ? [] : await reserveRelease(size, root))];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { printTable } = await import("./lib/table.mjs");
  printTable(await run({ quick: process.argv.includes("--quick") }));
}
