import { z } from "zod";
import type { ReorderQuote } from "../contract";
import { loadAvailability } from "../db/availability";
import { loadListPrices } from "../db/prices";
import type { Shop } from "../db/shops";
import { ApiError } from "../http/error";
import type { Buyer } from "./buyer";
import { buyerOrder } from "./orders";

/** The best break of a list for a quantity: the largest `minQty` it reaches (breaks come lowest first). */
const priceFor = (breaks: ReadonlyArray<{ minQty: number; unitPrice: string }> | undefined, qty: number): string | undefined =>
  breaks?.filter((b) => b.minQty <= qty).at(-1)?.unitPrice;

/**
 * One of the buyer's past orders as it could be bought again now: each line with today's
 * availability, the buyer's current price and the platform's id the shop's own cart takes (the
 * variant's; a WooCommerce simple product's own id);
 * lines whose SKU the ERP no longer has are listed under `gone`.
 */
export async function reorderQuote(db: D1Database, shop: Shop, buyer: Buyer, orderRef: string, now: Date): Promise<ReorderQuote> {
  const order = await buyerOrder(db, shop.id, buyer, orderRef);
  if (!order) throw new ApiError(404, "order_not_found", "No such order in this account");
  const skus = [...new Set(order.lines.map((l) => l.sku))].slice(0, 100);
  const [items, prices, ids] = await Promise.all([
    loadAvailability(db, shop.id, skus, shop.lowStockThreshold, now),
    loadListPrices(db, shop.id, buyer.priceList, skus),
    db
      .prepare(
        // The variant's id, else the product's (a WooCommerce simple product has no variation): the
        // last row per SKU wins, so variants come last, and the newest of each kind.
        `SELECT value, platform_id FROM platform_ids WHERE shop_id = ? AND kind IN ('variant', 'product')
         AND value IN (SELECT value FROM json_each(?)) ORDER BY kind = 'variant', updated_at`,
      )
      .bind(shop.id, JSON.stringify(skus))
      .all(),
  ]);
  const available = new Map(items.map((i) => [i.sku, i]));
  const variant = new Map(ids.results.map((raw) => z.object({ value: z.string(), platform_id: z.string() }).parse(raw)).map((r) => [r.value, r.platform_id]));
  const quote: ReorderQuote = { currency: buyer.currency, lines: [], gone: [] };
  for (const line of order.lines) {
    const item = available.get(line.sku);
    if (!item) {
      quote.gone.push({ sku: line.sku, qty: line.qty });
      continue;
    }
    const unitPrice = priceFor(prices.get(line.sku)?.breaks, line.qty);
    const variantId = variant.get(line.sku);
    quote.lines.push({
      sku: line.sku,
      qty: line.qty,
      available: item.available,
      status: item.status,
      ...(unitPrice ? { unitPrice } : {}),
      ...(variantId ? { variantId } : {}),
    });
  }
  return quote;
}
