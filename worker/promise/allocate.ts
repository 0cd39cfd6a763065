/**
 * The one allocator: how a quantity of a SKU (or of a kit) is taken from the warehouses a channel may
 * sell from. The reservation write (reserve.ts) runs its plan with conditional writes; the promise
 * engine (worker/promise/) runs the same plan against what it reads, so what the promise says ships
 * now is what an order placed now would take.
 */

/** One warehouse's reading of what can be taken now. */
export interface AllocationRow {
  warehouse: string;
  /** Available now (may be negative: more is committed and reserved than on hand). */
  available: number;
}

/** Warehouses in allocation order: the shop's priority first, then the most available. */
export function allocationOrder<T extends AllocationRow>(rows: readonly T[], priority: readonly string[]): T[] {
  const rank = (w: string) => {
    const i = priority.indexOf(w);
    return i === -1 ? priority.length : i;
  };
  return [...rows].sort((a, b) => rank(a.warehouse) - rank(b.warehouse) || b.available - a.available || (a.warehouse < b.warehouse ? -1 : 1));
}

export interface AllocationPlan {
  /** What to take, warehouse by warehouse, in the order to take it. */
  takes: Array<{ warehouse: string; qty: number }>;
  /** What the plan could not take now (the caller backorders it or leaves it short). */
  rest: number;
  /** Where a backorder is held: the first warehouse in allocation order (undefined: no stock row at all). */
  backorderWarehouse: string | undefined;
}

/**
 * Plans taking `need` units: warehouses in allocation order, each as much as it has available, never
 * more than `left` in all (what the channel's buffer and cap leave it, see channel-limit.ts), and
 * each take a whole multiple of `step` (a case pack in stock units; 1 for loose units).
 *
 * @example
 * planAllocation([{ warehouse: "HAM", available: 8 }, { warehouse: "BER", available: 3 }], 10, ["BER"], 10)
 * // → { takes: [{ warehouse: "BER", qty: 3 }, { warehouse: "HAM", qty: 7 }], rest: 0, backorderWarehouse: "BER" }
 */
export function planAllocation(rows: readonly AllocationRow[], need: number, priority: readonly string[], left: number, step = 1): AllocationPlan {
  const ordered = allocationOrder(rows, priority);
  const takes: AllocationPlan["takes"] = [];
  let rest = need;
  let room = left;
  for (const w of ordered) {
    if (rest <= 0 || room <= 0) break;
    if (w.available <= 0) continue;
    const take = Math.floor(Math.min(rest, w.available, room) / step) * step;
    if (take <= 0) continue;
    takes.push({ warehouse: w.warehouse, qty: take });
    rest -= take;
    room -= take;
  }
  return { takes, rest, backorderWarehouse: ordered[0]?.warehouse };
}
