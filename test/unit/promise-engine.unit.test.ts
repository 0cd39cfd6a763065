import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, type PromiseProduct, type PromiseState, promiseCart } from "../../worker/promise/engine";
import { divideExact, formatDecimal, multiply, parseDecimal } from "../../worker/promise/quantity";
import { checkQuantity, orderableSalesUnits, type SalesRule, toSalesUnits, toStockUnits } from "../../worker/promise/sales-unit";

const TODAY = "2026-11-30";
const WAREHOUSES = ["BER", "HAM"] as const;

const row = (warehouse: string, onHand: number, incoming: Array<[number, string, string?]> = [], committed = 0) => ({
  warehouse,
  onHand,
  committed,
  reserved: 0,
  incoming: incoming.map(([qty, eta, ref]) => ({ qty, eta, ...(ref ? { ref } : {}) })),
});
const state = (products: Record<string, Partial<PromiseProduct>>, extra: Partial<PromiseState> = {}): PromiseState => ({
  today: TODAY,
  priority: ["BER", "HAM"],
  leadTimeDays: {},
  limit: undefined,
  products: new Map(Object.entries(products).map(([sku, p]) => [sku, { backorder: false, safetyStock: 0, stock: [], ...p }])),
  ...extra,
});

describe("the promise, by example", () => {
  it("12 ship today (BER), 30 on 14 Dec (PO-4711), 8 on 2 Jan: the issue's example", () => {
    const s = state({
      TEE: {
        backorder: true,
        stock: [
          row("BER", 12, [
            [30, "2026-12-14", "PO-4711"],
            [20, "2027-01-02", "PO-4800"],
          ]),
        ],
      },
    });
    const [line] = promiseCart(s, [{ sku: "TEE", qty: 50 }]);
    expect(line?.now).toEqual([{ warehouse: "BER", qty: 12, date: TODAY }]);
    expect(line?.dated).toEqual([
      { warehouse: "BER", qty: 30, date: "2026-12-14", refs: ["PO-4711"] },
      { warehouse: "BER", qty: 8, date: "2027-01-02", refs: ["PO-4800"] },
    ]);
    expect(line?.completeDate).toBe("2027-01-02");
    expect(line?.orderable).toBe(50);
  });

  it("what is committed beyond on hand has claimed the earliest receipt; the warehouse's lead time is added", () => {
    // 5 on hand, 9 committed: 4 of PO-1's 10 are already claimed.
    const s = state({ MUG: { stock: [row("BER", 5, [[10, "2026-12-05", "PO-1"]], 9)] } }, { leadTimeDays: { BER: 2 } });
    const [line] = promiseCart(s, [{ sku: "MUG", qty: 8 }]);
    expect(line?.now).toEqual([]);
    expect(line?.dated).toEqual([{ warehouse: "BER", qty: 6, date: "2026-12-07", refs: ["PO-1"] }]);
    expect(line?.unscheduled).toBe(2);
    expect(line?.completeDate).toBeNull();
    expect(line?.orderable).toBe(0); // no backorders: an order placed now would get none of it
  });

  it("a kit ships from one warehouse with all its components; a shared component is counted once across the cart", () => {
    const s = state({
      KIT: {
        components: [
          { sku: "CUP", qty: 2 },
          { sku: "LID", qty: 1 },
        ],
      },
      CUP: { stock: [row("BER", 5), row("HAM", 10)] },
      LID: { stock: [row("BER", 10), row("HAM", 1)] },
    });
    const [kit, cups] = promiseCart(s, [
      { sku: "KIT", qty: 3 },
      { sku: "CUP", qty: 12 },
    ]);
    // BER makes 2 kits (5 cups), HAM 1 (1 lid).
    expect(kit?.now).toEqual([
      { warehouse: "BER", qty: 2, date: TODAY },
      { warehouse: "HAM", qty: 1, date: TODAY },
    ]);
    // 15 cups − 4 − 2 taken by the kits = 9 left for the loose line.
    expect(cups?.now.reduce((n, p) => n + p.qty, 0)).toBe(9);
  });

  it("a kit's dated units wait for the last component to arrive (a backordering kit's order holds the components already there)", () => {
    const s = state({
      KIT: {
        components: [
          { sku: "CUP", qty: 1 },
          { sku: "LID", qty: 1 },
        ],
      },
      CUP: { backorder: true, stock: [row("BER", 4, [[10, "2026-12-20", "PO-C"]])] },
      LID: { backorder: true, stock: [row("BER", 0, [[10, "2026-12-10", "PO-L"]])] },
    });
    const [kit] = promiseCart(s, [{ sku: "KIT", qty: 6 }]);
    expect(kit?.now).toEqual([]);
    expect(kit?.dated).toEqual([
      { warehouse: "BER", qty: 4, date: "2026-12-10", refs: ["PO-L"] },
      { warehouse: "BER", qty: 2, date: "2026-12-20", refs: ["PO-C"] },
    ]);
  });

  it("a case pack is handed out in whole cases per warehouse", () => {
    const s = state({ OIL: { stock: [row("BER", 20), row("HAM", 30)] } });
    const [line] = promiseCart(s, [{ sku: "OIL", qty: 36, step: 12 }]);
    expect(line?.now).toEqual([
      { warehouse: "BER", qty: 12, date: TODAY },
      { warehouse: "HAM", qty: 24, date: TODAY },
    ]);
  });
});

