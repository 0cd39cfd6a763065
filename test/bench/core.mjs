/**
 * Edge core benchmark: public availability reads against a trivial route on the same server, and
 * the ERP stock ingest rate. One bundled worker on 127.0.0.1:8850, fresh state, bounded loads.
 *
 *   node_modules/.bin/node test/bench/core.mjs      (standalone; `npm run bench` runs it too)
 */
import { pathToFileURL } from "node:url";
import { load } from "./lib/load.mjs";
import { createShop, erpPush } from "./lib/sign.mjs";
import { ADMIN_TOKEN, startEdge } from "./lib/server.mjs";
import { percentile, round } from "./lib/stats.mjs";

const PORT = Number(process.env.BENCH_CORE_PORT ?? 8850);
const WAREHOUSES = ["BER", "HAM", "MUC", "VIE", "ZRH"];
/** The measured run, and the quick one CI runs only to prove the module still works (no timing judged). */
const SIZES = {
  full: { skus: 2_000, pushes: 4, seconds: Number(process.env.BENCH_SECONDS ?? 8) },
  quick: { skus: 40, pushes: 1, seconds: 1 },
};

const sku = (i) => `SKU-${String(i).padStart(5, "0")}`;

/** 10,000 stock rows (every seeded SKU in every warehouse) at one version. */
const stockRows = (skus, version) =>
  Array.from({ length: skus * WAREHOUSES.length }, (_, i) => ({
    sku: sku(i % skus),
    warehouse: WAREHOUSES[Math.floor(i / skus)],
    onHand: (i * 7 + version) % 500,
    committed: i % 3,
    ...(i % 10 === 0 ? { incoming: [{ qty: 24, eta: "2099-01-15", ref: `PO-${i}` }] } : {}),
    version,
  }));

async function seed(base, secret, skus) {
  await erpPush(base, "bench", secret, "warehouses", { warehouses: WAREHOUSES.map((code) => ({ code, name: `Warehouse ${code}`, country: "DE" })) });
  const products = Array.from({ length: skus }, (_, i) => ({
    sku: sku(i),
    name: `Product ${i}`,
    cost: "4.20",
    currency: "EUR",
    aliases: [`old-${i}`],
    ...(i % 5 === 0 ? { backorder: true } : {}),
    version: 1,
  }));
  const p = await erpPush(base, "bench", secret, "products", { products });
  if (p.applied !== skus) throw new Error(`seeded ${p.applied} products, expected ${skus}`);
  const s = await erpPush(base, "bench", secret, "stock", { items: stockRows(skus, 1) });
  if (s.applied !== skus * WAREHOUSES.length) throw new Error(`seeded ${s.applied} stock rows`);
}

/** Times several stock pushes of every seeded row (10,000 in the full run) with increasing versions; every row must apply. */
async function ingest(base, secret, { skus, pushes }) {
  const seconds = [];
  for (let v = 2; v < 2 + pushes; v++) {
    const items = stockRows(skus, v);
    const t = performance.now();
    const result = await erpPush(base, "bench", secret, "stock", { items });
    seconds.push((performance.now() - t) / 1000);
    if (result.applied !== items.length) throw new Error(`push v${v}: applied ${result.applied} of ${items.length}`);
  }
  return { rowsPerPush: skus * WAREHOUSES.length, seconds };
}

export async function run({ quick = false } = {}) {
  const size = quick ? SIZES.quick : SIZES.full;
  const SECONDS = size.seconds;
  const INGEST_PUSHES = size.pushes;
  const edge = await startEdge({ port: PORT });
  try {
    const base = edge.url;
    const secrets = await createShop(base, ADMIN_TOKEN, "bench");
    await seed(base, secrets.erpSecret, size.skus);

    const one = `${base}/v1/shops/bench/availability?sku=${sku(42 % size.skus)}`;
    const twenty = `${base}/v1/shops/bench/availability?${Array.from({ length: 20 }, (_, i) => `sku=${sku((100 + i * 37) % size.skus)}`).join("&")}`;
    for (const url of [one, twenty]) {
      const res = await fetch(url);
      const body = await res.json();
      if (res.status !== 200 || body.items.length === 0) throw new Error(`warm-up ${url}: ${res.status}`);
    }

    const trivial = await load(`${base}/healthz`, { seconds: SECONDS });
    const avail1 = await load(one, { seconds: SECONDS });
    const avail20 = await load(twenty, { seconds: SECONDS });
    const ing = await ingest(base, secrets.erpSecret, size);

    const tool = trivial.tool === "wrk" ? "wrk -t2 -c32" : "fetch loop c32 (wrk missing)";
    const errors = (r) => r.non2xx + r.socketErrors;
    for (const [name, r] of [
      ["trivial", trivial],
      ["availability 1", avail1],
      ["availability 20", avail20],
    ]) {
      if (errors(r) > 0) throw new Error(`${name}: ${r.non2xx} non-2xx and ${r.socketErrors} socket errors`);
    }
    const median = percentile(ing.seconds, 50);
    const total = ing.seconds.reduce((a, b) => a + b, 0);
    return [
      { name: `core: /healthz req/s (${tool}, ${SECONDS}s)`, value: round(trivial.rps), unit: "req/s" },
      { name: "core: /healthz p99", value: round(trivial.p99), unit: "ms" },
      { name: "core: availability 1 SKU (warm) req/s", value: round(avail1.rps), unit: "req/s" },
      { name: "core: availability 1 SKU (warm) p99", value: round(avail1.p99), unit: "ms" },
      { name: "core: availability 1 SKU / trivial", value: round(avail1.rps / trivial.rps), unit: "ratio", goal: ">= 0.8" },
      { name: "core: availability 20 SKUs (warm) req/s", value: round(avail20.rps), unit: "req/s" },
      { name: "core: availability 20 SKUs (warm) p99", value: round(avail20.p99), unit: "ms" },
      { name: "core: availability 20 SKUs / trivial", value: round(avail20.rps / trivial.rps), unit: "ratio" },
      {
        name: `core: ERP stock ingest, ${INGEST_PUSHES} pushes of ${ing.rowsPerPush} rows (median push)`,
        value: round(ing.rowsPerPush / median),
        unit: "rows/s",
        goal: ">= 20000",
      },
      { name: "core: ERP stock ingest, all pushes", value: round((ing.rowsPerPush * INGEST_PUSHES) / total), unit: "rows/s" },
      { name: `core: ERP stock push of ${ing.rowsPerPush.toLocaleString("en-US")} rows (median)`, value: round(median * 1000), unit: "ms" },
    ];
  } finally {
    await edge.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { printTable } = await import("./lib/table.mjs");
  printTable(await run());
}
