import { env } from "cloudflare:workers";
import type { PoolSide } from "../../worker/pool/database";
import { poolObject } from "../../worker/pool/plane";

/**
 * Runs one statement in a pool object's own SQLite and answers its rows, whatever the data plane
 * would route it to: SQLite's catalogue (`sqlite_master`, which the plane reads in D1) and the
 * object's own bookkeeping.
 */
export async function inPoolObject<T = Record<string, unknown>>(pool: string, sql: string): Promise<T[]> {
  const object: Extract<PoolSide, { object: unknown }>["object"] = poolObject(env, pool);
  const [result] = await object.run([{ sql, params: [] }]);
  return (result?.results ?? []) as T[];
}

/** Names in a pool object's catalogue of one type (`table`, `trigger`, `index`), SQLite's and Cloudflare's own left out. */
export const poolSchemaNames = async (pool: string, type: "table" | "trigger" | "index"): Promise<string[]> =>
  (
    await inPoolObject<{ name: string }>(
      pool,
      `SELECT name FROM sqlite_master WHERE type = '${type}' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name`,
    )
  ).map((r) => r.name);

/**
 * Every row of a pool object's SQLite (its own tables, its copy of the registry's rows and its
 * migration log), table by table, as sorted JSON lines.
 */
export async function snapshotPool(pool: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of await poolSchemaNames(pool, "table"))
    out[name] = (await inPoolObject(pool, `SELECT * FROM "${name}"`)).map((r) => JSON.stringify(r)).sort();
  return out;
}
