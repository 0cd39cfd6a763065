/**
 * Data plane budgets (issue 17), on the pool data plane: every shop's data lives in the Durable
 * Object of its stock pool (`PoolStore`, worker/pool/); D1 keeps only the registry. One local edge
 * (lib/pool-edge.mjs: the bundled worker plus a bench-only driver worker bound to its objects), in
 * one run:
 *
 * 1. Ingest per ERP push kind into one pool, rows/s: signed pushes of the largest allowed size through
 *    the bundled worker (signature, parsing, validation and the object's transaction all timed, as an
 *    ERP sees it), several pushes with rising versions so every row applies; the median push.
 * 2. Reservation of a 5-line order and its release in a pool of 100,000 SKUs × 3 warehouses and
 *    100,000 held reservation rows (set up by bulk SQL in the object): the product's `reserveLines`
 *    and `releaseReservations` on `withPool(env, pool).DB`. Two figures each, NOT the same thing:
 *    - "SQL inside the object": the sum of the statements' `meta.duration`, which PoolStore measures
 *      inside the object around each statement (the budget's figure);
 *    - "wall through the RPC": what the caller waits, every call into the object included (a
 *      reservation is a few calls: the JS between the statements runs in the calling worker).
 * 3. Availability reads of that pool against /healthz, interleaved one by one on the same server:
 *    warm (the same SKU again: the isolate's memo / Cache API) and cold (a SKU never asked before:
 *    the RPC to the pool object); ratio = /healthz latency ÷ availability latency (medians). Then the
 *    same reads against the D1 path, in the same run: the same worker with a pool still listed as 'd1' on
 *    the next port, the same pool seeded by the same SQL into D1.
 *
 *   npm run bench -- dataplane          (standalone: node_modules/.bin/node test/bench/dataplane.mjs [--quick])
 *   BENCH_DATAPLANE_PORT=9140 …          (the pool edge's port; the D1 edge takes the next one)
 */
import { pathToFileURL } from "node:url";
import { startPoolEdge } from "./lib/pool-edge.mjs";
import { ROOT, startEdge } from "./lib/server.mjs";
import { createShop, erpPush } from "./lib/sign.mjs";
import { percentile, round } from "./lib/stats.mjs";

const EDGE_PORT = Number(process.env.BENCH_DATAPLANE_PORT ?? 8870);
const SIZES = {
  full: { pushes: 3, rows: 10_000, smallRows: 1_000, warehouseRows: 1_000, skus: 100_000, held: 100_000, orders: 300, reads: 600, pings: 300 },
  quick: { pushes: 1, rows: 200, smallRows: 50, warehouseRows: 20, skus: 2_000, held: 500, orders: 5, reads: 10, pings: 5 },
};
const WAREHOUSES = ["BER", "HAM", "MUC"];
const fmt = (n) => n.toLocaleString("en-US");

