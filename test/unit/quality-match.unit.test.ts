import { describe, expect, it } from "vitest";
import { pricesBelowCost, stalePrices, stuckOrders, usualStays } from "../../worker/quality/anomalies";
import { findDuplicateCustomers, normaliseCompany } from "../../worker/quality/customers";
import { gtin14, indexProducts, normaliseSku, suggestMatches, titleSimilarity } from "../../worker/quality/match";

describe("suggested matches", () => {
  it.each([
    ["tee-0042/m", "TEE42M"],
    ["TEE 42 M", "TEE42M"],
    ["00123", "123"],
    ["a_b.c", "ABC"],
    ["SKU-0", "SKU0"],
  ])("normalises %s as %s", (sku, normalised) => expect(normaliseSku(sku)).toBe(normalised));

  it("compares GTINs as GTIN-14 and ignores what is not one", () => {
    expect(gtin14("4006381333931")).toBe("04006381333931");
    expect(gtin14("96385074")).toBe("00000096385074");
    expect(gtin14("TEE-M")).toBeUndefined();
    expect(gtin14("123")).toBeUndefined();
  });

  it("scores titles by shared trigrams, ignoring case, accents and punctuation", () => {
    expect(titleSimilarity("Enamel Mug", "enamel mug")).toBe(1);
    expect(titleSimilarity("Émaille-Becher", "Emaille Becher")).toBe(1);
    expect(titleSimilarity("Enamel Mug", "Baseball Cap")).toBeLessThan(0.2);
  });

  it("ranks a GTIN over a normalised SKU over a title, and caps the list at three", () => {
    const index = indexProducts([
      { sku: "TEE-M", name: "Organic Tee M", gtin: "4006381333931" },
      { sku: "TEE.M", name: "Organic Tee Medium" },
      { sku: "TEE-L", name: "Organic Tee M" },
      { sku: "CAP", name: "Cap" },
    ]);
    const s = suggestMatches({ sku: "tee_m", barcode: "04006381333931", title: "Organic Tee M" }, index);
    expect(s.map((x) => [x.sku, x.reason])).toEqual([
      ["TEE-M", "gtin"],
      ["TEE.M", "normalised_sku"],
      ["TEE-L", "title"],
    ]);
    expect(suggestMatches({ sku: "zzz", title: "Something else" }, index)).toEqual([]);
  });
});

describe("duplicate customers", () => {
  it("normalises company names without legal form, case or umlaut spelling", () => {
    expect(normaliseCompany("Müller & Co. GmbH")).toBe("mueller");
    expect(normaliseCompany("MUELLER")).toBe("mueller");
  });

  it("groups by VAT id, then email domain and name, then address; free-mail domains prove nothing", () => {
    const groups = findDuplicateCustomers([
      { id: "B", company: "Acme", vatId: "DE 123 456 789" },
      { id: "A", company: "Acme Deutschland", vatId: "de123456789" },
      { id: "C", company: "Solo", email: "a@gmail.com" },
      { id: "D", company: "Solo", email: "b@gmail.com" },
      { id: "E", company: "Kranich", address: "Hauptstraße 1, 10115 Berlin" },
      { id: "F", company: "Kranich Handel", address: "Hauptstr. 1, 10115 Berlin" },
    ]);
    expect(groups.map((g) => [g.reason, g.keep, g.merge])).toEqual([
      ["vat_id", "A", ["B"]],
      ["address", "E", ["F"]],
    ]);
  });
});

describe("anomalies", () => {
  const price = { list: "retail", currency: "EUR", sku: "MUG", minQty: 1, unitPrice: "2.50", version: 1 };
  it("flags prices under the landed cost (else the cost) in the same currency only", () => {
    const costs = new Map([["MUG", { sku: "MUG", cost: "2.00", landedCost: "2.60", currency: "EUR" }]]);
    expect(pricesBelowCost([price], costs, "EUR")).toEqual([expect.objectContaining({ cost: "2.60", margin: "-0.10" })]);
    expect(pricesBelowCost([{ ...price, currency: "USD" }], costs, "EUR")).toEqual([]);
    expect(pricesBelowCost([{ ...price, unitPrice: "2.60" }], costs, "EUR")).toEqual([]);
  });

  it("reads a price's age from a version that is a time in ms, never from a counter", () => {
    const now = Date.UTC(2026, 10, 30);
    expect(stalePrices([{ ...price, version: now - 91 * 86_400_000 }], now, 90)).toEqual([expect.objectContaining({ ageDays: 91 })]);
    expect(stalePrices([{ ...price, version: now - 89 * 86_400_000 }], now, 90)).toEqual([]);
    expect(stalePrices([{ ...price, version: 42 }], now, 90)).toEqual([]);
  });

  it("calls an order stuck once it rests in a status twice as long as 90 % of orders did", () => {
    const h = 3_600_000;
    const timeline = Array.from({ length: 10 }, (_, i) => [
      { orderRef: `o${i}`, status: "confirmed", at: 0 },
      { orderRef: `o${i}`, status: "picking", at: (i + 1) * h },
    ]).flat();
    const usual = usualStays(timeline);
    expect(usual.get("confirmed")).toBe(20 * h);
    const orders = [
      { orderRef: "late", status: "confirmed", at: 0 },
      { orderRef: "fine", status: "confirmed", at: 5 * h },
      { orderRef: "done", status: "delivered", at: 0 },
      { orderRef: "unknown-status", status: "packed", at: 0 },
    ];
    expect(stuckOrders(orders, usual, 21 * h).map((o) => o.orderRef)).toEqual(["late"]);
    expect(stuckOrders(orders, usual, 4 * 86_400_000).map((o) => o.orderRef)).toEqual(["late", "unknown-status", "fine"]);
  });
});
