import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BackInStockWebhook } from "../../worker/contract";
import { verifyStandardWebhook } from "../../worker/domain/standard-webhooks";
import { runScheduled } from "../../worker/scheduled";
import { fakeFetch } from "../fakes/router";
import { until } from "../fakes/wait";
import { ADMIN, call, createShop, ORIGIN, poolDb, pushOk, snapshotTables } from "./helpers";

/**
 * Back-in-stock notify-me, step by step: the shop opts in, a shopper subscribes with consent, the
 * shop is asked (signed webhook) to email the confirmation link, the link confirms, and when the
 * ERP's stock returns the shop gets exactly one signed `stock.back_in_stock` webhook per subscriber.
 */

const SHOP = "bis-shop";
/** The shop's data plane: its pool's database. */
const db = poolDb(SHOP);
const CONSENT = "Yes, email me once when this product is back in stock.";
let erpSecret: string;
let hookSecret: string;

/** The shop's webhook receiver: records every delivery with its headers; answers `status`. */
const received: Array<{ headers: Headers; body: string }> = [];
let status = 200;
const receiver = {
  async fetch(req: Request): Promise<Response> {
    received.push({ headers: req.headers, body: await req.text() });
    return new Response(null, { status });
  },
};

let version = 0;
const stock = (sku: string, onHand: number) => pushOk(SHOP, erpSecret, "stock", { items: [{ sku, warehouse: "BER", onHand, version: ++version }] });
const subscribe = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(`/v1/shops/${SHOP}/back-in-stock/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250)}`, ...headers },
    body: JSON.stringify(body),
  });
const good = (email: string, sku = "SOLD-OUT") => ({ sku, email, consent: true, consentText: CONSENT, locale: "de-DE" });

/** The webhooks received so far, signature-checked with the shop's secret and parsed by the contract. */
async function webhooks(): Promise<Array<{ id: string; hook: BackInStockWebhook }>> {
  const out = [];
  for (const r of received) {
    const h = {
      id: r.headers.get("webhook-id") ?? undefined,
      timestamp: r.headers.get("webhook-timestamp") ?? undefined,
      signature: r.headers.get("webhook-signature") ?? undefined,
    };
    expect(await verifyStandardWebhook(hookSecret, h, r.body, Date.now() / 1000)).toBeUndefined();
    out.push({ id: h.id ?? "", hook: BackInStockWebhook.parse(JSON.parse(r.body)) });
  }
  return out;
}
const ofType = async <T extends BackInStockWebhook["type"]>(type: T) =>
  (await webhooks()).filter((w): w is { id: string; hook: Extract<BackInStockWebhook, { type: T }> } => w.hook.type === type);

const confirmationFor = (email: string) =>
  until(async () => (await ofType("back_in_stock.confirmation_requested")).find((w) => w.hook.data.email === email), 5000, `confirmation for ${email}`);
const row = (email: string) =>
  db
    .prepare("SELECT status, consent_text, consented_at, confirmed_at, sku FROM back_in_stock_subscriptions WHERE shop_id = ? AND email = ?")
    .bind(SHOP, email)
    .first<{ status: string; consent_text: string; consented_at: number; confirmed_at: number | null; sku: string }>();
const path = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

vi.setConfig({ testTimeout: 20_000 });

