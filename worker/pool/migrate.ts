import { PAGE_ROWS, POOL_TABLES, SHOP_TABLES } from "./move";
import { poolObject, registryOf, registryRows } from "./plane";

/** Every table a pool's rows are copied from, in order: its shops' own rows, then the pool's. */
const STEPS: readonly { table: string; where: string; ids: "shops" | "pool" }[] = [
  ...SHOP_TABLES.map(([table, where]) => ({ table, where, ids: "shops" as const })),
  ...POOL_TABLES.map(([table, where]) => ({ table, where, ids: "pool" as const })),
];

export interface MigrationProgress {
  /** Pools still in D1, being copied, and done. */
  pools: { d1: number; migrating: number; done: number };
  /** Rows copied into pool objects by this call. */
  copied: number;
  /** Rows deleted from D1 by this call (after their pool's copy was checked whole). */
  deleted: number;
  /** Nothing is left in D1. */
  done: boolean;
}

interface PoolRow {
  pool_id: string;
  state: "d1" | "migrating" | "done";
  table_index: number;
  copied: number;
}

async function counts(registry: D1Database): Promise<MigrationProgress["pools"]> {
  const { results } = await registry.prepare("SELECT state, count(*) AS n FROM data_plane_pools GROUP BY state").all<{ state: string; n: number }>();
  const n = (s: string) => results.find((r) => r.state === s)?.n ?? 0;
  return { d1: n("d1"), migrating: n("migrating"), done: n("done") };
}

/**
 * One bounded step of moving pools' data out of D1 into their objects (`npm run migrate-pools`
 * repeats it until `done`). A pool is marked `migrating` first: from then its requests answer 503
 * and the D1 cron round waits, so nothing changes behind the copy. Its tables are copied page by
 * page (at most `maxPages` pages per call), the position saved after each page, so the command can
 * stop anywhere and resume; pages are upserts, so a page copied twice is stored once. When every
 * table is copied, each one's count in the object is checked against D1, the pool is marked `done`
 * (its requests reach its object) and only then are its rows deleted from D1.
 */
export async function migrateStep(env: Env, maxPages: number, now = Date.now()): Promise<MigrationProgress> {
  const registry = registryOf(env.DB);
  let pages = 0;
  let copied = 0;
  let deleted = 0;
  // Each pool's shops, read from the registry once per call (not once per page).
  const shopsOf = new Map<string, string[]>();
  while (pages < maxPages) {
    const row = await registry
      .prepare("SELECT pool_id, state, table_index, copied FROM data_plane_pools WHERE state <> 'done' ORDER BY state = 'migrating' DESC, pool_id LIMIT 1")
      .first<PoolRow>();
    if (!row) break;
    const pool = row.pool_id;
    const object = poolObject(env, pool);
    const rows = shopsOf.has(pool) ? undefined : await registryRows(registry, pool);
    if (rows)
      shopsOf.set(
        pool,
        rows.shops.map((s) => String(s.id)),
      );
    if (row.state === "d1") {
      await registry
        .prepare("UPDATE data_plane_pools SET state = 'migrating', table_index = 0, copied = 0, updated_at = ? WHERE pool_id = ?")
        .bind(now, pool)
        .run();
      await object.mirror(rows ?? (await registryRows(registry, pool)));
      row.table_index = 0;
      row.copied = 0;
    }
    const shops = shopsOf.get(pool) ?? [];
    const idsOf = (step: (typeof STEPS)[number]) => JSON.stringify(step.ids === "shops" ? shops : [pool]);
    const step = STEPS[row.table_index];
    if (step) {
      const { results } = await registry
        .prepare(`SELECT * FROM ${step.table} WHERE ${step.where} LIMIT ?2 OFFSET ?3`)
        .bind(idsOf(step), PAGE_ROWS, row.copied)
        .all<Record<string, SqlStorageValue>>();
      if (results.length > 0) await object.put(step.table, results);
      copied += results.length;
      pages++;
      const next =
        results.length < PAGE_ROWS ? { table_index: row.table_index + 1, copied: 0 } : { table_index: row.table_index, copied: row.copied + results.length };
      await registry
        .prepare("UPDATE data_plane_pools SET table_index = ?, copied = ?, updated_at = ? WHERE pool_id = ?")
        .bind(next.table_index, next.copied, now, pool)
        .run();
      continue;
    }
    // Every table copied: check each is whole in the object, switch the pool over, then free D1.
    for (const s of STEPS) {
      const ids = idsOf(s);
      const had = (await registry.prepare(`SELECT count(*) AS n FROM ${s.table} WHERE ${s.where}`).bind(ids).first<number>("n")) ?? 0;
      const has = await object.count(s.table, s.where, [ids]);
      if (has < had) {
        // Rows appeared behind the copy (they cannot while migrating; an old worker version could): copy again.
        console.error(`migrate-pools: ${pool}: ${s.table} has ${has} of ${had} rows in its object; copying it again`);
        await registry.prepare("UPDATE data_plane_pools SET table_index = 0, copied = 0, updated_at = ? WHERE pool_id = ?").bind(now, pool).run();
        pages++;
        break;
      }
    }
    const again = await registry.prepare("SELECT table_index FROM data_plane_pools WHERE pool_id = ?").bind(pool).first<number>("table_index");
    if (again === 0) continue;
    await registry.prepare("UPDATE data_plane_pools SET state = 'done', updated_at = ? WHERE pool_id = ?").bind(now, pool).run();
    for (const s of STEPS) {
      const res = await registry.prepare(`DELETE FROM ${s.table} WHERE ${s.where}`).bind(idsOf(s)).run();
      deleted += res.meta.changes ?? 0;
    }
  }
  const pools = await counts(registry);
  return { pools, copied, deleted, done: pools.d1 + pools.migrating === 0 };
}
