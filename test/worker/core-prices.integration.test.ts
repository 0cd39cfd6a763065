import { beforeAll, describe, expect, it } from "vitest";
import type { CustomerPrices } from "../../worker/contract";
import { signCustomerToken } from "../../worker/domain/customer-token";
import { ORIGIN, call, createShop, customerToken, pushOk } from "./helpers";

/**
 * B2B prices: only with the storefront's signed customer token, only the token's customer's own
 * list, never stored by a cache. Two customers on different lists make a leak visible.
 */

const SHOP = "prices";
let customerSecret: string;
let otherShopCustomerSecret: string;

const A_PRICES = ["10.00", "9.50", "8.75"];
const B_PRICES = ["12.00", "11.00"];

const prices = (shop: string, skus: string[], token?: string) =>
  call(`/v1/shops/${shop}/prices?${skus.map((s) => `sku=${encodeURIComponent(s)}`).join("&")}`, {
    headers: { origin: ORIGIN, ...(token === undefined ? {} : { "x-backroom-customer": token }) },
  });

async function expectNoPrice(res: Response, code: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get("cache-control")).toBe("private, no-store");
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ error: { code, message: expect.any(String) } });
  for (const p of [...A_PRICES, ...B_PRICES]) expect(text).not.toContain(p);
}

beforeAll(async () => {
  const s = await createShop(SHOP);
  customerSecret = s.customerSecret;
  await pushOk(SHOP, s.erpSecret, "products", { products: [{ sku: "BOLT", name: "Bolt", aliases: ["bolt-old"], version: 1 }] });
  await pushOk(SHOP, s.erpSecret, "prices", {
    lists: [
      { id: "LIST-A", name: "Dealers", currency: "EUR" },
      { id: "LIST-B", name: "Retail partners", currency: "CHF" },
    ],
    prices: [
      { list: "LIST-A", sku: "BOLT", minQty: 100, unitPrice: A_PRICES[2], version: 1 },
      { list: "LIST-A", sku: "BOLT", minQty: 1, unitPrice: A_PRICES[0], version: 1 },
      { list: "LIST-A", sku: "BOLT", minQty: 10, unitPrice: A_PRICES[1], version: 1 },
      { list: "LIST-A", sku: "NUT", minQty: 1, unitPrice: "0.10", version: 1 },
      { list: "LIST-B", sku: "BOLT", minQty: 1, unitPrice: B_PRICES[0], version: 1 },
      { list: "LIST-B", sku: "BOLT", minQty: 50, unitPrice: B_PRICES[1], version: 1 },
    ],
  });
  await pushOk(SHOP, s.erpSecret, "customers", {
    customers: [
      {
        id: "CUST-A",
        email: "buyer@acme.example",
        company: "Acme GmbH",
        priceList: "LIST-A",
        paymentTerms: "30 days net",
        creditLimit: "5000.00",
        balance: "1234.56",
        version: 1,
      },
      { id: "CUST-B", company: "Globex AG", priceList: "LIST-B", version: 1 },
    ],
  });
  const other = await createShop("prices-other");
  otherShopCustomerSecret = other.customerSecret;
  await pushOk("prices-other", other.erpSecret, "prices", { lists: [{ id: "LIST-A", name: "Other", currency: "EUR" }] });
  await pushOk("prices-other", other.erpSecret, "customers", { customers: [{ id: "CUST-A", company: "Other A", priceList: "LIST-A", version: 1 }] });
});

describe("customer prices", () => {
  it("answers the token's customer's list with quantity breaks, terms and available credit", async () => {
    const res = await prices(SHOP, ["BOLT", "NUT", "UNPRICED"], await customerToken(customerSecret, "CUST-A"));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const body: CustomerPrices = await res.json();
    expect(body).toEqual({
      currency: "EUR",
      customer: { company: "Acme GmbH", paymentTerms: "30 days net", creditAvailable: "3765.44" },
      items: [
        {
          sku: "BOLT",
          unitPrice: "10.00",
          breaks: [
            { minQty: 1, unitPrice: "10.00" },
            { minQty: 10, unitPrice: "9.50" },
            { minQty: 100, unitPrice: "8.75" },
          ],
        },
        { sku: "NUT", unitPrice: "0.10", breaks: [{ minQty: 1, unitPrice: "0.10" }] },
      ],
    });
  });

  it("resolves aliases like availability does", async () => {
    const body: CustomerPrices = await (await prices(SHOP, ["bolt-old"], await customerToken(customerSecret, "CUST-A"))).json();
    expect(body.items).toEqual([expect.objectContaining({ sku: "bolt-old", unitPrice: "10.00" })]);
  });

  it("never shows one customer's prices to another, asked one after the other for the same URL", async () => {
    const a = await (await prices(SHOP, ["BOLT"], await customerToken(customerSecret, "CUST-A"))).text();
    const b = await (await prices(SHOP, ["BOLT"], await customerToken(customerSecret, "CUST-B"))).text();
    const a2 = await (await prices(SHOP, ["BOLT"], await customerToken(customerSecret, "CUST-A"))).text();
    expect(JSON.parse(b)).toMatchObject({ currency: "CHF", customer: { company: "Globex AG" }, items: [{ sku: "BOLT", unitPrice: "12.00" }] });
    for (const p of A_PRICES) expect(b).not.toContain(p);
    for (const p of B_PRICES) expect(a).not.toContain(p);
    expect(a2).toBe(a);
  });

  it("answers 401 and no price without a token", async () => {
    await expectNoPrice(await prices(SHOP, ["BOLT"]), "customer_token_missing");
    await expectNoPrice(await prices(SHOP, ["BOLT"], ""), "customer_token_missing");
  });

  it("answers 401 and no price for a forged token", async () => {
    const real = await customerToken(customerSecret, "CUST-A");
    const forged = `${real.slice(0, -1)}${real.endsWith("0") ? "1" : "0"}`;
    await expectNoPrice(await prices(SHOP, ["BOLT"], forged), "customer_token_bad_signature");
    // Taking B's token and claiming A's id.
    const b = await customerToken(customerSecret, "CUST-B");
    await expectNoPrice(await prices(SHOP, ["BOLT"], b.replace("CUST-B.", "CUST-A.")), "customer_token_bad_signature");
    await expectNoPrice(await prices(SHOP, ["BOLT"], "CUST-A"), "customer_token_malformed");
    await expectNoPrice(await prices(SHOP, ["BOLT"], `CUST-A.9999999999.${"0".repeat(64)}`), "customer_token_bad_signature");
  });

  it("answers 401 and no price for an expired token", async () => {
    await expectNoPrice(await prices(SHOP, ["BOLT"], await customerToken(customerSecret, "CUST-A", -1)), "customer_token_expired");
  });

  it("answers 401 for a token signed with another shop's secret, and for this shop's token at another shop", async () => {
    await expectNoPrice(await prices(SHOP, ["BOLT"], await customerToken(otherShopCustomerSecret, "CUST-A")), "customer_token_bad_signature");
    await expectNoPrice(await prices("prices-other", ["BOLT"], await customerToken(customerSecret, "CUST-A")), "customer_token_bad_signature");
  });

  it("answers 401 for a well-signed token of a customer the ERP never sent", async () => {
    await expectNoPrice(
      await prices(SHOP, ["BOLT"], await signCustomerToken(customerSecret, "CUST-GHOST", Math.floor(Date.now() / 1000) + 60)),
      "customer_unknown",
    );
  });
});
