import { describe, expect, it } from "vitest";
import { promiseLines } from "../../extension/lib/ui/promise-lines";
import type { PromiseAnswer } from "../../worker/contract";

const line = (over: Partial<PromiseAnswer["lines"][number]>): PromiseAnswer => ({
  today: "2026-11-30",
  completeDate: null,
  lines: [
    {
      sku: "TEE",
      qty: "50",
      rule: { min: "1", increment: "1" },
      available: "12",
      now: [],
      dated: [],
      unscheduled: "0",
      orderable: "50",
      backorder: true,
      completeDate: null,
      ...over,
    },
  ],
});

describe("the product panel's promise for a typed quantity", () => {
  it("says what ships now from where, what follows from which receipts, and when it is complete", () => {
    const text = promiseLines(
      line({
        now: [{ warehouse: "BER", qty: "12", date: "2026-12-01" }],
        dated: [{ warehouse: "BER", qty: "30", date: "2026-12-14", refs: ["PO-4711"] }],
        unscheduled: "8",
      }),
    );
    expect(text[0]).toMatch(/^12 now from BER, ships /);
    expect(text[1]).toMatch(/^30 on .* at BER \(PO-4711\)$/);
    expect(text[2]).toBe("8 not covered by stock or any receipt");
    expect(text.at(-1)).toBe("Orderable now as a backorder");
  });

  it("names the sales unit and a kit's components, and a broken quantity rule instead of a promise", () => {
    const kit = promiseLines(
      line({ unit: "case", now: [{ warehouse: "HAM", qty: "2", date: "2026-12-02" }], completeDate: "2026-12-02", components: [{ sku: "CUP", qty: 2 }] }),
    );
    expect(kit[0]).toMatch(/^2 case now from HAM/);
    expect(kit).toContain("Kit of 2 × CUP");
    expect(kit.at(-1)).toMatch(/^Complete by /);
    expect(promiseLines(line({ violation: { code: "below_minimum", message: "At least 2 must be ordered" } }))).toEqual(["At least 2 must be ordered"]);
  });
});
