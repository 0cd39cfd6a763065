/**
 * Scale simulation (issue 17): N stock pools × M SKUs on ONE local edge, each pool bringing its own
 * load, driven concurrently; per-pool p99 for reads and reservations and the total throughput, for
 * each N. On the pool data plane every pool's data lives in its own Durable Object (`PoolStore`,
 * worker/pool/), so nothing a pool does waits for another pool's SQL: the per-pool figures should
 * stay flat as N grows, as long as the machine itself keeps up (locally every object shares one
 * workerd process and this machine's cores, which the "throughput" rows show).
 *
 * One Miniflare (lib/pool-edge.mjs) runs two workers on the same D1 (the registry) and objects:
 * - `edge`: the worker bundled by wrangler (what `wrangler deploy` ships), on 127.0.0.1:BENCH_SCALE_PORT.
 *   Pools are created through the operator API, seeded and fed through signed ERP pushes, and
 *   read through the public availability route: all of it lands in, and is read from, the pools' objects.
 * - `driver` (bench-only, never part of the product): places a 5-line order in a pool by calling
 *   `reserveLines` on `withPool(env, pool).DB` (the plane the worker's requests run on: every statement
 *   runs in that pool's object), then `releaseReservations`, and answers each call's wall time in
 *   workerd (RPC hops included) and its SQL time inside the object (the sum of the results'
 *   `meta.duration`, which PoolStore takes around each statement; workerd's clock ticks in whole ms).
 *
 * Load is open-loop: every pool has its own schedule (reads, orders and stock pushes per second,
 * evenly spaced, phase-shifted per pool) for a fixed window, so N pools offer N times the load of
 * one, as N real shops would. At most CONCURRENCY calls are in flight; a call's latency counts from
 * its scheduled time (a call that waited for a free slot waited), and calls not finished by the
 * drain deadline are counted as not served. Bounded: window + drain per N, loopback only.
 *
 * More pools or more load? Beside the largest N, a control asks ONE pool holding the SKUs of all N
 * what the N pools asked together (the same calls a second, the same data): where the N pools' p99
 * matches the control's, the growth is the one local process's total busy time, not the number of
 * pools. Each pool's availability reads walk its SKUs in a stride (no SKU twice in a window), so
 * every read is a cold read at 1 pool, at N, and in the control alike. At the largest N each kind of
 * call also runs alone for ALONE_SECONDS: workerd CPU per read, per order and per push.
 *
 *   npm run bench -- scale                               (N = 1, 10, 100, 200; M = 1,000; the control)
 *   npm run bench -- scale --pools 1,10,50 --skus 5000 --seconds 8 --control off --cron off
 *   npm run bench -- scale --pools 100 --profile <dir>   (a CPU profile of every isolate per window, lib/profile.mjs;
 *                                                         the inspector on BENCH_SCALE_INSPECTOR_PORT, default the port + 1)
 *   npm run bench -- --quick                             (CI smoke: N = 1, 2; M = 30; one second)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startPoolEdge } from "./lib/pool-edge.mjs";
import { inspect, summarize, targets } from "./lib/profile.mjs";
import { ROOT } from "./lib/server.mjs";
import { createShop, erpPush } from "./lib/sign.mjs";
import { percentile, round } from "./lib/stats.mjs";

const PORT = Number(process.env.BENCH_SCALE_PORT ?? 8890);
const WAREHOUSES = ["BER", "HAM", "MUC"];
const CONCURRENCY = 48;

const SIZES = {
  full: { pools: [1, 10, 100, 200], skus: 1_000, seconds: 20, drainSeconds: 30 },
  quick: { pools: [1, 2], skus: 30, seconds: 1, drainSeconds: 10 },
};
/**
 * What one pool asks per second, by default the pool of the README's projection: 10,000 orders a day
 * (5 lines, reserved then released), an ERP stock push of PUSH_ROWS rows every 30 s, and an
 * availability read that reaches the worker every 2 s. `--load K` multiplies all three: how far the
 * machine itself carries the pools (locally every object shares one workerd process and 2 cores).
 */
