/** Margins from the edge's decimal strings, in integer micro-units: money is never a float here. */
const SCALE = 1_000_000n;

function micros(amount: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(amount.trim());
  if (!m) return undefined;
  const [, sign, whole = "0", frac = ""] = m;
  const v = BigInt(whole) * SCALE + BigInt(frac.padEnd(6, "0"));
  return sign ? -v : v;
}

const decimal = (v: bigint, places: number): string => {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const unit = SCALE / 10n ** BigInt(places);
  const rounded = (abs + unit / 2n) / unit;
  const s = rounded.toString().padStart(places + 1, "0");
  return `${neg ? "-" : ""}${s.slice(0, -places)}.${s.slice(-places)}`;
};

/**
 * Price minus cost, and that as a share of the price (one decimal).
 *
 * @example
 * margin("19.90", "4.20") // → { amount: "15.70", percent: "78.9" }
 */
export function margin(price: string, cost: string): { amount: string; percent: string } | undefined {
  const p = micros(price);
  const c = micros(cost);
  if (p === undefined || c === undefined || p <= 0n) return undefined;
  const amount = p - c;
  return { amount: decimal(amount, 2), percent: decimal((amount * 100n * SCALE) / p, 1) };
}

/** A price as an admin's field shows it ("19,90", "€ 19.90", "1,299.00") → "19.90"; undefined when it is not one. */
export function parsePrice(text: string): string | undefined {
  const t = text.replace(/[^\d.,-]/g, "");
  if (!/\d/.test(t)) return undefined;
  // The last separator followed by 1–2 digits is the decimal one; any other is grouping.
  const m = /^(-?[\d.,]*?)(?:[.,](\d{1,2}))?$/.exec(t);
  if (!m) return undefined;
  const whole = (m[1] ?? "").replace(/[.,]/g, "");
  if (!/^-?\d+$/.test(whole)) return undefined;
  return `${whole}.${(m[2] ?? "").padEnd(2, "0")}`;
}
