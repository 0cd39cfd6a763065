import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CustomerRow, OrderRow, PriceListRow, PriceRow, ProductRow, StockRow, WarehouseRow } from "../../worker/contract";
import { FAIL, fastParser } from "../../worker/ingest/fast-parse";

/**
 * The fast row check of ERP ingest against zod itself (issue 17). It may only say "valid, and here
 * is zod's output" or "ask zod": whatever it accepts, zod accepts with an equal output. Checked on
 * every row schema with realistic rows (which it must accept: that is the speed) and with thousands
 * of rows broken one field at a time (which it must either reject or parse exactly as zod does).
 */

// As in workerd, where zod may not generate code and interprets its schemas.
z.config({ jitless: true });

const at = "2026-11-30T05:00:00.000Z";
const VALID: Array<[string, z.ZodType<object>, Record<string, unknown>[]]> = [
  [
    "WarehouseRow",
    WarehouseRow,
    [
      { code: "BER", name: "Berlin" },
      { code: "W1", name: "Warehouse 1", country: "DE", leadTimeDays: 2 },
    ],
  ],
  [
    "ProductRow",
    ProductRow,
    [
      { sku: "SKU-1", name: "Product 1", version: 1 },
      {
        sku: "SKU-2",
        name: "P",
        gtin: "4000000000002",
        cost: "4.20",
        landedCost: 5,
        currency: "EUR",
        erpId: "42",
        aliases: ["OLD-2"],
        backorder: true,
        safetyStock: 3,
        version: 1_790_000_000_000,
      },
    ],
  ],
  [
    "StockRow",
    StockRow,
    [
      { sku: "SKU-1", warehouse: "BER", onHand: 5, version: 2 },
      { sku: "SKU-1", warehouse: "HAM", onHand: -3, committed: 1, demand: 4, incoming: [{ qty: 24, eta: "2099-01-15", ref: "PO-1", erpId: "7" }], version: 2 },
      { sku: "SKU-2", warehouse: "HAM", onHand: 0, incoming: [{ qty: 1, eta: "2099-01-15T10:00:00+02:00" }], version: 0 },
    ],
  ],
  ["PriceListRow", PriceListRow, [{ id: "B2B", name: "B2B", currency: "EUR" }]],
  ["PriceRow", PriceRow, [{ list: "B2B", sku: "SKU-1", minQty: 10, unitPrice: "9.50", version: 3 }]],
  [
    "CustomerRow",
    CustomerRow,
    [
      { id: "C-1", company: "Company 1", priceList: "B2B", version: 1 },
      { id: "C-2", email: "buyer@example.com", company: "C", priceList: "B2B", paymentTerms: "30 days", creditLimit: "5000.00", balance: -12.5, version: 1 },
    ],
  ],
  [
    "OrderRow",
    OrderRow,
    [
      { orderRef: "O-1", status: "confirmed", at, version: 1 },
      {
        orderRef: "O-2",
        orderNumber: "#1002",
        email: "a@example.com",
        erpRef: "SO-2",
        erpId: "9",
        status: "shipped",
        shipments: [
          { carrier: "dhl", trackingNumber: "JJD1", trackingUrl: "HTTPS://Example.com/t?x=1", shippedAt: "2026-11-29", items: [{ sku: "SKU-1", qty: 2 }] },
        ],
        at,
        version: 2,
      },
    ],
  ],
];

