import { Hono } from "hono";
import shipmentSample from "../../fixtures/bigcommerce/v2_create_order_shipment.json";
import orderSample from "../../fixtures/bigcommerce/v2_get_order.json";
import productsSample from "../../fixtures/bigcommerce/v2_get_order_products.json";
import addressesSample from "../../fixtures/bigcommerce/v2_get_order_shipping_addresses.json";

/**
 * A fake BigCommerce store API, from the published reference (bigcommerce/docs
 * reference/orders.v2.oas2.yml, inventory.v3.yml) and its sample payloads (test/fixtures/bigcommerce):
 * - `X-Auth-Token` or 401; everything under `/stores/{store_hash}`;
 * - V2 Orders: `GET /v2/orders/{id}` (404 unknown), `/products`, `/shipping_addresses`,
 *   `GET /v2/orders?min_date_modified&sort=date_modified:asc&limit&page` (204 when empty),
 *   `GET|POST /v2/orders/{id}/shipments` (items checked against what is left to ship; Shipped /
 *   Partially Shipped follow);
 * - Inventory: `GET /v3/inventory/items?sku:in=`, `PUT /v3/inventory/adjustments/absolute` (≤ 2,000 items);
 * - the store's rate limit: `quota` requests per `windowMs` on the fake's own clock (`advance(ms)`
 *   moves it), every answer carrying `X-Rate-Limit-*`; a request past the quota gets 429.
 */
export interface FakeOrder {
  order: Record<string, unknown>;
  products: Array<Record<string, unknown>>;
  addresses: Array<Record<string, unknown>>;
  shipments: Array<Record<string, unknown>>;
}

export const BC_STORE = "abc123";
export const BC_TOKEN = "bc_token_test";

/** An order built from the documentation's samples: id, status, lines (sku, qty) and one shipping address. */
export function sampleOrder(id: number, lines: Array<[string, number]>, edit: (o: Record<string, unknown>) => void = () => {}): FakeOrder {
  const addressId = id * 10 + 1;
  const [address] = addressesSample;
  const order: Record<string, unknown> = { ...orderSample, id, status_id: 11, status: "Awaiting Fulfillment", payment_status: "captured" };
  edit(order);
  const [template] = productsSample;
  return {
    order,
    products: lines.map(([sku, quantity], i) => ({
      ...template,
      id: id * 100 + i,
      order_id: id,
      order_address_id: addressId,
      sku,
      quantity,
      quantity_shipped: 0,
      variant_id: 500 + i,
    })),
    addresses: [{ ...address, id: addressId, order_id: id }],
    shipments: [],
  };
}

export class FakeBigCommerce {
  readonly orders = new Map<number, FakeOrder>();
  /** SKU → variant id, as the Inventory API knows them. */
  readonly variants = new Map<string, number>();
  /** What the store holds per location and variant after absolute adjustments. */
  readonly stock = new Map<string, number>();
  readonly adjustments: Array<Array<{ location_id: number; variant_id: number; quantity: number }>> = [];
  readonly requests: string[] = [];
  readonly rejected429: string[] = [];
  listQueries: URLSearchParams[] = [];
  quota = 150;
  windowMs = 30_000;
  failNext = 0;
  private clock = 0;
  private windowStart = 0;
  private used = 0;
  readonly app = new Hono().basePath(`/stores/${BC_STORE}`);

