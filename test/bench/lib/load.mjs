/**
 * Load generation for benchmarks: wrk when it is installed (the same tool against the same server
 * gives comparable ratios), else a bounded fetch loop with fixed concurrency.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { percentile } from "./stats.mjs";

const run = promisify(execFile);
export const WRK = "/usr/bin/wrk";

/** Milliseconds from a wrk duration such as `812.00us`, `1.20ms` or `2.01s`. */
export function wrkMillis(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return { us: n / 1000, ms: n, s: n * 1000, m: n * 60_000 }[m[2]];
}

/** Reads wrk's `--latency` report: req/s, p50/p99 (ms), requests, non-2xx/3xx and socket errors. */
export function parseWrk(out) {
  const num = (re) => Number(re.exec(out)?.[1] ?? Number.NaN);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: wrkMillis(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ""),
    p99: wrkMillis(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ""),
    requests: num(/(\d+) requests in/),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
    socketErrors: socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0,
  };
}

/** A bounded closed loop: `connections` workers fetch `url` until `seconds` pass. */
async function fetchLoop(url, { connections, seconds, headers }) {
  const until = performance.now() + seconds * 1000;
  const latencies = [];
  let non2xx = 0;
  let errors = 0;
  const worker = async () => {
    while (performance.now() < until) {
      const t = performance.now();
      try {
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status >= 400) non2xx++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - start) / 1000;
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    non2xx,
    socketErrors: errors,
  };
}

/**
 * Drives `url` for `seconds` with `connections` concurrent connections.
 * @returns {Promise<{ tool: string, rps: number, p50: number, p99: number, requests: number, non2xx: number, socketErrors: number }>}
 */
export async function load(url, { threads = 2, connections = 32, seconds = 8, headers = {} } = {}) {
  if (existsSync(WRK)) {
    const hdr = Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
    const { stdout } = await run(WRK, [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--latency", ...hdr, url], { timeout: (seconds + 30) * 1000 });
    return { tool: "wrk", ...parseWrk(stdout) };
  }
  return { tool: "fetch-loop", ...(await fetchLoop(url, { connections, seconds, headers })) };
}
