import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { saveSettings } from "../../worker/connectors/settings";
import { Availability, ChannelView, LiveMessage, PoolView, type ShopSecrets } from "../../worker/contract";
import { applyOrderEvent } from "../../worker/orders/apply";
import { normalise } from "../../worker/orders/inbox";
import { releaseReservations, reserveLines } from "../../worker/orders/reserve";
import { syncPlatformStock } from "../../worker/platform-stock/sync";
import { openShopifyOrder, shopifyOrderBody } from "../fakes/hooks";
import { routeFetch } from "../fakes/route-fetch";
import { createWooFake, WOO_KEY, WOO_SECRET } from "../fakes/woocommerce/app";
import { PlaneDatabase } from "../../worker/pool/database";
import { forgetPool, onShop, poolObject, registryRows, withPool } from "../../worker/pool/plane";
import { ADMIN, call, createShop, ORIGIN, poolDb, push, pushOk, putErpConnector, snapshotTables } from "./helpers";

/** A Shopify B2C shop (the pool's root), a WooCommerce B2B portal and a marketplace, on one ERP stock. */
const B2C = "pool-b2c";
const B2B = "pool-b2b";
const MKT = "pool-mkt";
const secrets: Record<string, ShopSecrets> = {};
let restore: (() => void) | undefined;
/** Every shop here sells the B2C root's pool: its object holds their data (issue 17). */
const db = poolDb(B2C);
const pool = withPool(env, B2C);
afterEach(() => restore?.());

const json = (body: unknown, headers: Record<string, string> = ADMIN): RequestInit => ({
  method: "PUT",
  headers: { ...headers, "content-type": "application/json" },
  body: JSON.stringify(body),
});
const setRules = async (shop: string, rules: unknown) => {
  const res = await call(`/v1/admin/shops/${shop}/channel-rules`, json(rules));
  expect(res.status, await res.clone().text()).toBe(200);
  return ChannelView.parse(await res.json());
};
const available = async (shop: string, sku: string) => {
  const res = await call(`/v1/shops/${shop}/availability?sku=${sku}`, { headers: { origin: ORIGIN } });
  return Availability.parse(await res.json()).items[0];
};
const poolStock = async (sku: string) =>
  (await db
    .prepare("SELECT sum(on_hand) AS on_hand, sum(reserved) AS reserved FROM stock WHERE shop_id = ? AND sku = ?")
    .bind(B2C, sku)
    .first<{ on_hand: number; reserved: number }>()) ?? { on_hand: 0, reserved: 0 };

beforeAll(async () => {
  secrets[B2C] = await createShop(B2C, { platform: "shopify", platformWebhookSecret: "hush-platform-secret" });
  secrets[B2B] = await createShop(B2B, { platform: "woocommerce" });
  secrets[MKT] = await createShop(MKT, { platform: "custom" });
  for (const shop of [B2B, MKT]) {
    const res = await call(`/v1/admin/pools/${B2C}/channels/${shop}`, json({}));
    expect(res.status, await res.clone().text()).toBe(200);
  }
  const erp = secrets[B2C]?.erpSecret ?? "";
  await pushOk(B2C, erp, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin" },
      { code: "HAM", name: "Hamburg" },
    ],
  });
  await pushOk(B2C, erp, "products", {
    products: ["LAST", "TEE", "MUG", "CAP", "HAT"].map((sku) => ({ sku, name: sku, version: 1 })),
  });
  await pushOk(B2C, erp, "stock", {
    items: [
      { sku: "LAST", warehouse: "BER", onHand: 10, version: 1 },
      { sku: "TEE", warehouse: "BER", onHand: 6, version: 1 },
      { sku: "TEE", warehouse: "HAM", onHand: 4, version: 1 },
      { sku: "MUG", warehouse: "BER", onHand: 5, version: 1 },
      { sku: "CAP", warehouse: "HAM", onHand: 8, version: 1 },
      { sku: "HAT", warehouse: "BER", onHand: 3, version: 1 },
    ],
  });
});

