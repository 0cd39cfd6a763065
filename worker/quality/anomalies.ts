import { subtract } from "../domain/decimal";

/** Plain checks over the replica's rows: prices below cost, old prices, orders stuck in a status. */

export interface PriceRow {
  list: string;
  currency: string;
  sku: string;
  minQty: number;
  unitPrice: string;
  version: number;
}

export interface CostRow {
  sku: string;
  cost?: string;
  landedCost?: string;
  currency?: string;
}

/** A price under the product's landed cost (else its cost), in the same currency: a negative margin. */
export function pricesBelowCost(prices: readonly PriceRow[], costs: ReadonlyMap<string, CostRow>, shopCurrency: string) {
  const out: Array<PriceRow & { cost: string; margin: string }> = [];
  for (const p of prices) {
    const c = costs.get(p.sku);
    const cost = c?.landedCost ?? c?.cost;
    if (!c || cost === undefined || (c.currency ?? shopCurrency) !== p.currency) continue;
    const margin = subtract(p.unitPrice, cost);
    if (margin.startsWith("-")) out.push({ ...p, cost, margin });
  }
  return out;
}

/** Versions from 2001-09-09 on, in ms, read as the ERP's write time (what the push API suggests sending). */
const EPOCH_MS_FROM = 1e12;

/**
 * Price entries the ERP last wrote more than `days` ago. The edge learns a price's age from its
 * `version` when that is a time in ms (the push API's suggestion, and what the Odoo and ERPNext
 * connectors send); counters are left out, since they tell no age.
 */
export function stalePrices(prices: readonly PriceRow[], now: number, days: number) {
  const before = now - days * 86_400_000;
  return prices
    .filter((p) => p.version >= EPOCH_MS_FROM && p.version <= now + 86_400_000 && p.version < before)
    .map((p) => ({ ...p, ageDays: Math.floor((now - p.version) / 86_400_000) }));
}

export interface OrderState {
  orderRef: string;
  orderNumber?: string;
  status: string;
  at: number;
}

/** Statuses an order may rest in for good (many ERPs never report a delivery after shipping). */
const FINAL = new Set(["shipped", "delivered", "cancelled", "returned"]);
/** With fewer finished stays than this in a status, its usual time is not known: the fallback applies. */
const MIN_SAMPLES = 5;
/** How long an order may rest in a status whose usual time is unknown. */
export const FALLBACK_STUCK_MS = 3 * 86_400_000;

/**
 * How long orders usually stay in each status, from the stays that ended (the time from reaching a
 * status to reaching the next): twice the 90th percentile, at least an hour.
 */
export function usualStays(timeline: ReadonlyArray<{ orderRef: string; status: string; at: number }>): Map<string, number> {
  const byOrder = new Map<string, Array<{ status: string; at: number }>>();
  for (const t of timeline) byOrder.set(t.orderRef, [...(byOrder.get(t.orderRef) ?? []), t]);
  const stays = new Map<string, number[]>();
  for (const steps of byOrder.values()) {
    steps.sort((a, b) => a.at - b.at);
    for (let i = 0; i + 1 < steps.length; i++) {
      const s = steps[i];
      const next = steps[i + 1];
      if (s && next) stays.set(s.status, [...(stays.get(s.status) ?? []), next.at - s.at]);
    }
  }
  const out = new Map<string, number>();
  for (const [status, list] of stays) {
    if (list.length < MIN_SAMPLES) continue;
    list.sort((a, b) => a - b);
    const p90 = list[Math.min(list.length - 1, Math.floor(list.length * 0.9))] ?? 0;
    out.set(status, Math.max(3_600_000, 2 * p90));
  }
  return out;
}

/** Orders resting in a status that is not final longer than orders usually rest there. */
export function stuckOrders(orders: readonly OrderState[], usual: ReadonlyMap<string, number>, now: number) {
  return orders
    .filter((o) => !FINAL.has(o.status))
    .map((o) => ({ ...o, forMs: now - o.at, usualMs: usual.get(o.status) ?? FALLBACK_STUCK_MS }))
    .filter((o) => o.forMs > o.usualMs)
    .sort((a, b) => b.forMs - a.forMs);
}
