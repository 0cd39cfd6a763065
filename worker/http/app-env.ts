import type { Shop } from "../db/shops";

/** What every route sees: the generated bindings, and the shop once a middleware has loaded it. */
export interface AppEnv {
  Bindings: Env;
  Variables: { shop: Shop };
}
