import { describe, expect, it } from "vitest";
import { ORIGIN, call, createShop, seedBasics } from "./helpers";

describe("smoke", () => {
  it("serves availability after a signed push", async () => {
    const s = await createShop("smoke");
    await seedBasics("smoke", s.erpSecret);
    const res = await call("/v1/shops/smoke/availability?sku=TEE-M&sku=tee-m-old&sku=MUG&sku=CAP&sku=nope", { headers: { origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const body = await res.json();
    expect(body).toMatchObject({ items: expect.any(Array) });
    console.log(JSON.stringify(body, null, 1));
  });
});
