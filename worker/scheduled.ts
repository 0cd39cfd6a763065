import { optimizeQueryPlanner } from "./db/optimize";
import { limiter } from "./orders/limit";
import { allPools, onD1, poolObject, registryOf } from "./pool/plane";
import { EVERY_15_MINUTES, poolJobNames, runPoolJobs } from "./pool/tick";

export { EVERY_15_MINUTES, EVERY_MINUTE } from "./pool/tick";

/**
 * Pools whose tick runs at once. Each pool's jobs run inside its own object (one call each), so the
 * worker only waits; in production the objects run on their own machines.
 */
const POOLS_AT_ONCE = 16;

/**
 * One cron tick: every pool's jobs, the figures summed over pools. A job that failed in a pool reads
 * "pool: message"; the other pools' jobs still run. A pool whose data is in its object runs its jobs
 * there, in one call (`PoolStore.tick`); pools still on D1 run theirs here, one round for them all.
 * `doFetch`: the outbound `fetch` of the jobs that call out (tests hand a fake; the objects call it back).
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
        add(pool, Object.fromEntries(poolJobNames(cron).map((name) => [name, message])));
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
