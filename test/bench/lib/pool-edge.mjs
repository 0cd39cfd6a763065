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
 *   /orders  { pool, orders: [{ ref, skus }], release? }  → per order { reserve, release }: { ms, sqlMs, calls }
 *   /sql     { pool, statements: [sql] }                  → the statements as one plane batch (setup)
 *   /object  { pool, statements: [sql] }                  → straight to the object's `run` (pragmas, which the plane routes to D1): [{ rows, ms }]
 *   /ping    { pool, times }                              → wall ms of each empty call into the object
 *   /size    { pool }                                     → the object's SQLite size in bytes
 */
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { bundleDriver, bundleWorker, migrate, workerModules } from "./server.mjs";

const DRIVER = (root) => `
import { releaseReservations, reserveLines } from ${JSON.stringify(join(root, "worker/orders/reserve.ts"))};
import { PlaneDatabase } from ${JSON.stringify(join(root, "worker/pool/database.ts"))};
import { withPool } from ${JSON.stringify(join(root, "worker/pool/plane.ts"))};

/** The pool's plane as the worker builds it, with each call into the object counted and its SQL time (meta.duration, taken inside the object) summed. */
function timedPlane(env, pool, spent) {
  const plane = withPool(env, pool).DB;
  const object = plane.route.pool;
  return new PlaneDatabase({
    ...plane.route,
    pool: {
      async run(statements) {
        spent.calls++;
        const results = await object.run(statements);
        for (const r of results) spent.sqlMs += r.meta.duration;
        return results;
      },
      script: (text) => object.script(text),
    },
  });
}

async function timed(env, pool, work) {
  const spent = { calls: 0, sqlMs: 0 };
  const db = timedPlane(env, pool, spent);
  const t = performance.now();
  const value = await work(db);
  return { value, ms: performance.now() - t, sqlMs: spent.sqlMs, calls: spent.calls };
}

const objectOf = (env, pool) => withPool(env, pool).DB.route.pool;

const routes = {
  async "/orders"(env, { pool, orders, release = true }) {
    const out = [];
    const now = Date.now();
    for (const { ref, skus } of orders) {
      const lines = skus.map((sku, i) => ({ lineId: "L" + i, sku, qty: 1 }));
      const reserve = await timed(env, pool, (db) => reserveLines(db, pool, ref, lines, [], now));
      if (reserve.value.some((l) => l.allocations.length === 0)) throw new Error("a line found no stock: " + JSON.stringify(reserve.value));
      const entry = { reserve: { ms: reserve.ms, sqlMs: reserve.sqlMs, calls: reserve.calls } };
      if (release) {
        const back = await timed(env, pool, (db) => releaseReservations(db, pool, ref, now));
        if (back.value.length === 0) throw new Error("release gave nothing back");
        entry.release = { ms: back.ms, sqlMs: back.sqlMs, calls: back.calls };
      }
      out.push(entry);
    }
    return out;
  },
  async "/sql"(env, { pool, statements }) {
    const db = withPool(env, pool).DB;
    const results = await db.batch(statements.map((s) => db.prepare(s)));
    return results.map((r) => r.meta.changes);
  },
  async "/object"(env, { pool, statements }) {
    const results = await objectOf(env, pool).run(statements.map((sql) => ({ sql, params: [] })));
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
 * Starts the edge and the driver on the pool plane with fresh in-memory state and generated secrets.
 * @returns {Promise<{ url: string, mf: Miniflare, adminToken: string, drive: (path: string, body: unknown) => Promise<any>, dispose: () => Promise<void> }>}
 */
export async function startPoolEdge({ port, root, name }) {
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
          bindings: { DATA_PLANE: w.bindings?.DATA_PLANE ?? "pool" },
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
