import type { AvailabilityItem } from "../contract";
import { stockStatus } from "../domain/availability";
import { promiseCart } from "../promise/engine";
import { formatDecimal, fromInteger, wholeSteps } from "../promise/quantity";
import type { ProductSales, SalesRule } from "../promise/sales-unit";
import { loadPromiseSnapshot } from "./promise-snapshot";

/** More than any cart asks for: the promise of everything a SKU has now. */
const EVERYTHING = 1_000_000_000;

/** Whole sales units in `stock` stock units (the public availability counts whole units). */
const whole = (stock: number, rule: SalesRule): number => (stock <= 0 ? 0 : Number(wholeSteps(fromInteger(stock), rule.factor)));

const ONE = "1";

/** The sales unit and quantity rule a widget shows beside the figures: only what differs from loose units in ones. */
function salesTerms(rule: SalesRule): Pick<AvailabilityItem, "unit" | "rule"> {
  const min = formatDecimal(rule.min);
  const increment = formatDecimal(rule.increment);
  return {
    ...(rule.unit ? { unit: { name: rule.unit, factor: formatDecimal(rule.factor) } } : {}),
    ...(min !== ONE || increment !== ONE ? { rule: { min, increment } } : {}),
  };
}

/**
 * The public availability in each product's sales unit (issue 12): a case pack counts whole cases, a
 * kit what its components make per warehouse (the promise engine's "now", so the channel's rules and
 * the warehouse priority apply as to an order), with its first dated kits as the next arrival; both
 * name their sales unit and quantity rule when they have one (the widget shows them). A
 * product without a sales row is left exactly as it was, at no query; a kit costs one (its promise snapshot).
 */
export async function inSalesUnits(
  db: D1Database,
  shop: string,
  items: ReadonlyArray<{ sku: string; item: AvailabilityItem; sales: ProductSales | undefined }>,
  lowStockThreshold: number,
  today: string,
): Promise<AvailabilityItem[]> {
  const sales = new Map(items.flatMap((i) => (i.sales ? [[i.sku, i.sales] as const] : [])));
  if (sales.size === 0) return items.map((i) => i.item);
  const kits = items.filter((i) => sales.get(i.sku)?.components);
  const snapshot =
    kits.length > 0
      ? await loadPromiseSnapshot(
          db,
          shop,
          kits.map((k) => k.sku),
          today,
        )
      : undefined;
  return items.map(({ sku, item }) => {
    const s = sales.get(sku);
    if (!s) return item;
    if (!s.components || !snapshot) {
      const warehouses = item.warehouses.map((w) => ({ ...w, available: whole(w.available, s.rule) }));
      const available = whole(item.available, s.rule);
      return {
        ...item,
        available,
        status: stockStatus(available, { backorder: item.status === "backorder", lowStockThreshold }),
        warehouses,
        ...(item.nextArrival ? { nextArrival: { ...item.nextArrival, qty: whole(item.nextArrival.qty, s.rule) } } : {}),
        ...salesTerms(s.rule),
      };
    }
    const [line] = promiseCart(snapshot.state, [{ sku, qty: EVERYTHING }]);
    const perWarehouse = new Map<string, number>();
    for (const p of line?.now ?? []) perWarehouse.set(p.warehouse, (perWarehouse.get(p.warehouse) ?? 0) + p.qty);
    const warehouses = [...perWarehouse].map(([code, n]) => ({ code, name: snapshot.warehouseNames.get(code) ?? code, available: whole(n, s.rule) }));
    const available = warehouses.reduce((n, w) => n + w.available, 0);
    const first = line?.dated[0];
    const { nextArrival: _, ...rest } = item;
    return {
      ...rest,
      available,
      status: stockStatus(available, { backorder: line?.backorder ?? false, lowStockThreshold }),
      warehouses,
      ...(first ? { nextArrival: { qty: whole(first.qty, s.rule), eta: first.date } } : {}),
      ...salesTerms(s.rule),
    };
  });
}