describe("a stock pool", () => {
  it("lists its channels, root first; the ERP pushes once, signed with the pool's secret, to any channel", async () => {
    const res = await call(`/v1/admin/pools/${B2C}`, { headers: ADMIN });
    const pool = PoolView.parse(await res.json());
    expect(pool.channels.map((c) => [c.shop, c.platform])).toEqual([
      [B2C, "shopify"],
      [B2B, "woocommerce"],
      [MKT, "custom"],
    ]);
    // Stock pushed through a channel lands in the pool's replica, never in a copy of the channel's own.
    await pushOk(B2B, secrets[B2C]?.erpSecret ?? "", "stock", { items: [{ sku: "HAT", warehouse: "BER", onHand: 4, version: 2 }] });
    expect((await poolStock("HAT")).on_hand).toBe(4);
    expect(await db.prepare("SELECT count(*) AS n FROM stock WHERE shop_id IN (?, ?)").bind(B2B, MKT).first("n")).toBe(0);
    for (const shop of [B2C, B2B, MKT]) expect((await available(shop, "HAT"))?.available).toBe(4);
    // A channel's own ERP secret is not the pool's: it opens nothing.
    const own = await push(B2B, secrets[B2B]?.erpSecret ?? "", "stock", { items: [{ sku: "HAT", warehouse: "BER", onHand: 9, version: 3 }] });
    expect(own.status).toBe(401);
    expect((await poolStock("HAT")).on_hand).toBe(4);
  });

  it("shows each channel what its rules allow: its warehouses, less its buffer (units or percent), at most its cap", async () => {
    await setRules(B2B, { warehouses: ["BER"], buffer: { units: 2 } });
    await setRules(MKT, { buffer: { percent: 50 }, cap: 3 });
    // TEE: BER 6 + HAM 4 on hand.
    expect(await available(B2C, "TEE")).toMatchObject({
      available: 10,
      warehouses: [
        { code: "BER", available: 6 },
        { code: "HAM", available: 4 },
      ],
    });
    expect(await available(B2B, "TEE")).toMatchObject({ available: 4, warehouses: [{ code: "BER", available: 4 }] });
    const mkt = await available(MKT, "TEE");
    expect(mkt?.available).toBe(3);
    expect(mkt?.warehouses.reduce((n, w) => n + w.available, 0)).toBe(3);
    // The staff view of a channel is that channel's too.
    const staff = await call(`/v1/staff/${B2B}/products/TEE`, { headers: { authorization: `Bearer ${secrets[B2B]?.staffKey}` } });
    expect(await staff.json()).toMatchObject({ available: 4, warehouses: [{ code: "BER", onHand: 6, available: 4 }] });
    await setRules(B2B, {});
    await setRules(MKT, {});
    expect((await available(MKT, "TEE"))?.available).toBe(10);
  });

  it("1,000 orders for 10 units on three channels at once: exactly 10 reserved, no channel below its buffer, stock never negative", {
    timeout: 300_000,
  }, async () => {
    await setRules(B2B, { buffer: { units: 2 } });
    await setRules(MKT, { buffer: { percent: 30 }, cap: 4 });
    // What was left of the pool's LAST the moment each channel's unit was taken (the take and its record are one transaction).
    await db.prepare("CREATE TABLE test_takes (shop_id TEXT, qty INTEGER, left_after INTEGER)").run();
    await db
      .prepare(
        `CREATE TRIGGER test_take AFTER INSERT ON reservations WHEN NEW.sku = 'LAST' BEGIN
         INSERT INTO test_takes SELECT NEW.shop_id, NEW.qty, (SELECT sum(on_hand - committed - reserved) FROM stock WHERE shop_id = '${B2C}' AND sku = 'LAST');
       END`,
      )
      .run();
    const channels = [B2C, B2B, MKT];
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => reserveLines(db, channels[i % 3] ?? B2C, `race-${i}`, [{ lineId: "1", sku: "LAST", qty: 1 }], [], Date.now())),
    );
    const served = results.filter((r) => r[0]?.allocations.length === 1);
    expect(served).toHaveLength(10);
    expect(await poolStock("LAST")).toEqual({ on_hand: 10, reserved: 10 });
    const { results: takes } = await db.prepare("SELECT shop_id, qty, left_after FROM test_takes").all<{
      shop_id: string;
      qty: number;
      left_after: number;
    }>();
    expect(takes.reduce((n, t) => n + t.qty, 0)).toBe(10);
    for (const t of takes) expect(t.left_after).toBeGreaterThanOrEqual(0);
    for (const t of takes.filter((t) => t.shop_id === B2B)) expect(t.left_after).toBeGreaterThanOrEqual(2);
    for (const t of takes.filter((t) => t.shop_id === MKT)) expect(t.left_after).toBeGreaterThanOrEqual(3);
    // Each channel sells down to its own buffer, and the unbuffered root takes the rest.
    expect((await available(B2B, "LAST"))?.available).toBe(0);
    expect((await available(MKT, "LAST"))?.available).toBe(0);
    await db.prepare("DROP TRIGGER test_take").run();
    for (let i = 0; i < 1000; i++) if (results[i]?.[0]?.allocations.length) await releaseReservations(db, channels[i % 3] ?? B2C, `race-${i}`, Date.now());
    expect(await poolStock("LAST")).toEqual({ on_hand: 10, reserved: 0 });
    await setRules(B2B, {});
    await setRules(MKT, {});
  });

  it("orders through the whole order path on two platforms share the last units", { timeout: 120_000 }, async () => {
    const events = Array.from({ length: 40 }, (_, i) => {
      const body = shopifyOrderBody((o) => {
        openShopifyOrder(o);
        const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
        o.line_items = [{ ...template, id: 7000 + i, admin_graphql_api_id: `gid://shopify/LineItem/7${i}`, sku: "MUG", quantity: 1, current_quantity: 1 }];
      }, `8800${i}`);
      return [i % 2 === 0 ? B2C : B2B, normalise(i % 2 === 0 ? B2C : B2B, "shopify", "orders/create", body)] as const;
    });
    await Promise.all(events.map(([shop, e]) => applyOrderEvent(pool, shop, e, Date.now())));
    expect(await poolStock("MUG")).toEqual({ on_hand: 5, reserved: 5 });
    const held = await db.prepare("SELECT count(*) AS n FROM shop_orders WHERE shop_id IN (?, ?) AND reservation = 'held'").bind(B2C, B2B).first("n");
    expect(held).toBe(5);
  });

  it("a unit taken on one channel reaches the open widgets of every channel", async () => {
    const res = await call(`/v1/shops/${MKT}/live?sku=CAP`, { headers: { upgrade: "websocket" } });
    const ws = res.webSocket;
    if (!ws) throw new Error("no socket");
    const frames: LiveMessage[] = [];
    ws.addEventListener("message", (e) => frames.push(LiveMessage.parse(JSON.parse(String(e.data)))));
    ws.accept();
    const body = shopifyOrderBody((o) => {
      openShopifyOrder(o);
      const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
      o.line_items = [{ ...template, id: 7999, sku: "CAP", quantity: 3, current_quantity: 3 }];
    }, "990001");
    await applyOrderEvent(pool, B2C, normalise(B2C, "shopify", "orders/create", body), Date.now());
    for (let i = 0; i < 100 && !frames.some((f) => f.type === "stock"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(frames.find((f) => f.type === "stock")).toMatchObject({ item: { sku: "CAP", available: 5 } });
    // Rules of the marketplace change: its widgets hear their new number at once.
    frames.length = 0;
    await setRules(MKT, { cap: 2 });
    for (let i = 0; i < 100 && !frames.some((f) => f.type === "stock"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(frames.find((f) => f.type === "stock")).toMatchObject({ item: { sku: "CAP", available: 2 } });
    await setRules(MKT, {});
    ws.close();
  });

  it("rules change → the channel's platform stock push follows, for every SKU of the pool", async () => {
    const fake = createWooFake();
    fake.products.set(601, { id: 601, sku: "TEE", parent_id: 0, stock_quantity: null, manage_stock: false });
    fake.products.set(602, { id: 602, sku: "HAT", parent_id: 0, stock_quantity: null, manage_stock: false });
    restore = routeFetch({ "woo.test": fake }).mockRestore;
    await saveSettings(
      pool,
      B2B,
      "platform",
      { kind: "woocommerce", url: "https://woo.test", consumerKey: WOO_KEY, consumerSecret: WOO_SECRET },
      true,
      Date.now(),
    );
    await syncPlatformStock(pool, B2B);
    expect(fake.products.get(601)?.stock_quantity).toBe(10);
    expect(fake.products.get(602)?.stock_quantity).toBe(4);
    await setRules(B2B, { warehouses: ["HAM"] });
    const dirty = await db.prepare("SELECT sku FROM platform_stock_dirty WHERE shop_id = ? ORDER BY sku").bind(B2B).all();
    expect(dirty.results.map((r) => r.sku)).toEqual(["CAP", "HAT", "LAST", "MUG", "TEE"]);
    await syncPlatformStock(pool, B2B);
    expect(fake.products.get(601)?.stock_quantity).toBe(4);
    expect(fake.products.get(602)?.stock_quantity).toBe(0);
    await setRules(B2B, { buffer: { units: 1 } });
    await syncPlatformStock(pool, B2B);
    expect(fake.products.get(601)?.stock_quantity).toBe(9);
    expect(fake.products.get(602)?.stock_quantity).toBe(3);
    await setRules(B2B, {});
  });
});

describe("who may see and change a channel's rules", () => {
  const staff = (shop: string) => ({ authorization: `Bearer ${secrets[shop]?.staffKey}` });
  it("a staff key of one channel neither reads nor changes another's rules, even in the same pool", async () => {
    expect((await call(`/v1/staff/${B2B}/channel-rules`, { headers: staff(B2C) })).status).toBe(401);
    expect((await call(`/v1/staff/${B2B}/channel-rules`, json({ cap: 0 }, staff(B2C)))).status).toBe(401);
    expect((await call(`/v1/staff/${B2B}/channel-rules`, json({ cap: 0 }, staff(MKT)))).status).toBe(401);
    expect((await call(`/v1/staff/${B2B}/channel-rules`, json({ cap: 0 }))).status).toBe(401); // the operator token is no staff key
    expect((await call(`/v1/admin/shops/${B2B}/channel-rules`, json({ cap: 0 }, staff(B2B)))).status).toBe(401);
    expect((await call(`/v1/admin/pools/${B2C}`, { headers: staff(B2C) })).status).toBe(401);
    const own = await call(`/v1/staff/${B2B}/channel-rules`, { headers: staff(B2B) });
    expect(ChannelView.parse(await own.json())).toMatchObject({ shop: B2B, pool: B2C, rules: { cap: null } });
  });

  it("a read-only key reads its rules but changes nothing; a configure key changes its own, in the audit log", async () => {
    const issued = await call(`/v1/admin/shops/${B2B}/staff-keys`, {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ name: "Reader", scopes: ["read"] }),
    });
    const reader = { authorization: `Bearer ${((await issued.json()) as { key: string }).key}` };
    expect((await call(`/v1/staff/${B2B}/channel-rules`, { headers: reader })).status).toBe(200);
    expect((await call(`/v1/staff/${B2B}/channel-rules`, json({ cap: 1 }, reader))).status).toBe(403);
    const changed = await call(`/v1/staff/${B2B}/channel-rules`, json({ cap: 1 }, staff(B2B)));
    expect(changed.status).toBe(200);
    expect((await available(B2B, "TEE"))?.available).toBe(1);
    const audit = await db
      .prepare("SELECT actor, action FROM audit_log WHERE shop_id = ? AND action = 'channel.rules_changed' ORDER BY id DESC")
      .bind(B2B)
      .first();
    expect(audit).toEqual({ actor: "shop", action: "channel.rules_changed" });
    await setRules(B2B, {});
  });
});

