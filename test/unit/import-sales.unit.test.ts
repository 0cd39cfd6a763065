import { describe, expect, it } from "vitest";
import { resolveColumns, toRow } from "../../worker/cli/import/rows.mjs";

/** `npm run import -- sales.csv --kind sales`: a sales history file → rows of the signed sales push (issue 15). */
describe("the sales import kind", () => {
  const columns = resolveColumns("sales", ["Article", "Store", "Day", "Units"], { sku: "Article", warehouse: "Store", date: "Day", qty: "Units" });
  const row = (values: string[]) => toRow("sales", columns, (i: number) => values[i], 1);

  it("maps a record to { sku, warehouse?, date, qty }, leaving an empty warehouse out", () => {
    expect(row(["TEE", "BER", "2026-01-05", "4"])).toEqual({ row: { sku: "TEE", warehouse: "BER", date: "2026-01-05", qty: 4 } });
    expect(row(["TEE", "", "2026-01-06", "1"])).toEqual({ row: { sku: "TEE", date: "2026-01-06", qty: 1 } });
  });

  it("says which field is wrong", () => {
    expect(row(["TEE", "BER", "2026-01-06", "x"])).toEqual({ error: 'qty: "x" is not a whole number' });
    expect(row(["TEE", "BER", "", "3"])).toEqual({ error: "date: empty" });
    expect(() => resolveColumns("sales", ["SKU", "Qty"])).toThrow(/no column for "date"/);
  });
});
