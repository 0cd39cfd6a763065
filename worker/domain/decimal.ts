/**
 * Decimal money arithmetic on strings via scaled BigInt: no float ever touches a price.
 */
const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);

function toScaled(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole = "0", frac = ""] = (negative ? amount.slice(1) : amount).split(".");
  const scaled = BigInt(whole) * FACTOR + BigInt(frac.padEnd(SCALE, "0").slice(0, SCALE));
  return negative ? -scaled : scaled;
}

function fromScaled(value: bigint, places: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(SCALE - places);
  const rounded = (abs + unit / 2n) / unit;
  const text = rounded.toString().padStart(places + 1, "0");
  const out = places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
  return negative && rounded !== 0n ? `-${out}` : out;
}

/** `a − b`, to 2 places. */
export const subtract = (a: string, b: string): string => fromScaled(toScaled(a) - toScaled(b), 2);

/** `part / whole × 100`, to 1 place; undefined when `whole` is zero. */
export function percentOf(part: string, whole: string): string | undefined {
  const w = toScaled(whole);
  if (w === 0n) return undefined;
  return fromScaled((toScaled(part) * 100n * FACTOR) / w, 1);
}

/** Normalises to 2 places (or more when the ERP sends more). */
export function normalizeMoney(amount: string): string {
  const places = Math.max(2, (amount.split(".")[1] ?? "").length);
  return fromScaled(toScaled(amount), Math.min(places, SCALE));
}

/** `a + b`, to 2 places. */
export const add = (a: string, b: string): string => fromScaled(toScaled(a) + toScaled(b), 2);

/**
 * `amount × factor` for two decimal strings, exact (scaled BigInt), normalised like `normalizeMoney`
 * (at least 2 places, at most 6, rounded half up beyond): a price per unit as a price per case of 12
 * or per 2.5 kg, without a float.
 */
export function multiplyDecimal(amount: string, factor: string): string {
  const [whole = "0", frac = ""] = factor.split(".");
  const places = frac.length;
  const product = toScaled(amount) * BigInt(`${whole}${frac}`);
  const scaled = places === 0 ? product : (product + (product < 0n ? -1n : 1n) * (10n ** BigInt(places) / 2n)) / 10n ** BigInt(places);
  const text = fromScaled(scaled, SCALE).replace(/0+$/, "");
  const shown = Math.max(2, (text.split(".")[1] ?? "").length);
  return fromScaled(scaled, Math.min(shown, SCALE));
}
