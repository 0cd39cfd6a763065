/**
 * A quantity an ERP answers as a float (Odoo's packaging `qty`, ERPNext's `conversion_factor`) as the
 * decimal text it stands for, at most 6 places (the contract's decimal quantities); undefined when
 * not positive. Floats stop here: what follows is decimal arithmetic.
 */
export function decimalText(v: number): string | undefined {
  if (!Number.isFinite(v) || v <= 0) return undefined;
  const fixed = v.toFixed(6).replace(/\.?0+$/, "");
  return fixed === "0" ? undefined : fixed;
}
