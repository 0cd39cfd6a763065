import { KNOWN, REGISTRY_TABLES } from "./tables";

/** ?1, a JSON array of ids, as a set. */
const IDS = "(SELECT value FROM json_each(?1))";

/**
 * Some shops' rows in each pool table, as a WHERE clause (?1: a JSON array of shop ids). Pool-wide
 * rows (demand and forecasts are the pool's, keyed by `pool_id`) stay with their pool; rate-limit
 * counters are minutes old and are not moved.
 */
const SPECIAL: Record<string, string | null> = {
  delivery_attempts: `delivery_id IN (SELECT id FROM deliveries WHERE shop_id IN ${IDS})`,
  demand_lines: null,
  forecasts: null,
  forecast_cursor: null,
  rate_limits: null,
};

/** Pool tables, children before the rows they hang on (attempts before their deliveries). */
export const SHOP_TABLES: readonly (readonly [table: string, where: string])[] = [...KNOWN]
  .filter((t) => !REGISTRY_TABLES.has(t) && SPECIAL[t] !== null)
  .sort((a, b) => (a === "delivery_attempts" ? -1 : b === "delivery_attempts" ? 1 : a.localeCompare(b)))
  .map((t) => [t, SPECIAL[t] ?? `shop_id IN ${IDS}`] as const);

/** Pool-wide tables (keyed by `pool_id`, ?1: a JSON array of pool ids): they belong to the pool object of that id. */
export const POOL_TABLES: readonly (readonly [table: string, where: string])[] = ["demand_lines", "forecasts", "forecast_cursor"].map(
  (t) => [t, `pool_id IN ${IDS}`] as const,
);

/** The message a write for a shop that moved away carries (the data plane answers it with 503 `shop_moved`). */
export const SHOP_MOVED = "shop_moved";

/** Rows per page when rows travel between databases (RPC answers stay far below their size limit). */
export const PAGE_ROWS = 500;

export type Row = Record<string, SqlStorageValue>;

/** `INSERT OR REPLACE` of rows into `table`: copying twice leaves one copy, so a move or a migration can simply run again. */
export function upsertStatements(table: string, rows: readonly Row[]): { sql: string; params: SqlStorageValue[] }[] {
  return rows.map((row) => {
    const cols = Object.keys(row);
    return { sql: `INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`, params: cols.map((c) => row[c] ?? null) };
  });
}
