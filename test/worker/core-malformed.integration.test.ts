import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERP_LIMITS } from "../../worker/contract";
import { call, createShop, push, pushOk, snapshotTables } from "./helpers";

/**
 * ~1,000 generated bad ERP pushes, every one correctly signed so that it reaches the parser:
 * invalid JSON, non-object bodies, broken envelopes, rows with wrong types, missing and unknown
 * fields, huge strings, deep nesting, too many rows, too many bytes. Every answer must be a 4xx in
 * the error shape, never a 5xx, and not one stored row may change.
 */

const SHOP = "fuzz";
let secret: string;
let baseline: Awaited<ReturnType<typeof snapshotTables>>;
let sent = 0;
let mixRun = 0;

type Resource = keyof typeof ERP_LIMITS;
interface Spec {
  key: string;
  valid: Record<string, unknown>;
  strings: string[];
  ints: string[];
}

const SPECS: Record<Resource, Spec> = {
  warehouses: { key: "warehouses", valid: { code: "FZ", name: "Fuzz" }, strings: ["code", "name"], ints: [] },
  products: { key: "products", valid: { sku: "FZ-1", name: "Fuzz", version: 9 }, strings: ["sku", "name"], ints: ["version"] },
  stock: { key: "items", valid: { sku: "FZ-1", warehouse: "BER", onHand: 1, version: 9 }, strings: ["sku", "warehouse"], ints: ["onHand", "version"] },
  prices: {
    key: "prices",
    valid: { list: "L1", sku: "FZ-1", minQty: 1, unitPrice: "1.00", version: 9 },
    strings: ["list", "sku", "unitPrice"],
    ints: ["minQty", "version"],
  },
  customers: {
    key: "customers",
    valid: { id: "C-FZ", company: "Fuzz", priceList: "L1", version: 9 },
    strings: ["id", "company", "priceList"],
    ints: ["version"],
  },
  orders: {
    key: "orders",
    valid: { orderRef: "O-FZ", status: "received", at: "2026-01-01", version: 9 },
    strings: ["orderRef", "status", "at"],
    ints: ["version"],
  },
};
const RESOURCES = Object.keys(SPECS) as Resource[];
const resource = fc.constantFrom(...RESOURCES);

/** Sends a signed raw body; answers status and body text. */
async function send(res: Resource, raw: string): Promise<{ status: number; text: string }> {
  sent++;
  const r = await push(SHOP, secret, res, undefined, { rawBody: raw });
  return { status: r.status, text: await r.text() };
}

/** A 4xx in the one error shape; `expected` pins the status and code when the case knows them. */
function expectRefused(answer: { status: number; text: string }, expected?: { status: number; code?: string }, what = "") {
  if (answer.status >= 500 || answer.status < 400) throw new Error(`${what}: got ${answer.status} ${answer.text.slice(0, 300)}`);
  const body = JSON.parse(answer.text);
  expect(body, what).toMatchObject({ error: { code: expect.stringMatching(/^[a-z][a-z0-9_]*$/), message: expect.any(String) } });
  if (expected)
    expect({ status: answer.status, code: body.error.code }, what).toMatchObject({
      status: expected.status,
      ...(expected.code ? { code: expected.code } : {}),
    });
}

// Values of the wrong type for a string field, and for an integer field.
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const notAnInt = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
  fc.integer({ min: -1000, max: 1000 }).map((n) => n + 0.5),
  fc.constantFrom(1e300, -1e300, 2 ** 60),
);
const hugeString = fc.integer({ min: 1_000, max: 200_000 }).map((n) => "x".repeat(n));
const unknownKey = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "prototype", "Version", "SKU", "on_hand"));

/** One row of `res` that the contract must reject, made from a valid row by one or more mutations. */
const badRow = (res: Resource) => {
  const spec = SPECS[res];
  const fields = Object.keys(spec.valid);
  const mutation = fc.oneof(
    fc.constantFrom(...fields).map((f) => (row: Record<string, unknown>) => {
      delete row[f];
    }),
    fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => (row: Record<string, unknown>) => {
      if (k in spec.valid) return; // not unknown: leave it to the other mutations
      Object.defineProperty(row, fc.stringify(k).length > 0 ? k : "x", { value: v, enumerable: true, configurable: true, writable: true });
    }),
    fc.tuple(fc.constantFrom(...spec.strings), fc.oneof(notAString, hugeString)).map(([f, v]) => (row: Record<string, unknown>) => {
      row[f] = v;
    }),
    ...(spec.ints.length
      ? [
          fc.tuple(fc.constantFrom(...spec.ints), notAnInt).map(([f, v]) => (row: Record<string, unknown>) => {
            row[f] = v;
          }),
        ]
      : []),
  );
  // At least one mutation that surely breaks the row: a missing required field always does.
  return fc.tuple(fc.constantFrom(...fields), fc.array(mutation, { maxLength: 3 })).map(([drop, more]) => {
    const row: Record<string, unknown> = { ...spec.valid };
    for (const m of more) m(row);
    delete row[drop];
    return row;
  });
};

/** A row that is no object at all. */
const notARow = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
);

