import type { ProductRow } from "../../contract";
import { decimalText } from "../decimal-text";
import type { OdooClient } from "./client";
import { m2o, num, text } from "./map";

/**
 * Odoo's units of measure (`uom.uom`) and sales packagings (`product.packaging`) for the edge's
 * sales units. A product is counted, priced and sold in its `uom_id` (its `uom_po_id` is only the
 * purchase unit: receipts' moves are already in `uom_id`, capture k09); a packaging gives the
 * number of those units in a package. A product with a packaging marked for sales (`sales`, the
 * default) sells at the edge in the smallest such package: "Case of 12" with factor 12, so
 * availability, prices and orders are in cases, as an Odoo quotation line with that packaging
 * (`product_packaging_qty` = quantity / 12) reads them.
 */

type SalesUnit = NonNullable<ProductRow["salesUnit"]>;

export interface Uom {
  name: string;
  category: number;
  /** Odoo's `factor`: units of this per reference unit of its category. */
  factor: number;
  rounding: number;
}
export type Uoms = ReadonlyMap<number, Uom>;

export async function readUoms(client: OdooClient): Promise<Map<number, Uom>> {
  const out = new Map<number, Uom>();
  for (const u of await client.searchRead("uom.uom", [], { fields: ["name", "category_id", "factor", "rounding"] }))
    out.set(u.id, { name: text(u.name) ?? `uom ${u.id}`, category: m2o(u.category_id)?.id ?? -1, factor: num(u.factor) || 1, rounding: num(u.rounding) ?? 0 });
  return out;
}

/**
 * Odoo's `uom.uom._compute_quantity(qty, to, round=False)`: `qty / from.factor × to.factor`;
 * undefined across categories (where Odoo raises, or with `raise_if_failure=False` keeps the number).
 */
export function toUom(qty: number, from: number, to: number, uoms: Uoms): number | undefined {
  if (from === to) return qty;
  const a = uoms.get(from);
  const b = uoms.get(to);
  if (!a || !b || a.category !== b.category) return undefined;
  return (qty / a.factor) * b.factor;
}

/** Each product's sales unit: its smallest packaging marked for sales (product id → unit). */
export async function salesPackagings(client: OdooClient, productIds: readonly number[]): Promise<Map<number, SalesUnit>> {
  const out = new Map<number, SalesUnit & { qty: number }>();
  if (productIds.length === 0) return new Map();
  const packagings = await client.searchRead(
    "product.packaging",
    [
      ["product_id", "in", [...productIds]],
      ["sales", "=", true],
    ],
    { fields: ["name", "product_id", "qty"] },
  );
  for (const p of packagings) {
    const product = m2o(p.product_id)?.id;
    const qty = num(p.qty) ?? 0;
    const factor = decimalText(qty);
    if (product === undefined || !factor) continue;
    const before = out.get(product);
    if (before && before.qty <= qty) continue;
    out.set(product, { name: (text(p.name) ?? `Pack of ${factor}`).slice(0, 32), factor, qty });
  }
  return new Map([...out].map(([id, { name, factor }]) => [id, { name, factor }]));
}
