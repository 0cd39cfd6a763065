/**
 * The promise (issue 12): a 50-line cart with kits, POST /v1/shops/bench/promise, timed one request at a
 * time after a warm-up (p50/p95 wall time on the client), beside a single-SKU availability read timed
 * the same way on the same server, and a one-D1-read route (the promise is two round trips: the shop,
 * then one batch) to show what the machine's local D1 costs at the time. One bundled worker on 127.0.0.1:$BENCH_PROMISE_PORT (8870).
 *
 *   node_modules/.bin/node test/bench/promise.mjs      (standalone; `npm run bench -- --only promise`)
 */
import { pathToFileURL } from "node:url";
import { ADMIN_TOKEN, startEdge } from "./lib/server.mjs";
import { createShop, erpPush } from "./lib/sign.mjs";
import { percentile, round } from "./lib/stats.mjs";

const PORT = Number(process.env.BENCH_PROMISE_PORT ?? 8870);
const WAREHOUSES = ["BER", "HAM", "VIE"];
const SIZES = { full: { skus: 300, kits: 30, runs: 300 }, quick: { skus: 60, kits: 15, runs: 5 } };
const sku = (i) => `P-${String(i).padStart(4, "0")}`;
const kit = (i) => `KIT-${String(i).padStart(3, "0")}`;
const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

async function seed(base, secret, { skus, kits }) {
  await erpPush(base, "bench", secret, "warehouses", { warehouses: WAREHOUSES.map((code, i) => ({ code, name: code, leadTimeDays: i })) });
  const products = Array.from({ length: skus }, (_, i) => ({ sku: sku(i), name: `Product ${i}`, ...(i % 4 === 0 ? { backorder: true } : {}), version: 1 }));
  // Kits of three components each; neighbouring kits share components, so a cart counts them once.
  for (let k = 0; k < kits; k++)
    products.push({
      sku: kit(k),
      name: `Kit ${k}`,
      components: [0, 1, 2].map((j) => ({ sku: sku((k * 2 + j) % skus), qty: 1 + j })),
      version: 1,
    });
  const p = await erpPush(base, "bench", secret, "products", { products });
  if (p.applied !== products.length) throw new Error(`seeded ${p.applied} products`);
  const items = [];
  for (let i = 0; i < skus; i++)
    for (const [w, code] of WAREHOUSES.entries())
      items.push({
        sku: sku(i),
        warehouse: code,
        onHand: (i * 7 + w * 13) % 40,
        committed: i % 3,
        incoming: [
          { qty: 20, eta: day(5 + w), ref: `PO-${i}-${w}` },
          { qty: 30, eta: day(20 + w), ref: `PO-${i}-${w}b` },
        ],
        version: 1,
      });
  const s = await erpPush(base, "bench", secret, "stock", { items });
  if (s.applied !== items.length) throw new Error(`seeded ${s.applied} stock rows`);
}

async function timed(n, request) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await request();
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    ms.push(performance.now() - t);
  }
  return ms;
}

export async function run({ quick = false } = {}) {
  const size = quick ? SIZES.quick : SIZES.full;
  const edge = await startEdge({ port: PORT });
  try {
    const base = edge.url;
    const secrets = await createShop(base, ADMIN_TOKEN, "bench");
    await seed(base, secrets.erpSecret, size);
    // 50 lines: 15 kits and 35 loose SKUs, several of them components of the kits.
    const lines = [
      ...Array.from({ length: 15 }, (_, i) => ({ sku: kit(i % size.kits), qty: 1 + (i % 4) })),
      ...Array.from({ length: 35 }, (_, i) => ({ sku: sku((i * 3) % size.skus), qty: 5 + (i % 30) })),
    ];
    const body = JSON.stringify({ lines });
    const cart = () => fetch(`${base}/v1/shops/bench/promise`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const one = () => fetch(`${base}/v1/shops/bench/availability?sku=${sku(42 % size.skus)}`);
    // A route that is one D1 read (the shop) and nothing else: what a local D1 round trip costs right now.
    const config = () => fetch(`${base}/v1/shops/bench/config`);
    const answer = await (await cart()).json();
    if (answer.lines?.length !== 50) throw new Error(`cart answered ${answer.lines?.length} lines`);
    await timed(quick ? 2 : 30, cart);
    await timed(quick ? 2 : 30, one);
    const promise = await timed(size.runs, cart);
    const availability = await timed(size.runs, one);
    const roundTrip = await timed(size.runs, config);
    return [
      { name: `promise: 50-line cart with 15 kits (warm, ${size.runs} requests one at a time) p50`, value: round(percentile(promise, 50)), unit: "ms" },
      { name: "promise: 50-line cart with 15 kits (warm) p95", value: round(percentile(promise, 95)), unit: "ms", goal: "<= 20" },
      { name: "promise: beside it, availability 1 SKU (warm, same method) p50", value: round(percentile(availability, 50)), unit: "ms" },
      { name: "promise: beside it, availability 1 SKU (warm, same method) p95", value: round(percentile(availability, 95)), unit: "ms" },
      { name: "promise: beside it, GET /config (one D1 read) p50", value: round(percentile(roundTrip, 50)), unit: "ms" },
      { name: "promise: beside it, GET /config (one D1 read) p95", value: round(percentile(roundTrip, 95)), unit: "ms" },
    ];
  } finally {
    await edge.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { printTable } = await import("./lib/table.mjs");
  printTable(await run({ quick: process.argv.includes("--quick") }));
}
