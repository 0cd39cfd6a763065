import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErpOrder } from "../../worker/contract";
import { parseLossless } from "../../worker/domain/lossless-json";
import { effectiveOrder, type MergedOrder, mergeOrders } from "../../worker/orders/merge";
import { divideDecimal } from "../../worker/domain/money";
import { allocationOrder } from "../../worker/orders/reserve";
import { backoffSeconds, MAX_DELAY_SECONDS } from "../../worker/orders/backoff";

describe("lossless JSON", () => {
  it.each([
    ['{"id":820982911946154508,"qty":2}', { id: "820982911946154508", qty: 2 }],
    ['{"id":-9223372036854775807}', { id: "-9223372036854775807" }],
    ['{"note":"id: 820982911946154508, ok","n":1.5e3}', { note: "id: 820982911946154508, ok", n: 1500 }],
    ['{"s":"a\\"820982911946154508","ids":[9007199254740993,1]}', { s: 'a"820982911946154508', ids: ["9007199254740993", 1] }],
    ['{"price":1234567890123456.5}', { price: 1234567890123456.5 }],
  ])("%s", (text, expected) => {
    expect(parseLossless(text)).toEqual(expected);
  });
});

describe("money", () => {
  it.each([
    ["6.00", 2, "3.00"],
    ["10.00", 3, "3.3333"],
    ["0.01", 2, "0.005"],
    ["-5.00", 2, "-2.50"],
  ])("%s / %i = %s", (amount, n, out) => {
    expect(divideDecimal(amount, n)).toBe(out);
  });
});

describe("allocation order", () => {
  it("puts the shop's priority first, then the most available, then the code", () => {
    const rows = [
      { warehouse: "A", available: 1 },
      { warehouse: "B", available: 9 },
      { warehouse: "C", available: 5 },
      { warehouse: "D", available: 5 },
    ];
    expect(allocationOrder(rows, ["C"]).map((r) => r.warehouse)).toEqual(["C", "B", "D", "A"]);
    expect(allocationOrder(rows, []).map((r) => r.warehouse)).toEqual(["B", "C", "D", "A"]);
  });
});

describe("backoff", () => {
  it("doubles per attempt with jitter, is capped, and honours Retry-After", () => {
    expect(backoffSeconds(1, undefined, () => 0)).toBe(3);
    expect(backoffSeconds(1, undefined, () => 1)).toBe(5);
    expect(backoffSeconds(4, undefined, () => 1)).toBe(40);
    expect(backoffSeconds(30, undefined, () => 1)).toBe(MAX_DELAY_SECONDS);
    expect(backoffSeconds(1, 120, () => 0)).toBe(120);
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => backoffSeconds(n, undefined, () => r) >= 1));
  });
});

describe("order merge", () => {
  const base: ErpOrder = {
    shop: "s",
    platform: "shopify",
    orderRef: "1",
    currency: "EUR",
    status: "open",
    financialStatus: "pending",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    totals: { total: "10.00" },
    lines: [{ lineId: "1", sku: "A", title: "A", qty: 1, unitPrice: "10.00" }],
  };
  const event = fc.record({
    minute: fc.integer({ min: 0, max: 5 }),
    qty: fc.integer({ min: 1, max: 3 }),
    financialStatus: fc.constantFrom("pending", "authorized", "paid", "refunded", "unknown" as const),
    cancelled: fc.boolean(),
    bare: fc.boolean(),
  });
  const toMerged = (e: typeof event extends fc.Arbitrary<infer T> ? T : never): MergedOrder => {
    const updatedAt = new Date(Date.UTC(2026, 0, 1, 0, e.minute)).toISOString();
    const order: ErpOrder = {
      ...base,
      updatedAt,
      financialStatus: e.financialStatus,
      lines: [{ ...base.lines[0], lineId: "1", title: "A", unitPrice: "10.00", qty: e.qty }],
    };
    return {
      ...(e.bare ? {} : { order }),
      cancelled: e.cancelled,
      ...(e.cancelled ? { cancelledAt: updatedAt } : {}),
      financialStatus: e.bare ? "unknown" : e.financialStatus,
    };
  };

  it("ends in the same state whatever order the events arrive in (commutative, associative, idempotent)", () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 6 }), fc.infiniteStream(fc.nat()), (events, seeds) => {
        const merged = events.map(toMerged);
        const shuffled = [...merged];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (seeds.next().value ?? 0) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as MergedOrder, shuffled[i] as MergedOrder];
        }
        const fold = (list: MergedOrder[]) => list.reduce((a, b) => mergeOrders(a, b));
        expect(effectiveOrder(fold(shuffled))).toEqual(effectiveOrder(fold(merged)));
        expect(fold([...merged, ...merged])).toEqual(fold(merged));
      }),
    );
  });

  it("cancellation is sticky and the financial status only moves forward", () => {
    const created = toMerged({ minute: 0, qty: 1, financialStatus: "pending", cancelled: false, bare: false });
    const paid = toMerged({ minute: 0, qty: 1, financialStatus: "paid", cancelled: false, bare: false });
    const deleted = toMerged({ minute: 0, qty: 1, financialStatus: "unknown", cancelled: true, bare: true });
    expect(effectiveOrder(mergeOrders(paid, created))).toMatchObject({ financialStatus: "paid", status: "open" });
    expect(effectiveOrder(mergeOrders(deleted, created))).toMatchObject({ status: "cancelled" });
    expect(effectiveOrder(deleted)).toBeUndefined();
  });
});
