import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { signCustomerToken } from "../../worker/domain/customer-token";
import { call, createShop, customerToken, ORIGIN, poolDb, pushOk } from "./helpers";

/**
 * One buyer never sees another's account (issue 13). Every account route is asked with no token, an
 * expired one, one signed for another shop, one whose customer id was swapped under the signature,
 * and the other buyer's valid token: the first four open nothing (401, and none of Acme's figures in
 * the body), the last sees only its own records, and nothing is ever cacheable.
 */

const SHOP = "authz-acct";
const OTHER = "authz-acct-other";
let secret: string;
let otherSecret: string;
const PDF = "%PDF-1.4\n% Acme's secret invoice 4711\n%%EOF\n";
/** Figures only Acme's records hold: none may appear in an answer to anyone else. */
const ACME_ONLY = ["Acme GmbH", "4321.09", "INV-ACME-1", "ACME-ORDER", "Acme's secret invoice", "bent"];

type Route = { name: string; method: "GET" | "POST"; path: string; body?: unknown };
const ROUTES: Route[] = [
  { name: "account", method: "GET", path: "/account" },
  { name: "orders", method: "GET", path: "/account/orders" },
  { name: "invoices", method: "GET", path: "/account/invoices" },
  { name: "invoice pdf", method: "GET", path: "/account/invoices/INV-ACME-1/pdf" },
  { name: "returns", method: "GET", path: "/account/returns" },
  { name: "reorder", method: "GET", path: "/account/orders/ACME-ORDER/reorder" },
  { name: "file a return", method: "POST", path: "/account/returns", body: { orderRef: "ACME-ORDER", lines: [{ sku: "BOLT", qty: 1 }], reason: "bent" } },
];

const ask = (route: Route, token: string | undefined, shop = SHOP) =>
  call(`/v1/shops/${shop}${route.path}`, {
    method: route.method,
    headers: {
      origin: ORIGIN,
      ...(token === undefined ? {} : { "x-backroom-customer": token }),
      ...(route.body ? { "content-type": "application/json" } : {}),
    },
    ...(route.body ? { body: JSON.stringify(route.body) } : {}),
  });

const returnsCount = async () => poolDb(SHOP).prepare("SELECT count(*) AS n FROM account_returns WHERE shop_id = ?").bind(SHOP).first<number>("n");

beforeAll(async () => {
  const s = await createShop(SHOP);
  secret = s.customerSecret;
  const o = await createShop(OTHER);
  otherSecret = o.customerSecret;
  await pushOk(SHOP, s.erpSecret, "prices", { lists: [{ id: "L", name: "L", currency: "EUR" }] });
  await pushOk(SHOP, s.erpSecret, "customers", {
    customers: [
      { id: "ACME", email: "buyer@acme.example", company: "Acme GmbH", priceList: "L", creditLimit: "9000.00", balance: "4321.09", version: 1 },
      { id: "GLOBEX", email: "buyer@globex.example", company: "Globex AG", priceList: "L", balance: "5.00", version: 1 },
    ],
  });
  await pushOk(SHOP, s.erpSecret, "orders", {
    orders: [
      {
        orderRef: "ACME-ORDER",
        email: "buyer@acme.example",
        status: "delivered",
        shipments: [{ carrier: "DHL", trackingNumber: "3318810025", items: [{ sku: "BOLT", qty: 3 }] }],
        at: "2026-10-01T00:00:00Z",
        version: 1,
      },
    ],
  });
  await pushOk(SHOP, s.erpSecret, "invoices", {
    invoices: [
      {
        number: "INV-ACME-1",
        customer: "ACME",
        orderRefs: ["ACME-ORDER"],
        issuedAt: "2026-10-01",
        currency: "EUR",
        total: "4321.09",
        openAmount: "4321.09",
        status: "open",
        version: 1,
      },
    ],
  });
  await env.DOCUMENTS.put(`${SHOP}/invoices/INV-ACME-1.pdf`, PDF);
  await poolDb(SHOP).prepare("UPDATE invoices SET pdf_available = 2 WHERE shop_id = ?").bind(SHOP).run();
  await pushOk(SHOP, s.erpSecret, "returns", {
    returns: [
      {
        returnRef: "R-ACME",
        customer: "ACME",
        orderRef: "ACME-ORDER",
        lines: [{ sku: "BOLT", qty: 1 }],
        reason: "bent",
        status: "approved",
        at: "2026-10-03",
        version: 1,
      },
    ],
  });
  // The other shop knows a customer with the same id.
  await pushOk(OTHER, o.erpSecret, "prices", { lists: [{ id: "L", name: "L", currency: "EUR" }] });
  await pushOk(OTHER, o.erpSecret, "customers", { customers: [{ id: "ACME", company: "Other Acme", priceList: "L", version: 1 }] });
});

