/**
 * The pool data plane under a bench (issue 17): one Miniflare running two workers.
 * - `edge`: the worker bundled by wrangler (what `wrangler deploy` ships), on 127.0.0.1:`port`, with
 *   wrangler.toml's bindings: D1 (now only the registry) and the `POOLS` namespace of `PoolStore`
 *   objects that hold every pool's data. Shops are created, fed and read through its HTTP API.
 * - `driver` (bench-only, never part of the product): bound to the SAME D1 and to the edge's
 *   `PoolStore` class, it runs the product's own `reserveLines` / `releaseReservations` on
 *   `withPool(env, pool).DB` — the D1-compatible plane the worker's requests run on — so every
 *   statement runs in that pool's object. Each call into the object is counted, and the SQL time is
 *   summed from the `meta.duration` each result carries: `PoolStore` measures it INSIDE the object
 *   around the statement, so the sum is the reservation's SQL time inside the object, while the
 *   wall time also holds the RPC hops between the driver and the object.
 *
 * Driver routes (POST, JSON):
 *   /orders  { pool, orders: [{ ref, skus }], release? }  → per order { reserve, release }: { ms, sqlMs, calls, d1Calls }
 *   /ingest  { pool, resource, body, webhookId }           → one ERP push's plan and apply (no HTTP, no signature):
 *                                                            { planMs, applyMs, sqlMs, calls, d1Calls, statements: [{ sql (its start), ms }] }
 *   /sql     { pool, statements: [sql] }                  → the statements as one plane batch (setup)
 *   /object  { pool, statements: [sql | { sql, params }] }                → straight to the object's `run` (pragmas, which the plane routes to D1): [{ rows, ms }]
 *   /ping    { pool, times }                              → wall ms of each empty call into the object
 *   /size    { pool }                                     → the object's SQLite size in bytes
 */
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { bundleDriver, bundleWorker, migrate, workerModules } from "./server.mjs";

const at = (root, path) => JSON.stringify(join(root, path));

