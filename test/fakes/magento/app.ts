import { Hono } from "hono";
import { MAGENTO_HEADERS } from "../../../worker/contract/orders";
import { toBase64 } from "../../../worker/domain/encoding";
import { hmacSha256 } from "../../../worker/domain/hmac";
import orderSample from "../../fixtures/magento/v1_get_order.json";

/**
 * A fake Magento 2 REST API (`/rest/default/V1`, Bearer integration token) from Adobe's reference
 * tutorials and their sample order (test/fixtures/magento): `GET /orders/{id}` (404 unknown), the
 * `GET /orders?searchCriteria…updated_at gt…` search, `GET /shipments?…order_id eq…`,
 * `POST /order/{id}/ship` (items checked against what is left; the order completes when all is
 * shipped), `GET /products?…sku in…` and `POST /inventory/source-items`.
 */
export const MAGENTO_TOKEN = "mg_token_test";

type Order = Record<string, unknown> & { entity_id: number; items: Array<Record<string, unknown>>; state: string; updated_at: string };

/** An order built from Adobe's sample: entity id, lines (sku, qty) and state. */
export function sampleMagentoOrder(id: number, lines: Array<[string, number]>, edit: (o: Order) => void = () => {}): Order {
  const [template] = orderSample.items;
  const o: Order = {
    ...structuredClone(orderSample),
    entity_id: id,
    increment_id: String(id).padStart(9, "0"),
    state: "processing",
    status: "processing",
    items: lines.map(([sku, qty], i) => ({ ...template, item_id: id * 10 + i, order_id: id, sku, qty_ordered: qty, qty_shipped: 0, qty_canceled: 0 })),
  };
  edit(o);
  return o;
}

export class FakeMagento {
  readonly orders = new Map<number, Order>();
  readonly shipments: Array<{ order_id: number; id: number; items: Array<{ order_item_id: number; qty: number }>; tracks: Array<{ track_number: string }> }> =
    [];
  readonly products = new Set<string>();
  readonly sourceItems = new Map<string, { quantity: number; status: number }>();
  readonly requests: string[] = [];
  readonly searches: URLSearchParams[] = [];
  readonly app = new Hono().basePath("/rest/default/V1");

  constructor() {
    this.app.use(async (c, next) => {
      this.requests.push(`${c.req.method} ${new URL(c.req.url).pathname.replace("/rest/default/V1", "")}`);
      if (c.req.header("authorization") !== `Bearer ${MAGENTO_TOKEN}`) return c.json({ message: "The consumer isn't authorized to access %resources." }, 401);
      await next();
    });
    const filter = (q: URLSearchParams) => ({
      field: q.get("searchCriteria[filter_groups][0][filters][0][field]"),
      value: q.get("searchCriteria[filter_groups][0][filters][0][value]") ?? "",
      condition: q.get("searchCriteria[filter_groups][0][filters][0][condition_type]"),
    });
    const notFound = { message: "The entity that was requested doesn't exist. Verify the entity and try again." };
    this.app.get("/orders/:id", (c) => {
      const o = this.orders.get(Number(c.req.param("id")));
      return o ? c.json(o) : c.json(notFound, 404);
    });
    this.app.get("/orders", (c) => {
      const q = new URL(c.req.url).searchParams;
      this.searches.push(q);
      const f = filter(q);
      const since = Date.parse(`${f.value.replace(" ", "T")}Z`);
      const items = [...this.orders.values()].filter(
        (o) => f.field === "updated_at" && f.condition === "gt" && Date.parse(`${o.updated_at.replace(" ", "T")}Z`) > since,
      );
      return c.json({ items, search_criteria: {}, total_count: items.length });
    });
    this.app.get("/shipments", (c) => {
      const f = filter(new URL(c.req.url).searchParams);
      const items = this.shipments.filter((s) => f.field === "order_id" && String(s.order_id) === f.value);
      return c.json({ items, total_count: items.length });
    });
    this.app.post("/order/:id/ship", async (c) => {
      const o = this.orders.get(Number(c.req.param("id")));
      if (!o) return c.json(notFound, 404);
      const body = await c.req.json<{ items: Array<{ order_item_id: number; qty: number }>; tracks?: Array<{ track_number: string }> }>();
      for (const it of body.items) {
        const line = o.items.find((l) => l.item_id === it.order_item_id);
        if (!line || it.qty > Number(line.qty_ordered) - Number(line.qty_shipped)) return c.json({ message: "Shipment Document Validation Error(s)" }, 400);
      }
      for (const it of body.items) {
        const line = o.items.find((l) => l.item_id === it.order_item_id);
        if (line) line.qty_shipped = Number(line.qty_shipped) + it.qty;
      }
      const id = this.shipments.length + 1;
      this.shipments.push({ order_id: o.entity_id, id, items: body.items, tracks: body.tracks ?? [] });
      if (o.items.every((l) => Number(l.qty_shipped) >= Number(l.qty_ordered))) o.state = "complete";
      return c.json(id);
    });
    this.app.get("/products", (c) => {
      const f = filter(new URL(c.req.url).searchParams);
      const items =
        f.field === "sku" && f.condition === "in"
          ? f.value
              .split(",")
              .filter((sku) => this.products.has(sku))
              .map((sku) => ({ sku }))
          : [];
      return c.json({ items });
    });
    this.app.post("/inventory/source-items", async (c) => {
      const body = await c.req.json<{ sourceItems: Array<{ sku: string; source_code: string; quantity: number; status: number }> }>();
      if (body.sourceItems.some((s) => !this.products.has(s.sku))) return c.json({ message: "Validation Failed" }, 400);
      for (const s of body.sourceItems) this.sourceItems.set(`${s.source_code}/${s.sku}`, { quantity: s.quantity, status: s.status });
      return c.json([]);
    });
  }

  fetch = (request: Request) => this.app.fetch(request);
}

/** The headers Backroom's Magento observer sends with `body`. */
export async function magentoHookHeaders(secret: string, body: string, event: string, delivery: string): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    [MAGENTO_HEADERS.event]: event,
    [MAGENTO_HEADERS.delivery]: delivery,
    [MAGENTO_HEADERS.signature]: toBase64(await hmacSha256(secret, body)),
  };
}