/** The rows of one push of `kind` at `version` (`n` rows; every push re-writes the same keys with a higher version). */
export function rowsOf(kind, n, version) {
  const at = new Date().toISOString();
  const day = at.slice(0, 10);
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
    case "incoming":
      // "incoming": every stock row brings two purchase orders on their way (the `incoming` table).
      return {
        items: Array.from({ length: n }, (_, i) => ({
          sku: `SKU-${Math.floor(i / WAREHOUSES.length)}`,
          warehouse: WAREHOUSES[i % WAREHOUSES.length],
          onHand: (i * 7 + version) % 500,
          committed: i % 3,
          ...(kind === "incoming"
            ? {
                incoming: [
                  { qty: 24 + version, eta: "2099-01-15", ref: `PO-${i}` },
                  { qty: 12, eta: "2099-02-15", ref: `PO-${i}-b` },
                ],
              }
            : i % 10 === 0
              ? { incoming: [{ qty: 24, eta: "2099-01-15", ref: `PO-${i}` }] }
              : {}),
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
    case "invoices":
      return {
        invoices: Array.from({ length: n }, (_, i) => ({
          number: `INV-${i}`,
          customer: `C-${i}`,
          orderRefs: [`O-${i}`],
          issuedAt: day,
          dueAt: "2099-01-31",
          currency: "EUR",
          total: "119.00",
          openAmount: version % 2 === 0 ? "119.00" : "19.00",
          status: version % 2 === 0 ? "open" : "partial",
          version,
        })),
      };
    case "returns":
      return {
        returns: Array.from({ length: n }, (_, i) => ({
          returnRef: `R-${i}`,
          rmaNumber: `RMA-${i}`,
          customer: `C-${i}`,
          orderRef: `O-${i}`,
          lines: [{ sku: `SKU-${i}`, qty: 1 }],
          reason: "damaged",
          status: version % 2 === 0 ? "approved" : "received",
          at,
          version,
        })),
      };
    case "sales":
      // Sales history has no version: a day's figure is replaced by the newer push.
      return {
        sales: Array.from({ length: n }, (_, i) => ({
          sku: `SKU-${Math.floor(i / 10)}`,
          warehouse: WAREHOUSES[0],
          date: new Date(Date.parse(day) - (i % 10) * 86_400_000).toISOString().slice(0, 10),
          qty: (i + version) % 7,
        })),
      };
  }
  throw new Error(`unknown kind ${kind}`);
}

/** Every ERP push kind (worker/routes/erp*.ts), the resource it is posted to and its rows per push. */
const KINDS = (size) => [
  { kind: "warehouses", resource: "warehouses", n: size.warehouseRows },
  { kind: "products", resource: "products", n: size.rows },
  { kind: "stock", resource: "stock", n: size.rows },
  { kind: "incoming", resource: "stock", n: size.rows, note: "stock rows with 2 incoming POs each" },
  { kind: "prices", resource: "prices", n: size.rows },
  { kind: "customers", resource: "customers", n: size.rows },
  { kind: "orders", resource: "orders", n: size.smallRows },
  { kind: "invoices", resource: "invoices", n: size.smallRows },
  { kind: "returns", resource: "returns", n: size.smallRows },
  { kind: "sales", resource: "sales", n: size.rows },
];

/**
 * How many rows of push `v` of `kind` the pool object holds, read straight from the object: the bench
 * checks what landed, not the push's own `applied` count (see `ingestKind`).
 */
function landedSql(kind, v, payload) {
  const version = (table) => `SELECT count(*) AS n FROM ${table} WHERE shop_id = 'dp' AND version = ${v}`;
  switch (kind) {
    case "warehouses":
      return `SELECT count(*) AS n FROM warehouses WHERE shop_id = 'dp' AND name LIKE '% v${v}'`;
    case "incoming":
      return `SELECT count(*) AS n FROM stock WHERE shop_id = 'dp' AND version = ${v} AND json_array_length(incoming) = 2`;
    case "returns":
      return version("account_returns");
    case "sales":
      // No version: the rows whose quantity is this push's.
      return {
        sql: `SELECT count(*) AS n FROM json_each(?1) p JOIN demand_lines d ON d.pool_id = 'dp' AND d.source = 'import'
          AND d.sku = p.value ->> 'sku' AND d.day = p.value ->> 'date' AND d.warehouse = p.value ->> 'warehouse' AND d.qty = p.value ->> 'qty'`,
        params: [JSON.stringify(payload.sales)],
      };
    default:
      return version(kind);
  }
}

/**
 * Median rows/s of `pushes` pushes of `n` rows of `kind`; every row must land. The count comes from
 * the object itself, not only from the push's own `applied` (a mismatch between the two is reported).
 */
async function ingestKind(edge, secret, { kind, resource, n }, versions, answered) {
  const seconds = [];
  for (const v of versions) {
    const payload = rowsOf(kind, n, v);
    const t = performance.now();
    const result = await erpPush(edge.url, "dp", secret, resource, payload);
    seconds.push((performance.now() - t) / 1000);
    if (result.rejected.length > 0) throw new Error(`${kind} push v${v}: rejected ${JSON.stringify(result.rejected[0])}`);
    await expectLanded(edge, kind, n, v, payload);
    if (result.applied !== n) answered.set(kind, `${kind}: applied ${result.applied} of ${n}`);
  }
  return n / percentile(seconds, 50);
}

async function expectLanded(edge, kind, n, v, payload) {
  const [
    {
      rows: [landed],
    },
  ] = await edge.drive("/object", { pool: "dp", statements: [landedSql(kind, v, payload)] });
  if (landed.n !== n) throw new Error(`${kind} push v${v}: ${landed.n} of ${n} rows landed in the pool object`);
}

/**
 * The same pushes' plan and apply run by the driver on the pool's plane (no HTTP, no signature):
 * median seconds of the SQL inside the object (sum of meta.duration) and of plan + apply in workerd.
 */
async function ingestInside(edge, { kind, resource, n }, versions) {
  const sql = [];
  const wall = [];
  for (const v of versions) {
    const payload = rowsOf(kind, n, v);
    const r = await edge.drive("/ingest", { pool: "dp", resource, body: payload, webhookId: `inside-${kind}-${v}` });
    await expectLanded(edge, kind, n, v, payload);
    // workerd's clock ticks in whole ms: a sum of 0 is under 1 ms, counted as 1 ms.
    sql.push(Math.max(1, r.sqlMs) / 1000);
    wall.push((r.planMs + r.applyMs) / 1000);
  }
  return { sql: n / percentile(sql, 50), wall: n / percentile(wall, 50) };
}

async function ingestRows(edge, size) {
  const { erpSecret } = await createShop(edge.url, edge.adminToken, "dp");
  await erpPush(edge.url, "dp", erpSecret, "warehouses", { warehouses: WAREHOUSES.map((code) => ({ code, name: code })) });
  await erpPush(edge.url, "dp", erpSecret, "prices", { lists: [{ id: "B2B", name: "B2B", currency: "EUR" }] });
  const rows = [];
  const answered = new Map();
  let version = 2;
  for (const k of KINDS(size)) {
    // Rising versions across kinds too: "incoming" re-writes the stock rows "stock" wrote.
    const next = () => Array.from({ length: size.pushes }, () => version++);
    const rps = await ingestKind(edge, erpSecret, k, next(), answered);
    const inside = await ingestInside(edge, k, next());
    console.error(`bench dataplane: ingest ${k.kind}: ${fmt(Math.round(rps))} rows/s through HTTP, ${fmt(Math.round(inside.sql))} rows/s of SQL in the object`);
    const what = `dataplane: ingest ${k.kind}${k.note ? ` (${k.note})` : ""}`;
    rows.push(
      {
        name: `${what}, ${size.pushes} pushes of ${fmt(k.n)} rows into one pool (median push, signed HTTP through the worker)`,
        value: round(rps),
        unit: "rows/s",
        goal: ">= 100000",
      },
      { name: `${what}: the same pushes' plan + apply in workerd, no HTTP (median)`, value: round(inside.wall), unit: "rows/s" },
      { name: `${what}: their SQL inside the object (sum of meta.duration, median)`, value: round(inside.sql), unit: "rows/s", goal: ">= 100000" },
    );
  }
  if (answered.size > 0) console.error(`bench dataplane: every row landed, but the pushes answered otherwise (${[...answered.values()].join("; ")})`);
  return rows;
}

/** Bulk SQL for a pool of `skus` SKUs in 3 warehouses and `held` held reservation rows (stock.reserved consistent with them). */
function seedSql(shop, skus, held) {
  const n = (count) => `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
  const now = Date.now();
  return [
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

/** The big pool: created through the operator API (registry row + the object's copy), filled by bulk SQL in its object. */
async function seedBigPool(edge, size) {
  await createShop(edge.url, edge.adminToken, "big");
  const t = performance.now();
  // One plane batch per statement: each is one transaction in the object, none holds it for long.
  for (const sql of seedSql("big", size.skus, size.held)) await edge.drive("/sql", { pool: "big", statements: [sql] });
  // What the worker's cron does every 15 minutes; a pragma names no table, so the plane would send it to D1: straight to the object.
  await edge.drive("/object", { pool: "big", statements: ["PRAGMA optimize"] });
  const [
    {
      rows: [counts],
    },
  ] = await edge.drive("/object", {
    pool: "big",
    statements: ["SELECT (SELECT count(*) FROM stock) AS stock, (SELECT count(*) FROM reservations WHERE state = 'held') AS held"],
  });
  if (counts.stock !== size.skus * WAREHOUSES.length || counts.held !== size.held) throw new Error(`seeded ${JSON.stringify(counts)}`);
  console.error(
    `bench dataplane: seeded ${fmt(size.skus)} SKUs × 3 warehouses and ${fmt(size.held)} held reservations in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  return edge.drive("/size", { pool: "big" });
}

/** The SKUs of order `o`: 5 distinct, spread over the pool. */
const orderSkus = (o, skus) => Array.from({ length: 5 }, (_, i) => `SKU-${(o * 7919 + i * 104_729) % skus}`);

async function reserveRelease(edge, size) {
  const bytes = await seedBigPool(edge, size);
  // Warm-up (isolates, statement caches), then the measured orders in rounds (one request may not run for ever).
  await edge.drive("/orders", { pool: "big", orders: [0, 1, 2].map((o) => ({ ref: `warm-${o}`, skus: orderSkus(o + 1_000_000, size.skus) })) });
  const all = [];
  for (let from = 0; from < size.orders; from += 50) {
    const orders = Array.from({ length: Math.min(50, size.orders - from) }, (_, k) => ({ ref: `bench-${from + k}`, skus: orderSkus(from + k, size.skus) }));
    all.push(...(await edge.drive("/orders", { pool: "big", orders })));
  }
  const pings = await edge.drive("/ping", { pool: "big", times: size.pings });
  const of = (step, key) => all.map((o) => o[step][key]);
  const p = (step, key, q) => round(percentile(of(step, key), q));
  const label = `${fmt(size.skus)} SKUs × 3 warehouses, ${fmt(size.held)} held reservation rows, ${size.orders} orders`;
  const rows = [
    { name: `dataplane: pool object size (${label}; PoolStore.size)`, value: round(bytes / 1e6), unit: "MB" },
    { name: "dataplane: pool object bytes per SKU (3 warehouses, a product row, 1 held reservation per SKU)", value: Math.round(bytes / size.skus), unit: "B" },
    { name: `dataplane: empty call into the pool object (SELECT 1 over the RPC) p50, ${size.pings} calls`, value: round(percentile(pings, 50)), unit: "ms" },
    { name: "dataplane: empty call into the pool object p99", value: round(percentile(pings, 99)), unit: "ms" },
  ];
  for (const [step, what] of [
    ["reserve", "reserve a 5-line order"],
    ["release", "release it"],
  ]) {
    rows.push(
      { name: `dataplane: ${what}, SQL inside the object (sum of meta.duration) p50 (${label})`, value: p(step, "sqlMs", 50), unit: "ms" },
      { name: `dataplane: ${what}, SQL inside the object p99`, value: p(step, "sqlMs", 99), unit: "ms", goal: "<= 5" },
      {
        name: `dataplane: ${what}, wall through the RPC (calls into the object: ${Math.max(...of(step, "calls"))}, to D1: ${Math.max(...of(step, "d1Calls"))}) p50`,
        value: p(step, "ms", 50),
        unit: "ms",
      },
      { name: `dataplane: ${what}, wall through the RPC p99 (not the budget's figure: RPC hops included)`, value: p(step, "ms", 99), unit: "ms" },
    );
  }
  return rows;
}

/**
 * Availability of the big pool against /healthz, one request of each in turn: warm (one SKU again) and
 * cold (a SKU never asked). `plane` names the data plane in the rows ("pool", or "d1" for a pool the
 * same worker still keeps in D1, the path before the pool objects, measured in the same run).
 */
async function reads(edge, size, plane = "pool") {
  const times = { healthz: [], warm: [], cold: [] };
  const sources = { warm: {}, cold: {} };
  const warmUrl = `${edge.url}/v1/shops/big/availability?sku=SKU-42`;
  const get = async (url, kind) => {
    const t = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    if (sources[kind]) {
      const source = res.headers.get("x-backroom-cache") ?? "none";
      sources[kind][source] = (sources[kind][source] ?? 0) + 1;
    }
    return ms;
  };
  for (let i = 0; i < 20; i++)
    for (const url of [`${edge.url}/healthz`, warmUrl, `${edge.url}/v1/shops/big/availability?sku=SKU-${size.skus - 1 - i}`]) await get(url);
  for (let i = 0; i < size.reads; i++) {
    times.healthz.push(await get(`${edge.url}/healthz`, "healthz"));
    times.warm.push(await get(warmUrl, "warm"));
    // Distinct for i < skus (7,919 is prime): every cold read asks for a SKU nobody asked before.
    times.cold.push(await get(`${edge.url}/v1/shops/big/availability?sku=SKU-${(1 + i * 7919) % (size.skus - 100)}`, "cold"));
  }
  if (Object.keys(sources.cold).some((s) => s !== "miss")) throw new Error(`cold reads were served from a cache: ${JSON.stringify(sources.cold)}`);
  const p50 = (k) => percentile(times[k], 50);
  const src = (k) =>
    Object.entries(sources[k])
      .map(([s, n]) => `${s} ${n}`)
      .join(", ");
  const on = plane === "pool" ? "" : ` [a pool still on D1 (data_plane_pools 'd1'), same worker, same run]`;
  const cold = plane === "pool" ? `an RPC to the pool object of ${fmt(size.skus)} SKUs` : `D1 of ${fmt(size.skus)} SKUs`;
  const goal = (g) => (plane === "pool" ? { goal: g } : {});
  return [
    {
      name: `dataplane: /healthz p50 (${size.reads} requests, one at a time, interleaved with the reads below)${on}`,
      value: round(p50("healthz")),
      unit: "ms",
    },
    { name: `dataplane: availability 1 SKU warm p50 (${src("warm")})${on}`, value: round(p50("warm")), unit: "ms" },
    { name: `dataplane: availability warm p99${on}`, value: round(percentile(times.warm, 99)), unit: "ms" },
    { name: `dataplane: availability 1 SKU cold p50 (${src("cold")}: ${cold})${on}`, value: round(p50("cold")), unit: "ms" },
    { name: `dataplane: availability cold p99${on}`, value: round(percentile(times.cold, 99)), unit: "ms" },
    {
      name: `dataplane: availability warm, /healthz latency ÷ its latency (p50)${on}`,
      value: round(p50("healthz") / p50("warm")),
      unit: "ratio",
      ...goal(">= 0.9"),
    },
    {
      name: `dataplane: availability cold, /healthz latency ÷ its latency (p50)${on}`,
      value: round(p50("healthz") / p50("cold")),
      unit: "ratio",
      ...goal(">= 0.5"),
    },
  ];
}

/**
 * The same reads on the same worker for a pool still on D1 (listed as 'd1' in `data_plane_pools`, as
 * migration 0026 lists every pool of a deployment from before the pool objects), the big pool seeded
 * by the same SQL into D1.
 */
async function readsOnD1(size, root) {
  const edge = await startEdge({ port: EDGE_PORT + 1, root });
  try {
    await createShop(edge.url, edge.adminToken, "big");
    const db = await edge.mf.getD1Database("DB");
    await db.prepare("INSERT INTO data_plane_pools (pool_id, state, updated_at) VALUES ('big', 'd1', 0)").run();
    for (const sql of seedSql("big", size.skus, size.held)) await db.prepare(sql).run();
    await db.prepare("PRAGMA optimize").run();
    return await reads(edge, size, "d1");
  } finally {
    await edge.dispose();
  }
}

export async function run({ quick = false } = {}) {
  const size = quick ? SIZES.quick : SIZES.full;
  // BENCH_ROOT measures another checkout on the same machine (it must have the pool data plane).
  const root = process.env.BENCH_ROOT ?? ROOT;
  const edge = await startPoolEdge({ port: EDGE_PORT, root, name: "dataplane" });
  const only = process.env.BENCH_DATAPLANE_PART;
  const rows = [];
  try {
    if (!only || only === "ingest") rows.push(...(await ingestRows(edge, size)));
    if (!only || only === "reserve") rows.push(...(await reserveRelease(edge, size)), ...(await reads(edge, size)));
  } finally {
    await edge.dispose();
  }
  if (!only || only === "reserve") rows.push(...(await readsOnD1(size, root)));
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { printTable } = await import("./lib/table.mjs");
  printTable(await run({ quick: process.argv.includes("--quick") }));
}
