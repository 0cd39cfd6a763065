import { PoolStore as PoolData } from "./pool/store";
import { tickInObject } from "./pool/tick";
import { runPoolJobs } from "./scheduled";

/**
 * The pool object as deployed (wrangler's `PoolStore`): the pool's data and sockets (./pool/store.ts)
 * and the cron's tick, whose jobs live up here with the other entry points (./scheduled.ts).
 */
export class PoolStore extends PoolData {
  /**
   * One cron tick of this pool (`pool`: its id): every job of `cron` run here, each statement a direct
   * call into this object's SQLite (./pool/tick.ts). The cron's one call into the object per tick.
   * `doFetch`: the caller's own `fetch` (tests' fakes); without it, outbound calls go out from here.
   */
  async tick(pool: string, cron: string, now: number, doFetch?: (request: Request) => Promise<Response>): Promise<Record<string, number | string>> {
    // The pool's id names the object (and what its jobs write, e.g. the queue messages' pool): never another's.
    if (!this.ctx.id.equals(this.env.POOLS.idFromName(pool))) throw new Error(`tick: this is not the object of pool ${pool}`);
    return tickInObject(this, this.env, pool, (env, callOut) => runPoolJobs(cron, env, now, callOut), doFetch);
  }
}
