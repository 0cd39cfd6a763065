import { fromInteger } from "./quantity";
import { type ProductSales, stockStep, toStockUnits } from "./sales-unit";

/** A kit line as the reservation takes it: `kits` kits, each taking its components' quantities. */
export interface KitLine {
  lineId: string;
  sku: string;
  kits: number;
  components: ReadonlyArray<{ sku: string; qty: number }>;
}

/** One SKU an order line takes, in stock units. A kit line becomes one entry per component. */
export interface StockEntry {
  lineId: string;
  sku: string;
  qty: number;
  /** The case pack a warehouse hands out whole (stock units). */
  step: number;
  kit?: KitLine;
}

/** The reservation line id of a kit's component: the order line's id and the component's SKU. */
export const componentLineId = (lineId: string, sku: string): string => `${lineId}#${sku}`;

/**
 * An order's lines (quantities in the shop's sales unit, as the platform sends them) as the stock
 * entries the reservation takes: a case of 12 is 12 stock units, a kit is its components.
 */
export function stockEntries(lines: ReadonlyArray<{ lineId: string; sku: string; qty: number }>, sales: ReadonlyMap<string, ProductSales>): StockEntry[] {
  return lines.flatMap((l) => {
    const s = sales.get(l.sku);
    if (!s) return [{ lineId: l.lineId, sku: l.sku, qty: l.qty, step: 1 }];
    const qty = toStockUnits(fromInteger(l.qty), s.rule);
    if (!s.components) return [{ lineId: l.lineId, sku: l.sku, qty, step: stockStep(s.rule) }];
    const kit: KitLine = { lineId: l.lineId, sku: l.sku, kits: qty, components: s.components };
    return s.components.map((c) => ({ lineId: componentLineId(l.lineId, c.sku), sku: c.sku, qty: qty * c.qty, step: 1, kit }));
  });
}