const DRIVER = (root) => `
import { releaseReservations, reserveLines } from ${at(root, "worker/orders/reserve.ts")};
import { PlaneDatabase } from ${at(root, "worker/pool/database.ts")};
import { poolObject, withPool } from ${at(root, "worker/pool/plane.ts")};
import { CustomerRow, OrderRow, PriceListRow, PriceRow, ProductRow, StockRow, WarehouseRow } from ${at(root, "worker/contract/index.ts")};
import { InvoiceRow, ReturnRow } from ${at(root, "worker/contract/account.ts")};
import { applyPlan } from ${at(root, "worker/ingest/apply.ts")};
import { splitRows } from ${at(root, "worker/ingest/split-rows.ts")};
import { planWarehouses } from ${at(root, "worker/ingest/warehouses.ts")};
import { planProducts } from ${at(root, "worker/ingest/products.ts")};
import { planStock } from ${at(root, "worker/ingest/stock.ts")};
import { planPrices } from ${at(root, "worker/ingest/prices.ts")};
import { planCustomers } from ${at(root, "worker/ingest/customers.ts")};
import { planOrders } from ${at(root, "worker/ingest/orders.ts")};
import { planInvoices, planReturns } from ${at(root, "worker/ingest/account.ts")};
import { planSales } from ${at(root, "worker/forecast/sales-import.ts")};

/** The plan of one ERP push, as the worker's route makes it (worker/routes/erp*.ts), rows checked the same way. */
async function planOf(db, pool, resource, body, now) {
  const rows = (schema, list) => splitRows(schema, list, now).rows;
  switch (resource) {
    case "warehouses": return planWarehouses(db, pool, rows(WarehouseRow, body.warehouses));
    case "products": return planProducts(db, pool, rows(ProductRow, body.products), now);
    case "stock": return planStock(db, pool, rows(StockRow, body.items), now);
    case "prices": return planPrices(db, pool, rows(PriceListRow, body.lists ?? []), rows(PriceRow, body.prices ?? []));
    case "customers": return planCustomers(db, pool, rows(CustomerRow, body.customers));
    case "orders": return planOrders(db, pool, rows(OrderRow, body.orders), now);
    case "invoices": return planInvoices(db, pool, rows(InvoiceRow, body.invoices), now);
    case "returns": return planReturns(db, pool, rows(ReturnRow, body.returns), now);
    case "sales": return planSales(db, pool, body.sales, new Date(now).toISOString().slice(0, 10));
  }
  throw new Error("unknown resource " + resource);
}

/** The pool's plane as the worker builds it, with each call into the object counted and its SQL time (meta.duration, taken inside the object) summed. */
function timedPlane(env, pool, spent) {
  const plane = withPool(env, pool).DB;
  const object = poolObject(env, pool);
  // Statements naming only registry tables (or none) go to D1: counted apart, they are not the object's.
  const registry = plane.route.registry;
  const counted = (stmt) => ({
    bind: (...v) => counted(stmt.bind(...v)),
    all: () => (spent.d1Calls++, stmt.all()),
    run: () => (spent.d1Calls++, stmt.run()),
    first: (c) => (spent.d1Calls++, stmt.first(c)),
    raw: (o) => (spent.d1Calls++, stmt.raw(o)),
    real: stmt,
  });
  return new PlaneDatabase({
    ...plane.route,
    registry: {
      prepare: (sql) => counted(registry.prepare(sql)),
      batch: (list) => (spent.d1Calls++, registry.batch(list.map((s) => s.real ?? s))),
      exec: (text) => (spent.d1Calls++, registry.exec(text)),
    },
    resolve: async () => ({
      id: pool,
      object: {
        async run(statements) {
          spent.calls++;
          const results = await object.run(statements);
          results.forEach((r, i) => {
            spent.sqlMs += r.meta.duration;
            spent.statements?.push({ sql: statements[i].sql.trim().slice(0, 60), ms: r.meta.duration });
          });
          return results;
        },
        script: (text) => object.script(text),
        mirror: (m) => object.mirror(m),
      },
    }),
  });
}

async function timed(env, pool, work) {
  const spent = { calls: 0, d1Calls: 0, sqlMs: 0, statements: [] };
  const db = timedPlane(env, pool, spent);
  const t = performance.now();
  const value = await work(db);
  return { value, ms: performance.now() - t, sqlMs: spent.sqlMs, calls: spent.calls, d1Calls: spent.d1Calls, statements: spent.statements };
}

const objectOf = (env, pool) => poolObject(env, pool);

const routes = {
  async "/orders"(env, { pool, orders, release = true }) {
    const out = [];
    const now = Date.now();
    for (const { ref, skus } of orders) {
      const lines = skus.map((sku, i) => ({ lineId: "L" + i, sku, qty: 1 }));
      const reserve = await timed(env, pool, (db) => reserveLines(db, pool, ref, lines, [], now));
      if (reserve.value.some((l) => l.allocations.length === 0)) throw new Error("a line found no stock: " + JSON.stringify(reserve.value));
      const entry = { reserve: { ms: reserve.ms, sqlMs: reserve.sqlMs, calls: reserve.calls, d1Calls: reserve.d1Calls } };
      if (release) {
        const back = await timed(env, pool, (db) => releaseReservations(db, pool, ref, now));
        if (back.value.length === 0) throw new Error("release gave nothing back");
        entry.release = { ms: back.ms, sqlMs: back.sqlMs, calls: back.calls, d1Calls: back.d1Calls };
      }
      out.push(entry);
    }
    return out;
  },
  async "/ingest"(env, { pool, resource, body, webhookId }) {
    const now = Date.now();
    const planned = await timed(env, pool, (db) => planOf(db, pool, resource, body, now));
    const applied = await timed(env, pool, (db) => applyPlan(db, { shop: pool, source: "erp", webhookId, resource, now }, planned.value));
    return {
      planMs: planned.ms,
      applyMs: applied.ms,
      sqlMs: planned.sqlMs + applied.sqlMs,
      calls: planned.calls + applied.calls,
      d1Calls: planned.d1Calls + applied.d1Calls,
      statements: [...planned.statements, ...applied.statements],
    };
  },
  async "/sql"(env, { pool, statements }) {
    const db = withPool(env, pool).DB;
    const results = await db.batch(statements.map((s) => db.prepare(s)));
    return results.map((r) => r.meta.changes);
  },
  async "/object"(env, { pool, statements }) {
    const results = await objectOf(env, pool).run(statements.map((s) => (typeof s === "string" ? { sql: s, params: [] } : s)));
    return results.map((r) => ({ rows: r.results, ms: r.meta.duration }));
  },
  async "/ping"(env, { pool, times }) {
    const object = objectOf(env, pool);
    const out = [];
    for (let i = 0; i < times; i++) {
      const t = performance.now();
      await object.run([{ sql: "SELECT 1", params: [] }]);
      out.push(performance.now() - t);
    }
    return out;
  },
  async "/size"(env, { pool }) {
    return objectOf(env, pool).size();
  },
};

export default {
  async fetch(request, env) {
    const route = routes[new URL(request.url).pathname];
    if (!route) return new Response("no such route", { status: 404 });
    try {
      return Response.json(await route(env, await request.json()));
    } catch (e) {
      return new Response(String(e && e.stack || e), { status: 500 });
    }
  },
};`;

