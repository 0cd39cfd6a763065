/**
 * Orders benchmark: shop webhook → 2xx latency, and a bounded burst of orders through the whole
 * pipeline (verify → inbox → reserve → queue → generic connector) into a local fake ERP that
 * checks every Standard Webhooks signature and counts deliveries per idempotency key.
 *
 *   node_modules/.bin/node test/bench/orders.mjs            (burst 100 orders/s for 20 s)
 *   node_modules/.bin/node test/bench/orders.mjs --long     (100 orders/s for 60 s)
 *   BENCH_ORDERS_RATE=50 BENCH_ORDERS_SECONDS=10 …          (other bounded loads)
 *
 * Edge on 127.0.0.1:8810 (bundled worker served by Miniflare, see lib/server.mjs), fake ERP on 8811.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { erpPush } from "./lib/sign.mjs";
import { ROOT, startEdge } from "./lib/server.mjs";
import { percentile, round } from "./lib/stats.mjs";
import { printTable } from "./lib/table.mjs";

const EDGE_PORT = Number(process.env.BENCH_ORDERS_PORT ?? 8810);
const ERP_PORT = EDGE_PORT + 1;
const PLATFORM_SECRET = "bench-platform-secret";
/** The measured run, and the quick one CI runs only to prove the module still works (no timing judged). */
const SIZES = {
  full: {
    isolated: Number(process.env.BENCH_ORDERS_LATENCY_SAMPLES ?? 60),
    steady: 200,
    rate: Number(process.env.BENCH_ORDERS_RATE ?? 100),
    seconds: Number(process.env.BENCH_ORDERS_SECONDS ?? (process.argv.includes("--long") ? 60 : 20)),
  },
  quick: { isolated: 2, steady: 3, rate: 10, seconds: 1 },
};
const DRAIN_TIMEOUT_MS = 90_000;
const LATENCY_GAP_MS = 20;

/** Polls `check` until true or `ms` passed; answers whether it became true. */
async function waitFor(check, ms) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
  return check();
}

const sample = JSON.parse(readFileSync(join(ROOT, "test/fixtures/shopify/orders_create.json"), "utf8")).response;

/** Shopify's documented orders/create body for order `id` (an exact id above 2^53), one line of BENCH-1. */
function orderBody(id) {
  const o = structuredClone(sample);
  o.cancelled_at = null;
  o.cancel_reason = null;
  o.financial_status = "paid";
  o.name = `#B${id}`;
  o.admin_graphql_api_id = `gid://shopify/Order/${id}`;
  o.id = 0;
  o.line_items = [{ ...sample.line_items[0], id: 1, admin_graphql_api_id: `gid://shopify/LineItem/${id}1`, sku: "BENCH-1", quantity: 1, current_quantity: 1 }];
  return JSON.stringify(o).replace('"id":0,', `"id":${id},`);
}

async function sendWebhook(base, id) {
  const body = orderBody(id);
  const t = performance.now();
  const res = await fetch(`${base}/v1/hooks/shopify/bench`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-webhook-id": `wh-${id}`,
      "x-shopify-hmac-sha256": createHmac("sha256", PLATFORM_SECRET).update(body).digest("base64"),
    },
    body,
  });
  await res.arrayBuffer();
  return { ms: performance.now() - t, status: res.status };
}

/** The fake ERP: verifies each delivery's signature, answers 200, remembers first arrival per order. */
function startFakeErp(secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const state = { posts: 0, badSignatures: 0, byKey: new Map(), arrivals: new Map() };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      state.posts++;
      const body = Buffer.concat(chunks).toString("utf8");
      const id = String(req.headers["webhook-id"] ?? "");
      const expected = createHmac("sha256", key).update(`${id}.${req.headers["webhook-timestamp"]}.${body}`).digest();
      const given = Buffer.from(String(req.headers["webhook-signature"] ?? "").replace(/^v1,/, ""), "base64");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        state.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      state.byKey.set(id, (state.byKey.get(id) ?? 0) + 1);
      const ref = JSON.parse(body).order.orderRef;
      if (!state.arrivals.has(ref)) state.arrivals.set(ref, performance.now());
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ erpRef: `SO-${ref}` }));
    });
  });
  return new Promise((ok) => server.listen(ERP_PORT, "127.0.0.1", () => ok({ state, close: () => new Promise((r) => server.close(r)) })));
}

