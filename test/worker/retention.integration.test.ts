import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { pruneExpired, retentionFromEnv, UNCONFIRMED_MS } from "../../worker/db/retention";
import { markChangedSince } from "../../worker/db/stock-dirty";
import { CONFIRM_TTL_SECONDS } from "../../worker/routes/back-in-stock";
import { runScheduled } from "../../worker/scheduled";
import { shopifyHeaders, shopifyOrderBody, wooHeaders, wooOrderBody } from "../fakes/hooks";
import { call, createShop, poolDb, push } from "./helpers";

const SHOP = "ret";
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const PLATFORM_SECRET = "retention-platform-secret";
/** The shop's pool: its object keeps what retention prunes (the cron prunes each pool). */
const db = poolDb(SHOP);
let erpSecret: string;

const count = async (sql: string, ...args: unknown[]) =>
  Number(
    (
      await db
        .prepare(sql)
        .bind(...args)
        .first<{ n: number }>()
    )?.n ?? 0,
  );

const run = (sql: string, ...args: unknown[]) =>
  db
    .prepare(sql)
    .bind(...args)
    .run();

beforeAll(async () => {
  ({ erpSecret } = await createShop(SHOP, { platform: "shopify", platformWebhookSecret: PLATFORM_SECRET }));
});

describe("retention: the every-minute cron prunes what only grows", () => {
  it("prunes each kind after its period and keeps what is recent, pending or the only record", async () => {
    const old = NOW - 400 * DAY;
    const recent = NOW - 60_000;
    const big = "x".repeat(100_000);
    for (const [id, state, at] of [
      ["in-done-old", "done", old],
      ["in-rejected-old", "rejected", old],
      ["in-received-old", "received", old],
      ["in-processing-old", "processing", old],
      ["in-done-recent", "done", recent],
    ] as const) {
      await run(
        "INSERT INTO order_inbox (shop_id, platform, delivery_id, topic, body, received_at, state) VALUES (?, 'shopify', ?, 'orders/create', ?, ?, ?)",
        SHOP,
        id,
        big,
        at,
        state,
      );
    }
    for (const [id, kind, status, at] of [
      ["d-old-delivered", "erp_order", "delivered", old],
      ["d-old-failed", "erp_order", "failed", old],
      ["d-old-pending", "erp_order", "pending", old],
      ["d-old-fulfilment", "fulfilment", "delivered", old],
      ["d-recent-delivered", "erp_order", "delivered", recent],
    ] as const) {
      await run(
        "INSERT INTO deliveries (id, shop_id, kind, order_ref, event, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'order.created', ?, ?, ?)",
        id,
        SHOP,
        kind,
        `ref-${id}`,
        status,
        at,
        at,
      );
    }
    await run(
      "INSERT INTO webhook_receipts (shop_id, source, id, received_at) VALUES (?, 'erp', 'r-old', ?), (?, 'erp', 'r-recent', ?)",
      SHOP,
      old,
      SHOP,
      recent,
    );
    await run("INSERT INTO rate_limits (key, window, count) VALUES ('lookup:ret:old', ?, 3), ('lookup:ret:now', ?, 1)", NOW - 2 * 3_600_000, NOW - 30_000);
    for (const at of [old, old + 1, old + 2]) {
      await run("INSERT INTO sync_log (shop_id, resource, webhook_id, applied, stale, rejected, at) VALUES (?, 'stock', ?, 1, 0, 0, ?)", SHOP, `w${at}`, at);
      await run("INSERT INTO stock_history VALUES (?, 'SKU-H', 'BER', 1, 0, 0, ?, ?)", SHOP, at, at);
    }
    await run(
      "INSERT INTO connector_runs (id, shop_id, connector, kind, status, started_at, finished_at) VALUES ('run-old', ?, 'odoo', 'pull', 'ok', ?, ?)",
      SHOP,
      old,
      old,
    );
    await run("INSERT INTO connector_runs (id, shop_id, connector, kind, status, started_at) VALUES ('run-open', ?, 'odoo', 'pull', 'running', ?)", SHOP, old);
    await run("INSERT INTO connector_errors (run_id, shop_id, resource, code, message, at) VALUES ('run-old', ?, 'stock', 'bad', 'bad row', ?)", SHOP, old);

    for (const [delivery, at] of [
      ["d-old-delivered", old],
      ["d-old-failed", old],
      ["d-old-fulfilment", old],
      ["d-gone", old],
      ["d-recent-delivered", recent],
    ] as const) {
      await run(
        "INSERT INTO delivery_attempts (delivery_id, attempt, at, outcome) VALUES (?, 1, ?, 'retrying'), (?, 2, ?, 'delivered')",
        delivery,
        at,
        delivery,
        at,
      );
    }

    const out = await runScheduled("* * * * *", env, NOW, async () => new Response("{}"));
    expect(out.pruned).toBeGreaterThan(0);

    const inbox = (await db.prepare("SELECT delivery_id FROM order_inbox WHERE shop_id = ? ORDER BY delivery_id").bind(SHOP).all()).results;
    // Nothing waiting to be processed is ever pruned (the sweep works on those: not part of this test's clock).
    expect(inbox.map((r) => r.delivery_id).filter((id) => String(id).startsWith("in-"))).toEqual(
      expect.arrayContaining(["in-done-recent", "in-processing-old", "in-received-old"]),
    );
    expect(await count("SELECT count(*) AS n FROM order_inbox WHERE delivery_id IN ('in-done-old', 'in-rejected-old')")).toBe(0);

    const deliveries = (await db.prepare("SELECT id FROM deliveries WHERE shop_id = ? ORDER BY id").bind(SHOP).all()).results.map((r) => r.id);
    expect(deliveries).toEqual(["d-old-failed", "d-old-fulfilment", "d-old-pending", "d-recent-delivered"]);
    expect((await db.prepare("SELECT id FROM webhook_receipts WHERE shop_id = ?").bind(SHOP).all()).results.map((r) => r.id)).toEqual(["r-recent"]);
    expect((await db.prepare("SELECT key FROM rate_limits WHERE key LIKE 'lookup:ret:%'").all()).results.map((r) => r.key)).toEqual(["lookup:ret:now"]);
    // The newest row per resource / SKU stays, however old: "last sync" and "recent changes" never go blank.
    expect((await db.prepare("SELECT at FROM sync_log WHERE shop_id = ?").bind(SHOP).all()).results.map((r) => r.at)).toEqual([old + 2]);
    expect((await db.prepare("SELECT at FROM stock_history WHERE shop_id = ? AND sku = 'SKU-H'").bind(SHOP).all()).results.map((r) => r.at)).toEqual([old + 2]);
    expect((await db.prepare("SELECT id FROM connector_runs WHERE shop_id = ?").bind(SHOP).all()).results.map((r) => r.id)).toEqual(["run-open"]);
    expect(await count("SELECT count(*) AS n FROM connector_errors WHERE shop_id = ?", SHOP)).toBe(0);
    // Attempts go with a delivered (or pruned) delivery after their period; a failed delivery keeps its history.
    const attempts = await db.prepare("SELECT DISTINCT delivery_id FROM delivery_attempts WHERE delivery_id LIKE 'd-%' ORDER BY delivery_id").all();
    expect(attempts.results.map((r) => r.delivery_id)).toEqual(["d-old-failed", "d-recent-delivered"]);
  });

  it("prunes released reservations, notified or never-confirmed subscribers and delivered restock webhooks; keeps what still counts", async () => {
    const old = NOW - 400 * DAY;
    const recent = NOW - 60_000;
    for (const [order, state, released] of [
      ["o-released-old", "released", old],
      ["o-held-old", "held", null],
      ["o-released-recent", "released", recent],
    ] as const) {
      await run(
        "INSERT INTO reservations (shop_id, order_ref, line_id, sku, warehouse, qty, state, created_at, released_at) VALUES (?, ?, 'L1', 'SKU-R', 'BER', 1, ?, ?, ?)",
        SHOP,
        order,
        state,
        old,
        released,
      );
    }
    for (const [id, status, at] of [
      ["wh-delivered-old", "delivered", old],
      ["wh-pending-old", "pending", null],
      ["wh-failed-old", "failed", null],
      ["wh-delivered-recent", "delivered", recent],
    ] as const) {
      await run(
        "INSERT INTO back_in_stock_webhooks (id, shop_id, type, body, status, next_attempt_at, created_at, delivered_at) VALUES (?, ?, 'stock.back_in_stock', '{}', ?, ?, ?, ?)",
        id,
        SHOP,
        status,
        old,
        old,
        at,
      );
    }
    const unconfirmedEdge = NOW - UNCONFIRMED_MS;
    for (const [id, status, consented, notified, webhook] of [
      ["s-notified-old", "notified", old, old, "wh-delivered-old"],
      ["s-notified-old-retrying", "notified", old, old, "wh-pending-old"],
      ["s-notified-recent", "notified", old, recent, "wh-delivered-recent"],
      ["s-confirmed-old", "confirmed", old, null, null],
      ["s-pending-expired", "pending", unconfirmedEdge - 1, null, null],
      ["s-pending-live", "pending", unconfirmedEdge + 60_000, null, null],
    ] as const) {
      await run(
        `INSERT INTO back_in_stock_subscriptions (id, shop_id, sku, email, consent_text, consented_at, status, notified_at, webhook_id, unsubscribe_url)
         VALUES (?, ?, 'SKU-R', ?, 'Tell me', ?, ?, ?, ?, 'https://edge.example/u')`,
        id,
        SHOP,
        `${id}@example.com`,
        consented,
        status,
        notified,
        webhook,
      );
    }

    await runScheduled("* * * * *", env, NOW, async () => new Response("{}"));

    const ids = async (sql: string) => (await db.prepare(sql).bind(SHOP).all()).results.map((r) => Object.values(r)[0]);
    // A held row is stock taken, however old: only released history goes.
    expect(await ids("SELECT order_ref FROM reservations WHERE shop_id = ? AND sku = 'SKU-R' ORDER BY order_ref")).toEqual(["o-held-old", "o-released-recent"]);
    // A subscriber whose restock webhook is still being retried stays: the retry must name them.
    expect(await ids("SELECT id FROM back_in_stock_subscriptions WHERE shop_id = ? ORDER BY id")).toEqual([
      "s-confirmed-old",
      "s-notified-old-retrying",
      "s-notified-recent",
      "s-pending-live",
    ]);
    expect(await ids("SELECT id FROM back_in_stock_webhooks WHERE shop_id = ? ORDER BY id")).toEqual([
      "wh-delivered-recent",
      "wh-failed-old",
      "wh-pending-old",
    ]);
    // Never before the confirmation link has expired.
    expect(UNCONFIRMED_MS).toBeGreaterThan(CONFIRM_TTL_SECONDS * 1000);
  });

  it("prunes in bounded batches: a big backlog goes over several ticks", async () => {
    const old = NOW - 400 * DAY;
    for (let i = 0; i < 30; i++) await run("INSERT INTO webhook_receipts (shop_id, source, id, received_at) VALUES (?, 'bulk', ?, ?)", SHOP, `b${i}`, old);
    const retention = retentionFromEnv({ RETENTION_PRUNE_BATCH: "2" });
    const first = await pruneExpired(db, retention, NOW);
    // 10 rounds of 2 rows.
    expect(first.webhookReceipts).toBe(20);
    expect(await count("SELECT count(*) AS n FROM webhook_receipts WHERE source = 'bulk'")).toBe(10);
    await pruneExpired(db, retention, NOW);
    expect(await count("SELECT count(*) AS n FROM webhook_receipts WHERE source = 'bulk'")).toBe(0);
  });

  it("keeps what the platform stock sync's changed-since scan reads: each stock row's newest history row, however old the cursor", async () => {
    const old = NOW - 400 * DAY;
    const stockRow = "INSERT INTO stock (shop_id, sku, warehouse, on_hand, version, updated_at) VALUES (?, ?, 'BER', 5, 1, ?)";
    await run(stockRow, SHOP, "HIST-CHANGED", old);
    await run(stockRow, SHOP, "HIST-QUIET", old);
    await run("UPDATE stock SET on_hand = 6, version = 2, updated_at = ? WHERE shop_id = ? AND sku = 'HIST-CHANGED'", old + DAY, SHOP);
    await pruneExpired(db, retentionFromEnv({}), NOW);
    expect(await count("SELECT count(*) AS n FROM stock_history WHERE shop_id = ? AND sku LIKE 'HIST-%'", SHOP)).toBe(2);
    const dirty = async (since: number) => {
      await run("DELETE FROM platform_stock_dirty WHERE shop_id = ?", SHOP);
      await markChangedSince(db, SHOP, since, NOW).run();
      const { results } = await db.prepare("SELECT sku FROM platform_stock_dirty WHERE shop_id = ? AND sku LIKE 'HIST-%' ORDER BY sku").bind(SHOP).all();
      return results.map((r) => r.sku);
    };
    // A cursor 400 days old, far beyond the 30 days of stock history kept: the change after it is still found.
    expect(await dirty(old + DAY / 2)).toEqual(["HIST-CHANGED"]);
    expect(await dirty(0)).toEqual(["HIST-CHANGED", "HIST-QUIET"]);
    expect(await dirty(old + 2 * DAY)).toEqual([]);
  });

  it("reads each period from the vars; unreadable values fall back, receipts outlive the signature tolerance", () => {
    const r = retentionFromEnv({ RETENTION_ORDER_INBOX_DAYS: "3", RETENTION_DELIVERIES_DAYS: "soon", RETENTION_WEBHOOK_RECEIPTS_DAYS: "0.000001" });
    expect(r.keepMs.orderInbox).toBe(3 * DAY);
    expect(r.keepMs.deliveries).toBe(30 * DAY);
    expect(r.keepMs.webhookReceipts).toBe(10 * 60_000);
    const fromToml = retentionFromEnv(env);
    expect(fromToml.keepMs.orderInbox).toBe(14 * DAY);
    expect(fromToml.batch).toBe(1000);
  });

  it("a rate-limit counter whose client never comes back is pruned after its window", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await call(`/v1/shops/${SHOP}/orders/lookup`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.77" },
        body: JSON.stringify({ orderNumber: "#1", email: "a@example.com" }),
      });
      expect(res.status).toBeLessThan(500);
    }
    const key = "SELECT count(*) AS n FROM rate_limits WHERE key LIKE '%203.0.113.77%'";
    expect(await count(key)).toBe(1);
    await runScheduled("* * * * *", env, Date.now() + 61 * 60_000, async () => new Response("{}"));
    expect(await count(key)).toBe(0);
  });
});

