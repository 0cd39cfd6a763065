import { ApiError } from "../http/error";
import { forgetRecentShops } from "../http/shop";
import { SHOP_MOVED } from "./move";
import type { Mirror, Result, Statement } from "./store";
import { isWrite, mirroredWrites, sidesOf, targetOf } from "./tables";

type Value = SqlStorageValue;

/** D1 refuses `undefined` and stores booleans as 0/1: the pool client does the same. */
function toValue(v: unknown): Value {
  if (v === null || typeof v === "string" || typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof ArrayBuffer) return v;
  if (ArrayBuffer.isView(v)) return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
  throw new TypeError(`Type '${typeof v}' not supported for a bound value`);
}

const d1Result = (r: Result): D1Result & { columns: string[] } =>
  ({ results: r.results as Record<string, unknown>[], success: true, meta: { ...r.meta, size_after: 0 }, columns: r.columns }) as never;

/** Where a pool's statements run: its object, or D1 itself for a pool whose data has not been moved yet. */
export type PoolSide =
  | {
      id: string;
      /** Found in the isolate's memory, not the registry: may be stale (the object then refuses the shop's statements). */
      remembered?: boolean;
      object: { run(s: Statement[]): Promise<Result[]>; script(text: string): Promise<{ count: number; duration: number }>; mirror(m: Mirror): Promise<void> };
    }
  | { id: undefined; d1: true };

/** Where one database's statements go: the registry (D1), and a pool found at its first statement. */
export interface PoolRoute {
  registry: D1Database;
  /** The pool's side; throws (404, or 503 while it moves) when there is none to use. `fresh`: from the registry, not memory. */
  resolve(fresh?: boolean): Promise<PoolSide>;
  /** The registry's rows the pool's object keeps a copy of. */
  mirror(pool: string): Promise<Mirror>;
}

/** A statement of the data plane: D1's `D1PreparedStatement`, run where its tables live. */
class PlaneStatement {
  constructor(
    readonly db: PlaneDatabase,
    readonly sql: string,
    readonly params: Value[] = [],
  ) {}
  bind(...values: unknown[]): PlaneStatement {
    return new PlaneStatement(this.db, this.sql, values.map(toValue));
  }
  async first<T = unknown>(column?: string): Promise<T | null> {
    const [r] = await this.db.runAll([this]);
    const row = r?.results[0] as Record<string, unknown> | undefined;
    if (row === undefined) return null;
    if (column === undefined) return row as T;
    if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
    return row[column] as T;
  }
  async all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    const [r] = await this.db.runAll([this]);
    return r as D1Result<T>;
  }
  run<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.all<T>();
  }
  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const [r] = await this.db.runAll([this], true);
    const rows = (r?.results ?? []) as T[];
    return options?.columnNames ? [(r?.columns ?? []) as T, ...rows] : rows;
  }
}

/**
 * D1's `D1Database`, over the registry and one pool: each statement runs where the tables it names
 * live (./tables.ts), a batch in one transaction on each side (the registry's part first). Code
 * written against D1 runs unchanged; a pool's statements cost one local call into its object each,
 * as D1's do, and a batch is one call however long. The pool is looked up at its first statement,
 * so a request answered from memory touches no database. A change to a registry table the pool
 * copies refreshes the copy.
 */
export class PlaneDatabase {
  #side: Promise<PoolSide> | undefined;

  /** `over`: the plane a `fromMirror` view reads through (they share one pool lookup). */
  constructor(
    readonly route: PoolRoute,
    private readonly over?: PlaneDatabase,
  ) {}

  /** The pool's side, looked up once. */
  side(): Promise<PoolSide> {
    if (this.over) return this.over.side();
    this.#side ??= this.route.resolve();
    return this.#side;
  }

  /** The pool's side looked up again in the registry (the remembered one refused the shop). */
  private resolveFresh(): Promise<PoolSide> {
    if (this.over) return this.over.resolveFresh();
    this.#side = this.route.resolve(true);
    return this.#side;
  }

  /**
   * This plane, with reads of the registry rows its pool's object keeps a copy of (the pool's shops
   * and their channel rules, refreshed after every change to them) answered from that copy even
   * when alone: one call into the object instead of one to D1. For the public availability read's
   * shop row and a stock change's channels; never for a route that checks a secret or a key (those
   * read D1, so a rotation takes effect at once). A pool still on D1 reads D1, as before.
   */
  fromMirror(): PlaneDatabase {
    return new PlaneDatabase(this.route, this.over ?? this);
  }

