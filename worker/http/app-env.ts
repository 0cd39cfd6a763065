import type { StaffScope } from "../contract";
import type { Shop } from "../db/shops";

/** The staff key a request came with: who holds it and what it may do. */
export interface StaffPrincipal {
  id: string;
  name: string;
  scopes: readonly StaffScope[];
}

/** What every route sees: the generated bindings, and the shop (and staff key) once a middleware has loaded them. */
export interface AppEnv {
  Bindings: Env;
  Variables: { shop: Shop; staff: StaffPrincipal };
}