const cellArb = fc.record({
  onHand: fc.integer({ min: -5, max: 30 }),
  committed: fc.integer({ min: 0, max: 10 }),
  reserved: fc.integer({ min: 0, max: 5 }),
  incoming: fc.array(fc.record({ qty: fc.integer({ min: 1, max: 20 }), day: fc.integer({ min: -3, max: 30 }) }), { maxLength: 4 }),
});
const productArb = fc.record({ backorder: fc.boolean(), safety: fc.integer({ min: 0, max: 3 }), cells: fc.tuple(cellArb, cellArb) });
const worldArb = fc.record({
  products: fc.tuple(productArb, productArb, productArb),
  kit: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  lead: fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })),
  limit: fc.option(
    fc.record({
      bufferUnits: fc.integer({ min: 0, max: 5 }),
      bufferPercent: fc.constantFrom(0, 20),
      cap: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    }),
    {
      nil: undefined,
    },
  ),
  lines: fc.array(fc.record({ sku: fc.constantFrom("A", "B", "C", "KIT"), qty: fc.integer({ min: 1, max: 60 }) }), { minLength: 1, maxLength: 50 }),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function world(w: World): PromiseState {
  const products: Record<string, Partial<PromiseProduct>> = {};
  w.products.forEach((p, i) => {
    products[["A", "B", "C"][i] ?? "A"] = {
      backorder: p.backorder,
      safetyStock: p.safety,
      stock: p.cells.map((c, j) => ({
        warehouse: WAREHOUSES[j] ?? "BER",
        onHand: c.onHand,
        committed: c.committed,
        reserved: c.reserved,
        incoming: c.incoming.map((r) => ({ qty: r.qty, eta: addDays(TODAY, r.day) })),
      })),
    };
  });
  products.KIT = {
    components: [
      { sku: "A", qty: w.kit[0] },
      { sku: "B", qty: w.kit[1] },
    ],
  };
  return state(products, { leadTimeDays: { BER: w.lead[0], HAM: w.lead[1] }, limit: w.limit });
}