const BASE_RATES = { reads: 0.5, orders: 10_000 / 86_400, pushes: 1 / 30 };
/** The CI smoke's one second must see every kind of call in every pool. */
const QUICK_RATES = { reads: 4, orders: 1, pushes: 1 };
const PUSH_ROWS = 100;
/** `--load` at most: the window's schedule stays bounded (N × load × 0.65 calls a second). */
const MAX_LOAD = 20;
/** The control pool's SKUs at most (seeding stays bounded whatever `--skus` says). */
const CONTROL_MAX_SKUS = 500_000;
/** How long each kind of call runs alone at the largest N, for its CPU per call. */
const ALONE_SECONDS = 8;

function flag(name) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

/** Sizes from the defaults and the command line (`--pools 1,10 --skus 500 --seconds 5`). */
export function sizesFrom(quick) {
  const base = quick ? SIZES.quick : SIZES.full;
  const pools = flag("pools")
    ?.split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const skus = Number(flag("skus"));
  const seconds = Number(flag("seconds"));
  const load = Math.min(Math.max(Number(flag("load")) || 1, 0.1), MAX_LOAD);
  const largest = pools && pools.length > 0 ? Math.max(...pools) : Math.max(...base.pools);
  return {
    ...base,
    pools: pools && pools.length > 0 ? [...new Set(pools)].sort((a, b) => a - b) : base.pools,
    skus: Number.isInteger(skus) && skus > 0 ? skus : base.skus,
    seconds: seconds > 0 ? Math.min(seconds, 120) : base.seconds,
    load,
    rates: quick ? QUICK_RATES : times(BASE_RATES, load),
    // The control: one pool asked what all of the largest N ask together (off with `--control off`).
    // Bounded as the sweep is: the same calls a second as its largest N.
    control: flag("control") !== "off" && largest > 1,
    profile: flag("profile"),
    /** `--cron off`: no cron tick after each window (for CPU-per-call pairs). */
    cron: flag("cron") !== "off",
  };
}

const times = (rates, k) => Object.fromEntries(Object.entries(rates).map(([kind, v]) => [kind, v * k]));

/** Creates pool `p<i>` (a shop on its own is a pool of one) with `skus` SKUs in 3 warehouses, through the ERP API. */
async function seedPool(edge, i, skus) {
  const shop = `p${i}`;
  const { erpSecret } = await createShop(edge.url, edge.adminToken, shop);
  await erpPush(edge.url, shop, erpSecret, "warehouses", { warehouses: WAREHOUSES.map((code) => ({ code, name: code })) });
  for (let from = 0; from < skus; from += 10_000) {
    const n = Math.min(10_000, skus - from);
    await erpPush(edge.url, shop, erpSecret, "products", {
      products: Array.from({ length: n }, (_, k) => ({ sku: `SKU-${from + k}`, name: `Product ${from + k}`, version: 1 })),
    });
  }
  for (let from = 0; from < skus * WAREHOUSES.length; from += 10_000) {
    const n = Math.min(10_000, skus * WAREHOUSES.length - from);
    await erpPush(edge.url, shop, erpSecret, "stock", {
      items: Array.from({ length: n }, (_, k) => {
        const r = from + k;
        return { sku: `SKU-${Math.floor(r / WAREHOUSES.length)}`, warehouse: WAREHOUSES[r % WAREHOUSES.length], onHand: 1_000_000, version: 1 };
      }),
    });
  }
  return { shop, erpSecret };
}

