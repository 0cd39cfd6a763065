import { multiplyDecimal } from "../domain/decimal";
import { ceilInteger, compare, divideFloor, fromInteger, multiply, parseDecimal } from "../promise/quantity";

/**
 * An ERP's price breaks per stock unit (Odoo prices per product unit, ERPNext per stock UOM) as the
 * buyer's price per sales unit (issue 12): the edge's price rows are per sales unit, their minimum
 * quantities in sales units, as `/prices`, the promise and orders count. A case of 12 costs 12 × the
 * unit price, exactly as the ERP's order line for it (Odoo: `price_unit` × 12, capture k08). A break
 * from `m` units applies from the first whole number of sales units holding `m` (⌈m / 12⌉ cases),
 * at the price the ERP gives for that many units; breaks that land on the same price are one.
 */
export function perSalesUnit(breaks: ReadonlyArray<{ minQty: number; price: string }>, factor: string): Array<{ minQty: number; price: string }> {
  const f = parseDecimal(factor);
  if (!f || f.value === 0n) return [...breaks];
  const sorted = [...breaks].sort((a, b) => a.minQty - b.minQty);
  const thresholds = [...new Set([1, ...sorted.map((b) => Math.max(1, ceilInteger(divideUp(b.minQty, factor))))])].sort((a, b) => a - b);
  const out: Array<{ minQty: number; price: string }> = [];
  for (const n of thresholds) {
    const units = multiply(fromInteger(n), f);
    const applies = sorted.filter((b) => compare(fromInteger(b.minQty), units) <= 0).at(-1) ?? sorted[0];
    if (!applies) continue;
    const price = multiplyDecimal(applies.price, factor);
    if (out.at(-1)?.price !== price) out.push({ minQty: n, price });
  }
  return out;
}

/** `m / factor` rounded up to 6 places (so its ceiling is the first whole count holding `m`). */
function divideUp(m: number, factor: string) {
  const f = parseDecimal(factor) ?? fromInteger(1);
  const q = divideFloor(fromInteger(m), f);
  return compare(multiply(q, f), fromInteger(m)) < 0 ? { value: q.value + 1n, scale: q.scale } : q;
}
