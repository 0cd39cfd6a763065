import { beforeAll, describe, expect, it } from "vitest";
import { signStandardWebhook } from "../../worker/domain/standard-webhooks";
import { call, createShop, poolDb, push, pushOk, snapshotTables } from "./helpers";

const SHOP = "sig";
let erpSecret: string;
let otherSecret: string;

const stockOf = async (sku: string) =>
  poolDb(SHOP)
    .prepare("SELECT on_hand, version FROM stock WHERE shop_id = ? AND sku = ? AND warehouse = 'BER'")
    .bind(SHOP, sku)
    .first<{ on_hand: number; version: number }>();
const item = (sku: string, onHand: number, version: number) => ({ items: [{ sku, warehouse: "BER", onHand, version }] });
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Sends `body` with exactly the given headers (any of them may be left out). */
const send = (headers: Record<string, string>, body: string) =>
  call(`/v1/erp/${SHOP}/stock`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });

async function expectRejected(res: Response, code: string) {
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
}

beforeAll(async () => {
  erpSecret = (await createShop(SHOP)).erpSecret;
  otherSecret = (await createShop("sig-other")).erpSecret;
  await pushOk(SHOP, erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
});

describe("ERP push signatures (Standard Webhooks)", () => {
  it("applies a correctly signed push", async () => {
    const res = await push(SHOP, erpSecret, "stock", item("OK-1", 7, 1));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ applied: 1, stale: 0, rejected: [] });
    expect(await stockOf("OK-1")).toEqual({ on_hand: 7, version: 1 });
  });

  it("rejects a push signed with another secret (another shop's) and changes nothing", async () => {
    const before = await snapshotTables();
    await expectRejected(await push(SHOP, otherSecret, "stock", item("WRONG", 1, 1)), "signature_invalid");
    await expectRejected(await push(SHOP, "not-even-a-whsec-secret", "stock", item("WRONG", 1, 1)), "signature_invalid");
    expect(await snapshotTables()).toEqual(before);
  });

  it("accepts timestamps within 5 minutes either way and rejects older or newer ones", async () => {
    // The verifier's clock moves on by the time it checks (more on a loaded machine), so the edges
    // are probed with a few seconds of slack; the exact ±300 s edges are pinned in the unit test.
    expect((await push(SHOP, erpSecret, "stock", item("SKEW", 1, 1), { timestamp: nowSeconds() - 295 })).status).toBe(200);
    expect((await push(SHOP, erpSecret, "stock", item("SKEW", 2, 2), { timestamp: nowSeconds() + 300 })).status).toBe(200);
    const before = await snapshotTables();
    await expectRejected(await push(SHOP, erpSecret, "stock", item("SKEW", 3, 3), { timestamp: nowSeconds() - 301 }), "timestamp_out_of_tolerance");
    await expectRejected(await push(SHOP, erpSecret, "stock", item("SKEW", 4, 4), { timestamp: nowSeconds() + 310 }), "timestamp_out_of_tolerance");
    await expectRejected(await push(SHOP, erpSecret, "stock", item("SKEW", 5, 5), { timestamp: nowSeconds() - 86_400 }), "timestamp_out_of_tolerance");
    expect(await snapshotTables()).toEqual(before);
    expect(await stockOf("SKEW")).toEqual({ on_hand: 2, version: 2 });
  });

  it("acknowledges a replayed webhook-id with 200 and applies it only once", async () => {
    const first = await push(SHOP, erpSecret, "stock", item("REPLAY", 10, 1), { id: "msg_replay_1" });
    expect(await first.json()).toEqual({ applied: 1, stale: 0, rejected: [] });
    const before = await snapshotTables();
    // The same delivery again (a retry), then the same id carrying different content: both are acknowledged, neither applied.
    const again = await push(SHOP, erpSecret, "stock", item("REPLAY", 10, 1), { id: "msg_replay_1" });
    const altered = await push(SHOP, erpSecret, "stock", item("REPLAY", 99, 9), { id: "msg_replay_1" });
    for (const res of [again, altered]) {
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ applied: 0, stale: 0, rejected: [], duplicate: true });
    }
    expect(await snapshotTables()).toEqual(before);
    expect(await stockOf("REPLAY")).toEqual({ on_hand: 10, version: 1 });
    const log = await poolDb(SHOP)
      .prepare("SELECT count(*) AS n FROM sync_log WHERE shop_id = ? AND webhook_id = 'msg_replay_1'")
      .bind(SHOP)
      .first<{ n: number }>();
    expect(log?.n).toBe(1);
  });

  it("remembers webhook-ids per shop: the same id from another shop's ERP is its own delivery", async () => {
    await pushOk("sig-other", otherSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
    expect((await push(SHOP, erpSecret, "stock", item("SHARED-ID", 1, 1), { id: "msg_shared" })).status).toBe(200);
    const res = await push("sig-other", otherSecret, "stock", item("SHARED-ID", 2, 1), { id: "msg_shared" });
    expect(await res.json()).toEqual({ applied: 1, stale: 0, rejected: [] });
  });

  it("rejects a body changed after signing, even by one byte or by whitespace", async () => {
    const body = JSON.stringify(item("TAMPER", 5, 1));
    const headers = await signStandardWebhook(erpSecret, "msg_tamper", nowSeconds(), body);
    const before = await snapshotTables();
    await expectRejected(await send(headers, body.replace('"onHand":5', '"onHand":500')), "signature_invalid");
    await expectRejected(await send(headers, `${body} `), "signature_invalid");
    await expectRejected(await send(headers, JSON.stringify(JSON.parse(body), null, 1)), "signature_invalid");
    expect(await snapshotTables()).toEqual(before);
    // The untouched body still goes through: the id was not burnt by the failed attempts.
    expect((await send(headers, body)).status).toBe(200);
  });

  it("answers 401 with a stable code when headers are missing or malformed", async () => {
    const body = JSON.stringify(item("HDR", 1, 1));
    const headers = await signStandardWebhook(erpSecret, "msg_hdr", nowSeconds(), body);
    const before = await snapshotTables();
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
      const { [name]: _dropped, ...rest } = headers;
      await expectRejected(await send(rest, body), "signature_missing");
    }
    await expectRejected(await send({}, body), "signature_missing");
    await expectRejected(await send({ ...headers, "webhook-timestamp": "yesterday" }, body), "timestamp_invalid");
    await expectRejected(await send({ ...headers, "webhook-signature": "v1,not base64!" }, body), "signature_invalid");
    await expectRejected(await send({ ...headers, "webhook-signature": `v0,${headers["webhook-signature"]?.slice(3)}` }, body), "signature_invalid");
    // An HMAC over the body alone (a common mistake) is not the scheme.
    await expectRejected(await send({ ...headers, "webhook-signature": `v1,${btoa("x".repeat(32))}` }, body), "signature_invalid");
    expect(await snapshotTables()).toEqual(before);
  });

  it("verifies the raw bytes: a body starting with a UTF-8 byte order mark (as some ERPs write) is accepted", async () => {
    const json = JSON.stringify(item("BOM", 4, 1));
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(json)]);
    const id = "msg_bom";
    const ts = nowSeconds();
    const key = Uint8Array.from(atob(erpSecret.slice("whsec_".length)), (ch) => ch.charCodeAt(0));
    const signed = new Uint8Array([...new TextEncoder().encode(`${id}.${ts}.`), ...bytes]);
    const hmacKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmacKey, signed));
    const headers = { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${btoa(String.fromCharCode(...mac))}` };
    const res = await call(`/v1/erp/${SHOP}/stock`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: bytes });
    expect(res.status).toBe(200);
    expect(await stockOf("BOM")).toEqual({ on_hand: 4, version: 1 });
  });

  it("checks the signature before it reads the body: unsigned garbage is 401, not 400", async () => {
    await expectRejected(await send({}, "{not json"), "signature_missing");
    await expectRejected(
      await send({ "webhook-id": "x", "webhook-timestamp": String(nowSeconds()), "webhook-signature": "v1,AAAA" }, "{not json"),
      "signature_invalid",
    );
  });
});
