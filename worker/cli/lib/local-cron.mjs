import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./local-edge.mjs";

/**
 * Cron triggers for a local edge. `wrangler dev` never fires `[triggers] crons` by itself; on
 * Cloudflare they fire at each matching minute (UTC). `startLocalCron` does the same against a local
 * edge through wrangler's `/cdn-cgi/handler/scheduled?cron=…&time=…` route, so sweeps, reservation
 * expiry, reconciliation, connector pulls and retention run locally as they would in production.
 */

/** The crons of wrangler.toml's `[triggers]`. */
export function configuredCrons(file = join(ROOT, "wrangler.toml")) {
  const toml = readFileSync(file, "utf8");
  const triggers = /^\[triggers\][^[]*?^crons\s*=\s*\[([^\]]*)\]/ms.exec(toml);
  return triggers ? [...triggers[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [];
}

const FIELDS = [
  { min: 0, max: 59 }, // minute
  { min: 0, max: 23 }, // hour
  { min: 1, max: 31 }, // day of month
  { min: 1, max: 12 }, // month
  { min: 0, max: 7 }, // day of week (0 and 7 are Sunday)
];

/** Whether one field (`*`, `*\/15`, `5`, `1-5`, `0-30/10`, lists of these) admits `value`. */
function fieldMatches(spec, value, { min, max }) {
  return spec.split(",").some((part) => {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron step "${part}"`);
    let [lo, hi] = range === "*" ? [min, max] : range.split("-").map(Number);
    if (hi === undefined) hi = stepText === undefined ? lo : max;
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new Error(`cron field "${part}"`);
    return value >= lo && value <= hi && (value - lo) % step === 0;
  });
}

/**
 * Whether a standard five-field cron expression fires at `date`'s minute (UTC, as Cloudflare's do).
 *
 * @example
 * cronMatches("*\/15 * * * *", new Date("2026-11-29T10:30:00Z")) // → true
 */
export function cronMatches(expr, date) {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${expr}": five fields expected`);
  const [, , dom, , dow] = fields;
  const day = date.getUTCDay();
  const ok = (i, v) => fieldMatches(fields[i], v, FIELDS[i]);
  const domOk = ok(2, date.getUTCDate());
  const dowOk = ok(4, day) || (day === 0 && ok(4, 7));
  // As in cron: when both day fields are restricted, either may match.
  const dayOk = dom !== "*" && dow !== "*" ? domOk || dowOk : domOk && dowOk;
  return ok(0, date.getUTCMinutes()) && ok(1, date.getUTCHours()) && ok(3, date.getUTCMonth() + 1) && dayOk;
}

/**
 * Fires `crons` against the edge at `url`: each once right away (catching up on what production
 * would have run while this edge was off), then at every matching minute. `stop()` ends it.
 */
export function startLocalCron(url, { crons = configuredCrons(), log = console.error } = {}) {
  let timer;
  let stopped = false;
  const fire = async (cron, at) => {
    const q = new URLSearchParams({ cron, time: String(Math.floor(at.getTime() / 1000)) });
    try {
      const res = await fetch(`${url}/cdn-cgi/handler/scheduled?${q}`);
      await res.arrayBuffer();
      if (!res.ok) log(`cron "${cron}": HTTP ${res.status}`);
    } catch (e) {
      if (!stopped) log(`cron "${cron}": ${e instanceof Error ? e.message : e}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    const next = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
    timer = setTimeout(async () => {
      await Promise.all(crons.filter((c) => cronMatches(c, next)).map((c) => fire(c, next)));
      schedule();
    }, next.getTime() - Date.now());
    timer.unref?.();
  };
  const first = Promise.all(crons.map((c) => fire(c, new Date())));
  schedule();
  return {
    crons,
    first,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
