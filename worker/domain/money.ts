/** `amount / n` for a decimal string and a positive integer, to 4 places, without floats. */
export function divideDecimal(amount: string, n: number): string {
  const negative = amount.startsWith("-");
  const [whole = "0", frac = ""] = (negative ? amount.slice(1) : amount).split(".");
  const scaled = BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, "0").slice(0, 6));
  const per = (scaled * 2n + BigInt(n)) / (2n * BigInt(n)) / 100n; // round half up to 4 places
  const text = per.toString().padStart(5, "0");
  const out = `${text.slice(0, -4)}.${text.slice(-4)}`.replace(/(\.\d\d\d*?)0+$/, "$1");
  return negative && per !== 0n ? `-${out}` : out;
}
