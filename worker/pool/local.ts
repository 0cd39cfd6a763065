import { PlaneDatabase } from "./database";
import type { Mirror, Result, Statement } from "./store";

/** What a pool object offers its own code: its statements, scripts and registry copy, as local calls. */
interface Local {
  run(statements: Statement[]): Result[];
  script(text: string): { count: number; duration: number };
  mirror(rows: Mirror): void;
}

const noRegistry = (): never => {
  throw new Error("inside a pool object: registry statements are not available here");
};

/**
 * The pool's data as a `D1Database`, for code running inside the pool's own object (a stock change's
 * fan-out to its sockets): every statement is a local call into the object's SQLite, the registry's
 * shop and channel rows are read from the object's copy of them, and a statement that needs the
 * registry itself is refused.
 */
export function localPlane(local: Local): D1Database {
  const registry = { prepare: noRegistry, batch: noRegistry, exec: noRegistry } as unknown as D1Database;
  const db = new PlaneDatabase({
    registry,
    resolve: async () => ({
      // Any id: it only tells a pool object's side from D1's, and nothing here writes the registry.
      id: "local",
      object: {
        run: async (statements) => local.run(statements),
        script: async (text) => local.script(text),
        mirror: async (rows) => local.mirror(rows),
      },
    }),
    mirror: noRegistry,
  });
  return db.fromMirror() as unknown as D1Database;
}