  prepare(sql: string): PlaneStatement {
    return new PlaneStatement(this, sql);
  }

  async batch<T = unknown>(statements: PlaneStatement[]): Promise<D1Result<T>[]> {
    return (await this.runAll(statements)) as D1Result<T>[];
  }

  async exec(text: string): Promise<D1ExecResult> {
    const side = targetOf(text) === "pool" ? await this.side() : undefined;
    if (side === undefined || side.id === undefined) return this.route.registry.exec(text);
    return side.object.script(text);
  }

  withSession(): this {
    return this;
  }

  dump(): Promise<ArrayBuffer> {
    throw new Error("dump: not available on the pool data plane");
  }

  /** Runs statements in order, the registry's first and then the pool's, each side as one transaction. */
  async runAll(statements: PlaneStatement[], raw = false): Promise<(D1Result & { columns?: string[] })[]> {
    // The first statement of a request starts the pool's lookup beside it (a cold read: the shop's row
    // and its pool from D1 at once, then the pool's data), unless it has started already.
    this.side().catch(() => undefined);
    let targets = sidesOf(
      statements.map((s) => s.sql),
      this.over !== undefined,
    );
    const side = targets.includes("pool") ? await this.side() : undefined;
    // A pool not moved out of D1 yet: everything runs there, as before.
    if (side?.id === undefined) targets = targets.map(() => "registry");
    const out: (D1Result & { columns?: string[] })[] = new Array(statements.length);
    const registry = statements.flatMap((s, i) => (targets[i] === "registry" ? [[s, i] as const] : []));
    const pool = statements.flatMap((s, i) => (targets[i] === "pool" ? [[s, i] as const] : []));
    if (registry.length > 0) {
      const prepared = registry.map(([s]) => this.route.registry.prepare(s.sql).bind(...s.params));
      const [first] = prepared;
      if (raw && first && prepared.length === 1) {
        const [columns = [], ...rows] = await first.raw({ columnNames: true });
        out[(registry[0] as readonly [PlaneStatement, number])[1]] = { results: rows, success: true, meta: {}, columns } as never;
      } else {
        const results = first && prepared.length === 1 ? [await first.all()] : await this.route.registry.batch(prepared);
        registry.forEach(([, i], k) => {
          out[i] = results[k] as D1Result;
        });
      }
      if (registry.some(([s]) => isWrite(s.sql) && mirroredWrites(s.sql).length > 0)) {
        forgetRecentShops();
        await this.refreshMirror();
      }
    }
    if (pool.length > 0 && side?.id !== undefined) {
      const results = await this.runInPool(
        side,
        pool.map(([s]) => ({ sql: s.sql, params: s.params, raw })),
      );
      pool.forEach(([, i], k) => {
        out[i] = d1Result(results[k] as Result);
      });
    }
    return out;
  }

  /**
   * Runs statements in the pool's object. An object the shop has moved out of refuses them: when the
   * pool came from the isolate's memory, they are sent once more to the pool the registry names now;
   * otherwise (a request in flight during the move) the caller gets a 503 to retry.
   */
  private async runInPool(side: Extract<PoolSide, { id: string }>, statements: Statement[]): Promise<Result[]> {
    const moved = (e: unknown) => e instanceof Error && e.message.includes(SHOP_MOVED);
    try {
      return await side.object.run(statements);
    } catch (e) {
      if (!moved(e)) throw e;
      if (side.remembered) {
        const now = await this.resolveFresh();
        if (now.id !== undefined) return this.runInPool(now, statements);
      }
      throw new ApiError(503, SHOP_MOVED, "This shop has just moved to another stock pool; try again in a few seconds", { retryAfterSeconds: 5 });
    }
  }

  /** Sends the registry's current rows of this pool's shops to its object (when it has one). */
  async refreshMirror(): Promise<void> {
    let side: PoolSide;
    try {
      side = await this.side();
    } catch {
      return; // no pool (yet): nothing keeps a copy
    }
    if (side.id !== undefined) await side.object.mirror(await this.route.mirror(side.id));
  }
}