export async function run({ quick = false } = {}) {
  const { isolated: ISOLATED_SAMPLES, steady: STEADY_SAMPLES, rate: RATE, seconds } = quick ? SIZES.quick : SIZES.full;
  // BENCH_ROOT bundles another checkout (e.g. the commit before a change) for a before/after on the same machine.
  const edge = await startEdge({ port: EDGE_PORT, root: process.env.BENCH_ROOT });
  let erp;
  try {
    const base = edge.url;
    const admin = { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" };
    const created = await fetch(`${base}/v1/admin/shops`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({
        id: "bench",
        name: "Bench",
        platform: "shopify",
        origins: [],
        currency: "USD",
        locale: "en-US",
        platformWebhookSecret: PLATFORM_SECRET,
      }),
    });
    if (created.status !== 201) throw new Error(`create shop: ${created.status} ${await created.text()}`);
    const { erpSecret } = await created.json();
    erp = await startFakeErp(erpSecret);
    await erpPush(base, "bench", erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
    await erpPush(base, "bench", erpSecret, "products", { products: [{ sku: "BENCH-1", name: "Bench", version: 1 }] });
    await erpPush(base, "bench", erpSecret, "stock", { items: [{ sku: "BENCH-1", warehouse: "BER", onHand: 1_000_000, version: 1 }] });
    const put = await fetch(`${base}/v1/admin/shops/bench/orders-settings`, {
      method: "PUT",
      headers: admin,
      body: JSON.stringify({ erpEndpointUrl: `http://127.0.0.1:${ERP_PORT}/orders` }),
    });
    if (put.status !== 200) throw new Error(`orders-settings: ${put.status} ${await put.text()}`);

    // 1a. The route's own latency: one webhook at a time, the next only once the previous order has
    //     reached the ERP (nothing else competes for the isolate or D1), each paired with a trivial
    //     route on the same server as the baseline that shows how busy the machine is.
    let next = 9_100_000_000_000_000_000n;
    const isolated = [];
    const baseline = [];
    for (let i = 0; i < ISOLATED_SAMPLES; i++) {
      const ref = String(next++);
      const r = await sendWebhook(base, ref);
      if (r.status !== 200) throw new Error(`webhook answered ${r.status}`);
      isolated.push(r.ms);
      if (!(await waitFor(() => erp.state.arrivals.has(ref), 15_000))) throw new Error(`order ${ref} did not reach the fake ERP within 15 s`);
      const t = performance.now();
      await (await fetch(`${base}/healthz`)).arrayBuffer();
      baseline.push(performance.now() - t);
    }
    // 1b. Ordinary traffic: one webhook every LATENCY_GAP_MS while earlier orders are still being worked on.
    const steady = [];
    const steadyRefs = [];
    for (let i = 0; i < STEADY_SAMPLES; i++) {
      const ref = String(next++);
      steadyRefs.push(ref);
      const r = await sendWebhook(base, ref);
      if (r.status !== 200) throw new Error(`webhook answered ${r.status}`);
      steady.push(r.ms);
      await new Promise((ok) => setTimeout(ok, LATENCY_GAP_MS));
    }
    if (!(await waitFor(() => steadyRefs.every((ref) => erp.state.arrivals.has(ref)), 60_000)))
      throw new Error("steady-phase orders did not all reach the fake ERP");

    // 2. Burst: RATE orders/s for `seconds`, paced by the clock (bounded: RATE × seconds orders).
    const total = RATE * seconds;
    const sentAt = new Map();
    const pending = [];
    let non2xx = 0;
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const ref = String(next++);
      sentAt.set(ref, performance.now());
      pending.push(
        sendWebhook(base, ref).then((r) => {
          if (r.status !== 200) non2xx++;
          return r.ms;
        }),
      );
    }
    const burstLatencies = await Promise.all(pending);
    const sendSeconds = (performance.now() - start) / 1000;
    const drainEnd = Date.now() + DRAIN_TIMEOUT_MS;
    const delivered = () => [...sentAt.keys()].filter((ref) => erp.state.arrivals.has(ref)).length;
    while (delivered() < total && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 200));
    const lags = [...sentAt].filter(([ref]) => erp.state.arrivals.has(ref)).map(([ref, t]) => erp.state.arrivals.get(ref) - t);
    const duplicated = [...erp.state.byKey.values()].filter((n) => n > 1).length;
    const sync = await (await fetch(`${base}/v1/staff/bench/sync`, { headers: { authorization: "Bearer none" } })).status;

    return [
      { name: `orders: webhook → 2xx p50 (alone, n=${ISOLATED_SAMPLES})`, value: round(percentile(isolated, 50)), unit: "ms" },
      { name: `orders: webhook → 2xx p99 (alone, n=${ISOLATED_SAMPLES})`, value: round(percentile(isolated, 99)), unit: "ms", goal: "<= 25" },
      {
        name: "orders: baseline GET /healthz p50 / p99 (same server)",
        value: `${round(percentile(baseline, 50))} / ${round(percentile(baseline, 99))}`,
        unit: "ms",
      },
      { name: `orders: webhook → 2xx p50 (every ${LATENCY_GAP_MS} ms, n=${STEADY_SAMPLES})`, value: round(percentile(steady, 50)), unit: "ms" },
      { name: `orders: webhook → 2xx p99 (every ${LATENCY_GAP_MS} ms, n=${STEADY_SAMPLES})`, value: round(percentile(steady, 99)), unit: "ms" },
      { name: `orders: burst ${RATE}/s × ${seconds} s — webhook → 2xx p99`, value: round(percentile(burstLatencies, 99)), unit: "ms" },
      { name: `orders: burst — achieved send rate`, value: round(total / sendSeconds), unit: "orders/s" },
      { name: `orders: burst — sent (2xx)`, value: total - non2xx, unit: "orders" },
      { name: `orders: burst — delivered to ERP`, value: delivered(), unit: "orders", goal: `>= ${total - non2xx}` },
      { name: `orders: burst — duplicated (an idempotency key POSTed to the ERP more than once)`, value: duplicated, unit: "orders", goal: "<= 0" },
      {
        name: `orders: burst — lost (2xx but never delivered within ${DRAIN_TIMEOUT_MS / 1000} s)`,
        value: total - non2xx - delivered(),
        unit: "orders",
        goal: "<= 0",
      },
      {
        name: `orders: burst — end to end (delivered ÷ first webhook sent → last order at the ERP)`,
        value: round(delivered() / ((Math.max(...erp.state.arrivals.values()) - start) / 1000)),
        unit: "orders/s",
      },
      { name: `orders: burst — queue lag p50 (webhook sent → ERP received)`, value: round(percentile(lags, 50) / 1000), unit: "s" },
      { name: `orders: burst — max queue lag`, value: round(Math.max(...lags) / 1000), unit: "s" },
      {
        name: `orders: ERP deliveries with a bad signature`,
        value: erp.state.badSignatures,
        unit: "",
        goal: "<= 0",
        ok: erp.state.badSignatures === 0 && sync === 401,
      },
    ];
  } finally {
    await erp?.close();
    await edge.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  printTable(await run());
}
