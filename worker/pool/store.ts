import { DurableObject } from "cloudflare:workers";
import type { AvailabilityItem, StaffLiveMessage } from "../contract";
import { type FanOutChannel, fanOut, fanOutPool } from "./fan-out";
import { localPlane } from "./local";
import { type Row, SHOP_MOVED, upsertStatements } from "./move";
import { MIGRATIONS } from "./schema";
import { PoolSockets } from "./sockets";

/** One statement as it crosses into the pool object. */
export interface Statement {
  sql: string;
  params: SqlStorageValue[];
  /** `raw`: rows as arrays (D1's `.raw()`); otherwise rows as objects. */
  raw?: boolean;
}

/** D1's result shape, so code written against D1 reads a pool's answers unchanged. */
export interface Result {
  results: unknown[];
  columns: string[];
  meta: { changes: number; last_row_id: number; rows_read: number; rows_written: number; duration: number; changed_db: boolean };
}

const SEALED = "sealed:";

/** Row changes, for `meta.changes`: the statement may be a SELECT, whose `changes()` would be the last write's. */
const WRITES = /^\s*(?:with\b[\s\S]*?\)\s*)?(?:insert|update|delete|replace)\b/i;

function execute(sql: SqlStorage, s: Statement): Result {
  const started = performance.now();
  const cursor = sql.exec(s.sql, ...s.params);
  const results = s.raw ? [...cursor.raw()] : cursor.toArray();
  const write = WRITES.test(s.sql);
  const after = write ? sql.exec<{ c: number; r: number }>("SELECT changes() AS c, last_insert_rowid() AS r").one() : { c: 0, r: 0 };
  return {
    results,
    columns: cursor.columnNames,
    meta: {
      changes: after.c,
      last_row_id: after.r,
      rows_read: cursor.rowsRead,
      rows_written: cursor.rowsWritten,
      duration: performance.now() - started,
      changed_db: cursor.rowsWritten > 0,
    },
  };
}

