/**
 * Exact decimal quantities for sales units: a quantity is a scaled BigInt (`value / 10^scale`), so
 * a case of 12, a kilogram of 1,000 g or a 0.25 m cut converts without float drift. Stock is counted
 * in whole stock units (the replica's integers); a sales unit is a decimal multiple of it.
 */
export interface Decimal {
  value: bigint;
  scale: number;
}

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

/** Parses a non-negative decimal of at most 12 integer and 6 fraction digits; undefined otherwise. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const frac = m[2] ?? "";
  return { value: BigInt(`${m[1]}${frac}`), scale: frac.length };
}

export const fromInteger = (n: number): Decimal => ({ value: BigInt(n), scale: 0 });

/** The shortest decimal text of `d` (no trailing zeros). */
export function formatDecimal(d: Decimal): string {
  const digits = d.value.toString().padStart(d.scale + 1, "0");
  if (d.scale === 0) return digits;
  const whole = digits.slice(0, -d.scale);
  const frac = digits.slice(-d.scale).replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole;
}

const rescale = (d: Decimal, scale: number): bigint => d.value * 10n ** BigInt(scale - d.scale);

export const multiply = (a: Decimal, b: Decimal): Decimal => ({ value: a.value * b.value, scale: a.scale + b.scale });

export function compare(a: Decimal, b: Decimal): number {
  const s = Math.max(a.scale, b.scale);
  const x = rescale(a, s);
  const y = rescale(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `a / b` when it is exact; undefined when the quotient has no finite decimal within 12 more places. */
export function divideExact(a: Decimal, b: Decimal): Decimal | undefined {
  if (b.value === 0n) return undefined;
  for (let extra = 0; extra <= 12; extra++) {
    const num = a.value * 10n ** BigInt(b.scale + extra);
    if (num % b.value === 0n) return { value: num / b.value, scale: a.scale + extra };
  }
  return undefined;
}

/** How many whole `step`s fit in `a` (floor). */
export function wholeSteps(a: Decimal, step: Decimal): bigint {
  const s = Math.max(a.scale, step.scale);
  return rescale(a, s) / rescale(step, s);
}

/** The integer ≥ `d` (ceil). */
export function ceilInteger(d: Decimal): number {
  const unit = 10n ** BigInt(d.scale);
  return Number((d.value + unit - 1n) / unit);
}

/** `d` as an integer, when it is one. */
export function asInteger(d: Decimal): number | undefined {
  const unit = 10n ** BigInt(d.scale);
  return d.value % unit === 0n ? Number(d.value / unit) : undefined;
}

/** `a / b` to at most 6 places, rounded down (what a part of whole stock units is in the sales unit). */
export function divideFloor(a: Decimal, b: Decimal): Decimal {
  return divideExact(a, b) ?? { value: (a.value * 10n ** BigInt(6 + b.scale)) / (b.value * 10n ** BigInt(a.scale)), scale: 6 };
}