beforeAll(async () => {
  secret = (await createShop(SHOP)).erpSecret;
  // Real data in every table, so a stray write would show in the snapshot.
  await pushOk(SHOP, secret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await pushOk(SHOP, secret, "products", { products: [{ sku: "FZ-1", name: "Fuzz one", version: 5 }] });
  await pushOk(SHOP, secret, "stock", { items: [{ sku: "FZ-1", warehouse: "BER", onHand: 3, version: 5 }] });
  await pushOk(SHOP, secret, "prices", {
    lists: [{ id: "L1", name: "List", currency: "EUR" }],
    prices: [{ list: "L1", sku: "FZ-1", minQty: 1, unitPrice: "2.00", version: 5 }],
  });
  await pushOk(SHOP, secret, "customers", { customers: [{ id: "C-1", company: "Co", priceList: "L1", version: 5 }] });
  await pushOk(SHOP, secret, "orders", { orders: [{ orderRef: "O-1", status: "received", at: "2026-01-01", version: 5 }] });
  baseline = await snapshotTables();
});

afterAll(() => {
  console.log(`core-malformed: ${sent} malformed pushes sent`);
});

describe("malformed ERP pushes: always 4xx, never a 5xx, nothing changed", () => {
  it("bodies that are not JSON → 400 invalid_json", async () => {
    const notJson = fc.oneof(
      fc.string({ maxLength: 200 }).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
      fc.jsonValue().map((v) => JSON.stringify({ items: [v] }).slice(0, -1)),
      fc.constantFrom("", " ", "{", "[", "NaN", "undefined", "{'items': []}", '{"items": [1,]}', '{"items": [01]}', "\u0000", '{"items":[{"sku":"\\ud800"]}'),
    );
    await fc.assert(
      fc.asyncProperty(resource, notJson, async (res, raw) => {
        expectRefused(await send(res, raw), { status: 400, code: "invalid_json" }, raw.slice(0, 60));
      }),
      { numRuns: 150 },
    );
    expect(await snapshotTables()).toEqual(baseline);
  }, 60_000);

  it("JSON that is no object, or an object with a broken envelope → 400", async () => {
    const envelope = (res: Resource) => {
      const key = SPECS[res].key;
      return fc.oneof(
        fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })),
        fc.constant({}),
        fc.constant({ [key]: [] }),
        fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 1 })).map((v) => ({ [key]: v })),
        fc
          .tuple(unknownKey, fc.jsonValue({ maxDepth: 2 }))
          .filter(([k]) => k !== key && !(res === "prices" && k === "lists"))
          .map(([k, v]) => JSON.parse(`{${JSON.stringify(key)}: [${JSON.stringify(SPECS[res].valid)}], ${JSON.stringify(k)}: ${JSON.stringify(v ?? null)}}`)),
        fc.constant(JSON.parse(`{${JSON.stringify(key.toUpperCase())}: [${JSON.stringify(SPECS[res].valid)}]}`)),
      );
    };
    await fc.assert(
      fc.asyncProperty(
        resource.chain((res) => fc.tuple(fc.constant(res), envelope(res))),
        async ([res, body]) => {
          const raw = JSON.stringify(body);
          // An empty prices body (no lists, no prices) is the prices envelope's own "nothing to do".
          expectRefused(await send(res, raw), { status: 400 }, `${res} ${raw.slice(0, 80)}`);
        },
      ),
      { numRuns: 250 },
    );
    expect(await snapshotTables()).toEqual(baseline);
  }, 60_000);

  it("bodies whose every row is bad → 422 all_rows_rejected, each row named", async () => {
    const body = resource.chain((res) =>
      fc.tuple(fc.constant(res), fc.array(fc.oneof({ weight: 4, arbitrary: badRow(res) }, { weight: 1, arbitrary: notARow }), { minLength: 1, maxLength: 6 })),
    );
    await fc.assert(
      fc.asyncProperty(body, async ([res, rows]) => {
        const answer = await send(res, JSON.stringify({ [SPECS[res].key]: rows }));
        expectRefused(answer, { status: 422, code: "all_rows_rejected" }, `${res} ${JSON.stringify(rows).slice(0, 120)}`);
        const rejected: Array<{ index: number; code: string }> = JSON.parse(answer.text).error.details.rejected;
        expect(rejected.map((r) => r.index)).toEqual(rows.map((_, i) => i));
      }),
      { numRuns: 500 },
    );
    expect(await snapshotTables()).toEqual(baseline);
  }, 120_000);

  it("rows that name warehouses or price lists the ERP never pushed are rejected like bad rows", async () => {
    expectRefused(await send("stock", JSON.stringify({ items: [{ sku: "FZ-1", warehouse: "NOPE", onHand: 1, version: 99 }] })), {
      status: 422,
      code: "all_rows_rejected",
    });
    expectRefused(await send("prices", JSON.stringify({ prices: [{ list: "NOPE", sku: "FZ-1", minQty: 1, unitPrice: "1.00", version: 99 }] })), {
      status: 422,
      code: "all_rows_rejected",
    });
    expectRefused(await send("customers", JSON.stringify({ customers: [{ id: "C-1", company: "X", priceList: "NOPE", version: 99 }] })), {
      status: 422,
      code: "all_rows_rejected",
    });
    expect(await snapshotTables()).toEqual(baseline);
  });

  it("deep nesting, in the envelope or inside a row → 4xx", async () => {
    for (const depth of [100, 10_000, 200_000]) {
      const deepArray = `${"[".repeat(depth)}${"]".repeat(depth)}`;
      const deepObject = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
      for (const res of RESOURCES) {
        const key = SPECS[res].key;
        const row = JSON.stringify(SPECS[res].valid).slice(0, -1);
        for (const raw of [
          `{"${key}":${deepArray}}`,
          `{"${key}":[${deepObject}]}`,
          `{"${key}":[${row},"nested":${deepObject}}]}`,
          `{"${key}":[${row}],"extra":${deepArray}}`,
          deepArray,
        ]) {
          expectRefused(await send(res, raw), undefined, `${res} depth ${depth}`);
        }
      }
    }
    expect(await snapshotTables()).toEqual(baseline);
  }, 60_000);

  it("more rows than a push may carry → 400, even when every row is valid", async () => {
    for (const res of RESOURCES) {
      const rows = Array.from({ length: ERP_LIMITS[res] + 1 }, () => SPECS[res].valid);
      expectRefused(await send(res, JSON.stringify({ [SPECS[res].key]: rows })), { status: 400, code: "validation_failed" }, `${res} ${rows.length} rows`);
    }
    expect(await snapshotTables()).toEqual(baseline);
  }, 60_000);

  it("bodies over 8 MiB → 413 payload_too_large, with or without a content-length", async () => {
    const big = JSON.stringify({ items: [{ sku: "FZ-1", warehouse: "BER", onHand: 1, version: 99, pad: "x".repeat(8 * 1024 * 1024) }] });
    expectRefused(await send("stock", big), { status: 413, code: "payload_too_large" });
    // Streamed (chunked) bodies carry no length up front.
    const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
    let left = 9;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (left-- > 0) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await call(`/v1/erp/${SHOP}/stock`, {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": "m", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA" },
      body: stream,
    });
    expectRefused({ status: res.status, text: await res.text() }, { status: 413, code: "payload_too_large" });
    expect(await snapshotTables()).toEqual(baseline);
  }, 60_000);
});

