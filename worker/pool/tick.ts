import { z } from "zod";
import { sendBackInStockWebhooks } from "../back-in-stock/webhooks";
import { runConnectorJobs } from "../connector-jobs";
import { optimizeQueryPlanner } from "../db/optimize";
import { pruneExpired, retentionFromEnv } from "../db/retention";
import { recomputeForecasts } from "../forecast/job";
import { collectOrderDemand } from "../forecast/order-demand";
import { MAX_DELAY_SECONDS } from "../orders/backoff";
import { enqueue } from "../orders/deliveries";
import { expireReservations, releaseConfirmed } from "../orders/erp-confirm";
import { sweepInbox } from "../orders/inbox";
import { reconcileAll } from "../orders/reconcile";
import { PlaneDatabase, type PoolSide } from "./database";
import { registryRows } from "./plane";
import type { Mirror, Result, Statement } from "./store";

/** Crons from wrangler.toml `[triggers]`. */
export const EVERY_MINUTE = "* * * * *";
export const EVERY_15_MINUTES = "*/15 * * * *";

/**
 * Deliveries still pending this long after their last touch lost their queue message: send it again.
 * A retrying one is stuck once even the longest backoff would have brought its message back.
 */
export const STUCK_DELIVERY_MS = 10 * 60 * 1000;
export const STUCK_RETRY_MS = MAX_DELAY_SECONDS * 1000 + STUCK_DELIVERY_MS;

async function requeueStuck(env: Env, now: number): Promise<number> {
  const { results } = await env.DB.prepare(
    // INDEXED BY: nearly every delivery is delivered; with statistics that say so the planner read them all.
    `SELECT id FROM deliveries INDEXED BY deliveries_stuck WHERE (status = 'pending' AND updated_at < ?1) OR (status = 'retrying' AND updated_at < ?2)
     ORDER BY updated_at LIMIT 200`,
  )
    .bind(now - STUCK_DELIVERY_MS, now - STUCK_RETRY_MS)
    .all();
  for (const raw of results) {
    const { id } = z.object({ id: z.string() }).parse(raw);
    await env.DB.prepare("UPDATE deliveries SET updated_at = ? WHERE id = ?").bind(now, id).run();
    await enqueue(env, id);
  }
  return results.length;
}

type Job = (env: Env, now: number, doFetch: typeof fetch) => Promise<number>;

/** The every-minute jobs of one pool, by the name its figure is reported under. */
const MINUTE_JOBS: Record<string, Job> = {
  inbox: (env, now, doFetch) => sweepInbox(env, now, undefined, undefined, doFetch),
  released: (env, now) => releaseConfirmed(env, now),
  expired: (env, now) => expireReservations(env, now),
  requeued: (env, now) => requeueStuck(env, now),
  connectors: (env) => runConnectorJobs(env),
  backInStock: (env, now, doFetch) => sendBackInStockWebhooks(env, doFetch, now),
  demand: (env, now) => collectOrderDemand(env.DB, now),
  forecasts: (env, now) => recomputeForecasts(env.DB, now),
  pruned: async (env, now) => Object.values(await pruneExpired(env.DB, retentionFromEnv(env), now)).reduce((a, b) => a + b, 0),
};

/** The 15-minute jobs: reconciliation against the shop platforms, and fresh planner statistics. */
const QUARTER_JOBS: Record<string, Job> = {
  reconcile: (env, now, doFetch) => reconcileAll(env, doFetch, now),
  optimized: (env) => optimizeQueryPlanner(env.DB),
};

const jobsOf = (cron: string): Record<string, Job> => (cron === EVERY_15_MINUTES ? QUARTER_JOBS : MINUTE_JOBS);

/** The names a tick of `cron` reports its jobs under (a pool whose tick failed as a whole reports the failure under each). */
export const poolJobNames = (cron: string): string[] => Object.keys(jobsOf(cron));

/**
 * Every job of one cron tick for one pool, on `env` (its `DB` the pool's data plane, or D1 for pools
 * not moved yet); each runs even when another fails, whose figure is then its error's message.
 */
export async function runPoolJobs(cron: string, env: Env, now: number, doFetch: typeof fetch): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  for (const [name, job] of Object.entries(jobsOf(cron))) {
    try {
      out[name] = await job(env, now, doFetch);
    } catch (e) {
      console.error("scheduled", name, e);
      out[name] = e instanceof Error ? e.message : "failed";
    }
  }
  return out;
}

/** What the in-object tick needs of its object: PoolStore's own statement, script and mirror methods, called in place. */
export interface LocalPool {
  run(statements: Statement[]): Result[];
  script(text: string): { count: number; duration: number };
  mirror(rows: Mirror): void;
}

/**
 * A caller's `fetch` handed over RPC (a stub of the function) as this side's `fetch`: the request
 * crosses as a `Request` (its abort signal, which cannot cross, stays here and still aborts the wait).
 */
export function remoteFetch(remote: (request: Request) => Promise<Response>): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const { signal, ...rest } = init ?? {};
    const request = new Request(input, rest);
    const answer = remote(request);
    if (!signal) return answer;
    signal.throwIfAborted();
    return Promise.race([answer, new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }))]);
  }) as typeof fetch;
}

/**
 * One cron tick of one pool, run inside the pool's object (`PoolStore.tick`): its jobs on an env whose
 * `DB` is the pool's data plane with the object itself as the pool's side (each statement a direct
 * call, no RPC; a shop the object has sealed is refused as on every other path) and D1 as the
 * registry. Outbound calls and queue messages go out from the object with its own bindings, unless
 * the caller handed its own `fetch` (tests' fakes).
 */
export function tickInObject(
  local: LocalPool,
  env: Env,
  pool: string,
  cron: string,
  now: number,
  callerFetch?: (request: Request) => Promise<Response>,
): Promise<Record<string, number | string>> {
  const registry = env.DB;
  const side: PoolSide = {
    id: pool,
    object: { run: async (s) => local.run(s), script: async (text) => local.script(text), mirror: async (m) => local.mirror(m) },
  };
  const db = new PlaneDatabase({ registry, resolve: async () => side, mirror: (id) => registryRows(registry, id) });
  return runPoolJobs(cron, { ...env, DB: db as unknown as D1Database }, now, callerFetch ? remoteFetch(callerFetch) : fetch);
}