async function expectNothing(res: Response, code: string, what: string) {
  expect(res.status, what).toBe(401);
  expect(res.headers.get("cache-control"), what).toBe("private, no-store");
  const text = await res.text();
  expect(JSON.parse(text), what).toEqual({ error: { code, message: expect.any(String) } });
  for (const s of ACME_ONLY) expect(text, what).not.toContain(s);
}

describe("every account route refuses a buyer it cannot verify", () => {
  it("has a control: Acme's own valid token opens each route", async () => {
    const token = await customerToken(secret, "ACME");
    for (const route of ROUTES.filter((r) => r.method === "GET")) {
      const res = await ask(route, token);
      expect(res.status, route.name).toBe(200);
      expect(res.headers.get("cache-control"), route.name).toBe("private, no-store");
    }
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.path}: no token, expired, another shop's, tampered → 401, nothing written`, async () => {
      const before = await returnsCount();
      await expectNothing(await ask(route, undefined), "customer_token_missing", "no token");
      await expectNothing(await ask(route, await customerToken(secret, "ACME", -60)), "customer_token_expired", "expired");
      await expectNothing(await ask(route, await customerToken(otherSecret, "ACME")), "customer_token_bad_signature", "other shop's token");
      const globex = await customerToken(secret, "GLOBEX");
      await expectNothing(await ask(route, `ACME${globex.slice("GLOBEX".length)}`), "customer_token_bad_signature", "customer id swapped under the signature");
      await expectNothing(await ask(route, "garbage"), "customer_token_malformed", "malformed");
      // This shop's Acme token on the other shop's URL opens nothing there either.
      await expectNothing(await ask(route, await customerToken(secret, "ACME"), OTHER), "customer_token_bad_signature", "this shop's token at another shop");
      expect(await returnsCount()).toBe(before);
    });
  }
});

describe("another buyer's valid token sees only its own account", () => {
  it("never shows Acme's balance, orders, invoices, PDF or returns to Globex, nor lets it file on Acme's order", async () => {
    const token = await customerToken(secret, "GLOBEX");
    const before = await returnsCount();
    for (const route of ROUTES) {
      const res = await ask(route, token);
      const text = await res.text();
      for (const s of ACME_ONLY) expect(text, `${route.name}: ${s}`).not.toContain(s);
      expect(res.headers.get("cache-control"), route.name).toBe("private, no-store");
      if (route.name === "invoice pdf") {
        expect(res.status).toBe(404);
        // Exactly what an unknown invoice number answers: the number's existence is not told.
        const unknown = await ask({ ...route, path: "/account/invoices/NO-SUCH/pdf" }, token);
        expect(await unknown.text()).toBe(text);
      } else if (route.name === "file a return" || route.name === "reorder") {
        expect(res.status).toBe(404);
        expect(JSON.parse(text).error.code).toBe("order_not_found");
      } else expect(res.status).toBe(200);
    }
    expect(await returnsCount()).toBe(before);
    const account = await (await ask(ROUTES[0] as Route, token)).json();
    expect(account).toMatchObject({ company: "Globex AG", balance: "5.00" });
  });

  it("a customer only the other shop knows has no account here", async () => {
    const o = await createShop("authz-acct-third");
    const res = await ask(ROUTES[0] as Route, await signCustomerToken(o.customerSecret, "ACME", Math.floor(Date.now() / 1000) + 60), "authz-acct-third");
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("customer_unknown");
  });
});
