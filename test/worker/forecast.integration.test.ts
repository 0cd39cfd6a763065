import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sendBackInStockWebhooks } from "../../worker/back-in-stock/webhooks";
import type { StaffForecast } from "../../worker/contract/quality";
import { verifyStandardWebhook } from "../../worker/domain/standard-webhooks";
import { recomputeForecasts } from "../../worker/forecast/job";
import { withPool } from "../../worker/pool/plane";
import { runScheduled } from "../../worker/scheduled";
import { ADMIN, call, createShop, poolDb, pushOk } from "./helpers";

/** Forecasts, reorder suggestions and the stock.low webhook (issue 15). */

const SHOP = "forecast";
const DAY = 86_400_000;
let key: string;
let erpSecret: string;

const staff = (path: string) => call(`/v1/staff/${SHOP}${path}`, { headers: { authorization: `Bearer ${key}` } });
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  const s = await createShop(SHOP);
  key = s.staffKey;
  erpSecret = s.erpSecret;
  await pushOk(SHOP, erpSecret, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin", leadTimeDays: 7 },
      { code: "HAM", name: "Hamburg" },
    ],
  });
  await pushOk(SHOP, erpSecret, "products", {
    products: [
      { sku: "TEE", name: "Tee", version: 1 },
      { sku: "RARE", name: "Rare", version: 1 },
    ],
  });
  await pushOk(SHOP, erpSecret, "stock", {
    items: [
      { sku: "TEE", warehouse: "BER", onHand: 30, version: 1 },
      { sku: "TEE", warehouse: "HAM", onHand: 500, version: 1 },
      { sku: "RARE", warehouse: "BER", onHand: 40, version: 1 },
    ],
  });
  // 20 weeks of history up to yesterday: TEE sells 5 a day in Berlin; RARE 12 every fourth week.
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const sales = [];
  for (let d = 1; d <= 140; d++) {
    sales.push({ sku: "TEE", warehouse: "BER", date: isoDay(today - d * DAY), qty: 5 });
    if (d % 28 === 0) sales.push({ sku: "RARE", warehouse: "BER", date: isoDay(today - d * DAY), qty: 12 });
  }
  await pushOk(SHOP, erpSecret, "sales", { sales });
});

describe("GET /v1/staff/:shop/forecast/:sku", () => {
  it("forecasts each warehouse 12 weeks ahead with cover and a reorder suggestion from its lead time", async () => {
    expect((await call(`/v1/staff/${SHOP}/forecast/TEE`)).status).toBe(401);
    expect((await staff("/forecast/NOPE")).status).toBe(404);
    const res = await staff("/forecast/TEE");
    expect(res.status).toBe(200);
    const f = await res.json<StaffForecast>();
    expect(f.serviceLevel).toBe(0.95);
    const [ber, ham] = f.warehouses;
    expect(ber).toMatchObject({ warehouse: "BER", class: "regular", method: "holt-damped", available: 30, leadTimeDays: 7, reorderNow: true });
    for (const w of ber?.weekly ?? []) expect(w).toBeCloseTo(35, 0);
    expect(ber?.history).toEqual(Array.from({ length: 12 }, () => 35));
    expect(ber?.coverDays).toBeCloseTo(6, 0);
    // Lead time 7 days + a 28-day review period at 5 a day, less the 30 in stock.
    expect(ber?.suggestedQty).toBe(175 - 30);
    expect(ham).toMatchObject({ warehouse: "HAM", class: "none", method: "zero", leadTimeDays: 14, reorderNow: false, suggestedQty: 0 });
    expect(ham?.coverDays).toBeUndefined();
  });

  it("treats a SKU that sells in few weeks as intermittent", async () => {
    const f = await staff("/forecast/RARE").then((r) => r.json<StaffForecast>());
    expect(f.warehouses[0]).toMatchObject({ class: "intermittent", method: "sba" });
    expect(f.warehouses[0]?.weekly[0]).toBeGreaterThan(2);
  });
});

