import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { LiveMessage, STAFF_LIVE_PROTOCOL, type ShopSecrets, StaffLiveMessage, StaffLiveTicket } from "../../worker/contract";
import { poolObject } from "../../worker/pool/plane";
import { SHOP_MOVED_CLOSE, SOCKET_SHOP_HEADER } from "../../worker/pool/sockets";
import { ADMIN, call, createShop, ORIGIN, pushOk, seedBasics } from "./helpers";

/**
 * Issue 17: the live sockets of a pool's shops (widgets and the staff extension) live in the pool's
 * object, beside its data. One object, several shops: each shop's sockets stay its own.
 */
const ROOT = "sock-root";
const CHANNEL = "sock-channel";
const MOVER = "sock-mover";
const secrets: Record<string, ShopSecrets> = {};

const join = (pool: string, shop: string) =>
  call(`/v1/admin/pools/${pool}/channels/${shop}`, { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: "{}" });
const leave = (pool: string, shop: string) => call(`/v1/admin/pools/${pool}/channels/${shop}`, { method: "DELETE", headers: ADMIN });

const until = async (check: () => boolean) => {
  for (let i = 0; i < 150 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

interface Opened<T> {
  frames: T[];
  ws: WebSocket;
  /** The close code the server sent, once it closed the socket. */
  closedWith: () => number | undefined;
}

function collect<T>(res: Response, parse: (raw: unknown) => T): Opened<T> {
  expect(res.status).toBe(101);
  const ws = res.webSocket;
  if (!ws) throw new Error("no socket");
  const frames: T[] = [];
  let code: number | undefined;
  ws.addEventListener("message", (e) => {
    frames.push(parse(JSON.parse(String(e.data))));
  });
  ws.addEventListener("close", (e) => {
    code = e.code;
  });
  ws.accept();
  return { frames, ws, closedWith: () => code };
}

const widget = async (shop: string, sku: string) =>
  collect(await call(`/v1/shops/${shop}/live?sku=${sku}`, { headers: { upgrade: "websocket", origin: ORIGIN } }), (raw) => LiveMessage.parse(raw));

async function ticket(shop: string): Promise<StaffLiveTicket> {
  const res = await call(`/v1/staff/${shop}/live/ticket`, { method: "POST", headers: { authorization: `Bearer ${secrets[shop]?.staffKey}` } });
  expect(res.status).toBe(201);
  return StaffLiveTicket.parse(await res.json());
}

const staffUpgrade = (shop: string, t: string) =>
  call(`/v1/staff-live/${shop}`, { headers: { upgrade: "websocket", "sec-websocket-protocol": `${STAFF_LIVE_PROTOCOL}, ${t}` } });

const staff = async (shop: string) => collect(await staffUpgrade(shop, (await ticket(shop)).ticket), (raw) => StaffLiveMessage.parse(raw));

beforeAll(async () => {
  for (const shop of [ROOT, CHANNEL, MOVER]) secrets[shop] = await createShop(shop);
  expect((await join(ROOT, CHANNEL)).status).toBe(200);
  await seedBasics(ROOT, secrets[ROOT]?.erpSecret ?? "");
});

describe("the live sockets of a pool live in the pool's object", () => {
  it("a channel's widget and staff sockets are held by its pool's object, counted per shop", async () => {
    const w = await widget(CHANNEL, "CAP");
    const s = await staff(CHANNEL);
    const pool = poolObject(env, ROOT);
    expect(await pool.audience(CHANNEL)).toEqual({ widgets: 1, staff: 1 });
    expect(await pool.audience(ROOT)).toEqual({ widgets: 0, staff: 0 });
    // Nothing in an object named after the channel itself.
    expect(await poolObject(env, CHANNEL).connections(CHANNEL)).toBe(0);
    expect(await pool.watchedSkus(CHANNEL)).toEqual(["CAP"]);
    w.ws.close();
    s.ws.close();
  });

  it("a staff ticket of one shop opens no socket of another shop in the same pool, and stays usable for its own", async () => {
    const t = await ticket(ROOT);
    const other = await staffUpgrade(CHANNEL, t.ticket);
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({ error: { code: "ticket_invalid" } });
    // Straight at the object, naming the other shop: still nothing.
    const direct = await poolObject(env, ROOT).fetch(
      new Request("http://pool/", { headers: { upgrade: "websocket", [SOCKET_SHOP_HEADER]: CHANNEL, "x-backroom-staff-ticket": t.ticket } }),
    );
    expect(direct.status).toBe(401);
    // Offered on the storefront's widget route, a ticket opens a widget socket, never a staff one, and is not spent.
    const sneaky = collect(
      await call(`/v1/shops/${ROOT}/live?sku=CAP`, { headers: { upgrade: "websocket", "x-backroom-staff-ticket": t.ticket, [SOCKET_SHOP_HEADER]: CHANNEL } }),
      (raw) => LiveMessage.parse(raw),
    );
    await until(() => sneaky.frames.length > 0);
    expect(sneaky.frames[0]).toEqual({ type: "hello", skus: ["CAP"] });
    expect(await poolObject(env, ROOT).audience(ROOT)).toEqual({ widgets: 1, staff: 0 });
    sneaky.ws.close();
    const own = collect(await staffUpgrade(ROOT, t.ticket), (raw) => StaffLiveMessage.parse(raw));
    own.ws.close();
  });

  it("a shop's staff notices and widget frames reach only that shop's sockets", async () => {
    const rootStaff = await staff(ROOT);
    const channelStaff = await staff(CHANNEL);
    const rootWidget = await widget(ROOT, "TEE-M");
    const channelWidget = await widget(CHANNEL, "TEE-M");
    await until(() => [rootStaff, channelStaff, rootWidget, channelWidget].every((o) => o.frames.length >= 1));
    await pushOk(ROOT, secrets[ROOT]?.erpSecret ?? "", "orders", {
      orders: [{ orderRef: "SOCK-1", orderNumber: "#1", status: "confirmed", at: "2026-11-01", version: 1 }],
    });
    await until(() => rootStaff.frames.some((f) => f.type === "orders"));
    expect(rootStaff.frames.find((f) => f.type === "orders")).toEqual({ type: "orders", orderRefs: ["SOCK-1"] });
    // A stock change of the pool reaches the widgets of both channels.
    await pushOk(ROOT, secrets[ROOT]?.erpSecret ?? "", "stock", { items: [{ sku: "TEE-M", warehouse: "HAM", onHand: 7, version: Date.now() }] });
    await until(() => [rootWidget, channelWidget].every((o) => o.frames.some((f) => f.type === "stock")));
    for (const o of [rootWidget, channelWidget]) expect(o.frames.find((f) => f.type === "stock")).toMatchObject({ item: { sku: "TEE-M" } });
    // The root's order notice never reached the channel's staff socket.
    expect(channelStaff.frames.some((f) => f.type === "orders")).toBe(false);
    for (const o of [rootStaff, channelStaff, rootWidget, channelWidget]) o.ws.close();
  });

  it("a shop that moves pool has its sockets closed with 1012 in the old object; they reconnect into the new one", async () => {
    const w = await widget(MOVER, "TEE-M");
    const s = await staff(MOVER);
    expect(await poolObject(env, MOVER).connections(MOVER)).toBe(2);
    expect((await join(ROOT, MOVER)).status).toBe(200);
    await until(() => w.closedWith() !== undefined && s.closedWith() !== undefined);
    expect([w.closedWith(), s.closedWith()]).toEqual([SHOP_MOVED_CLOSE, SHOP_MOVED_CLOSE]);
    expect(await poolObject(env, MOVER).connections(MOVER)).toBe(0);
    // The old object refuses a socket for the shop that left (a route that still knew the old pool).
    const stale = await poolObject(env, MOVER).fetch(new Request("http://pool/", { headers: { upgrade: "websocket", [SOCKET_SHOP_HEADER]: MOVER } }));
    expect(stale.status).toBe(503);
    // Reconnected, the widget sits in the pool's object and hears the pool's stock.
    const again = await widget(MOVER, "TEE-M");
    expect(await poolObject(env, ROOT).audience(MOVER)).toEqual({ widgets: 1, staff: 0 });
    await pushOk(ROOT, secrets[ROOT]?.erpSecret ?? "", "stock", { items: [{ sku: "TEE-M", warehouse: "HAM", onHand: 9, version: Date.now() }] });
    await until(() => again.frames.some((f) => f.type === "stock"));
    expect(again.frames.find((f) => f.type === "stock")).toMatchObject({ item: { sku: "TEE-M" } });
    // Leaving moves it back: closed in the pool's object, welcome in its own again.
    expect((await leave(ROOT, MOVER)).status).toBe(200);
    await until(() => again.closedWith() !== undefined);
    expect(again.closedWith()).toBe(SHOP_MOVED_CLOSE);
    expect(await poolObject(env, ROOT).connections(MOVER)).toBe(0);
    const home = await widget(MOVER, "TEE-M");
    expect(await poolObject(env, MOVER).connections(MOVER)).toBe(1);
    home.ws.close();
  });

  it("a pool whose data is still in D1 has its sockets in its object all the same", async () => {
    const shop = "sock-on-d1";
    secrets[shop] = await createShop(shop);
    await env.DB.prepare("INSERT INTO data_plane_pools (pool_id, state, updated_at) VALUES (?, 'd1', ?)").bind(shop, Date.now()).run();
    await seedBasics(shop, secrets[shop]?.erpSecret ?? "");
    const w = await widget(shop, "CAP");
    const s = await staff(shop);
    await pushOk(shop, secrets[shop]?.erpSecret ?? "", "stock", { items: [{ sku: "CAP", warehouse: "HAM", onHand: 3, version: Date.now() }] });
    await until(() => w.frames.some((f) => f.type === "stock") && s.frames.some((f) => f.type === "stock"));
    expect(w.frames.find((f) => f.type === "stock")).toMatchObject({ item: { sku: "CAP" } });
    expect(s.frames.find((f) => f.type === "stock")).toEqual({ type: "stock", skus: ["CAP"] });
    expect(await poolObject(env, shop).audience(shop)).toEqual({ widgets: 1, staff: 1 });
    w.ws.close();
    s.ws.close();
  });
});
