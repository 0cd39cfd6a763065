import { describe, expect, it } from "vitest";
import { parseMapFlags, resolveColumns, toRow } from "../../worker/cli/import/rows.mjs";

const V = 1_700_000_000_000;

describe("import columns and rows", () => {
  it("finds columns by a forgiving header match, or by the mapping", () => {
    expect(resolveColumns("stock", ["SKU", "Warehouse", "On Hand", "committed"])).toEqual({ sku: 0, warehouse: 1, onHand: 2, committed: 3 });
    expect(resolveColumns("stock", ["Artikel", "Lager", "Bestand"], { sku: "Artikel", warehouse: "Lager", onHand: "Bestand" })).toEqual({
      sku: 0,
      warehouse: 1,
      onHand: 2,
    });
    expect(parseMapFlags(["sku=Artikel,onHand=Bestand", "warehouse=Lager"])).toEqual({ sku: "Artikel", onHand: "Bestand", warehouse: "Lager" });
  });

  it("says which required column is missing, and refuses a mapping to a column the file lacks", () => {
    expect(() => resolveColumns("stock", ["sku", "qty"])).toThrow(/no column for "warehouse"/);
    expect(() => resolveColumns("stock", ["sku", "wh", "qty"], { warehouse: "Lager" })).toThrow(/no such column/);
    expect(() => resolveColumns("stock", ["sku"], { bogus: "sku" })).toThrow(/"warehouse"|not a field/);
  });

  it("builds stock rows with incoming, and explains a bad value", () => {
    const cols = resolveColumns("stock", ["sku", "warehouse", "onHand", "incomingQty", "incomingEta"]);
    const row = (...f: string[]) => toRow("stock", cols, (i: number) => f[i], V);
    expect(row("A", "BER", "12", "5", "2099-01-02")).toEqual({
      row: { sku: "A", warehouse: "BER", onHand: 12, incoming: [{ qty: 5, eta: "2099-01-02" }], version: V },
    });
    expect(row("A", "BER", "12.0", "", "")).toEqual({ row: { sku: "A", warehouse: "BER", onHand: 12, version: V } });
    expect(row("A", "BER", "twelve", "", "")).toEqual({ error: 'onHand: "twelve" is not a whole number' });
    expect(row("", "BER", "1", "", "")).toEqual({ error: "sku: empty" });
  });

  it("reads decimal commas in amounts, yes/no flags and alias lists for products and prices", () => {
    const p = resolveColumns("products", ["sku", "name", "cost", "backorder", "aliases"]);
    expect(toRow("products", p, (i: number) => ["A", "Tee", "4,20", "ja", "a1|a2"][i], V)).toEqual({
      row: { sku: "A", name: "Tee", cost: "4.20", backorder: true, aliases: ["a1", "a2"], version: V },
    });
    const pr = resolveColumns("prices", ["list", "sku", "min_qty", "unit_price", "currency"]);
    expect(toRow("prices", pr, (i: number) => ["B2B", "A", "10", "3.5", "EUR"][i], V)).toEqual({
      row: { list: "B2B", sku: "A", minQty: 10, unitPrice: "3.5", version: V },
      list: { id: "B2B", name: "B2B", currency: "EUR" },
    });
  });
});
