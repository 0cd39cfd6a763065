import { ApiError } from "../http/error";
import { PlaneDatabase } from "./database";
import type { Mirror } from "./store";

/** The pool object's stub, by the pool's id (its root shop's id). */
export const poolObject = (env: Env, pool: string) => env.POOLS.get(env.POOLS.idFromName(pool));

/** The registry (D1), whether `db` is the data plane or D1 itself. */
export const registryOf = (db: D1Database): D1Database => (db instanceof PlaneDatabase ? db.route.registry : db);

/** The pool an env's data plane reads and writes; undefined on the D1 plane or outside any pool. */
export const poolOf = (env: Env): string | undefined => (env.DB instanceof PlaneDatabase ? env.DB.route.poolId : undefined);

/** The registry's rows a pool object keeps a copy of: its shops and their channel rules. */
export async function registryRows(registry: D1Database, pool: string): Promise<Mirror> {
  const [shops, channels] = await registry.batch([
    registry.prepare("SELECT s.* FROM shops s LEFT JOIN channels c ON c.shop_id = s.id WHERE COALESCE(c.pool_id, s.id) = ?1").bind(pool),
    registry.prepare("SELECT * FROM channels WHERE pool_id = ?1 OR shop_id = ?1").bind(pool),
  ]);
  return { shops: (shops?.results ?? []) as Mirror["shops"], channels: (channels?.results ?? []) as Mirror["channels"] };
}

/**
 * `env` with `DB` as the data plane of `pool`: registry statements go to D1, everything else to the
 * pool's object. Without a pool (the request names no shop that exists), pool data reads as a 404.
 */
export function withPool(env: Env, pool: string | undefined): Env {
  const registry = registryOf(env.DB);
  if (env.DB instanceof PlaneDatabase && env.DB.route.poolId === pool) return env;
  const object = pool === undefined ? undefined : poolObject(env, pool);
  const db = new PlaneDatabase({
    registry,
    poolId: pool,
    pool: object,
    mirror: () => (pool === undefined ? undefined : registryRows(registry, pool)),
    push: async (m) => {
      await object?.mirror(m);
    },
    noPool: () => new ApiError(404, "shop_not_found", "No such shop"),
  });
  return { ...env, DB: db as unknown as D1Database };
}

/** Where a pool's data is: its object (`pool`), still D1 (`d1`, until `npm run migrate-pools`), or being moved (`migrating`). */
export type PoolPlane = "pool" | "d1" | "migrating";

/** The pool a shop sells from (its own id for a pool of one) and where its data is; undefined when no such shop. */
export async function poolOfShop(registry: D1Database, shop: string): Promise<{ pool: string; plane: PoolPlane } | undefined> {
  const row = await registry
    .prepare(
      `SELECT p.id AS pool, CASE d.state WHEN 'd1' THEN 'd1' WHEN 'migrating' THEN 'migrating' ELSE 'pool' END AS plane
       FROM (SELECT COALESCE((SELECT pool_id FROM channels WHERE shop_id = ?1), (SELECT id FROM shops WHERE id = ?1)) AS id) p
       LEFT JOIN data_plane_pools d ON d.pool_id = p.id WHERE p.id IS NOT NULL`,
    )
    .bind(shop)
    .first<{ pool: string; plane: PoolPlane }>();
  return row ?? undefined;
}

/**
 * `env` on the data of `shop`'s pool: its object's, or D1 itself for a pool not migrated yet. A pool
 * being migrated answers 503 for those seconds (nothing may be written behind the copy).
 */
export async function withShop(env: Env, shop: string): Promise<Env> {
  const found = await poolOfShop(registryOf(env.DB), shop);
  if (found?.plane === "d1") return { ...env, DB: registryOf(env.DB) };
  if (found?.plane === "migrating")
    throw new ApiError(503, "pool_migrating", "This shop's data is being moved; try again in a few seconds", { retryAfterSeconds: 5 });
  return withPool(env, found?.pool);
}

/** Every pool whose data lives in its object (the cron's fan-out), and whether jobs should also run on D1 (pools not migrated yet). */
export async function allPools(env: Env): Promise<{ pools: string[]; onD1: boolean }> {
  const { results } = await registryOf(env.DB)
    .prepare(
      `SELECT DISTINCT COALESCE(c.pool_id, s.id) AS pool, d.state FROM shops s LEFT JOIN channels c ON c.shop_id = s.id
       LEFT JOIN data_plane_pools d ON d.pool_id = COALESCE(c.pool_id, s.id) ORDER BY pool`,
    )
    .all<{ pool: string; state: string | null }>();
  return {
    pools: results.filter((r) => r.state === null || r.state === "done").map((r) => r.pool),
    // While a pool is being copied out of D1, the jobs on D1 wait: nothing may change behind the copy.
    onD1: results.some((r) => r.state === "d1") && !results.some((r) => r.state === "migrating"),
  };
}