describe("bad input is a 4xx that changes nothing", () => {
  it.each([
    ["an unknown field", 400, { colour: "red" }],
    ["a percentage over 100", 400, { buffer: { percent: 150 } }],
    ["both units and percent", 400, { buffer: { units: 1, percent: 5 } }],
    ["a negative cap", 400, { cap: -1 }],
    ["no warehouse at all", 400, { warehouses: [] }],
    ["a warehouse the pool does not have", 422, { warehouses: ["BER", "NOPE"] }],
  ])("rules with %s → %i", async (_, status, rules) => {
    const before = await snapshotTables();
    const res = await call(`/v1/admin/shops/${B2B}/channel-rules`, json(rules));
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^[a-z_]+$/);
    expect(await snapshotTables()).toEqual(before);
  });

  it("joining: unknown pool or shop 404; a channel as pool, a shop with its own replica, a root with channels 409", async () => {
    const lone = await createShop("pool-lone");
    await pushOk("pool-lone", lone.erpSecret, "warehouses", { warehouses: [{ code: "X", name: "X" }] });
    const before = await snapshotTables();
    const join = (pool: string, shop: string, body: unknown = {}) => call(`/v1/admin/pools/${pool}/channels/${shop}`, json(body));
    const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    expect(await code(await join("no-such-pool", "pool-lone"))).toEqual([404, "pool_not_found"]);
    expect(await code(await join(B2C, "no-such-shop"))).toEqual([404, "shop_not_found"]);
    expect(await code(await join(B2B, "pool-lone"))).toEqual([409, "pool_is_channel"]);
    expect(await code(await join(B2C, "pool-lone"))).toEqual([409, "replica_not_empty"]);
    expect(await code(await join("pool-lone", B2C))).toEqual([409, "pool_has_channels"]);
    expect(await code(await join("pool-lone", B2B))).toEqual([409, "in_another_pool"]);
    expect((await join(B2C, "pool-lone", { dropReplica: "yes" })).status).toBe(400);
    expect(await code(await putErpConnector(B2B, { kind: "erpnext", url: "https://erp.example", apiKey: "k", apiSecret: "s" }))).toEqual([409, "pool_channel"]);
    expect(await snapshotTables()).toEqual(before);
    // Asked to, the shop's own replica goes and it sells the pool's stock.
    expect((await join(B2C, "pool-lone", { dropReplica: true })).status).toBe(200);
    for (const where of [db, poolDb("pool-lone")])
      expect(await where.prepare("SELECT count(*) AS n FROM warehouses WHERE shop_id = 'pool-lone'").first("n")).toBe(0);
    // Its own rows (here: its audit trail since it was created) moved into the pool's object with it.
    expect(await db.prepare("SELECT count(*) AS n FROM audit_log WHERE shop_id = 'pool-lone'").first("n")).toBeGreaterThanOrEqual(2);
    expect(await poolObject(env, "pool-lone").count("audit_log", "shop_id = ?1", ["pool-lone"])).toBe(0);
    expect((await available("pool-lone", "TEE"))?.available).toBe(10);
  });

  it("leaving: refused while the channel's orders hold stock; afterwards it is a pool of one with an empty replica", async () => {
    await reserveLines(db, "pool-lone", "leave-1", [{ lineId: "1", sku: "TEE", qty: 2 }], [], Date.now());
    const leave = () => call(`/v1/admin/pools/${B2C}/channels/pool-lone`, { method: "DELETE", headers: ADMIN });
    expect((await leave()).status).toBe(409);
    expect((await call(`/v1/admin/pools/${B2C}/channels/${B2C}`, { method: "DELETE", headers: ADMIN })).status).toBe(409);
    await releaseReservations(db, "pool-lone", "leave-1", Date.now());
    const left = await leave();
    expect(ChannelView.parse(await left.json())).toMatchObject({ shop: "pool-lone", pool: "pool-lone" });
    expect(await available("pool-lone", "TEE")).toBeUndefined();
    // A request that found the pool before the move cannot leave a row for the shop there (nobody would
    // read it): 503, which platforms and ERPs retry, then reaching the shop's own pool. Other shops write on.
    const stale = (shop: string) =>
      db
        .prepare("INSERT INTO audit_log (shop_id, at, actor, actor_name, action, target, changes) VALUES (?, ?, 'test', 'test', 'test.write', 't', '[]')")
        .bind(shop, Date.now())
        .run();
    await expect(stale("pool-lone")).rejects.toMatchObject({ status: 503, code: "shop_moved" });
    // Nor read what is being deleted there.
    await expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE shop_id = ?").bind("pool-lone").first("n")).rejects.toMatchObject({
      status: 503,
      code: "shop_moved",
    });
    await expect(stale(B2B)).resolves.toBeTruthy();
    // Back in the pool, its writes are taken there again.
    expect((await call(`/v1/admin/pools/${B2C}/channels/pool-lone`, json({}))).status).toBe(200);
    await expect(stale("pool-lone")).resolves.toBeTruthy();
    expect((await leave()).status).toBe(200);
    // Its own rows went with it into an object of its own; the pool's object keeps none of them.
    expect(await poolObject(env, "pool-lone").count("audit_log", "shop_id = ?1", ["pool-lone"])).toBeGreaterThanOrEqual(3);
    expect(await poolObject(env, B2C).count("audit_log", "shop_id = ?1", ["pool-lone"])).toBe(0);
    expect((await available(B2C, "TEE"))?.available).toBe(10);
  });

  it("an isolate remembers a shop's pool, and a pool the shop has since left sends it on to the new one", async () => {
    const own = await poolObject(env, "pool-lone").count("audit_log", "shop_id = ?1", ["pool-lone"]);
    expect(own).toBeGreaterThanOrEqual(3);
    const audit = (db: D1Database) => db.prepare("SELECT count(*) AS n FROM audit_log WHERE shop_id = ?").bind("pool-lone").first<number>("n");
    // One registry read finds the pool; the isolate's next requests find it in memory.
    forgetPool("pool-lone");
    let lookups = 0;
    const registry = new Proxy(env.DB, {
      get: (d1, key) =>
        key === "prepare"
          ? (sql: string) => {
              lookups++;
              return d1.prepare(sql);
            }
          : Reflect.get(d1, key),
    });
    expect(await audit(onShop({ ...env, DB: registry }, "pool-lone").DB)).toBe(own);
    expect(lookups).toBe(1);
    expect(await audit(onShop({ ...env, DB: registry }, "pool-lone").DB)).toBe(own);
    expect(lookups).toBe(1);
    // Another isolate still remembers the pool the shop left: that object refuses the shop's
    // statements, and they are sent once more to the pool the registry names now.
    const stale = new PlaneDatabase({
      registry: env.DB,
      resolve: async (fresh) =>
        fresh ? { id: "pool-lone", object: poolObject(env, "pool-lone") } : { id: B2C, object: poolObject(env, B2C), remembered: true },
      mirror: (pool) => registryRows(env.DB, pool),
    }) as unknown as D1Database;
    expect(await audit(stale)).toBe(own);
  });
});
