import { describe, expect, it } from "vitest";
import { signStandardWebhook, TOLERANCE_SECONDS, verifyStandardWebhook } from "../../worker/domain/standard-webhooks";
import vector from "../fixtures/standard-webhooks/reference-vector.json";

const headers = (h: Record<string, string>) => ({ id: h["webhook-id"], timestamp: h["webhook-timestamp"], signature: h["webhook-signature"] });

describe("Standard Webhooks signatures", () => {
  it("reproduces the specification's published test vector exactly", async () => {
    const signed = await signStandardWebhook(vector.secret, vector.id, vector.timestamp, vector.body);
    expect(signed["webhook-signature"]).toBe(vector.signature);
  });

  it("accepts the published vector at its own time and rejects it today", async () => {
    const h = { id: vector.id, timestamp: String(vector.timestamp), signature: vector.signature };
    expect(await verifyStandardWebhook(vector.secret, h, vector.body, vector.timestamp)).toBeUndefined();
    expect(await verifyStandardWebhook(vector.secret, h, vector.body, Date.now() / 1000)).toBe("timestamp_out_of_tolerance");
  });

  it("accepts exactly ±5 minutes and rejects one second more", async () => {
    const now = 1_800_000_000;
    for (const [offset, expected] of [
      [TOLERANCE_SECONDS, undefined],
      [-TOLERANCE_SECONDS, undefined],
      [TOLERANCE_SECONDS + 1, "timestamp_out_of_tolerance"],
      [-TOLERANCE_SECONDS - 1, "timestamp_out_of_tolerance"],
    ] as const) {
      const h = await signStandardWebhook(vector.secret, "msg_1", now + offset, "{}");
      expect(await verifyStandardWebhook(vector.secret, headers(h), "{}", now), `offset ${offset}`).toBe(expected);
    }
  });

  it("rejects a tampered body, a wrong secret, another id and another timestamp", async () => {
    const now = 1_800_000_000;
    const body = '{"items":[{"sku":"A","onHand":1}]}';
    const h = headers(await signStandardWebhook(vector.secret, "msg_1", now, body));
    expect(await verifyStandardWebhook(vector.secret, h, body.replace("1", "9"), now)).toBe("bad_signature");
    expect(await verifyStandardWebhook("whsec_dGhlLW90aGVyLXNlY3JldC10aGUtb3RoZXItc2VjcmV0", h, body, now)).toBe("bad_signature");
    expect(await verifyStandardWebhook(vector.secret, { ...h, id: "msg_2" }, body, now)).toBe("bad_signature");
    expect(await verifyStandardWebhook(vector.secret, { ...h, timestamp: String(now + 1) }, body, now)).toBe("bad_signature");
  });

  it("accepts any one valid v1 signature among several and ignores other versions", async () => {
    const h = { id: vector.id, timestamp: String(vector.timestamp), signature: `v1,bm9wZQ== v2,${vector.signature.slice(3)} ${vector.signature}` };
    expect(await verifyStandardWebhook(vector.secret, h, vector.body, vector.timestamp)).toBeUndefined();
    const onlyV2 = { ...h, signature: `v2,${vector.signature.slice(3)}` };
    expect(await verifyStandardWebhook(vector.secret, onlyV2, vector.body, vector.timestamp)).toBe("bad_signature");
  });

  it("names missing headers and malformed timestamps", async () => {
    const ok = { id: vector.id, timestamp: String(vector.timestamp), signature: vector.signature };
    for (const missing of ["id", "timestamp", "signature"] as const) {
      expect(await verifyStandardWebhook(vector.secret, { ...ok, [missing]: undefined }, vector.body, vector.timestamp)).toBe("missing_headers");
    }
    for (const timestamp of ["1614265330.5", "-1614265330", "abc", "16142653300000"]) {
      expect(await verifyStandardWebhook(vector.secret, { ...ok, timestamp }, vector.body, vector.timestamp), timestamp).toBe("bad_timestamp");
    }
  });
});
