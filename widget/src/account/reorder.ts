import { addToCart, type CartLine, type ShopCart } from "./cart";
import type { ReorderQuote } from "./requests";

/**
 * A past order bought again: what goes into the shop's cart, and every line that does not, each
 * with its reason. Nothing of the order is dropped without being named.
 */

type Line = { sku: string; qty: number };

export interface ReorderPlan {
  /** Lines for the cart, at the quantity the edge says can be had now. */
  add: CartLine[];
  /** Lines the ERP no longer has. */
  gone: Line[];
  /** Lines short of stock: `qty` ordered then, `available` now (what goes in the cart, maybe 0). */
  short: Array<Line & { available: number }>;
  /** Lines the edge knows no platform id for (or the page has no cart it speaks): they cannot be added here. */
  notHere: Line[];
}

export interface ReorderOutcome {
  added: Line[];
  gone: Line[];
  short: Array<Line & { available: number }>;
  notHere: Line[];
  /** Lines the shop's cart refused, with its own words. */
  refused: Array<Line & { reason: string }>;
  /** The buyer's current unit price per SKU, from the quote. */
  prices: Record<string, string>;
  currency: string;
}

/**
 * The plan for a quote: a backorderable line goes in whole; any other line at most at what is
 * available now, the rest listed as short.
 *
 * @example
 * planReorder({ currency: "EUR", lines: [{ sku: "HOODIE-M", qty: 10, available: 2, status: "low_stock", variantId: "44" }], gone: [] }, true)
 * // → { add: [{ sku: "HOODIE-M", variantId: "44", qty: 2 }], short: [{ sku: "HOODIE-M", qty: 10, available: 2 }], gone: [], notHere: [] }
 */
export function planReorder(quote: ReorderQuote, hasCart: boolean): ReorderPlan {
  const plan: ReorderPlan = { add: [], gone: quote.gone.map((g) => ({ sku: g.sku, qty: g.qty })), short: [], notHere: [] };
  for (const l of quote.lines) {
    const qty = l.status === "backorder" ? l.qty : Math.min(l.qty, Math.max(0, l.available));
    if (qty < l.qty) plan.short.push({ sku: l.sku, qty: l.qty, available: qty });
    if (qty === 0) continue;
    if (l.variantId && hasCart) plan.add.push({ sku: l.sku, variantId: l.variantId, qty });
    else plan.notHere.push({ sku: l.sku, qty });
  }
  return plan;
}

/** Runs the plan against the page's cart (if any) and answers the whole outcome. */
export async function reorderInto(cart: ShopCart | undefined, quote: ReorderQuote, doFetch?: typeof fetch): Promise<ReorderOutcome> {
  const plan = planReorder(quote, cart !== undefined);
  const result = cart && plan.add.length > 0 ? await addToCart(cart, plan.add, doFetch) : { added: [], refused: [] };
  const prices: Record<string, string> = {};
  for (const l of quote.lines) if (l.unitPrice) prices[l.sku] = l.unitPrice;
  return { added: result.added, refused: result.refused, gone: plan.gone, short: plan.short, notHere: plan.notHere, prices, currency: quote.currency };
}