describe("webhook ids are bounded (256 characters)", () => {
  const long = "i".repeat(257);

  it("an ERP push with a longer webhook-id is refused with 400 and applies nothing", async () => {
    const res = await push(SHOP, erpSecret, "warehouses", { warehouses: [{ code: "LONG", name: "Long" }] }, { id: long });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("webhook_id_too_long");
    expect(await count("SELECT count(*) AS n FROM warehouses WHERE shop_id = ? AND code = 'LONG'", SHOP)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM webhook_receipts WHERE shop_id = ? AND length(id) > 256", SHOP)).toBe(0);
    const ok = await push(SHOP, erpSecret, "warehouses", { warehouses: [{ code: "LONG", name: "Long" }] }, { id: "i".repeat(256) });
    expect(ok.status).toBe(200);
  });

  it("a platform webhook with a longer delivery id is refused with 400 and nothing enters the inbox", async () => {
    const shopify = shopifyOrderBody();
    const woo = wooOrderBody();
    for (const [path, headers, body] of [
      [`/v1/hooks/shopify/${SHOP}`, await shopifyHeaders(PLATFORM_SECRET, shopify, "orders/create", long), shopify],
      [`/v1/hooks/woocommerce/${SHOP}`, await wooHeaders(PLATFORM_SECRET, woo, "order.created", long), woo],
    ] as const) {
      const res = await call(path, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("webhook_id_too_long");
    }
    expect(await count("SELECT count(*) AS n FROM order_inbox WHERE shop_id = ? AND length(delivery_id) > 256", SHOP)).toBe(0);
  });
});
