import { Hono } from "hono";

interface FulfilmentOrderLine {
  id: string;
  sku: string;
  remainingQuantity: number;
}

/**
 * A fake Shopify Admin GraphQL endpoint (`POST /admin/api/{version}/graphql.json`,
 * `X-Shopify-Access-Token`): answers the fulfilment-order query, `fulfillmentCreate` with
 * `trackingInfo`, and the `orders(query: "updated_at:>…")` reconciliation query. It can answer
 * 429 with Retry-After for the next N calls.
 */
export class FakeShopify {
  readonly created: Array<{ input: { lineItemsByFulfillmentOrder: unknown[]; trackingInfo: { company: string; number: string; url?: string } } }> = [];
  readonly fulfilmentOrders = new Map<string, Array<{ id: string; status: string; lines: FulfilmentOrderLine[] }>>();
  readonly trackingNumbers = new Map<string, string[]>();
  /** Order nodes answered by the orders query, as Shopify's GraphQL would shape them. */
  changedOrders: unknown[] = [];
  readonly ordersQueries: string[] = [];
  throttleNext = 0;
  readonly app = new Hono();

  constructor(readonly token: string) {
    this.app.post("/admin/api/:version/graphql.json", async (c) => {
      if (c.req.header("x-shopify-access-token") !== this.token) return c.json({ errors: "[API] Invalid API key or access token" }, 401);
      if (this.throttleNext > 0) {
        this.throttleNext--;
        return c.json({ errors: [{ message: "Throttled" }] }, 429, { "retry-after": "2" });
      }
      const { query, variables } = (await c.req.json()) as { query: string; variables: Record<string, unknown> };
      if (query.includes("fulfillmentCreate")) {
        const input = variables.fulfillment as (typeof this.created)[number]["input"];
        const groups = input.lineItemsByFulfillmentOrder as Array<{
          fulfillmentOrderId: string;
          fulfillmentOrderLineItems?: Array<{ id: string; quantity: number }>;
        }>;
        for (const [orderId, fos] of this.fulfilmentOrders) {
          for (const group of groups) {
            const fo = fos.find((f) => f.id === group.fulfillmentOrderId);
            if (!fo) continue;
            for (const line of fo.lines) {
              const pick = group.fulfillmentOrderLineItems?.find((l) => l.id === line.id);
              line.remainingQuantity -= group.fulfillmentOrderLineItems ? (pick?.quantity ?? 0) : line.remainingQuantity;
            }
            if (fo.lines.every((l) => l.remainingQuantity === 0)) fo.status = "CLOSED";
            this.trackingNumbers.set(orderId, [...(this.trackingNumbers.get(orderId) ?? []), input.trackingInfo.number]);
          }
        }
        this.created.push({ input });
        return c.json({
          data: { fulfillmentCreate: { fulfillment: { id: `gid://shopify/Fulfillment/${this.created.length}`, status: "SUCCESS" }, userErrors: [] } },
        });
      }
      if (query.includes("fulfillmentOrders")) {
        const id = String(variables.id).split("/").pop() ?? "";
        const fos = this.fulfilmentOrders.get(id);
        if (!fos) return c.json({ data: { order: null } });
        return c.json({
          data: {
            order: {
              fulfillments: (this.trackingNumbers.get(id) ?? []).map((number) => ({ trackingInfo: [{ number }] })),
              fulfillmentOrders: {
                nodes: fos.map((fo) => ({ id: fo.id, status: fo.status, lineItems: { nodes: fo.lines.map((l) => ({ ...l })) } })),
              },
            },
          },
        });
      }
      if (query.includes("orders(")) {
        this.ordersQueries.push(String(variables.query));
        // `id:N` narrows to that order, as Shopify's search syntax does.
        const id = /^id:(\d+)$/.exec(String(variables.query))?.[1];
        const nodes = id ? this.changedOrders.filter((n) => String((n as { id?: unknown }).id).endsWith(`/${id}`)) : this.changedOrders;
        return c.json({ data: { orders: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } });
      }
      return c.json({ errors: [{ message: "unknown query" }] }, 200);
    });
  }

  fetch = (request: Request) => this.app.fetch(request);
}