/** Applies the migrations this object has not run yet, each in its own transaction, then `PRAGMA optimize`. */
function migrate(storage: DurableObjectStorage): void {
  const sql = storage.sql;
  sql.exec("CREATE TABLE IF NOT EXISTS pool_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
  const done = new Set(
    sql
      .exec<{ name: string }>("SELECT name FROM pool_migrations")
      .toArray()
      .map((r) => r.name),
  );
  const due = MIGRATIONS.filter(([name]) => !done.has(name));
  for (const [name, text] of due)
    storage.transactionSync(() => {
      sql.exec(text);
      sql.exec("INSERT INTO pool_migrations (name, applied_at) VALUES (?, ?)", name, Date.now());
    });
  // New tables or indexes: fresh planner statistics, as after D1's migrations (the cron repeats it).
  if (due.length > 0) sql.exec("PRAGMA optimize");
}

/** Registry rows a pool keeps a copy of: its shops and their channel rules (see ./tables.ts). */
export interface Mirror {
  shops: Record<string, SqlStorageValue>[];
  channels: Record<string, SqlStorageValue>[];
}

/**
 * One per stock pool (a shop on its own is a pool of one): owns the pool's data in its own SQLite
 * (the replica, the reservation ledger, orders, deliveries, customers, prices...). Every call is one
 * local transaction in a single-threaded object, so a reservation or an ingest chunk is atomic by
 * construction and no statement crosses the network once inside. It also holds the live sockets
 * of the pool's shops (./sockets.ts), whether the pool's data is here or still in D1.
 */
export class PoolStore extends DurableObject<Env> {
  /** Shops moved out of this pool: a statement for them is refused (see `seal`), and so is a new socket. */
  #sealed = new Set<string>();
  readonly #sockets: PoolSockets;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sockets = new PoolSockets(ctx);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage);
      this.#sealed = new Set([...(await ctx.storage.list<boolean>({ prefix: SEALED })).keys()].map((k) => k.slice(SEALED.length)));
    });
  }

  /** Statements run in order as one transaction (D1's `batch`): all of them, or none. */
  run(statements: Statement[]): Result[] {
    if (this.#sealed.size > 0)
      for (const s of statements) {
        const moved = s.params.find((p) => typeof p === "string" && this.#sealed.has(p));
        if (moved !== undefined) throw new Error(`${SHOP_MOVED}: ${String(moved)}`);
      }
    const sql = this.ctx.storage.sql;
    if (statements.length === 1) return [execute(sql, statements[0] as Statement)];
    return this.ctx.storage.transactionSync(() => statements.map((s) => execute(sql, s)));
  }

  /** A script of statements separated by semicolons (D1's `exec`). */
  script(text: string): { count: number; duration: number } {
    const started = performance.now();
    this.ctx.storage.transactionSync(() => this.ctx.storage.sql.exec(text));
    return { count: text.split(";").filter((s) => s.trim()).length, duration: performance.now() - started };
  }

  /** Replaces the copy of the registry's rows for this pool (after any change to them). */
  mirror(rows: Mirror): void {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec("DELETE FROM shops");
      sql.exec("DELETE FROM channels");
      for (const [table, list] of [["shops", rows.shops] as const, ["channels", rows.channels] as const])
        for (const row of list) {
          const cols = Object.keys(row);
          sql.exec(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`, ...cols.map((c) => row[c] ?? null));
        }
    });
  }

  /** A page of rows of `table` matching `where` (bound to `params`), for moving them to another database. */
  page(table: string, where: string, params: SqlStorageValue[], offset: number, limit: number): Row[] {
    return this.ctx.storage.sql.exec<Row>(`SELECT * FROM ${table} WHERE ${where} LIMIT ? OFFSET ?`, ...params, limit, offset).toArray();
  }

  /** Rows of `table` matching `where`: to check a copy is whole. */
  count(table: string, where: string, params: SqlStorageValue[]): number {
    return Number(this.ctx.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, ...params).one().n);
  }

  /** Stores rows (`INSERT OR REPLACE`, so a page sent twice is stored once). */
  put(table: string, rows: Row[]): number {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      for (const s of upsertStatements(table, rows)) sql.exec(s.sql, ...s.params);
    });
    return rows.length;
  }

  /** Deletes the rows of `table` matching `where` (after they were copied elsewhere). */
  remove(table: string, where: string, params: SqlStorageValue[]): number {
    const sql = this.ctx.storage.sql;
    return this.ctx.storage.transactionSync(() => {
      sql.exec(`DELETE FROM ${table} WHERE ${where}`, ...params);
      return Number(sql.exec<{ c: number }>("SELECT changes() AS c").one().c);
    });
  }

  /**
   * From now on this object refuses any statement for `shop` (one that binds the shop's id): the shop
   * has moved to another pool, so a request that found this object before the move (or remembered
   * it, ./plane.ts) must neither leave a row behind that nobody reads nor read rows being deleted.
   * The plane sends a remembered pool's statements again to the new pool; a request in flight during
   * the move fails with a 503 and is retried (platforms and ERPs retry), reaching the new pool.
   */
  async seal(shop: string): Promise<void> {
    await this.ctx.storage.put(`${SEALED}${shop}`, true);
    this.#sealed.add(shop);
  }

  /** The shop (back) in this pool: its writes are taken again. */
  async unseal(shop: string): Promise<void> {
    await this.ctx.storage.delete(`${SEALED}${shop}`);
    this.#sealed.delete(shop);
  }

  /** Bytes this pool's SQLite holds (the figure Cloudflare's per-object storage limit applies to). */
  size(): number {
    return this.ctx.storage.sql.databaseSize;
  }

  /** A live socket of one of the pool's shops (the worker's live routes name the shop in a header). */
  override fetch(request: Request): Promise<Response> {
    return this.#sockets.accept(request, (shop) => this.#sealed.has(shop));
  }

  issueStaffTicket(shop: string, now: number): Promise<{ ticket: string; expiresAt: number }> {
    return this.#sockets.issueStaffTicket(shop, now);
  }

  notifyStaff(shop: string, message: StaffLiveMessage): number {
    return this.#sockets.notifyStaff(shop, message);
  }

  audience(shop: string): { widgets: number; staff: number } {
    return this.#sockets.audience(shop);
  }

  publish(shop: string, items: AvailabilityItem[]): number {
    return this.#sockets.publish(shop, items);
  }

  /** A stock change's fan-out to one channel's sockets, read and sent here in one call (../hub/publish.ts). */
  fanOut(channel: FanOutChannel, skus: string[]): Promise<void> {
    return fanOut(this.#sockets, localPlane(this), channel, skus);
  }

  /** The same for every channel of the pool, found in this object's copy of the registry rows; answers the channels told. */
  fanOutPool(shop: string, skus: string[]): Promise<string[] | undefined> {
    return fanOutPool(this.#sockets, localPlane(this), shop, skus);
  }

  watchedSkus(shop: string): string[] {
    return this.#sockets.watchedSkus(shop);
  }

  connections(shop: string): number {
    return this.#sockets.connections(shop);
  }

  /** The shop moved to another pool: its sockets here close (1012) and reconnect there. */
  closeSockets(shop: string): Promise<number> {
    return this.#sockets.closeShop(shop);
  }

  override webSocketMessage(): void {
    // Clients only listen; "ping" is answered by the auto-response without waking this object.
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.#sockets.closed(ws, code, reason);
  }
}