/** CPU time (user + system, ms) the workerd processes this bench started have used so far (Linux /proc); undefined elsewhere. */
function workerdCpuMs() {
  try {
    const tick = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    let ticks = 0;
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      // pid (comm) state ppid … utime(14) stime(15): fields after the command's closing parenthesis.
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (comm === "workerd" && Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks > 0 ? ticks * tick : undefined;
  } catch {
    return undefined;
  }
}

/** A small deterministic PRNG, so runs (and before/after pairs) ask for the same SKUs. */
function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Every call of the window: per pool, each kind evenly spaced at its rate, shifted by a per-pool phase. */
function schedule(pools, seconds, rates) {
  const calls = [];
  pools.forEach((pool, p) => {
    const phase = (p * 0.6180339887) % 1;
    for (const [kind, rate] of Object.entries(rates)) {
      const gap = 1000 / rate;
      for (let at = phase * gap; at < seconds * 1000; at += gap) calls.push({ pool, kind, at });
    }
  });
  return calls.sort((a, b) => a.at - b.at);
}

let version = 1;
let orderNo = 0;

/**
 * The SKU of a pool's next availability read: each pool walks its SKUs in a fixed stride, so no SKU
 * is asked twice within a window (every read is a cold read, as the projection's 2 s reads are), at
 * 1 pool as at 200, and the control's one busy pool is not answered from memory more often.
 */
function nextReadSku(pool) {
  const k = pool.reads++;
  return `SKU-${(pool.readFrom + k * pool.readStride) % pool.skus}`;
}

const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

/** A pool as the load drives it: its shop, secret, SKU count and where its reads walk. */
function loadedPool({ shop, erpSecret }, i, skus) {
  let readStride = 7919 % skus || 1;
  while (gcd(readStride, skus) !== 1) readStride++;
  return { shop, erpSecret, skus, reads: 0, readFrom: (i * 104_729) % skus, readStride };
}

/** Runs one call, answering what was measured (throws on a wrong answer). */
async function call(edge, { pool, kind }, random) {
  const sku = () => `SKU-${Math.floor(random() * pool.skus)}`;
  if (kind === "reads") {
    const res = await fetch(`${edge.url}/v1/shops/${pool.shop}/availability?sku=${nextReadSku(pool)}`);
    if (res.status !== 200) throw new Error(`availability ${pool.shop}: ${res.status}`);
    await res.arrayBuffer();
    return {};
  }
  if (kind === "orders") {
    const [{ reserve, release }] = await edge.drive("/orders", {
      pool: pool.shop,
      orders: [{ ref: `scale-${++orderNo}`, skus: Array.from({ length: 5 }, sku) }],
    });
    return { reserveMs: reserve.ms, reserveSqlMs: reserve.sqlMs, releaseMs: release.ms, releaseSqlMs: release.sqlMs };
  }
  const v = ++version;
  const result = await erpPush(edge.url, pool.shop, pool.erpSecret, "stock", {
    items: Array.from({ length: PUSH_ROWS }, () => ({ sku: sku(), warehouse: WAREHOUSES[Math.floor(random() * 3)], onHand: 1_000_000 - v, version: v })),
  });
  if (result.applied + result.stale !== PUSH_ROWS) throw new Error(`push ${pool.shop}: ${JSON.stringify(result).slice(0, 200)}`);
  return {};
}

/** Drives every call of the window, at most CONCURRENCY at once; answers per-call records. */
async function drive(edge, pools, size, rates, seconds = size.seconds) {
  const calls = schedule(pools, seconds, rates);
  const random = prng(pools.length * 7919);
  const t0 = performance.now();
  const deadline = (seconds + size.drainSeconds) * 1000;
  const records = [];
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const c = calls[next++];
      const wait = c.at - (performance.now() - t0);
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
      if (performance.now() - t0 > deadline) {
        records.push({ ...c, served: false });
        continue;
      }
      const inside = await call(edge, c, random);
      records.push({ ...c, served: true, ms: performance.now() - t0 - c.at, ...inside });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { records, elapsedMs: performance.now() - t0, offered: calls.length };
}

/** Per pool, the p99 of `key` over its calls of `kind`; answers the median pool's and the worst pool's. */
function perPoolP99(records, kind, key) {
  const byPool = new Map();
  for (const r of records) {
    if (r.kind !== kind || !r.served || r[key] === undefined) continue;
    const list = byPool.get(r.pool.shop) ?? [];
    list.push(r[key]);
    byPool.set(r.pool.shop, list);
  }
  const p99s = [...byPool.values()].map((l) => percentile(l, 99));
  return {
    median: round(percentile(p99s, 50)),
    worst: round(Math.max(...p99s)),
    pools: Object.fromEntries([...byPool].map(([k, l]) => [k, round(percentile(l, 99))])),
  };
}

/** How the median pool's p99 moved from the fewest pools to the most: 1 is flat (a whole-ms figure of 0 reads as 1 ms). */
function flatness(detail) {
  if (detail.length < 2) return [];
  const first = detail[0];
  const last = detail[detail.length - 1];
  return [
    ["reads", "availability read p99"],
    ["reserve", "reserve p99 (wall)"],
    ["reserveSql", "reserve p99 (SQL inside the object)"],
  ].map(([key, what]) => ({
    name: `scale: ${what} per pool, median pool, at ${last.pools} pools ÷ at ${first.pools}`,
    value: round(Math.max(1, last[key].median) / Math.max(1, first[key].median)),
    unit: "ratio",
  }));
}

/**
 * The control beside the largest N: the same calls a second into ONE pool holding as many SKUs as
 * the N pools together. Where the N pools' p99 exceeds the control's, the number of pools costs
 * something; where both grow alike, it is the one local process's total busy time.
 */
function controlRows(largest, control) {
  const ratio = (key) => round(Math.max(1, largest[key].median) / Math.max(1, control[key].median));
  return [
    ["reads", "availability read p99"],
    ["reserve", "reserve p99 (wall)"],
  ].map(([key, what]) => ({
    name: `scale: ${what}, median pool at ${largest.pools} pools ÷ the one pool at the same total load (1: the pool count costs nothing)`,
    value: ratio(key),
    unit: "ratio",
  }));
}

/** Starts a CPU profile of every isolate when `--profile <dir>` asked for one; answers its stop. */
async function profiling(inspectors, dir, name) {
  if (!inspectors) return async () => {};
  for (const i of inspectors) await i.start();
  return async () => {
    for (const i of inspectors) {
      const path = join(dir, `scale-${name}-${i.name.replace(/[^a-z0-9-]+/gi, "_")}.cpuprofile`);
      const { samples, sampledMs, self, total } = summarize(await i.stop(path), 25);
      console.error(`bench scale: profile ${name}, isolate ${i.name}: ${samples} samples ≈ ${sampledMs} ms, written to ${path}`);
      if (sampledMs < 5) continue;
      console.error(`  self:\n${self.map((f) => `    ${f.ms} ms  ${f.name}`).join("\n")}`);
      console.error(`  total:\n${total.map((f) => `    ${f.ms} ms  ${f.name}`).join("\n")}`);
    }
  };
}

/** One measured window: the load, its CPU, its per-pool p99s; answers table rows and the detail. */
async function window(edge, pools, size, rates, label, stop = async () => {}) {
  const cpuBefore = workerdCpuMs();
  const { records, elapsedMs, offered } = await drive(edge, pools, size, rates);
  const cpuMs = cpuBefore === undefined ? undefined : (workerdCpuMs() ?? cpuBefore) - cpuBefore;
  await stop();
  const served = records.filter((r) => r.served);
  const reads = perPoolP99(records, "reads", "ms");
  const reserve = perPoolP99(records, "orders", "reserveMs");
  const reserveSql = perPoolP99(records, "orders", "reserveSqlMs");
  const release = perPoolP99(records, "orders", "releaseMs");
  const releaseSql = perPoolP99(records, "orders", "releaseSqlMs");
  const ordersDone = served.filter((r) => r.kind === "orders").length;
  const rows = [
    { name: `${label}, availability read p99 per pool, median pool (client, from its scheduled time)`, value: reads.median, unit: "ms" },
    { name: `${label}, availability read p99, worst pool`, value: reads.worst, unit: "ms" },
    { name: `${label}, reserve 5 lines p99 per pool, median pool (wall in workerd, RPC hops to the object included)`, value: reserve.median, unit: "ms" },
    { name: `${label}, reserve 5 lines p99, worst pool (wall)`, value: reserve.worst, unit: "ms" },
    { name: `${label}, reserve 5 lines p99 per pool, median pool (SQL inside the pool object)`, value: reserveSql.median, unit: "ms" },
    { name: `${label}, reserve 5 lines p99, worst pool (SQL inside the pool object)`, value: reserveSql.worst, unit: "ms" },
    { name: `${label}, release p99 per pool, median pool (wall in workerd)`, value: release.median, unit: "ms" },
    { name: `${label}, release p99 per pool, median pool (SQL inside the pool object)`, value: releaseSql.median, unit: "ms" },
    {
      name: `${label}, throughput: calls served/s of ${round(offered / size.seconds)} offered/s`,
      value: round(served.length / (elapsedMs / 1000)),
      unit: "calls/s",
    },
    { name: `${label}, orders reserved+released/s`, value: round(ordersDone / (elapsedMs / 1000)), unit: "orders/s" },
    { name: `${label}, calls not served by the drain deadline`, value: records.length - served.length, unit: "calls" },
    ...(cpuMs === undefined
      ? []
      : [
          {
            name: `${label}, workerd CPU per call served (every object, D1 and the cache share that one process locally)`,
            value: round(cpuMs / Math.max(1, served.length)),
            unit: "ms",
          },
          {
            name: `${label}, workerd CPU time ÷ wall time of the window (100 % = one core busy)`,
            value: round((100 * cpuMs) / elapsedMs),
            unit: "%",
          },
        ]),
  ];
  for (const kind of Object.keys(rates)) {
    const ms = served.filter((r) => r.kind === kind).map((r) => r.ms);
    console.error(`bench scale: ${label}, ${kind}: ${ms.length} calls, p50 ${round(percentile(ms, 50))} ms, p99 ${round(percentile(ms, 99))} ms`);
  }
  console.error(`bench scale: ${label} driven in ${(elapsedMs / 1000).toFixed(1)} s (${served.length}/${offered} calls served)`);
  const detail = {
    offered,
    served: served.length,
    elapsedMs: round(elapsedMs),
    cpuMs: cpuMs === undefined ? undefined : round(cpuMs),
    reads,
    reserve,
    reserveSql,
    release,
    releaseSql,
  };
  return { rows, detail };
}

/**
 * Each kind of call alone, at the largest N, for its own share of the process: workerd CPU per call
 * of availability reads, of orders (reserve + release through the driver) and of stock pushes
 * (signature, ingest, then the fan-out to sockets and the back-in-stock check).
 */
async function cpuAlone(edge, pools, size, label, inspector, dir) {
  const rows = [];
  const kinds = {};
  const seconds = Math.min(size.seconds, ALONE_SECONDS);
  for (const kind of Object.keys(size.rates)) {
    // At least 40 calls of the kind: one pool's pushes come once in 30 s.
    const rate = Math.max(size.rates[kind], 40 / seconds / pools.length);
    const stop = await profiling(inspector, dir, `${pools.length}-${kind}`);
    const before = workerdCpuMs();
    const { records } = await drive(edge, pools, size, { [kind]: rate }, seconds);
    const cpuMs = before === undefined ? undefined : (workerdCpuMs() ?? before) - before;
    await stop();
    const served = records.filter((r) => r.served).length;
    if (cpuMs === undefined) continue;
    kinds[kind] = { calls: served, cpuMs: round(cpuMs) };
    rows.push({
      name: `${label}, workerd CPU per call, ${kind} alone (${served} calls in ${seconds} s)`,
      value: round(cpuMs / Math.max(1, served)),
      unit: "ms",
    });
  }
  return { rows, kinds };
}

export async function run({ quick = false } = {}) {
  const size = sizesFrom(quick);
  const root = process.env.BENCH_ROOT ?? ROOT;
  const inspectorPort = size.profile ? Number(process.env.BENCH_SCALE_INSPECTOR_PORT ?? PORT + 1) : undefined;
  const edge = await startPoolEdge({ port: PORT, root, name: "scale", inspectorPort });
  const rate = (k) => round(size.rates[k]);
  const rows = [
    {
      name: `scale: what each pool asks per second${size.load === 1 ? "" : ` (×${size.load} the projection's pool)`}: availability reads / orders / ${PUSH_ROWS}-row stock pushes`,
      value: `${rate("reads")} / ${rate("orders")} / ${rate("pushes")}`,
      unit: "per s",
    },
  ];
  const detail = [];
  /** One per isolate, when profiling. */
  let inspector;
  try {
    if (size.profile) {
      mkdirSync(size.profile, { recursive: true });
      inspector = await Promise.all((await targets(inspectorPort)).map(async (t) => ({ name: t.name, ...(await inspect(t.url)) })));
    }
    const pools = [];
    const largest = size.pools[size.pools.length - 1];
    let warm = false;
    for (const n of size.pools) {
      const t = performance.now();
      while (pools.length < n) pools.push(loadedPool(await seedPool(edge, pools.length, size.skus), pools.length, size.skus));
      console.error(`bench scale: ${n} pools × ${size.skus} SKUs seeded (+${((performance.now() - t) / 1000).toFixed(1)} s)`);
      // One unmeasured call of each kind first: the first stage should not time the isolates' start.
      if (!warm) for (const kind of Object.keys(size.rates)) await call(edge, { pool: pools[0], kind }, prng(1));
      warm = true;
      const label = `scale: ${n} pool${n === 1 ? "" : "s"} × ${size.skus.toLocaleString("en-US")} SKUs`;
      const stop = n === largest ? await profiling(inspector, size.profile, `${n}-mixed`) : undefined;
      const measured = await window(edge, pools.slice(0, n), size, size.rates, label, stop);
      // One minute tick of the cron after the window: every pool's jobs (sweeps, expiry, retention,
      // connectors, forecasts...), as `scheduled` runs them; what a tick costs as pools are added.
      rows.push(...measured.rows);
      const entry = { pools: n, skus: size.skus, seconds: size.seconds, ...measured.detail };
      if (size.cron) {
        const cronStarted = performance.now();
        const tick = await (await edge.mf.getWorker("edge")).scheduled({ cron: "* * * * *", scheduledTime: new Date() });
        const cronMs = performance.now() - cronStarted;
        if (tick.outcome !== "ok") throw new Error(`cron tick over ${n} pools: ${tick.outcome}`);
        rows.push(
          { name: `${label}, one cron tick ("* * * * *": one call into each pool's object, 16 at once), wall`, value: round(cronMs), unit: "ms" },
          { name: `${label}, the same per pool`, value: round(cronMs / n), unit: "ms" },
        );
        entry.cronMs = round(cronMs);
      }
      if (n === largest) {
        const alone = await cpuAlone(edge, pools.slice(0, n), size, label, inspector, size.profile);
        rows.push(...alone.rows);
        entry.alone = alone.kinds;
      }
      detail.push(entry);
    }
    rows.push(...flatness(detail));
    if (size.control) {
      // One pool with the SKUs of all `largest` pools (at most CONTROL_MAX_SKUS), asked what they asked together.
      const skus = Math.min(size.skus * largest, CONTROL_MAX_SKUS);
      const t = performance.now();
      const one = loadedPool(await seedPool(edge, "control", skus), 0, skus);
      console.error(`bench scale: control pool × ${skus} SKUs seeded (+${((performance.now() - t) / 1000).toFixed(1)} s)`);
      const label = `scale: control, 1 pool × ${skus.toLocaleString("en-US")} SKUs asked what the ${largest} pools asked together`;
      const stop = await profiling(inspector, size.profile, "control");
      const measured = await window(edge, [one], size, times(size.rates, largest), label, stop);
      rows.push(...measured.rows, ...controlRows(detail[detail.length - 1], measured.detail));
      detail.push({ control: true, pools: 1, skus, seconds: size.seconds, load: largest * size.load, ...measured.detail });
    }
  } finally {
    for (const i of inspector ?? []) i.close();
    await edge.dispose();
  }
  const dir = join(ROOT, "test/.artifacts");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, quick ? "bench-scale-quick.json" : "bench-scale.json"),
    `${JSON.stringify({ at: new Date().toISOString(), perPool: size.rates, detail }, null, 2)}\n`,
  );
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { printTable } = await import("./lib/table.mjs");
  printTable(await run({ quick: process.argv.includes("--quick") }));
}
