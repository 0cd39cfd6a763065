import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ORIGIN, call, createShop, pushOk } from "./helpers";

/** Order lookup by number + email: the customer's tracking, without telling a guesser which half was wrong. */

const SHOP = "lookup";
let clientCounter = 0;
/** Each case is its own client (its own rate-limit bucket) unless it says otherwise. */
const newClient = () => `203.0.113.${++clientCounter}`;

const lookup = (body: unknown, client = newClient(), shop = SHOP) =>
  call(`/v1/shops/${shop}/orders/lookup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, "cf-connecting-ip": client },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  const { erpSecret } = await createShop(SHOP);
  await pushOk(SHOP, erpSecret, "orders", {
    orders: [
      { orderRef: "5001", orderNumber: "#1001", email: "Jane.Doe@Example.com", status: "received", at: "2026-11-01T09:00:00Z", version: 1 },
      { orderRef: "5002", orderNumber: "1002", email: "max@example.com", status: "confirmed", at: "2026-11-02T09:00:00Z", version: 1 },
      { orderRef: "5003", orderNumber: "#1003", status: "confirmed", at: "2026-11-02T09:00:00Z", version: 1 },
    ],
  });
  await pushOk(SHOP, erpSecret, "orders", {
    orders: [
      {
        orderRef: "5001",
        erpRef: "SO-77",
        status: "shipped",
        shipments: [
          { carrier: "UPS", trackingNumber: "1Z5R89390357567127", shippedAt: "2026-11-03T15:00:00Z" },
          { carrier: "Own fleet", trackingNumber: "TRUCK-9", trackingUrl: "https://fleet.example/t/TRUCK-9" },
          { carrier: "Unknown Co", trackingNumber: "ABC" },
        ],
        at: "2026-11-03T15:00:00Z",
        version: 2,
      },
    ],
  });
});

describe("order lookup", () => {
  it("answers status, timeline and shipments, deriving the carrier's tracking URL when the ERP sent none", async () => {
    const res = await lookup({ orderNumber: "#1001", email: "jane.doe@example.com" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      orderNumber: "#1001",
      status: "shipped",
      timeline: [
        { status: "received", at: "2026-11-01T09:00:00.000Z" },
        { status: "shipped", at: "2026-11-03T15:00:00.000Z" },
      ],
      shipments: [
        {
          carrier: "UPS",
          trackingNumber: "1Z5R89390357567127",
          trackingUrl: "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z5R89390357567127",
        },
        { carrier: "Own fleet", trackingNumber: "TRUCK-9", trackingUrl: "https://fleet.example/t/TRUCK-9" },
        { carrier: "Unknown Co", trackingNumber: "ABC" },
      ],
    });
  });

  it("matches the number with or without '#', and the email in any case with surrounding spaces", async () => {
    expect((await lookup({ orderNumber: "1001", email: "JANE.DOE@EXAMPLE.COM" })).status).toBe(200);
    expect((await lookup({ orderNumber: "#1002", email: "max@example.com" })).status).toBe(200);
    expect((await lookup({ orderNumber: " 1002 ", email: "max@example.com" })).status).toBe(200);
  });

  it("gives byte-identical 404s for an unknown order, a wrong email and an order without email", async () => {
    const answers = [
      await lookup({ orderNumber: "#9999", email: "jane.doe@example.com" }),
      await lookup({ orderNumber: "#1001", email: "someone.else@example.com" }),
      await lookup({ orderNumber: "#1003", email: "jane.doe@example.com" }),
      await lookup({ orderNumber: "#1001", email: "max@example.com" }),
    ];
    const bodies = await Promise.all(answers.map((r) => r.text()));
    for (const [i, res] of answers.entries()) {
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe(answers[0]?.headers.get("content-type"));
      expect(bodies[i]).toBe(bodies[0]);
    }
    expect(JSON.parse(bodies[0] ?? "")).toEqual({ error: { code: "order_not_found", message: expect.any(String) } });
  });

  it("finds each customer's own order when two orders share a number", async () => {
    const { erpSecret } = await createShop("lookup-shared");
    await pushOk("lookup-shared", erpSecret, "orders", {
      orders: [
        { orderRef: "A", orderNumber: "#2001", email: "first@example.com", status: "delivered", at: "2026-11-01T09:00:00Z", version: 1 },
        { orderRef: "B", orderNumber: "2001", email: "second@example.com", status: "picking", at: "2026-11-02T09:00:00Z", version: 1 },
      ],
    });
    const first = await lookup({ orderNumber: "2001", email: "first@example.com" }, newClient(), "lookup-shared");
    const second = await lookup({ orderNumber: "#2001", email: "Second@Example.com" }, newClient(), "lookup-shared");
    expect(await first.json()).toMatchObject({ status: "delivered" });
    expect(await second.json()).toMatchObject({ status: "picking" });
  });

  it("does not find another shop's order", async () => {
    await createShop("lookup-other");
    const res = await lookup({ orderNumber: "#1001", email: "jane.doe@example.com" }, newClient(), "lookup-other");
    expect(res.status).toBe(404);
  });

  it("rejects malformed lookups with 400", async () => {
    for (const body of [
      {},
      { orderNumber: "#1001" },
      { orderNumber: "#1001", email: "not-an-email" },
      { orderNumber: "", email: "a@b.example" },
      { orderNumber: "#1001", email: "jane.doe@example.com", extra: 1 },
    ]) {
      const res = await lookup(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "validation_failed" } });
    }
  });

  it("rate-limits each client per minute with 429 and retry-after, counting misses and hits alike", async () => {
    const limit = Number(env.LOOKUP_RATE_PER_MINUTE);
    expect(limit).toBeGreaterThan(0);
    // The limiter counts fixed one-minute windows; start well inside one so the run cannot straddle two.
    const intoWindow = (Date.now() / 1000) % 60;
    if (intoWindow > 50) await new Promise((r) => setTimeout(r, (61 - intoWindow) * 1000));
    const client = newClient();
    for (let i = 0; i < limit; i++) {
      const res = await lookup(i % 2 ? { orderNumber: "#1001", email: "jane.doe@example.com" } : { orderNumber: "#9999", email: "x@example.com" }, client);
      expect(res.status, `lookup ${i + 1}`).not.toBe(429);
    }
    const limited = await lookup({ orderNumber: "#1001", email: "jane.doe@example.com" }, client);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = await limited.text();
    expect(JSON.parse(body)).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });
    expect(body).not.toContain("shipped");
    // Another client is not affected.
    expect((await lookup({ orderNumber: "#1001", email: "jane.doe@example.com" })).status).toBe(200);
  }, 30_000);
});
