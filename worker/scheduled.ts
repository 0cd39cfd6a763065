import { z } from "zod";
import { sendBackInStockWebhooks } from "./back-in-stock/webhooks";
import { runConnectorJobs } from "./connector-jobs";
import { optimizeQueryPlanner } from "./db/optimize";
import { pruneExpired, retentionFromEnv } from "./db/retention";
import { recomputeForecasts } from "./forecast/job";
import { collectOrderDemand } from "./forecast/order-demand";
import { MAX_DELAY_SECONDS } from "./orders/backoff";
import { enqueue } from "./orders/deliveries";
import { expireReservations, releaseConfirmed } from "./orders/erp-confirm";
import { sweepInbox } from "./orders/inbox";
import { limiter } from "./orders/limit";
import { reconcileAll } from "./orders/reconcile";
import { allPools, onD1, poolObject, registryOf } from "./pool/plane";

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

/**
 * Every job of one cron tick for one pool, on `env` (its `DB` the pool's data plane inside its object,
 * or D1 for pools not moved yet); each runs even when another fails, whose figure is then its error's message.
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

/**
 * Pools whose tick runs at once. Each pool's jobs run inside its own object (one call each), so the
 * worker only waits; in production the objects run on their own machines.
 */
const POOLS_AT_ONCE = 16;

/**
 * One cron tick: every pool's jobs, the figures summed over pools. A job that failed in a pool reads
 * "pool: message"; the other pools' jobs still run. A pool whose data is in its object runs its jobs
 * there, in one call (`PoolStore.tick`, ./pool-store.ts); pools still on D1 run theirs here, one round
 * for them all. `doFetch`: the outbound `fetch` of the jobs that call out (tests hand a fake; the
 * objects call it back).
 */
export async function runScheduled(cron: string, env: Env, now: number, doFetch?: typeof fetch): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const add = (pool: string, figures: Record<string, number | string>) => {
    for (const [name, value] of Object.entries(figures)) {
      const before = out[name];
      if (typeof value === "string") out[name] = typeof before === "string" ? before : `${pool}: ${value}`;
      else if (typeof before !== "string") out[name] = (before ?? 0) + value;
    }
  };
  const limit = limiter(POOLS_AT_ONCE);
  const { pools, onD1: someOnD1 } = await allPools(env);
  // Functions cross RPC as stubs: the object calls the caller's fetch back with a `Request`.
  const callerFetch = doFetch && ((request: Request) => doFetch(request));
  const ticks = pools.map((pool) =>
    limit(async () => {
      try {
        add(pool, await poolObject(env, pool).tick(pool, cron, now, callerFetch));
      } catch (e) {
        // The object itself failed (not one job): every job of the pool reports it.
        console.error("scheduled", pool, e);
        const message = e instanceof Error ? e.message : "failed";
        add(pool, Object.fromEntries(Object.keys(jobsOf(cron)).map((name) => [name, message])));
      }
    }),
  );
  // Pools not migrated yet keep their data in D1: one round of jobs there covers them all.
  if (someOnD1) ticks.push(limit(async () => add("d1", await runPoolJobs(cron, onD1(env), now, doFetch ?? fetch))));
  await Promise.all(ticks);
  if (cron === EVERY_15_MINUTES) await optimizeQueryPlanner(registryOf(env.DB));
  return out;
}

/** The worker's `scheduled` handler. */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  await runScheduled(controller.cron, env, controller.scheduledTime);
}
