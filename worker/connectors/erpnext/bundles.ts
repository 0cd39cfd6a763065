import type { ProductRow } from "../../contract";
import { decimalText } from "../decimal-text";
import { fail, type Mapped } from "../mapped";
import type { ErpDoc, ErpNextClient } from "./client";
import { frappeTime, num, str } from "./map";

/**
 * How ERPNext items sell (issue 12). A **Product Bundle** (`new_item_code`, labelled "Parent Item":
 * the item sold, itself not a stock item; child table `items` of "Product Bundle Item" with
 * `item_code` and `qty` in the component's stock UOM) → the item's kit components. An item's
 * **sales UOM** (`sales_uom`) with its row in the item's `uoms` table ("UOM Conversion Detail":
 * `uom`, `conversion_factor` = stock units in one of it) → the sales unit, so a Box of 12 sells in
 * boxes. `min_order_qty` is not taken: ERPNext keeps it on the Purchasing tab ("Minimum quantity
 * should be as per Stock UOM"), a purchase minimum, not a sales one.
 * Child tables come only with the whole document, so bundles and items with a sales UOM are read one by one.
 */

type SalesUnit = NonNullable<ProductRow["salesUnit"]>;

/** An item's units: its stock UOM and, when it sells in another one, that sales unit. */
export interface ItemUnits {
  stockUom: string | undefined;
  sales: SalesUnit | undefined;
}

/** The sales unit of an Item document (read whole, with `uoms`); undefined when it sells in its stock UOM. */
export function salesUnitOf(item: ErpDoc): SalesUnit | undefined {
  const sales = str(item.sales_uom);
  if (!sales || sales === str(item.stock_uom)) return undefined;
  const rows = Array.isArray(item.uoms) ? item.uoms : [];
  const row = rows.find((r) => typeof r === "object" && r !== null && Reflect.get(r, "uom") === sales);
  const factor = decimalText(num(row ? Reflect.get(row, "conversion_factor") : undefined) ?? 0);
  return factor ? { name: sales.slice(0, 32), factor } : undefined;
}

/** A Product Bundle document → the components of one bundle, or why it cannot be sold as a kit. */
export function bundleComponents(bundle: ErpDoc): Mapped<Array<{ sku: string; qty: number }>> {
  const ref = `Product Bundle/${str(bundle.name) ?? "?"}`;
  const rows = Array.isArray(bundle.items) ? bundle.items : [];
  const out = new Map<string, number>();
  for (const r of rows) {
    if (typeof r !== "object" || r === null) continue;
    const sku = str(Reflect.get(r, "item_code"));
    const qty = num(Reflect.get(r, "qty")) ?? 0;
    if (!sku || qty <= 0) continue;
    out.set(sku, (out.get(sku) ?? 0) + qty);
  }
  const components = [...out].map(([sku, qty]) => ({ sku, qty }));
  const part = components.find((c) => !Number.isInteger(Number(c.qty.toFixed(6))));
  if (part) return fail(ref, "kit_component_fraction", `One bundle takes ${part.qty} of ${part.sku}: the edge counts components in whole stock units`);
  if (components.length === 0) return fail(ref, "kit_no_components", "The bundle has no items");
  return { ok: true, row: components.map((c) => ({ sku: c.sku, qty: Math.round(c.qty) })) };
}

/** Units of the given item codes: one list call, and a read of each item that sells in another UOM. */
export async function itemUnits(client: ErpNextClient, codes: readonly string[]): Promise<Map<string, ItemUnits>> {
  const out = new Map<string, ItemUnits>();
  if (codes.length === 0) return out;
  const items = await client.list("Item", { fields: ["name", "stock_uom", "sales_uom"], filters: [["name", "in", [...codes]]], pageLength: codes.length });
  for (const i of items) {
    const name = str(i.name);
    if (!name) continue;
    const other = str(i.sales_uom) !== undefined && str(i.sales_uom) !== str(i.stock_uom);
    out.set(name, { stockUom: str(i.stock_uom), sales: other ? salesUnitOf(await client.get("Item", name)) : undefined });
  }
  return out;
}

type Bundle = Mapped<Array<{ sku: string; qty: number }>> & { modified?: number };

/** The bundles whose parent is one of `codes`: parent item code → its components (or why not) and when the bundle changed. */
export async function bundlesOf(client: ErpNextClient, codes: readonly string[]): Promise<Map<string, Bundle>> {
  const out = new Map<string, Bundle>();
  if (codes.length === 0) return out;
  const found = await client.list("Product Bundle", {
    fields: ["name", "new_item_code"],
    filters: [["new_item_code", "in", [...codes]]],
    pageLength: codes.length,
  });
  for (const b of found) {
    const parent = str(b.new_item_code);
    const name = str(b.name);
    if (!parent || !name) continue;
    const doc = await client.get("Product Bundle", name);
    out.set(parent, { ...bundleComponents(doc), modified: frappeTime(doc.modified) });
  }
  return out;
}

/** Item rows with their bundle's components and their sales unit; a bundle that cannot be mapped keeps the row out. */
export async function withSales(client: ErpNextClient, mapped: ReadonlyArray<Mapped<ProductRow>>): Promise<Array<Mapped<ProductRow>>> {
  const codes = mapped.flatMap((m) => (m.ok ? [m.row.sku] : []));
  const [units, bundles] = await Promise.all([itemUnits(client, codes), bundlesOf(client, codes)]);
  return mapped.map((m): Mapped<ProductRow> => {
    if (!m.ok) return m;
    const bundle = bundles.get(m.row.sku);
    if (bundle && !bundle.ok) return bundle;
    const salesUnit = units.get(m.row.sku)?.sales;
    // A bundle edited after its item: the row carries the later time, so it is never taken as stale.
    const version = Math.max(m.row.version, bundle?.modified ?? 0);
    return { ok: true, row: { ...m.row, version, ...(bundle?.ok ? { components: bundle.row } : {}), ...(salesUnit ? { salesUnit } : {}) } };
  });
}
