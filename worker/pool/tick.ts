import { type LocalPool, localPlane } from "./local";

/** A cron tick's jobs for one pool on `env`, calling out with `doFetch` (the entry layer's job list). */
export type PoolJobs = (env: Env, doFetch: typeof fetch) => Promise<Record<string, number | string>>;

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
 * One cron tick of one pool, run inside the pool's object: `jobs` on an env whose `DB` is the pool's
 * data plane with the object itself as the pool's side (each statement a direct call, no RPC; a shop
 * the object has sealed is refused as on every other path) and D1 as the registry. Outbound calls
 * and queue messages go out from the object with its own bindings, unless the caller handed its own
 * `fetch` (tests' fakes), which is then called back.
 */
export function tickInObject(
  local: LocalPool,
  env: Env,
  pool: string,
  jobs: PoolJobs,
  callerFetch?: (request: Request) => Promise<Response>,
): Promise<Record<string, number | string>> {
  return jobs({ ...env, DB: localPlane(local, { db: env.DB, pool }) }, callerFetch ? remoteFetch(callerFetch) : fetch);
}
