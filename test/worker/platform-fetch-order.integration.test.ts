import { describe, expect, it } from "vitest";
import { ConnectorError } from "../../worker/connectors/connector";
import { platformApiFor } from "../../worker/platforms/registry";
import { fakeFetch } from "../fakes/router";
import { FakeShopify } from "../fakes/shopify";
import { FakeWooCommerce } from "../fakes/woocommerce";
import retrieveAnOrder from "../fixtures/woocommerce/orders__retrieve_an_order.json";

/** Every platform reads one order as it stands now ("fetch order" of the platform interface). */

const node = (id: string, sku: string) => ({
  id: `gid://shopify/Order/${id}`,
  name: `#${id}`,
  email: "a@example.com",
  createdAt: "2026-11-23T10:00:00Z",
  updatedAt: "2026-11-23T10:05:00Z",
  cancelledAt: null,
  displayFinancialStatus: "PAID",
  currencyCode: "EUR",
  note: null,
  totalPriceSet: { shopMoney: { amount: "9.90" } },
  subtotalPriceSet: null,
  totalTaxSet: null,
  lineItems: {
    nodes: [
      {
        id: `gid://shopify/LineItem/${id}1`,
        sku,
        name: sku,
        quantity: 1,
        currentQuantity: 1,
        originalUnitPriceSet: { shopMoney: { amount: "9.90" } },
        variant: null,
        product: null,
      },
    ],
  },
});

describe("fetch order", () => {
  it("Shopify: the orders query narrowed to the id; an unknown id is a permanent error", async () => {
    const shopify = new FakeShopify("shpat_x");
    shopify.changedOrders = [node("9007199254740993", "TEE"), node("9007199254740995", "MUG")];
    const api = platformApiFor(
      { kind: "shopify", shopDomain: "s.fake", accessToken: "shpat_x", apiVersion: "2026-10", locations: {} },
      fakeFetch({ "s.fake": shopify }),
    );
    const got = await api.fetchOrder("s", "9007199254740995");
    expect(got).toMatchObject({ platform: "shopify", orderRef: "9007199254740995", order: { lines: [expect.objectContaining({ sku: "MUG" })] } });
    expect(shopify.ordersQueries).toEqual(["id:9007199254740995"]);
    await expect(api.fetchOrder("s", "1")).rejects.toSatisfy((e) => e instanceof ConnectorError && !e.retryable);
  });

  it("WooCommerce: GET /orders/{id}; an unknown id is a permanent error", async () => {
    const woo = new FakeWooCommerce("ck_x", "cs_x");
    woo.orders = [retrieveAnOrder];
    const api = platformApiFor({ kind: "woocommerce", url: "https://w.fake", consumerKey: "ck_x", consumerSecret: "cs_x" }, fakeFetch({ "w.fake": woo }));
    const got = await api.fetchOrder("w", String(retrieveAnOrder.id));
    expect(got).toMatchObject({ platform: "woocommerce", orderRef: String(retrieveAnOrder.id), cancelled: false });
    expect(got.order?.lines.length).toBe(retrieveAnOrder.line_items.length);
    await expect(api.fetchOrder("w", "999999")).rejects.toSatisfy((e) => e instanceof ConnectorError && !e.retryable);
  });
});
