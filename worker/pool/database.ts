import type { Mirror, Result, Statement } from "./store";
import { isWrite, mirroredWrites, targetOf } from "./tables";

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

const d1Result = (r: Result): D1Result => ({ results: r.results as Record<string, unknown>[], success: true, meta: { ...r.meta, size_after: 0 } }) as D1Result;

/** Where one database's statements go: the registry (D1) and, once its pool is known, that pool's object. */
export interface PoolRoute {
  registry: D1Database;
  /** The pool's object; undefined when the request names no existing shop. */
  pool: { run(s: Statement[]): Promise<Result[]>; script(text: string): Promise<{ count: number; duration: number }> } | undefined;
  /** Reads the registry's rows for this pool, for its object's copy. */
  mirror(): Promise<Mirror> | undefined;
  poolId: string | undefined;
  push(m: Mirror): Promise<void>;
  /** Raised when pool data is asked for without a pool (a request for a shop that does not exist). */
  noPool(): Error;
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
    return options?.columnNames ? [(r as unknown as { columns: string[] }).columns as T, ...rows] : rows;
  }
}

/**
 * D1's `D1Database`, over the registry and one pool object: each statement runs where the tables
 * it names live (./tables.ts), a batch in one transaction on each side. Code written against D1
 * runs unchanged; statements of a pool cost one local call into its object each, as D1's do, and
 * a batch is one call however long. A change to a registry table the pool copies refreshes the copy.
 */
export class PlaneDatabase {
  constructor(readonly route: PoolRoute) {}

  prepare(sql: string): PlaneStatement {
    return new PlaneStatement(this, sql);
  }

  async batch<T = unknown>(statements: PlaneStatement[]): Promise<D1Result<T>[]> {
    return (await this.runAll(statements)) as D1Result<T>[];
  }

  async exec(text: string): Promise<D1ExecResult> {
    if (targetOf(text) === "registry") return this.route.registry.exec(text);
    const pool = this.route.pool;
    if (!pool) throw this.route.noPool();
    return pool.script(text);
  }

  withSession(): this {
    return this;
  }

  dump(): Promise<ArrayBuffer> {
    throw new Error("dump: not available on the pool data plane");
  }

  /** Runs statements in order, the registry's first and then the pool's, each side as one transaction. */
  async runAll(statements: PlaneStatement[], raw = false): Promise<(D1Result & { columns?: string[] })[]> {
    const targets = statements.map((s) => targetOf(s.sql));
    const out: (D1Result & { columns?: string[] })[] = new Array(statements.length);
    const registry = statements.flatMap((s, i) => (targets[i] === "registry" ? [[s, i] as const] : []));
    const pool = statements.flatMap((s, i) => (targets[i] === "pool" ? [[s, i] as const] : []));
    if (registry.length > 0) {
      const prepared = registry.map(([s]) => this.route.registry.prepare(s.sql).bind(...s.params));
      if (raw && prepared.length === 1) {
        const [columns = [], ...rows] = await (prepared[0] as D1PreparedStatement).raw({ columnNames: true });
        out[(registry[0] as readonly [PlaneStatement, number])[1]] = { results: rows, success: true, meta: {}, columns } as never;
      } else {
        const results = prepared.length === 1 ? [await (prepared[0] as D1PreparedStatement).all()] : await this.route.registry.batch(prepared);
        registry.forEach(([, i], k) => {
          out[i] = results[k] as D1Result;
        });
      }
      if (registry.some(([s]) => isWrite(s.sql) && mirroredWrites(s.sql).length > 0)) await this.refreshMirror();
    }
    if (pool.length > 0) {
      const object = this.route.pool;
      if (!object) throw this.route.noPool();
      const results = await object.run(pool.map(([s]) => ({ sql: s.sql, params: s.params, raw })));
      pool.forEach(([, i], k) => {
        const r = results[k] as Result;
        out[i] = Object.assign(d1Result(r), { columns: r.columns });
      });
    }
    return out;
  }

  /** Sends the registry's current rows of this pool's shops to its object. */
  async refreshMirror(): Promise<void> {
    const rows = this.route.mirror();
    if (rows) await this.route.push(await rows);
  }
}