describe("the promise, as properties", () => {
  it("sum over lines never exceeds supply per warehouse and date (kits counted in their components)", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const s = world(w);
        const lines = promiseCart(s, w.lines);
        for (const sku of ["A", "B", "C"]) {
          const p = s.products.get(sku);
          for (const cell of p?.stock ?? []) {
            const lead = s.leadTimeDays[cell.warehouse] ?? 0;
            const use: Array<{ day: string; qty: number }> = [];
            for (const l of lines) {
              const per = l.sku === sku ? 1 : l.sku === "KIT" ? (s.products.get("KIT")?.components?.find((c) => c.sku === sku)?.qty ?? 0) : 0;
              if (per === 0) continue;
              for (const part of [...l.now, ...l.dated])
                if (part.warehouse === cell.warehouse) use.push({ day: addDays(part.date, -lead), qty: part.qty * per });
            }
            const available = cell.onHand - cell.committed - cell.reserved - (p?.safetyStock ?? 0);
            for (const { day } of use) {
              const used = use.filter((u) => u.day <= day).reduce((n, u) => n + u.qty, 0);
              const supply = available + cell.incoming.filter((r) => (r.eta < TODAY ? TODAY : r.eta) <= day).reduce((n, r) => n + r.qty, 0);
              expect(used).toBeLessThanOrEqual(Math.max(0, supply));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a kit never promises more than any of its components allows", () => {
    fc.assert(
      fc.property(worldArb, fc.integer({ min: 1, max: 200 }), (w, qty) => {
        const s = world(w);
        const [kit] = promiseCart(s, [{ sku: "KIT", qty }]);
        const comps = s.products.get("KIT")?.components ?? [];
        for (const c of comps) {
          const p = s.products.get(c.sku);
          const avail = (p?.stock ?? []).reduce((n, r) => n + Math.max(0, r.onHand - r.committed - r.reserved - (p?.safetyStock ?? 0)), 0);
          const all = avail + (p?.stock ?? []).reduce((n, r) => n + r.incoming.reduce((m, i) => m + i.qty, 0), 0);
          const now = (kit?.now ?? []).reduce((n, x) => n + x.qty, 0);
          const dated = (kit?.dated ?? []).reduce((n, x) => n + x.qty, 0);
          expect(now * c.qty).toBeLessThanOrEqual(avail);
          expect((now + dated) * c.qty).toBeLessThanOrEqual(all);
        }
        expect((kit?.now.reduce((n, x) => n + x.qty, 0) ?? 0) + (kit?.dated.reduce((n, x) => n + x.qty, 0) ?? 0) + (kit?.unscheduled ?? 0)).toBe(qty);
      }),
      { numRuns: 300 },
    );
  });
});

const decimalArb = fc
  .tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([whole, places, frac]) => (places === 0 ? String(whole) : `${whole}.${String(frac).padStart(6, "0").slice(0, places)}`));
const factorArb = decimalArb.filter((f) => /[1-9]/.test(f));

describe("sales units", () => {
  it("sales → stock → sales round-trips exactly, whatever the factor (no float drift)", () => {
    fc.assert(
      fc.property(decimalArb, factorArb, (q, f) => {
        const qty = parseDecimal(q);
        const factor = parseDecimal(f);
        if (!qty || !factor) throw new Error("generator");
        const back = divideExact(multiply(qty, factor), factor);
        expect(back && formatDecimal(back)).toBe(formatDecimal(qty));
        expect(formatDecimal(parseDecimal(formatDecimal(qty)) ?? qty)).toBe(formatDecimal(qty));
      }),
      { numRuns: 1000 },
    );
  });

  it("whole stock units in a case of 12, a kg of 1000 g and a 0.1 m cut", () => {
    const rule = (factor: string, increment = "1", min = increment): SalesRule => ({
      unit: "u",
      factor: parseDecimal(factor) ?? { value: 1n, scale: 0 },
      min: parseDecimal(min) ?? { value: 1n, scale: 0 },
      increment: parseDecimal(increment) ?? { value: 1n, scale: 0 },
    });
    expect(toStockUnits(parseDecimal("3") ?? { value: 0n, scale: 0 }, rule("12"))).toBe(36);
    expect(toSalesUnits(30, rule("12"))).toBe("2.5");
    expect(orderableSalesUnits(30, rule("12"))).toBe("2");
    expect(toStockUnits(parseDecimal("1.25") ?? { value: 0n, scale: 0 }, rule("1000", "0.25"))).toBe(1250);
    expect(orderableSalesUnits(1499, rule("1000", "0.25"))).toBe("1.25");
    expect(toSalesUnits(7, rule("0.1"))).toBe("70");
    expect(checkQuantity(parseDecimal("1.1") ?? { value: 0n, scale: 0 }, rule("1000", "0.25"))?.code).toBe("not_a_multiple");
    expect(checkQuantity(parseDecimal("0.25") ?? { value: 0n, scale: 0 }, rule("1000", "0.25", "0.5"))?.code).toBe("below_minimum");
    expect(checkQuantity(parseDecimal("0.75") ?? { value: 0n, scale: 0 }, rule("1000", "0.25", "0.5"))).toBeUndefined();
  });
});
