import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signCustomerToken, verifyCustomerToken } from "../../worker/domain/customer-token";
import { toHex } from "../../worker/domain/encoding";
import { hmacSha256 } from "../../worker/domain/hmac";

const SECRET = "brk_cust_0123456789abcdef0123456789abcdef0123456789abcdef";
const NOW = 1_800_000_000;

describe("customer token", () => {
  it("is the documented format: id.expires.hex(HMAC-SHA256(secret, 'id.expires'))", async () => {
    // What Shopify Liquid's `| hmac_sha256` and PHP's hash_hmac produce: lower-case hex.
    const mac = toHex(await hmacSha256(SECRET, `C-42.${NOW + 60}`));
    const token = await signCustomerToken(SECRET, "C-42", NOW + 60);
    expect(token).toBe(`C-42.${NOW + 60}.${mac}`);
    expect(await verifyCustomerToken(SECRET, token, NOW)).toEqual({ customerId: "C-42" });
    // Upper-case hex (some template engines) verifies too.
    expect(await verifyCustomerToken(SECRET, `C-42.${NOW + 60}.${mac.toUpperCase()}`, NOW)).toEqual({ customerId: "C-42" });
  });

  it("keeps dots inside the customer id", async () => {
    const token = await signCustomerToken(SECRET, "acme.gmbh.berlin", NOW + 60);
    expect(await verifyCustomerToken(SECRET, token, NOW)).toEqual({ customerId: "acme.gmbh.berlin" });
  });

  it("rejects an expired token, but only after its second", async () => {
    const token = await signCustomerToken(SECRET, "C-1", NOW);
    expect(await verifyCustomerToken(SECRET, token, NOW)).toEqual({ customerId: "C-1" });
    expect(await verifyCustomerToken(SECRET, token, NOW + 1)).toEqual({ failure: "expired" });
  });

  it("rejects another shop's secret, a swapped customer and an extended expiry", async () => {
    const token = await signCustomerToken(SECRET, "C-1", NOW + 60);
    expect(await verifyCustomerToken(`${SECRET}x`, token, NOW)).toEqual({ failure: "bad_signature" });
    expect(await verifyCustomerToken(SECRET, token.replace("C-1.", "C-2."), NOW)).toEqual({ failure: "bad_signature" });
    expect(await verifyCustomerToken(SECRET, token.replace(`.${NOW + 60}.`, `.${NOW + 999_999}.`), NOW)).toEqual({ failure: "bad_signature" });
  });

  it("rejects malformed tokens", async () => {
    const mac = "ab".repeat(32);
    for (const token of [
      "",
      "C-1",
      `C-1.${NOW}`,
      `.${NOW}.${mac}`,
      `C-1.soon.${mac}`,
      `C-1.${NOW}.${mac.slice(2)}`,
      `C-1.${NOW}.zz${mac.slice(2)}`,
      `C-1.-5.${mac}`,
    ]) {
      expect(await verifyCustomerToken(SECRET, token, NOW), JSON.stringify(token)).toEqual({ failure: "malformed" });
    }
  });

  it("never accepts a token with any one character of its MAC changed", async () => {
    const token = await signCustomerToken(SECRET, "C-7", NOW + 60);
    const macStart = token.lastIndexOf(".") + 1;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: macStart, max: token.length - 1 }), fc.constantFrom(..."0123456789abcdef"), async (at, ch) => {
        fc.pre(token[at] !== ch);
        const forged = token.slice(0, at) + ch + token.slice(at + 1);
        expect(await verifyCustomerToken(SECRET, forged, NOW)).toEqual({ failure: "bad_signature" });
      }),
      { numRuns: 100 },
    );
  });
});
