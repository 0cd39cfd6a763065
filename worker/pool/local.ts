import { PlaneDatabase } from "./database";
import { registryRows } from "./plane";
import type { Mirror, Result, Statement } from "./store";

/** What a pool object offers its own code: its statements, scripts and registry copy, as local calls. */
export interface LocalPool {
  run(statements: Statement[]): Result[];
  script(text: string): { count: number; duration: number };
  mirror(rows: Mirror): void;
}

const noRegistry = (): never => {
  throw new Error("inside a pool object: registry statements are not available here");
};

/**
 * The pool's data as a `D1Database`, for code running inside the pool's own object: every statement
 * on the pool's tables is a local call into the object's SQLite (a shop the object has sealed is
 * refused as on every other path).
 * - Without `registry` (a stock change's fan-out to its sockets): the registry's shop and channel rows
 *   are read from the object's copy of them, and a statement that needs the registry itself is refused.
 * - With `registry` (the cron's tick, `./tick.ts`): the registry's statements go to D1 from the object,
 *   and a change to the rows the object copies refreshes its copy of pool `registry.pool`.
 */
export function localPlane(local: LocalPool, registry?: { db: D1Database; pool: string }): D1Database {
  const object = {
    run: async (statements: Statement[]) => local.run(statements),
    script: async (text: string) => local.script(text),
    mirror: async (rows: Mirror) => local.mirror(rows),
  };
  if (registry) {
    const db = new PlaneDatabase({
      registry: registry.db,
      resolve: async () => ({ id: registry.pool, object }),
      mirror: (id) => registryRows(registry.db, id),
    });
    return db as unknown as D1Database;
  }
  const db = new PlaneDatabase({
    registry: { prepare: noRegistry, batch: noRegistry, exec: noRegistry } as unknown as D1Database,
    // Any id: it only tells a pool object's side from D1's, and nothing here writes the registry.
    resolve: async () => ({ id: "local", object }),
    mirror: noRegistry,
  });
  return db.fromMirror() as unknown as D1Database;
}
