import { beforeAll, describe, expect, it } from "vitest";
import { STAFF_LIVE_PROTOCOL, StaffLiveMessage, StaffLiveTicket, StaffOrderList, StaffSearchResult } from "../../worker/contract";
import { call, createShop, pushOk, seedBasics } from "./helpers";

const SHOP = "live";
let secrets: { erpSecret: string; staffKey: string };
const staff = () => ({ authorization: `Bearer ${secrets.staffKey}` });

beforeAll(async () => {
  secrets = await createShop(SHOP);
  await seedBasics(SHOP, secrets.erpSecret);
});

async function ticket(): Promise<StaffLiveTicket> {
  const res = await call(`/v1/staff/${SHOP}/live/ticket`, { method: "POST", headers: staff() });
  expect(res.status).toBe(201);
  return StaffLiveTicket.parse(await res.json());
}

const upgrade = (path: string, protocols?: string) =>
  call(path, { headers: { upgrade: "websocket", ...(protocols ? { "sec-websocket-protocol": protocols } : {}) } });

/** Opens a staff socket and collects its frames. */
async function open(): Promise<{ frames: StaffLiveMessage[]; ws: WebSocket }> {
  const t = await ticket();
  const res = await upgrade(t.path, `${STAFF_LIVE_PROTOCOL}, ${t.ticket}`);
  expect(res.status).toBe(101);
  expect(res.headers.get("sec-websocket-protocol")).toBe(STAFF_LIVE_PROTOCOL);
  const ws = res.webSocket;
  if (!ws) throw new Error("no socket");
  const frames: StaffLiveMessage[] = [];
  ws.addEventListener("message", (e) => frames.push(StaffLiveMessage.parse(JSON.parse(String(e.data)))));
  ws.accept();
  return { frames, ws };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe("staff live socket", () => {
  it("a ticket needs the staff key; the socket needs a ticket, offered as a subprotocol, once", async () => {
    expect((await call(`/v1/staff/${SHOP}/live/ticket`, { method: "POST" })).status).toBe(401);
    expect((await call(`/v1/staff/${SHOP}/live/ticket`, { method: "POST", headers: { authorization: "Bearer sk_wrong" } })).status).toBe(401);
    const t = await ticket();
    expect(t.path).toBe(`/v1/staff-live/${SHOP}`);
    expect(Date.parse(t.expiresAt) - Date.now()).toBeLessThanOrEqual(30_000);
    expect((await call(t.path)).status).toBe(426);
    const none = await upgrade(t.path);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: "ticket_required" } });
    expect((await upgrade(t.path, `${STAFF_LIVE_PROTOCOL}, ${"0".repeat(64)}`)).status).toBe(401);
    const first = await upgrade(t.path, `${STAFF_LIVE_PROTOCOL}, ${t.ticket}`);
    expect(first.status).toBe(101);
    first.webSocket?.accept();
    first.webSocket?.close();
    const again = await upgrade(t.path, `${STAFF_LIVE_PROTOCOL}, ${t.ticket}`);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: { code: "ticket_invalid" } });
    // A ticket of one shop opens nothing in another.
    await createShop("live-other");
    const other = await ticket();
    expect((await upgrade("/v1/staff-live/live-other", `${STAFF_LIVE_PROTOCOL}, ${other.ticket}`)).status).toBe(401);
  });

  it("hears hello, then the SKUs of each stock push and the orders of each ERP order push", async () => {
    const { frames, ws } = await open();
    await until(() => frames.length >= 1);
    expect(frames[0]).toEqual({ type: "hello" });
    await pushOk(SHOP, secrets.erpSecret, "stock", { items: [{ sku: "TEE-M", warehouse: "HAM", onHand: 43, version: Date.now() }] });
    await until(() => frames.some((f) => f.type === "stock"));
    expect(frames.find((f) => f.type === "stock")).toEqual({ type: "stock", skus: ["TEE-M"] });
    await pushOk(SHOP, secrets.erpSecret, "orders", {
      orders: [{ orderRef: "L-1", orderNumber: "#000000001", status: "confirmed", at: "2026-11-01", version: 1 }],
    });
    await until(() => frames.some((f) => f.type === "orders"));
    expect(frames.find((f) => f.type === "orders")).toEqual({ type: "orders", orderRefs: ["L-1"] });
    ws.close();
  });
});

describe("staff lookups for the extension", () => {
  it("matches Magento's zero-padded number however it is spelled, and says the order came from the ERP", async () => {
    await pushOk(SHOP, secrets.erpSecret, "orders", { orders: [{ orderRef: "M-7", orderNumber: "7", status: "confirmed", at: "2026-11-01", version: 1 }] });
    const res = await call(`/v1/staff/${SHOP}/orders?number=${encodeURIComponent("# 000000007")}&number=000000001`, { headers: staff() });
    const list = StaffOrderList.parse(await res.json());
    expect(list.items.map((i) => [i.asked, i.orderRef, i.origin, i.delivery])).toEqual([
      ["# 000000007", "M-7", "erp", undefined],
      ["000000001", "L-1", "erp", undefined],
    ]);
  });

  it("searches by barcode, partial SKU (any case) and name, with available stock and the next incoming", async () => {
    await pushOk(SHOP, secrets.erpSecret, "stock", {
      items: [{ sku: "MUG", warehouse: "BER", onHand: 4, incoming: [{ qty: 12, eta: "2099-01-02", ref: "PO-1" }], version: Date.now() }],
    });
    const search = async (q: string) =>
      StaffSearchResult.parse(await (await call(`/v1/staff/${SHOP}/search?q=${encodeURIComponent(q)}`, { headers: staff() })).json());
    expect((await search("4006381333931")).items.map((i) => i.sku)).toEqual(["TEE-M"]);
    expect((await search("ee-")).items.map((i) => i.sku)).toEqual(["TEE-M"]);
    const mug = (await search("mu")).items[0];
    expect(mug).toMatchObject({ sku: "MUG", name: "Mug", nextArrival: { qty: 12, eta: "2099-01-02" } });
    // LIKE wildcards are searched for literally.
    expect((await search("%_")).items).toEqual([]);
    expect((await call(`/v1/staff/${SHOP}/search?q=x`, { headers: staff() })).status).toBe(400);
    expect((await call(`/v1/staff/${SHOP}/search?q=mug`)).status).toBe(401);
  });
});