describe("the forecast cron, the reorder-now list and stock.low", () => {
  it("recomputes in bounded chunks, lists what to reorder now, and sends one signed stock.low per SKU × warehouse that falls to its reorder point", async () => {
    const setup = await call(`/v1/admin/shops/${SHOP}/back-in-stock`, {
      method: "PUT",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ enabled: true, webhookUrl: "https://hooks.shop.example/backroom", consentText: "Email me when it is back." }),
    });
    const { secret } = await setup.json<{ secret: string }>();
    const now = Date.now();
    // Every stock row of the shop's pool, two at a time, until the cursor starts over.
    let rounds = 0;
    while ((await recomputeForecasts(poolDb(SHOP), now, 2)) === 2 && rounds < 1000) rounds++;
    const list = await staff("/reorder").then((r) => r.json<{ items: Array<{ sku: string; warehouse: string; suggestedQty: number }> }>());
    expect(list.items).toEqual([expect.objectContaining({ sku: "TEE", warehouse: "BER", suggestedQty: 145, name: "Tee" })]);

    const sent: Array<{ headers: Headers; body: string }> = [];
    const doFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      sent.push({ headers: req.headers, body: await req.text() });
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    await sendBackInStockWebhooks(withPool(env, SHOP), doFetch, Date.now());
    const low = sent.filter((s) => s.body.includes('"stock.low"'));
    expect(low).toHaveLength(1);
    const [hook] = low;
    if (!hook) throw new Error("sent");
    expect(JSON.parse(hook.body)).toMatchObject({
      type: "stock.low",
      data: { shop: SHOP, sku: "TEE", warehouse: "BER", available: 30, reorderPoint: 35, suggestedQty: 145 },
    });
    const failure = await verifyStandardWebhook(
      secret,
      {
        id: hook.headers.get("webhook-id") ?? undefined,
        timestamp: hook.headers.get("webhook-timestamp") ?? undefined,
        signature: hook.headers.get("webhook-signature") ?? undefined,
      },
      new TextEncoder().encode(hook.body),
      Date.now() / 1000,
    );
    expect(failure).toBeUndefined();

    // Still below: no second alert. The every-minute cron runs the same job.
    expect((await runScheduled("* * * * *", env, Date.now(), doFetch)).forecasts).toBeGreaterThan(0);
    while ((await recomputeForecasts(poolDb(SHOP), Date.now(), 50)) === 50);
    sent.length = 0;
    await sendBackInStockWebhooks(withPool(env, SHOP), doFetch, Date.now());
    expect(sent.filter((s) => s.body.includes('"stock.low"'))).toHaveLength(0);
  });

  it("a tick costs the same few calls into the pool however many series it recomputes", async () => {
    const callsFor = async (limit: number) => {
      let calls = 0;
      const db = poolDb(SHOP);
      const counted = new Proxy(db, {
        get: (target, key) => {
          if (key === "batch")
            return (list: D1PreparedStatement[]) => {
              calls++;
              return target.batch(list);
            };
          if (key !== "prepare") return Reflect.get(target, key);
          return (sql: string) =>
            new Proxy(target.prepare(sql), {
              get: function statement(stmt, k): unknown {
                const value = Reflect.get(stmt, k);
                if (k === "bind") return (...args: unknown[]) => new Proxy(stmt.bind(...args), { get: statement });
                if (k === "first" || k === "all" || k === "run" || k === "raw") calls++;
                return typeof value === "function" ? value.bind(stmt) : value;
              },
            });
        },
      });
      const done = await recomputeForecasts(counted, Date.now() + 8 * 86_400_000, limit);
      return { done, calls };
    };
    const one = await callsFor(1);
    const many = await callsFor(6);
    expect(one.done).toBe(1);
    expect(many.done).toBeGreaterThan(1);
    // The cursor, the keys, every series' reads in one batch, every write in one more.
    expect(many.calls).toBe(one.calls);
    expect(many.calls).toBeLessThanOrEqual(4);
  });
});
