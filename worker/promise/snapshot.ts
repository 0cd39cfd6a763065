import type { PromiseState } from "./engine";
import type { ProductSales } from "./sales-unit";

/** What the promise of a cart is answered from (read by worker/db/promise-snapshot.ts). */
export interface PromiseSnapshot {
  state: PromiseState;
  /** Asked name → the pool's SKU (unknown names map to themselves). */
  resolved: Map<string, string>;
  /** Resolved SKU → how it sells (absent: plain). */
  sales: Map<string, ProductSales>;
  /** SKUs the pool knows (a product row or a stock row). */
  known: Set<string>;
  /** Warehouse code → name. */
  warehouseNames: Map<string, string>;
}