/** Values that sit on or just beyond the edges the row schemas draw. */
const edgy = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "a b",
    "EUR",
    "eur",
    "DE",
    "12.50",
    "-1",
    "1e3",
    "12.1234567",
    "2099-01-15",
    "2099-02-30",
    "2026-11-30T05:00:00Z",
    "2026-11-30T05:00:00",
    "a@example.com",
    "not-an-email",
    "confirmed",
    "CONFIRMED",
    "https://t.example/x",
    "ftp://t.example/x",
    "https://u:p@t.example/",
    "x".repeat(64),
    "x".repeat(65),
    "x".repeat(128),
    "x".repeat(129),
    "x".repeat(501),
    "\u0000",
    "tab\there",
    "ü",
  ),
  fc.constantFrom(0, -0, 1, -1, 1.5, 365, 366, 1e9, 1e9 + 1, -1e9, -1e9 - 1, 2 ** 53 - 1, 2 ** 53, 1e308, Number.MAX_VALUE),
  fc.constantFrom(true, false, null, [], {}, ["SKU-1"], ["a b"], [{ qty: 1, eta: "2099-01-15" }], [{ qty: 0, eta: "2099-01-15" }], [{ sku: "S", qty: 1 }]),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A valid row with one field (or a nested element's field) replaced, removed or added. */
function broken(rows: Record<string, unknown>[]) {
  return fc
    .tuple(fc.constantFrom(...rows), fc.nat(), fc.oneof(edgy, fc.constant(undefined)), fc.boolean(), fc.string({ maxLength: 8 }))
    .map(([row, pick, value, nested, extra]) => {
      const copy: Record<string, unknown> = structuredClone(row);
      const keys = [...Object.keys(copy), extra];
      const key = keys[pick % keys.length] ?? extra;
      const target = copy[key];
      if (nested && Array.isArray(target) && typeof target[0] === "object" && target[0] !== null) {
        const inner: Record<string, unknown> = { ...target[0] };
        const innerKeys = [...Object.keys(inner), extra];
        const k = innerKeys[pick % innerKeys.length] ?? extra;
        if (value === undefined) delete inner[k];
        else inner[k] = value;
        copy[key] = [inner, ...target.slice(1)];
      } else if (value === undefined) delete copy[key];
      else copy[key] = value;
      return copy;
    });
}

describe("fastParser: never more lenient than zod, never a different output", () => {
  for (const [name, schema, rows] of VALID) {
    it(`${name}: realistic rows take the fast path and come out exactly as zod parses them`, () => {
      const fast = fastParser(schema);
      for (const row of rows) {
        const parsed = schema.safeParse(row);
        expect(parsed.success, JSON.stringify(row)).toBe(true);
        const out = fast(row);
        expect(out, JSON.stringify(row)).not.toBe(FAIL);
        expect(out).toStrictEqual(parsed.data);
      }
    });

    it(`${name}: a row broken one field at a time is rejected, or parsed exactly as zod parses it`, () => {
      const fast = fastParser(schema);
      fc.assert(
        fc.property(fc.oneof(broken(rows), edgy), (value) => {
          const out = fast(value);
          if (out === FAIL) return;
          const parsed = schema.safeParse(value);
          expect(parsed.success, JSON.stringify(value)).toBe(true);
          expect(out).toStrictEqual(parsed.data);
        }),
        { numRuns: 3_000 },
      );
    });
  }

  it("a row zod would not change comes back as itself, not copied; a plain object with an unknown key or a transformed field comes back as a new value, as zod builds it", () => {
    const Strict = z.strictObject({ sku: z.string(), tags: z.array(z.string()).optional() });
    const row = { sku: "A", tags: ["x"] };
    expect(fastParser(Strict)(row)).toBe(row);
    const Plain = z.object({ sku: z.string() });
    const extra = { sku: "A", note: "dropped" };
    expect(fastParser(Plain)(extra)).toStrictEqual(Plain.parse(extra));
    const Money = z.strictObject({ price: z.union([z.string(), z.number()]).transform(String) });
    const priced = { price: 12.5 };
    expect(fastParser(Money)(priced)).toStrictEqual({ price: "12.5" });
    expect(priced).toEqual({ price: 12.5 });
  });

  it("a part it does not know (a refinement, a default) is left to zod, and a transform that reports an issue is a FAIL: an extended schema stays exact", () => {
    const Row = z.strictObject({
      sku: z.string().refine((s) => s !== "FORBIDDEN", "forbidden"),
      unit: z.string().default("pcs"),
      qty: z.union([z.string(), z.number()]).transform((v) => Number(v)),
    });
    const fast = fastParser(Row);
    expect(fast({ sku: "A", qty: "3" })).toStrictEqual({ sku: "A", unit: "pcs", qty: 3 });
    expect(fast({ sku: "FORBIDDEN", qty: 1 })).toBe(FAIL);
    expect(fast({ sku: "A", qty: 1, extra: true })).toBe(FAIL);
    const Even = z.number().transform((n, ctx) => {
      if (n % 2 === 1) ctx.addIssue({ code: "custom", message: "odd" });
      return n / 2;
    });
    expect(fastParser(Even)(4)).toBe(2);
    expect(fastParser(Even)(3)).toBe(FAIL);
  });
});