beforeAll(async () => {
  vi.stubGlobal("fetch", fakeFetch({ "hooks.shop.example": receiver }));
  ({ erpSecret } = await createShop(SHOP));
  await pushOk(SHOP, erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await pushOk(SHOP, erpSecret, "products", {
    products: [
      { sku: "SOLD-OUT", name: "Sold out", aliases: ["sold-out-old"], version: 1 },
      { sku: "ON-SHELF", name: "On shelf", version: 1 },
    ],
  });
  await stock("SOLD-OUT", 0);
  await stock("ON-SHELF", 5);
});
afterEach(() => {
  status = 200;
});

describe("the shop's opt-in", () => {
  it("is off until the operator sets it; only the operator may, with a URL the edge may call", async () => {
    expect(await (await call(`/v1/shops/${SHOP}/back-in-stock`)).json()).toEqual({ enabled: false });
    expect((await subscribe(good("early@example.com"))).status).toBe(404);
    const body = { enabled: true, webhookUrl: "https://hooks.shop.example/backroom", consentText: CONSENT };
    const put = (b: unknown, headers: Record<string, string> = ADMIN) =>
      call(`/v1/admin/shops/${SHOP}/back-in-stock`, { method: "PUT", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(b) });
    expect((await put(body, {})).status).toBe(401);
    const internal = await put({ ...body, webhookUrl: "https://user:pass@hooks.shop.example/backroom" });
    expect(internal.status).toBe(400);
    expect(await internal.json()).toMatchObject({ error: { code: "url_not_allowed" } });
    const res = await put(body);
    expect(res.status).toBe(200);
    const view = await res.json<{ secret: string }>();
    expect(view).toMatchObject({ ...body, secret: expect.stringMatching(/^whsec_/) });
    hookSecret = view.secret;
    // Saving again keeps the secret (and never shows it again).
    expect(await (await put(body)).json()).toEqual(body);
    expect(await (await call(`/v1/shops/${SHOP}/back-in-stock`)).json()).toEqual({ enabled: true, consentText: CONSENT });
  });
});

describe("subscribing", () => {
  it("refuses bad input with a 4xx in the one error shape and changes nothing", async () => {
    const before = await snapshotTables();
    expect(before[`${SHOP}/products`]?.rows).toBe(2); // the shop's pool is in the picture
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...good("a@example.com"), consent: false }, 400, "validation_failed"],
      [{ sku: "SOLD-OUT", email: "a@example.com", consentText: CONSENT }, 400, "validation_failed"],
      [{ ...good("not-an-email") }, 400, "validation_failed"],
      [{ ...good("a@example.com"), extra: 1 }, 400, "validation_failed"],
      [{ ...good("a@example.com"), sku: "has space" }, 400, "validation_failed"],
      [{ ...good("a@example.com"), locale: "<script>" }, 400, "validation_failed"],
      [{ ...good("a@example.com"), consentText: "Something else the shopper never saw" }, 409, "consent_text_changed"],
      [{ ...good("a@example.com"), sku: "NO-SUCH-SKU" }, 404, "sku_not_found"],
      [{ ...good("a@example.com"), sku: "ON-SHELF" }, 409, "sku_available"],
    ];
    for (const [body, code, errorCode] of cases) {
      const res = await subscribe(body);
      expect(res.status, JSON.stringify(body)).toBe(code);
      expect(await res.json()).toEqual({
        error: { code: errorCode, message: expect.any(String), ...(errorCode === "validation_failed" ? { details: expect.any(Array) } : {}) },
      });
    }
    const raw = await call(`/v1/shops/${SHOP}/back-in-stock/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(raw.status).toBe(400);
    const after = await snapshotTables();
    // Only the rate-limit counters moved.
    expect({ ...after, [`${SHOP}/rate_limits`]: undefined }).toEqual({ ...before, [`${SHOP}/rate_limits`]: undefined });
    expect(received).toEqual([]);
  });

  it("stores the consent and asks the shop, in a signed webhook, to email the confirmation link", async () => {
    const res = await subscribe(good("Anna@Example.com", "sold-out-old"));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "confirmation_sent" });
    const { hook } = await confirmationFor("anna@example.com");
    expect(hook.data).toMatchObject({ shop: SHOP, sku: "SOLD-OUT", locale: "de-DE", consentText: CONSENT });
    expect(hook.data.confirmUrl).toMatch(new RegExp(`^http://edge.test/v1/shops/${SHOP}/back-in-stock/confirm\\?token=`));
    expect(Date.parse(hook.data.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    expect(await row("anna@example.com")).toMatchObject({ status: "pending", consent_text: CONSENT, sku: "SOLD-OUT", confirmed_at: null });
    expect(Math.abs(((await row("anna@example.com"))?.consented_at ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it("limits how often one email address can be subscribed", async () => {
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await subscribe(good("flood@example.com"))).status);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe("confirming, restock and unsubscribing", () => {
  it("sends nothing on restock before the link is confirmed", async () => {
    await subscribe(good("unconfirmed@example.com"));
    await confirmationFor("unconfirmed@example.com");
    await stock("SOLD-OUT", 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(await ofType("stock.back_in_stock")).toEqual([]);
    const outbox = await db
      .prepare("SELECT count(*) AS n FROM back_in_stock_webhooks WHERE shop_id = ? AND type = 'stock.back_in_stock'")
      .bind(SHOP)
      .first<{ n: number }>();
    expect(outbox?.n).toBe(0);
    await stock("SOLD-OUT", 0);
  });

  it("confirms only by POST to the signed link; a forged, foreign or wrong-purpose token is a 400", async () => {
    const { hook } = await confirmationFor("anna@example.com");
    const page = await call(path(hook.data.confirmUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await row("anna@example.com"))?.status).toBe("pending");
    const token = new URL(hook.data.confirmUrl).searchParams.get("token") ?? "";
    const bad = [`${token.slice(0, -2)}00`, "", "nonsense", new URL(hook.data.unsubscribeUrl).searchParams.get("token") ?? ""];
    for (const t of bad) {
      const res = await call(`/v1/shops/${SHOP}/back-in-stock/confirm?token=${encodeURIComponent(t)}`, { method: "POST" });
      expect(res.status, t).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: expect.stringMatching(/^token_/) } });
    }
    const other = await createShop("bis-other");
    expect(other.erpSecret).toBeTruthy();
    expect((await call(`/v1/shops/bis-other/back-in-stock/confirm?token=${token}`, { method: "POST" })).status).toBe(400);
    const done = await call(path(hook.data.confirmUrl), { method: "POST" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Confirmed");
    expect((await row("anna@example.com"))?.status).toBe("confirmed");
  });

  it("unsubscribes by POST to the signed link (GET only asks), and forgets the email", async () => {
    await subscribe(good("leaver@example.com"));
    const { hook } = await confirmationFor("leaver@example.com");
    await call(path(hook.data.confirmUrl), { method: "POST" });
    expect((await row("leaver@example.com"))?.status).toBe("confirmed");
    const ask = await call(path(hook.data.unsubscribeUrl));
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('<form method="post"');
    expect((await row("leaver@example.com"))?.status).toBe("confirmed");
    const done = await call(path(hook.data.unsubscribeUrl), {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(done.status).toBe(200);
    expect(await row("leaver@example.com")).toBeNull();
    // Again: still fine (one-click unsubscribe is idempotent).
    expect((await call(path(hook.data.unsubscribeUrl), { method: "POST" })).status).toBe(200);
  });

  it("sends one signed stock.back_in_stock webhook with the confirmed subscribers when stock returns, and never again for them", async () => {
    await stock("SOLD-OUT", 4);
    const [restock] = await until(async () => {
      const list = await ofType("stock.back_in_stock");
      return list.length > 0 ? list : undefined;
    });
    expect(restock?.hook.data).toMatchObject({ shop: SHOP, sku: "SOLD-OUT", available: 4 });
    expect(restock?.hook.data.subscribers.map((s) => s.email)).toEqual(["anna@example.com"]);
    expect(restock?.hook.data.subscribers[0]).toMatchObject({ locale: "de-DE", unsubscribeUrl: expect.stringContaining("/back-in-stock/unsubscribe?token=") });
    expect((await row("anna@example.com"))?.status).toBe("notified");
    // More stock, a sell-out and a restock: Anna is not listed again.
    await stock("SOLD-OUT", 9);
    await stock("SOLD-OUT", 0);
    await stock("SOLD-OUT", 2);
    await runScheduled("* * * * *", env, Date.now() + 3_600_000, fetch);
    await new Promise((r) => setTimeout(r, 300));
    expect(await ofType("stock.back_in_stock")).toHaveLength(1);
  });

  it("retries a webhook the shop did not take, from the cron, with the same webhook-id", async () => {
    await stock("SOLD-OUT", 0);
    await subscribe(good("retry@example.com"));
    const { hook } = await confirmationFor("retry@example.com");
    await call(path(hook.data.confirmUrl), { method: "POST" });
    status = 503;
    await stock("SOLD-OUT", 1);
    const attempt = () =>
      db
        .prepare(
          "SELECT w.id, w.status, w.attempts, w.last_error FROM back_in_stock_webhooks w JOIN back_in_stock_subscriptions s ON s.webhook_id = w.id WHERE s.shop_id = ? AND s.email = ?",
        )
        .bind(SHOP, "retry@example.com")
        .first<{ id: string; status: string; attempts: number; last_error: string }>();
    const failed = await until(async () => ((await attempt())?.attempts === 1 ? attempt() : undefined));
    expect(failed).toMatchObject({ status: "pending", last_error: "HTTP 503" });
    status = 200;
    const ticks = await runScheduled("* * * * *", env, Date.now() + 5 * 60_000, fetch);
    expect(ticks.backInStock).toBe(1);
    expect(await attempt()).toMatchObject({ id: failed?.id, status: "delivered", attempts: 2 });
    const deliveries = (await ofType("stock.back_in_stock")).filter((w) => w.hook.data.subscribers.some((s) => s.email === "retry@example.com"));
    expect(deliveries.map((d) => d.id)).toEqual([failed?.id, failed?.id]);
  });
});

describe("a stock pool", () => {
  it("tells a channel's subscribers when the pool's stock returns, whichever channel's URL the ERP pushed to", async () => {
    const CHANNEL = "bis-channel";
    await createShop(CHANNEL);
    const json = (body: unknown) => ({ method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await call(`/v1/admin/pools/${SHOP}/channels/${CHANNEL}`, json({}))).status).toBe(200);
    const setup = await call(
      `/v1/admin/shops/${CHANNEL}/back-in-stock`,
      json({ enabled: true, webhookUrl: "https://hooks.shop.example/b2b", consentText: CONSENT }),
    );
    const { secret } = await setup.json<{ secret: string }>();
    await stock("SOLD-OUT", 0);
    received.length = 0;
    const sub = await call(`/v1/shops/${CHANNEL}/back-in-stock/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "cf-connecting-ip": "198.51.100.7" },
      body: JSON.stringify(good("buyer@b2b.example")),
    });
    expect(sub.status).toBe(202);
    /** This channel's webhooks, signature-checked with its own secret. */
    const channelHooks = async () => {
      const out: BackInStockWebhook[] = [];
      for (const r of received) {
        const h = {
          id: r.headers.get("webhook-id") ?? undefined,
          timestamp: r.headers.get("webhook-timestamp") ?? undefined,
          signature: r.headers.get("webhook-signature") ?? undefined,
        };
        if ((await verifyStandardWebhook(secret, h, r.body, Date.now() / 1000)) === undefined) out.push(BackInStockWebhook.parse(JSON.parse(r.body)));
      }
      return out;
    };
    const ask = await until(async () => (await channelHooks()).find((h) => h.type === "back_in_stock.confirmation_requested"));
    if (ask.type !== "back_in_stock.confirmation_requested") throw new Error("not a confirmation request");
    expect((await call(path(ask.data.confirmUrl), { method: "POST" })).status).toBe(200);
    // The ERP pushes to the root shop's URL; the stock is the pool's.
    await stock("SOLD-OUT", 6);
    const back = await until(async () => (await channelHooks()).find((h) => h.type === "stock.back_in_stock"), 5000, "the channel's restock webhook");
    expect(back.data).toMatchObject({ shop: CHANNEL, sku: "SOLD-OUT" });
    if (back.type !== "stock.back_in_stock") throw new Error("not a restock");
    expect(back.data.subscribers.map((s) => s.email)).toEqual(["buyer@b2b.example"]);
  });
});
