import { env } from "cloudflare:workers";
import type { PoolRoute } from "../../worker/pool/database";
import { poolObject } from "../../worker/pool/plane";
import { snapshotTables } from "./helpers";

/**
 * Every row of a pool object's SQLite (its own tables, its copy of the registry's rows and its
 * migration log), table by table, as sorted JSON lines. Read in the object itself, so nothing the
 * pool holds is left out by the routing of the D1-compatible client.
 */
export async function snapshotPool(pool: string): Promise<Record<string, string[]>> {
  const object: NonNullable<PoolRoute["pool"]> = poolObject(env, pool);
  const read = async (sql: string): Promise<Record<string, unknown>[]> =>
    ((await object.run([{ sql, params: [] }]))[0]?.results ?? []) as Record<string, unknown>[];
  const tables = await read("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name");
  const out: Record<string, string[]> = {};
  for (const { name } of tables) out[String(name)] = (await read(`SELECT * FROM "${String(name)}"`)).map((r) => JSON.stringify(r)).sort();
  return out;
}

/**
 * The whole data plane a test touches: the registry (D1) and the objects of `pools`. Two equal
 * snapshots mean no row was added, removed or changed on either side.
 */
export const snapshotPlane = async (...pools: string[]) => ({
  registry: await snapshotTables(),
  pools: Object.fromEntries(await Promise.all(pools.map(async (p) => [p, await snapshotPool(p)] as const))),
});
