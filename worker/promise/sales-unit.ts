import { asInteger, ceilInteger, compare, type Decimal, divideFloor, formatDecimal, fromInteger, multiply, wholeSteps } from "./quantity";

/**
 * A product's sales unit and quantity rules, from the ERP: one sales unit is `factor` stock units
 * (a case of 12: 12; sold per kg, counted in g: 1000), a buyer orders at least `min` and in whole
 * `increment`s (both in the sales unit). Without any, a product sells loose stock units from 1 up.
 */
export interface SalesRule {
  unit: string | undefined;
  factor: Decimal;
  min: Decimal;
  increment: Decimal;
}

/** How one product sells: its rule and, for a kit or bundle, its components. */
export interface ProductSales {
  rule: SalesRule;
  /** Present for a kit or bundle. */
  components?: Array<{ sku: string; qty: number }>;
}

export const LOOSE: SalesRule = { unit: undefined, factor: fromInteger(1), min: fromInteger(1), increment: fromInteger(1) };

export interface RuleViolation {
  code: "below_minimum" | "not_a_multiple";
  message: string;
}

/** Whether `qty` (sales units) meets the rule. */
export function checkQuantity(qty: Decimal, rule: SalesRule): RuleViolation | undefined {
  if (compare(qty, rule.min) < 0) return { code: "below_minimum", message: `At least ${formatDecimal(rule.min)} must be ordered` };
  const steps = wholeSteps(qty, rule.increment);
  if (compare(multiply(fromInteger(Number(steps)), rule.increment), qty) !== 0)
    return { code: "not_a_multiple", message: `Orderable in steps of ${formatDecimal(rule.increment)}` };
  return undefined;
}

/** Stock units an order of `qty` sales units takes (rounded up to a whole stock unit). */
export const toStockUnits = (qty: Decimal, rule: SalesRule): number => ceilInteger(multiply(qty, rule.factor));

/** A warehouse hands out whole increments: the increment in stock units, when it is whole (else 1). */
export const stockStep = (rule: SalesRule): number => Math.max(1, asInteger(multiply(rule.increment, rule.factor)) ?? 1);

/** Stock units in the sales unit, exact where it divides, else rounded down to 6 places. */
export const toSalesUnits = (stock: number, rule: SalesRule): string => formatDecimal(divideFloor(fromInteger(stock), rule.factor));

/** What can be ordered from `stock` stock units: whole increments only. */
export function orderableSalesUnits(stock: number, rule: SalesRule): string {
  if (stock <= 0) return "0";
  const steps = wholeSteps(fromInteger(stock), multiply(rule.increment, rule.factor));
  return formatDecimal(multiply(fromInteger(Number(steps)), rule.increment));
}