/**
 * Starts the edge and the driver on the pool plane with fresh in-memory state and generated secrets;
 * `inspectorPort`: workerd's inspector listens there (127.0.0.1), for `lib/profile.mjs`.
 * @returns {Promise<{ url: string, mf: Miniflare, adminToken: string, drive: (path: string, body: unknown) => Promise<any>, dispose: () => Promise<void> }>}
 */
export async function startPoolEdge({ port, root, name, inspectorPort }) {
  const scriptPath = bundleWorker(root);
  const { out: driverPath } = await bundleDriver(name, DRIVER(root), root);
  const { workerOptions: w } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  if (!w.durableObjects?.POOLS) throw new Error("wrangler.toml has no POOLS binding: this checkout predates the pool data plane");
  const adminToken = `bench-admin-${randomBytes(8).toString("hex")}`;
  const common = { compatibilityDate: w.compatibilityDate, compatibilityFlags: w.compatibilityFlags, d1Databases: w.d1Databases };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      // Only for a CPU profile (lib/profile.mjs): workerd's own inspector, on loopback.
      ...(inspectorPort === undefined ? {} : { inspectorPort, inspectorHost: "127.0.0.1" }),
      cf: false,
      workers: [
        {
          ...common,
          name: "edge",
          modulesRoot: dirname(scriptPath),
          modules: workerModules(scriptPath),
          // BACKROOM_LOCAL: loopback http allowed for outbound calls (worker/outbound/local-mode.ts).
          bindings: { ...w.bindings, BACKROOM_LOCAL: "1", BACKROOM_ADMIN_TOKEN: adminToken, BACKROOM_MASTER_KEY: randomBytes(32).toString("base64") },
          durableObjects: w.durableObjects,
          queueProducers: w.queueProducers,
          queueConsumers: w.queueConsumers,
          cache: true,
        },
        {
          ...common,
          name: "driver",
          modules: true,
          scriptPath: driverPath,
          modulesRoot: dirname(driverPath),
          durableObjects: { POOLS: { ...w.durableObjects.POOLS, scriptName: "edge" } },
        },
      ],
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  await migrate(await mf.getD1Database("DB", "edge"), root);
  const driver = await mf.getWorker("driver");
  const drive = async (path, body) => {
    const res = await driver.fetch(`http://driver${path}`, { method: "POST", body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`driver ${path}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };
  return { url, mf, adminToken, drive, dispose: () => mf.dispose() };
}
