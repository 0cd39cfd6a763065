/**
 * Where an ERP push's time goes, INSIDE workerd (issue 17): a bench-only worker (bundled from the
 * checkout's own ingest code, never part of the product) runs the steps the ERP route runs, one
 * after the other, and times each (workerd's clock advances during computation when run locally):
 *
 *   signature  Standard Webhooks HMAC over the raw body (`verifyStandardWebhook`)
 *   json       UTF-8 decode and JSON.parse of the body
 *   validate   every row checked on its own (`splitRows`: the row schema, the version bound)
 *   plan       the planner: lookups it reads (known warehouses, lists…) and the chunks' JSON
 *   apply      the D1 batch (one transaction) with the receipt, and the sync log row
 *   sql        of which SQLite's own time (D1 `meta.duration`, whole ms, summed)
 *
 * The HTTP hop, Hono's routing and the shop lookup are not in it: the end-to-end figures of
 * `dataplane.mjs` (same sizes) include them. Median of PUSHES pushes per kind.
 *
 *   node_modules/.bin/node test/bench/ingest-profile.mjs [--quick]
 *   BENCH_ROOT=<checkout> …   (another checkout: before/after)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { rowsOf } from "./dataplane.mjs";
import { bundleDriver, migrate, ROOT } from "./lib/server.mjs";
import { signStandardWebhook } from "./lib/sign.mjs";
import { percentile, round } from "./lib/stats.mjs";

const SECRET = `whsec_${Buffer.from("bench-profile-secret-32-bytes!!!").toString("base64")}`;
const KINDS = [
  ["warehouses", 1_000],
  ["products", 10_000],
  ["stock", 10_000],
  ["prices", 10_000],
  ["customers", 10_000],
  ["orders", 1_000],
];

const WORKER = (root) => {
  const w = (p) => JSON.stringify(join(root, "worker", p));
  const split = existsSync(join(root, "worker/ingest/split-rows.ts"))
    ? `import { splitRows } from ${w("ingest/split-rows.ts")};`
    : // The checkout before split-rows.ts had the same loop inside worker/routes/erp.ts.
      `import { VERSION_IN_FUTURE, versionInFuture } from ${w("ingest/version-bound.ts")};
       function splitRows(schema, raw, now, offset = 0) {
         const rows = [], rejected = [];
         raw.forEach((value, i) => {
           const parsed = schema.safeParse(value);
           const future = parsed.success ? versionInFuture(parsed.data, now) : undefined;
           if (future) rejected.push({ index: offset + i, code: VERSION_IN_FUTURE, message: future });
           else if (parsed.success) rows.push({ index: offset + i, row: parsed.data });
           else rejected.push({ index: offset + i, code: "invalid_row", message: "invalid" });
         });
         return { rows, rejected };
       }`;
  return `
import { CustomerRow, OrderRow, PriceListRow, PriceRow, ProductRow, StockRow, WarehouseRow } from ${w("contract/index.ts")};
import { verifyStandardWebhook } from ${w("domain/standard-webhooks.ts")};
import { applyPlan } from ${w("ingest/apply.ts")};
import { planCustomers } from ${w("ingest/customers.ts")};
import { planOrders } from ${w("ingest/orders.ts")};
import { planPrices } from ${w("ingest/prices.ts")};
import { planProducts } from ${w("ingest/products.ts")};
import { planStock } from ${w("ingest/stock.ts")};
import { planWarehouses } from ${w("ingest/warehouses.ts")};
${split}
function timed(db, spent) {
  return new Proxy(db, {
    get(target, key) {
      if (key === "batch")
        return async (statements) => {
          const results = await target.batch(statements);
          for (const r of results) spent.ms += r.meta?.duration ?? 0;
          return results;
        };
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
async function plan(db, kind, body, now) {
  const shop = "pf";
  switch (kind) {
    case "warehouses": { const s = splitRows(WarehouseRow, body.warehouses, now); return [s, () => planWarehouses(db, shop, s.rows)]; }
    case "products": { const s = splitRows(ProductRow, body.products, now); return [s, () => planProducts(db, shop, s.rows, now)]; }
    case "stock": { const s = splitRows(StockRow, body.items, now); return [s, () => planStock(db, shop, s.rows, now)]; }
    case "prices": {
      const lists = splitRows(PriceListRow, body.lists ?? [], now);
      const prices = splitRows(PriceRow, body.prices ?? [], now, body.lists?.length ?? 0);
      return [{ rows: [...lists.rows, ...prices.rows], rejected: [...lists.rejected, ...prices.rejected] }, () => planPrices(db, shop, lists.rows, prices.rows)];
    }
    case "customers": { const s = splitRows(CustomerRow, body.customers, now); return [s, () => planCustomers(db, shop, s.rows)]; }
    case "orders": { const s = splitRows(OrderRow, body.orders, now); return [s, () => planOrders(db, shop, s.rows, now)]; }
  }
}
export default {
  async fetch(request, env) {
    const kind = new URL(request.url).searchParams.get("kind");
    const bytes = new Uint8Array(await request.arrayBuffer());
    const now = Date.now();
    const spent = { ms: 0 };
    const db = timed(env.DB, spent);
    const h = (n) => request.headers.get(n) ?? undefined;
    let t = performance.now();
    const lap = () => { const n = performance.now(); const d = n - t; t = n; return d; };
    const failure = await verifyStandardWebhook(${JSON.stringify(SECRET)}, { id: h("webhook-id"), timestamp: h("webhook-timestamp"), signature: h("webhook-signature") }, bytes, now / 1000);
    if (failure) return new Response(failure, { status: 401 });
    const signature = lap();
    const body = JSON.parse(new TextDecoder().decode(bytes));
    const json = lap();
    const [split, planIt] = await plan(db, kind, body, now);
    const validate = lap();
    const p = await planIt();
    const planMs = lap();
    const result = await applyPlan(db, { shop: "pf", source: "erp", webhookId: h("webhook-id"), resource: kind, now }, { ...p, rejected: [...split.rejected, ...p.rejected] });
    const apply = lap();
    return Response.json({ signature, json, validate, plan: planMs, apply, sql: spent.ms, applied: result.applied });
  },
};`;
};

export async function run({ quick = false } = {}) {
  const root = process.env.BENCH_ROOT ?? ROOT;
  const pushes = quick ? 1 : 3;
  const { dir, out } = await bundleDriver("profile", WORKER(root), root);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: out,
      modulesRoot: dir,
      compatibilityDate: "2026-10-01",
      compatibilityFlags: ["nodejs_compat"],
      d1Databases: { DB: "bench-profile" },
    }),
  );
  const rows = [];
  try {
    await mf.ready;
    const db = await mf.getD1Database("DB");
    await migrate(db, root);
    await db
      .prepare(
        "INSERT INTO shops (id, name, platform, origins, currency, locale, erp_secret_enc, customer_secret_enc, created_at) VALUES ('pf', 'Profile', 'custom', '[]', 'EUR', 'de-DE', 'x', 'x', 0)",
      )
      .run();
    const push = async (kind, payload) => {
      const body = JSON.stringify(payload);
      const res = await mf.dispatchFetch(`http://bench/?kind=${kind}`, { method: "POST", headers: signStandardWebhook(SECRET, body), body });
      if (res.status !== 200) throw new Error(`profile ${kind}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    await push("warehouses", { warehouses: ["BER", "HAM", "MUC"].map((code) => ({ code, name: code })) });
    await push("prices", { lists: [{ id: "B2B", name: "B2B", currency: "EUR" }] });
    for (const [kind, full] of KINDS) {
      const n = quick ? Math.min(full, 200) : full;
      const laps = [];
      for (let v = 2; v < 2 + pushes; v++) {
        const lap = await push(kind, rowsOf(kind, n, v));
        if (lap.applied !== n) throw new Error(`profile ${kind}: applied ${lap.applied} of ${n}`);
        laps.push(lap);
      }
      const med = (k) =>
        round(
          percentile(
            laps.map((l) => l[k]),
            50,
          ),
        );
      const total = ["signature", "json", "validate", "plan", "apply"].reduce((s, k) => s + med(k), 0);
      rows.push({
        name: `profile: ${kind}, ${n.toLocaleString("en-US")} rows in workerd, ms: signature ${med("signature")} | json ${med("json")} | validate ${med("validate")} | plan ${med("plan")} | apply ${med("apply")} (SQL ${med("sql")})`,
        value: round((n / total) * 1000),
        unit: "rows/s",
      });
    }
  } finally {
    await mf.dispose();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { printTable } = await import("./lib/table.mjs");
  printTable(await run({ quick: process.argv.includes("--quick") }));
}
