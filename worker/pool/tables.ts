/**
 * Which database a statement belongs to. The global registry (D1) holds what every request needs
 * before it knows its pool, and what spans pools: shops, their channel rules (which pool a shop
 * sells from), staff keys, and which pools still keep their data in D1 (`data_plane_pools`).
 * Everything else is a pool's own data and lives in that pool's object.
 * `shops` and `channels` are mirrored into each pool object for the rows of its own shops, so pool
 * queries may still join them (availability reads a channel's rules); the registry stays their truth.
 */
export const REGISTRY_TABLES: ReadonlySet<string> = new Set(["shops", "channels", "staff_keys", "d1_migrations", "data_plane_pools"]);
/** Registry tables a pool object keeps a read-only copy of (its own shops' rows). */
export const MIRRORED_TABLES: ReadonlySet<string> = new Set(["shops", "channels"]);

const NAMED = /\b(?:from|join|into|update|(?:table|trigger|index|view)(?:\s+if\s+(?:not\s+)?exists)?)\s+"?([a-z_][a-z0-9_]*)"?(\s*\()?/gi;
/** The table a trigger fires on (`AFTER INSERT ON reservations ... BEGIN`). */
const TRIGGER_ON = /\bon\s+"?([a-z_][a-z0-9_]*)"?\s+(?:for\s+each\s+row\s+)?(?:when|begin)\b/gi;
/** A common table expression's name (`WITH picks AS (`, `, rest AS (`): not a table of either database. */
const CTE = /(?:\bwith(?:\s+recursive)?|,)\s+([a-z_][a-z0-9_]*)\s+as\s*\(/gi;
const WRITE = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|replace|create|drop|alter)\b/i;

export type Target = "registry" | "pool";

/**
 * The tables of each statement text seen so far: the texts are the code's own constants (values are
 * bound, never spliced), so a few hundred entries hold them all, and reading them again with the
 * patterns below was a fifth of a cold availability read's CPU. Bounded all the same.
 */
const seen = new Map<string, readonly string[]>();
const SEEN_MAX = 2_000;

/** Tables a statement names (CTE and function names pass through: only known tables are looked at). */
export function tablesOf(sql: string): readonly string[] {
  let tables = seen.get(sql);
  if (tables === undefined) {
    if (seen.size >= SEEN_MAX) seen.clear();
    tables = readTables(sql);
    seen.set(sql, tables);
  }
  return tables;
}

function readTables(sql: string): string[] {
  const ctes = new Set([...sql.matchAll(CTE)].map((m) => (m[1] ?? "").toLowerCase()));
  // A name followed by "(" is a table-valued function (json_each) or a column list (`INTO t (a, b)`); only the latter is a table.
  return [
    ...[...sql.matchAll(NAMED)].filter((m) => m[2] === undefined || !/^(?:from|join)$/i.test((m[0].match(/^\w+/) ?? [""])[0])),
    ...sql.matchAll(TRIGGER_ON),
  ]
    .map((m) => (m[1] ?? "").toLowerCase())
    .filter((t) => !ctes.has(t) && !KEYWORDS.has(t));
}

/** Words that follow FROM/JOIN/ON/... without being a table. */
const KEYWORDS = new Set(["select", "conflict", "values", "set", "the", "delete", "insert", "update", "each", "new", "old", "not", "exists", "if", "of"]);

/**
 * Where a statement runs: in the registry when it names registry tables only, otherwise in the
 * pool object (one naming no table at all: see `sidesOf`). A statement that writes a registry table while
 * naming pool data cannot run anywhere whole: it is a programming error, refused loudly.
 */
export function targetOf(sql: string): Target {
  const tables = tablesOf(sql);
  // Any other table is a pool's (including tables a migration or a test creates there).
  const pool = tables.some((t) => !REGISTRY_TABLES.has(t) && !t.startsWith("sqlite_") && !t.startsWith("pragma_"));
  const registryOnly = tables.some((t) => REGISTRY_TABLES.has(t) && !MIRRORED_TABLES.has(t));
  if (pool && registryOnly) throw new Error(`statement names registry and pool tables: ${sql.slice(0, 120)}`);
  if (pool && isWrite(sql) && tables.some((t) => MIRRORED_TABLES.has(t) && writes(sql, t)))
    throw new Error(`statement writes a registry table from pool data: ${sql.slice(0, 120)}`);
  return pool ? "pool" : "registry";
}

export const isWrite = (sql: string): boolean => WRITE.test(sql);
const writes = (sql: string, table: string): boolean => new RegExp(`\\b(?:into|update|delete\\s+from)\\s+"?${table}\\b`, "i").test(sql);

/**
 * Which side each statement of a batch runs on. A statement naming no table (`SELECT changes()`)
 * runs beside the one before it (or in the pool, alone); in a batch that touches the pool, reads
 * of the registry tables the pool keeps a copy of (a channel's rules) are read from that copy, so
 * the batch stays one call. `fromCopy`: such reads go to the copy even alone (see
 * `PlaneDatabase.fromMirror`).
 */
export function sidesOf(sqls: readonly string[], fromCopy = false): Target[] {
  const targets: Target[] = [];
  for (const sql of sqls) targets.push(tablesOf(sql).length === 0 ? (targets.at(-1) ?? "pool") : targetOf(sql));
  if (!targets.includes("pool") && !fromCopy) return targets;
  return targets.map((t, i) => {
    const sql = sqls[i] ?? "";
    const tables = tablesOf(sql);
    return t === "registry" && !isWrite(sql) && tables.length > 0 && tables.every((n) => MIRRORED_TABLES.has(n)) ? "pool" : t;
  });
}

/** Registry tables a statement writes (to refresh the pools' mirrors after it). */
export const mirroredWrites = (sql: string): string[] => [...MIRRORED_TABLES].filter((t) => writes(sql, t));

/** Every table of the schema: what a shop's move and `npm run migrate-pools` copy from (kept in step with worker/migrations by test/unit/pool-tables.unit.test.ts). */
export const KNOWN: ReadonlySet<string> = new Set([
  "account_returns",
  "audit_log",
  "back_in_stock_settings",
  "back_in_stock_subscriptions",
  "back_in_stock_webhooks",
  "channels",
  "connector_cursors",
  "connector_errors",
  "connector_runs",
  "connector_settings",
  "customers",
  "d1_migrations",
  "data_plane_pools",
  "deliveries",
  "delivery_attempts",
  "demand_cursor",
  "demand_lines",
  "forecast_cursor",
  "forecasts",
  "invoices",
  "kit_components",
  "order_inbox",
  "order_timeline",
  "orders",
  "platform_catalogue",
  "platform_catalogue_reads",
  "platform_ids",
  "platform_stock",
  "platform_stock_dirty",
  "platform_stock_items",
  "price_lists",
  "prices",
  "product_sales",
  "products",
  "rate_limits",
  "reservations",
  "shop_order_settings",
  "shop_orders",
  "shops",
  "sku_aliases",
  "staff_keys",
  "staff_sku_aliases",
  "stock",
  "stock_history",
  "sync_log",
  "warehouses",
  "webhook_receipts",
]);
