import type { AvailabilityItem, StockStatus } from "../contract";
import { type ChannelLimit, channelAvailable, spreadOver } from "./channel-limit";

/** One warehouse's stock of one SKU, as the replica holds it. */
export interface WarehouseStock {
  code: string;
  name: string;
  onHand: number;
  committed: number;
  reserved: number;
  incoming: ReadonlyArray<{ qty: number; eta: string; ref?: string }>;
  updatedAt: number;
}

export interface StockRules {
  backorder: boolean;
  safetyStock: number;
  /** At or below this many (and above zero) the status is `low_stock`. */
  lowStockThreshold: number;
  /** The selling channel's buffer and cap, when it has rules (its warehouses are already the only ones given). */
  channel?: ChannelLimit;
}

/** Available to promise in one warehouse: on hand − committed − reserved at the edge − safety stock, never below zero. */
export const availableToPromise = (w: Pick<WarehouseStock, "onHand" | "committed" | "reserved">, safetyStock: number): number =>
  Math.max(0, w.onHand - w.committed - w.reserved - safetyStock);

/**
 * The two readings of one warehouse staff see side by side, neither clamped nor less safety stock:
 * `free` = on hand − committed − reserved at the edge (Odoo's `free_qty`); `forecast` = on hand −
 * max(committed, demand) − reserved at the edge + every open receipt (Odoo's `virtual_available`).
 * Without a `demand` figure the ERP's committed is all the demand known, so forecast = free + receipts.
 */
export function freeAndForecast(w: Pick<WarehouseStock, "onHand" | "committed" | "reserved" | "incoming"> & { demand?: number }): {
  free: number;
  forecast: number;
} {
  const free = w.onHand - w.committed - w.reserved;
  const receipts = w.incoming.reduce((sum, i) => sum + i.qty, 0);
  return { free, forecast: w.onHand - Math.max(w.committed, w.demand ?? 0) - w.reserved + receipts };
}

export function stockStatus(available: number, rules: Pick<StockRules, "backorder" | "lowStockThreshold">): StockStatus {
  if (available <= 0) return rules.backorder ? "backorder" : "out_of_stock";
  return available <= rules.lowStockThreshold ? "low_stock" : "in_stock";
}

/** The earliest incoming delivery due today or later, summing every PO due that same day. */
export function nextArrival(warehouses: ReadonlyArray<WarehouseStock>, today: string): { qty: number; eta: string } | undefined {
  let best: { qty: number; eta: string } | undefined;
  for (const w of warehouses) {
    for (const inc of w.incoming) {
      const day = inc.eta.slice(0, 10);
      if (day < today) continue;
      if (!best || day < best.eta) best = { qty: inc.qty, eta: day };
      else if (day === best.eta) best.qty += inc.qty;
    }
  }
  return best;
}

/**
 * The public availability of one SKU across its warehouses.
 *
 * @example
 * availability("TEE-M", [{ code: "BER", name: "Berlin", onHand: 5, committed: 1, reserved: 1, incoming: [], updatedAt }],
 *   { backorder: false, safetyStock: 0, lowStockThreshold: 5 }, "2026-11-23")
 * // → { sku: "TEE-M", available: 3, status: "low_stock", warehouses: [{ code: "BER", name: "Berlin", available: 3 }], ... }
 */
export function availability(sku: string, warehouses: ReadonlyArray<WarehouseStock>, rules: StockRules, today: string): AvailabilityItem {
  let perWarehouse = warehouses.map((w) => ({ code: w.code, name: w.name, available: availableToPromise(w, rules.safetyStock) }));
  let available = perWarehouse.reduce((sum, w) => sum + w.available, 0);
  if (rules.channel) {
    available = channelAvailable(
      available,
      warehouses.reduce((sum, w) => sum + Math.max(0, w.onHand), 0),
      rules.channel,
    );
    perWarehouse = spreadOver(perWarehouse, available);
  }
  const arrival = nextArrival(warehouses, today);
  const updatedAt = warehouses.reduce((max, w) => Math.max(max, w.updatedAt), 0);
  return {
    sku,
    available,
    status: stockStatus(available, rules),
    warehouses: perWarehouse,
    ...(arrival ? { nextArrival: arrival } : {}),
    updatedAt: new Date(updatedAt).toISOString(),
  };
}
