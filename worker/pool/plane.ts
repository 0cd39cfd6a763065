import { ApiError } from "../http/error";
import { MicroCache } from "../http/micro-cache";
import { PlaneDatabase, type PoolSide } from "./database";
import type { Mirror } from "./store";

/** The pool object's stub, by the pool's id (its root shop's id). */
export const poolObject = (env: Env, pool: string) => env.POOLS.get(env.POOLS.idFromName(pool));

/** The registry (D1), whether `db` is the data plane or D1 itself. */
export const registryOf = (db: D1Database): D1Database => (db instanceof PlaneDatabase ? db.route.registry : db);

/**
 * `db` reading the registry rows its pool's object keeps a copy of (shops, channel rules) from that
 * copy: one call into the object, no D1 call (`PlaneDatabase.fromMirror`). D1 itself stays D1.
 */
export const mirrorOf = (db: D1Database): D1Database => (db instanceof PlaneDatabase ? (db.fromMirror() as unknown as D1Database) : db);

/** `env` with every statement on D1 itself: the jobs and messages of pools not moved out of D1 yet. */
export const onD1 = (env: Env): Env => ({ ...env, DB: registryOf(env.DB) });

/** The pool whose object an env's data plane runs on; undefined for D1 (a pool not moved yet). */
export async function planePool(env: Env): Promise<string | undefined> {
  if (!(env.DB instanceof PlaneDatabase)) return undefined;
  return (await env.DB.side()).id;
}

/** The registry's rows a pool object keeps a copy of: its shops and their channel rules. */
export async function registryRows(registry: D1Database, pool: string): Promise<Mirror> {
  const [shops, channels] = await registry.batch([
    registry.prepare("SELECT s.* FROM shops s LEFT JOIN channels c ON c.shop_id = s.id WHERE COALESCE(c.pool_id, s.id) = ?1").bind(pool),
    registry.prepare("SELECT * FROM channels WHERE pool_id = ?1 OR shop_id = ?1").bind(pool),
  ]);
  return { shops: (shops?.results ?? []) as Mirror["shops"], channels: (channels?.results ?? []) as Mirror["channels"] };
}

const plane = (env: Env, resolve: (registry: D1Database, fresh: boolean) => Promise<PoolSide>): Env => {
  const registry = registryOf(env.DB);
  return {
    ...env,
    DB: new PlaneDatabase({
      registry,
      resolve: (fresh) => resolve(registry, fresh === true),
      mirror: (pool) => registryRows(registry, pool),
    }) as unknown as D1Database,
  };
};

const objectSide = (env: Env, pool: string): PoolSide => ({ id: pool, object: poolObject(env, pool) });
const noSuchShop = () => new ApiError(404, "shop_not_found", "No such shop");

/**
 * `env` with `DB` as the data plane of `pool`: registry statements go to D1, everything else to the
 * pool's object. Without a pool, pool data reads as a 404 (a request that names no shop).
 */
export function withPool(env: Env, pool: string | undefined): Env {
  return plane(env, async () => {
    if (pool === undefined) throw noSuchShop();
    return objectSide(env, pool);
  });
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
 * The pool of each shop this isolate looked up in the last seconds, so a request does not read the
 * registry to find its object. Only pools whose data is in their object are remembered (a pool
 * still on D1 will move). A remembered pool the shop has since left refuses the shop's statements
 * (`PoolStore.seal`): the statements are sent again to the pool the registry names then
 * (`PlaneDatabase`), so a stale entry costs one extra call, never a wrong answer.
 */
const recentPools = new MicroCache<string>(10_000);
/**
 * Minutes, not seconds: since a stale entry cannot answer wrongly, its length only sets how often
 * each pool's requests ask the registry again (at 30 s that was, in the scale bench, a D1 call per
 * pool about as often as the pool's ERP pushes came).
 */
const POOL_MEMO_MS = 300_000;

/** Forgets where `shop` was (it has just moved): this isolate's next request asks the registry. */
export const forgetPool = (shop: string): void => recentPools.deleteGroup(shop);

/**
 * `env` on the data of `shop`'s pool, found at its first pool statement (in this isolate's memory,
 * or the registry): the pool's object, or D1 itself for a pool not moved yet. A pool being moved
 * answers 503 for those seconds (nothing may be written behind the copy); a shop that does not
 * exist, 404.
 */
export function onShop(env: Env, shop: string): Env {
  const key = `${shop}\n`;
  return plane(env, async (registry, fresh) => {
    const known = fresh ? undefined : recentPools.get(key, Date.now());
    if (known !== undefined) return { ...objectSide(env, known), remembered: true };
    const found = await poolOfShop(registry, shop);
    if (found === undefined) throw noSuchShop();
    if (found.plane === "d1") return { id: undefined, d1: true };
    if (found.plane === "migrating")
      throw new ApiError(503, "pool_migrating", "This shop's data is being moved; try again in a few seconds", { retryAfterSeconds: 5 });
    recentPools.set(key, found.pool, POOL_MEMO_MS, Date.now());
    return objectSide(env, found.pool);
  });
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
