import { ApiError } from "../http/error";
import { PlaneDatabase } from "./database";
import type { Mirror } from "./store";

/** The pool object's stub, by the pool's id (its root shop's id). */
export const poolObject = (env: Env, pool: string) => env.POOLS.get(env.POOLS.idFromName(pool));

/** The registry (D1), whether `db` is the data plane or D1 itself. */
export const registryOf = (db: D1Database): D1Database => (db instanceof PlaneDatabase ? db.route.registry : db);

/** The pool an env's data plane reads and writes; undefined on the D1 plane or outside any pool. */
export const poolOf = (env: Env): string | undefined => (env.DB instanceof PlaneDatabase ? env.DB.route.poolId : undefined);

/** Whether this deployment keeps pool data in pool objects (`DATA_PLANE = "pool"`, the default) or in D1. */
export const onPoolPlane = (env: Env): boolean => (env.DATA_PLANE as string) !== "d1";

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
 * pool's object. On the D1 plane, `env` itself. Without a pool (the request names no shop that
 * exists), pool data reads as a 404.
 */
export function withPool(env: Env, pool: string | undefined): Env {
  if (!onPoolPlane(env)) return env;
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

/** The pool a shop sells from (its own id for a pool of one); undefined when no such shop. */
export async function poolOfShop(registry: D1Database, shop: string): Promise<string | undefined> {
  const row = await registry
    .prepare("SELECT COALESCE((SELECT pool_id FROM channels WHERE shop_id = ?1), (SELECT id FROM shops WHERE id = ?1)) AS pool")
    .bind(shop)
    .first<string | null>("pool");
  return row ?? undefined;
}

/** `env` on the data plane of `shop`'s pool. */
export const withShop = async (env: Env, shop: string): Promise<Env> => (onPoolPlane(env) ? withPool(env, await poolOfShop(registryOf(env.DB), shop)) : env);

/** Every pool of the registry (the cron's fan-out). */
export async function allPools(env: Env): Promise<string[]> {
  const { results } = await registryOf(env.DB)
    .prepare("SELECT DISTINCT COALESCE(c.pool_id, s.id) AS pool FROM shops s LEFT JOIN channels c ON c.shop_id = s.id ORDER BY pool")
    .all<{ pool: string }>();
  return results.map((r) => r.pool);
}
