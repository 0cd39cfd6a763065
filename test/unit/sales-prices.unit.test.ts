import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalText } from "../../worker/connectors/decimal-text";
import { perSalesUnit } from "../../worker/connectors/sales-prices";
import { multiplyDecimal } from "../../worker/domain/decimal";
import { divideExact, formatDecimal, parseDecimal } from "../../worker/promise/quantity";

/**
 * Issue 12: prices and unit factors between the ERP's stock unit and the shop's sales unit, in
 * decimals. A price per unit becomes a price per case and back without drift; an ERP's float factor
 * becomes the decimal it stands for; breaks in cases price n cases as the ERP prices n × factor units.
 */

/** A decimal text with up to `places` fraction digits (no sign). */
const decimal = (maxWhole: number, places: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: 10 ** places - 1 }), fc.integer({ min: 0, max: places }))
    .map(([w, f, p]) => (p === 0 ? String(w) : `${w}.${String(f).padStart(places, "0").slice(0, p)}`));
const positive = (maxWhole: number, places: number) => decimal(maxWhole, places).filter((d) => /[1-9]/.test(d));
const value = (text: string) => {
  const d = parseDecimal(text);
  if (!d) throw new Error(`not a decimal: ${text}`);
  return d;
};
const same = (a: string, b: string) => formatDecimal(value(a)) === formatDecimal(value(b));

describe("prices per sales unit", () => {
  it("per unit → per case → per unit round-trips exactly, whatever the factor (no float drift)", () => {
    fc.assert(
      fc.property(decimal(100_000, 2), positive(10_000, 3), (price, factor) => {
        const perCase = multiplyDecimal(price, factor);
        const back = divideExact(value(perCase), value(factor));
        expect(back && formatDecimal(back)).toBe(formatDecimal(value(price)));
      }),
    );
  });

  it("a case of 12 at 0.1 + 0.2 a unit is 3.60, where floats give 3.5999999999999996", () => {
    expect((0.1 + 0.2) * 12).not.toBe(3.6);
    expect(multiplyDecimal("0.30", "12")).toBe("3.60");
    expect(multiplyDecimal("2.5", "12")).toBe("30.00");
    expect(multiplyDecimal("0.333333", "3")).toBe("0.999999");
    expect(multiplyDecimal("1.99", "0.5")).toBe("0.995");
  });

  it("an ERP's float factor (Odoo packaging qty, ERPNext conversion_factor) is read as the decimal it stands for", () => {
    fc.assert(
      fc.property(positive(1_000_000, 6), (text) => {
        expect(same(decimalText(Number(text)) ?? "", text)).toBe(true);
      }),
    );
    expect(decimalText(0.08333333333333333)).toBe("0.083333");
    expect(decimalText(12.000000000000002)).toBe("12");
    expect(decimalText(0)).toBeUndefined();
  });

  it("breaks in cases price n cases as the ERP prices n × factor units", () => {
    const breaks = fc
      .uniqueArray(fc.integer({ min: 2, max: 500 }), { maxLength: 5 })
      .chain((mins) =>
        fc.tuple(fc.constant([1, ...mins].sort((a, b) => a - b)), fc.array(decimal(1_000, 2), { minLength: mins.length + 1, maxLength: mins.length + 1 })),
      )
      .map(([mins, prices]) => mins.map((minQty, i) => ({ minQty, price: prices[i] ?? "0" })));
    fc.assert(
      fc.property(breaks, fc.integer({ min: 1, max: 48 }), (stockBreaks, factor) => {
        const inCases = perSalesUnit(stockBreaks, String(factor));
        for (let n = 1; n <= Math.ceil(520 / factor) + 1; n++) {
          const units = n * factor;
          const erp = [...stockBreaks].filter((b) => b.minQty <= units).at(-1);
          const edge = [...inCases].filter((b) => b.minQty <= n).at(-1);
          expect(edge?.price).toBe(multiplyDecimal(erp?.price ?? "0", String(factor)));
        }
      }),
    );
  });

  it("a break from 24 units with cases of 12 applies from 2 cases; one from 10 already from the first case", () => {
    expect(
      perSalesUnit(
        [
          { minQty: 1, price: "2.5" },
          { minQty: 10, price: "2.4" },
          { minQty: 24, price: "2.25" },
        ],
        "12",
      ),
    ).toEqual([
      { minQty: 1, price: "28.80" },
      { minQty: 2, price: "27.00" },
    ]);
  });
});