describe("partly bad pushes", () => {
  it("apply the good rows and name each bad one: one bad row never blocks the rest", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.oneof(fc.constant("good" as const), badRow("stock")), { minLength: 2, maxLength: 8 })
          .filter((rows) => rows.includes("good") && rows.some((r) => r !== "good")),
        async (plan) => {
          // Fresh SKUs every run (shrinking replays runs): a replayed row would be stale, not applied.
          const base = ++mixRun;
          const items = plan.map((r, i) => (r === "good" ? { sku: `MIX-${base}-${i}`, warehouse: "BER", onHand: i, version: 1 } : r));
          const res = await push(SHOP, secret, "stock", { items });
          expect(res.status).toBe(200);
          const result = await res.json<{ applied: number; stale: number; rejected: Array<{ index: number; code: string; message: string }> }>();
          const bad = plan.flatMap((r, i) => (r === "good" ? [] : [i]));
          expect(result.applied).toBe(plan.length - bad.length);
          expect(result.stale).toBe(0);
          expect(result.rejected.map((r) => r.index)).toEqual(bad);
          for (const r of result.rejected) expect(r).toEqual({ index: expect.any(Number), code: "invalid_row", message: expect.any(String) });
          const stored = await call(`/v1/shops/${SHOP}/availability?${plan.map((_, i) => `sku=MIX-${base}-${i}`).join("&")}`);
          const found = (await stored.json<{ items: Array<{ sku: string }> }>()).items.map((i) => i.sku).sort();
          expect(found).toEqual(plan.flatMap((r, i) => (r === "good" ? [`MIX-${base}-${i}`] : [])).sort());
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);

  it("count prices' rows across lists then prices, and reject prices of unknown lists alone", async () => {
    const res = await push(SHOP, secret, "prices", {
      lists: [{ id: "L2", name: "Second", currency: "EUR" }, { id: "L3" }],
      prices: [
        { list: "L2", sku: "FZ-1", minQty: 1, unitPrice: "1.50", version: 1 },
        { list: "L3", sku: "FZ-1", minQty: 1, unitPrice: "1.60", version: 1 },
        { list: "L2", sku: "FZ-1", minQty: 5, unitPrice: 1.4, version: 1 },
        { list: "L2", sku: "FZ-1", minQty: 10, unitPrice: "1,30", version: 1 },
      ],
    });
    expect(res.status).toBe(200);
    const result = await res.json<{ applied: number; rejected: Array<{ index: number; code: string }> }>();
    expect(result.applied).toBe(3);
    expect(result.rejected).toEqual([
      { index: 1, code: "invalid_row", message: expect.any(String) },
      { index: 3, code: "unknown_price_list", message: expect.any(String) },
      { index: 5, code: "invalid_row", message: expect.any(String) },
    ]);
  });
});