  constructor() {
    this.app.use(async (c, next) => {
      this.requests.push(`${c.req.method} ${new URL(c.req.url).pathname.replace(`/stores/${BC_STORE}`, "")}`);
      if (c.req.header("x-auth-token") !== BC_TOKEN) return c.json({ status: 401, title: "Unauthorized" }, 401);
      this.roll();
      const limitHeaders = () => ({
        "x-rate-limit-time-window-ms": String(this.windowMs),
        "x-rate-limit-time-reset-ms": String(this.windowMs - (this.clock - this.windowStart)),
        "x-rate-limit-requests-quota": String(this.quota),
        "x-rate-limit-requests-left": String(Math.max(0, this.quota - this.used)),
      });
      if (this.used >= this.quota) {
        this.rejected429.push(this.requests[this.requests.length - 1] ?? "");
        return c.json({ status: 429, title: "Too many requests" }, 429, limitHeaders());
      }
      this.used++;
      if (this.failNext > 0) {
        this.failNext--;
        return c.json({ status: 503, title: "fake outage" }, 503, limitHeaders());
      }
      await next();
      for (const [k, v] of Object.entries(limitHeaders())) c.res.headers.set(k, v);
    });

    const found = (id: string) => this.orders.get(Number(id));
    const page = <T>(rows: T[], q: URLSearchParams) => {
      const limit = Number(q.get("limit") ?? 50);
      const n = Number(q.get("page") ?? 1);
      return rows.slice((n - 1) * limit, n * limit);
    };
    const list = <T>(rows: T[], url: string) => {
      const slice = page(rows, new URL(url).searchParams);
      return slice.length === 0 ? new Response(null, { status: 204 }) : Response.json(slice);
    };

    this.app.get("/v2/orders/:id", (c) => {
      const o = found(c.req.param("id"));
      return o ? c.json(o.order) : c.json([{ status: 404, message: "The requested resource was not found." }], 404);
    });
    this.app.get("/v2/orders/:id/products", (c) => {
      const o = found(c.req.param("id"));
      return o ? list(o.products, c.req.url) : c.json([{ status: 404 }], 404);
    });
    this.app.get("/v2/orders/:id/shipping_addresses", (c) => {
      const o = found(c.req.param("id"));
      return o ? list(o.addresses, c.req.url) : c.json([{ status: 404 }], 404);
    });
    this.app.get("/v2/orders/:id/shipments", (c) => {
      const o = found(c.req.param("id"));
      return o ? list(o.shipments, c.req.url) : c.json([{ status: 404 }], 404);
    });
    this.app.post("/v2/orders/:id/shipments", async (c) => {
      const o = found(c.req.param("id"));
      if (!o) return c.json([{ status: 404 }], 404);
      const body = await c.req.json<{ order_address_id?: number; tracking_number?: string; items?: Array<{ order_product_id: number; quantity: number }> }>();
      if (!o.addresses.some((a) => a.id === body.order_address_id) || !body.items?.length)
        return c.json([{ status: 400, message: "The field 'order_address_id' or 'items' is invalid." }], 400);
      for (const item of body.items) {
        const p = o.products.find((x) => x.id === item.order_product_id);
        const left = p ? Number(p.quantity) - Number(p.quantity_shipped) : 0;
        if (!p || item.quantity > left) return c.json([{ status: 400, message: `Item ${item.order_product_id} cannot be shipped` }], 400);
      }
      for (const item of body.items) {
        const p = o.products.find((x) => x.id === item.order_product_id);
        if (p) p.quantity_shipped = Number(p.quantity_shipped) + item.quantity;
      }
      const shipment = { ...shipmentSample, ...body, id: 9000 + o.shipments.length, order_id: Number(c.req.param("id")) };
      o.shipments.push(shipment);
      const allShipped = o.products.every((p) => Number(p.quantity_shipped) >= Number(p.quantity));
      o.order.status_id = allShipped ? 2 : 3;
      o.order.status = allShipped ? "Shipped" : "Partially Shipped";
      return c.json(shipment, 201);
    });
    this.app.get("/v2/orders", (c) => {
      const q = new URL(c.req.url).searchParams;
      this.listQueries.push(q);
      const since = Date.parse(q.get("min_date_modified") ?? "1970-01-01T00:00:00Z");
      const rows = [...this.orders.values()]
        .map((o) => o.order)
        .filter((o) => Date.parse(String(o.date_modified)) >= since)
        .sort((a, b) => Date.parse(String(a.date_modified)) - Date.parse(String(b.date_modified)));
      return list(rows, c.req.url);
    });

    this.app.get("/v3/inventory/items", (c) => {
      const skus = (c.req.query("sku:in") ?? "").split(",").filter(Boolean);
      const data = skus.flatMap((sku) => {
        const variant_id = this.variants.get(sku);
        return variant_id === undefined ? [] : [{ identity: { sku, variant_id, product_id: variant_id + 1000, sku_id: null }, locations: [] }];
      });
      return c.json({ data, meta: { pagination: { total: data.length, count: data.length, per_page: 250, current_page: 1, total_pages: 1 } } });
    });
    this.app.put("/v3/inventory/adjustments/absolute", async (c) => {
      const body = await c.req.json<{ reason?: string; items: Array<{ location_id: number; variant_id: number; quantity: number }> }>();
      if (body.items.length > 2000) return c.json({ status: 422, title: "Limit of 2000 items exceeded" }, 422);
      this.adjustments.push(body.items);
      for (const i of body.items) this.stock.set(`${i.location_id}/${i.variant_id}`, i.quantity);
      return c.json({ transaction_id: `tx-${this.adjustments.length}` });
    });
  }

  /** Spends `n` requests of the current window, as another app on the same store would. */
  spend(n: number): void {
    this.roll();
    this.used += n;
  }

  /** A new window once the last one has run out. */
  private roll(): void {
    if (this.clock - this.windowStart >= this.windowMs) {
      this.windowStart = this.clock;
      this.used = 0;
    }
  }

  /** Moves the fake's clock (the rate-limit window) forward: what a client's wait does. */
  advance(ms: number): void {
    this.clock += ms;
  }

  fetch = (request: Request) => this.app.fetch(request);
}
