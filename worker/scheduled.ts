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
import { allPools, onD1, registryOf, withPool } from "./pool/plane";

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

/** Pools whose cron jobs run at once. */
const POOLS_AT_ONCE = 4;

/**
 * One cron tick: every pool's jobs, the figures summed over pools. A job that failed in a pool reads "pool: message"; the other pools' jobs still run.
 */
export async function runScheduled(cron: string, env: Env, now: number, doFetch: typeof fetch = fetch): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const limit = limiter(POOLS_AT_ONCE);
  const { pools, onD1: someOnD1 } = await allPools(env);
  // Pools not migrated yet keep their data in D1: one round of jobs there covers them all.
  const planes: [string, Env][] = [...(someOnD1 ? [["d1", onD1(env)] as [string, Env]] : []), ...pools.map((p): [string, Env] => [p, withPool(env, p)])];
  await Promise.all(
    planes.map(([pool, poolEnv]) =>
      limit(async () => {
        for (const [name, value] of Object.entries(await runPoolJobs(cron, poolEnv, now, doFetch))) {
          const before = out[name];
          if (typeof value === "string") out[name] = typeof before === "string" ? before : `${pool}: ${value}`;
          else if (typeof before !== "string") out[name] = (before ?? 0) + value;
        }
      }),
    ),
  );
  if (cron === EVERY_15_MINUTES) await optimizeQueryPlanner(registryOf(env.DB));
  return out;
}

/** Every job of one cron tick for one pool; each runs even when another fails. */
async function runPoolJobs(cron: string, env: Env, now: number, doFetch: typeof fetch): Promise<Record<string, number | string>> {
  const jobs: Record<string, () => Promise<number>> =
    cron === EVERY_15_MINUTES
      ? { reconcile: () => reconcileAll(env, doFetch, now), optimized: () => optimizeQueryPlanner(env.DB) }
      : {
          inbox: () => sweepInbox(env, now, undefined, undefined, doFetch),
          released: () => releaseConfirmed(env, now),
          expired: () => expireReservations(env, now),
          requeued: () => requeueStuck(env, now),
          connectors: () => runConnectorJobs(env),
          backInStock: () => sendBackInStockWebhooks(env, doFetch, now),
          demand: () => collectOrderDemand(env.DB, now),
          forecasts: () => recomputeForecasts(env.DB, now),
          pruned: async () => Object.values(await pruneExpired(env.DB, retentionFromEnv(env), now)).reduce((a, b) => a + b, 0),
        };
  const out: Record<string, number | string> = {};
  for (const [name, job] of Object.entries(jobs)) {
    try {
      out[name] = await job();
    } catch (e) {
      console.error("scheduled", name, e);
      out[name] = e instanceof Error ? e.message : "failed";
    }
  }
  return out;
}

/** The worker's `scheduled` handler. */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  await runScheduled(controller.cron, env, controller.scheduledTime);
}
