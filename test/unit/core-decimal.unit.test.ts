import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeMoney, percentOf, subtract } from "../../worker/domain/decimal";

/** An amount as the contract allows it (up to 6 decimals), with its exact value in millionths. */
const amount = fc.tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 6 })).map(([micros, places]) => {
  const scaled = (micros / 10n ** BigInt(6 - places)) * 10n ** BigInt(6 - places);
  const neg = scaled < 0n;
  const abs = neg ? -scaled : scaled;
  const whole = abs / 1_000_000n;
  const frac = (abs % 1_000_000n).toString().padStart(6, "0").slice(0, places);
  return { text: `${neg ? "-" : ""}${whole}${places ? `.${frac}` : ""}`, micros: scaled };
});

/** Rounds millionths to cents, half away from zero, as a decimal string. */
function cents(micros: bigint): string {
  const neg = micros < 0n;
  const abs = neg ? -micros : micros;
  const c = (abs + 5_000n) / 10_000n;
  const text = `${c / 100n}.${(c % 100n).toString().padStart(2, "0")}`;
  return neg && c !== 0n ? `-${text}` : text;
}

describe("decimal money", () => {
  it("subtracts exactly where floats do not", () => {
    expect(subtract("0.30", "0.10")).toBe("0.20");
    expect(subtract("12.50", "4.20")).toBe("8.30");
    expect(subtract("1000000000000.01", "0.02")).toBe("999999999999.99");
    expect(subtract("4.20", "12.50")).toBe("-8.30");
  });

  it("rounds half away from zero and never answers -0.00", () => {
    expect(subtract("0.005", "0")).toBe("0.01");
    expect(subtract("0", "0.005")).toBe("-0.01");
    expect(subtract("0", "0.004")).toBe("0.00");
    expect(subtract("1.994999", "0")).toBe("1.99");
  });

  it("matches integer arithmetic for any two amounts", () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(subtract(a.text, b.text)).toBe(cents(a.micros - b.micros));
      }),
      { numRuns: 500 },
    );
  });

  it("computes margins as a percentage to one place", () => {
    expect(percentOf("8.30", "12.50")).toBe("66.4");
    expect(percentOf("1", "3")).toBe("33.3");
    expect(percentOf("2", "3")).toBe("66.7");
    expect(percentOf("-1.00", "4.00")).toBe("-25.0");
    expect(percentOf("1", "0")).toBeUndefined();
  });

  it("normalises to at least two places, keeping what the ERP sent beyond", () => {
    expect(normalizeMoney("12")).toBe("12.00");
    expect(normalizeMoney("12.5")).toBe("12.50");
    expect(normalizeMoney("0.1234")).toBe("0.1234");
    expect(normalizeMoney("-3.1")).toBe("-3.10");
  });
});
