import { Hono } from "hono";

/**
 * A fake WooCommerce REST v3 (`/wp-json/wc/v3`, HTTP Basic with consumer key and secret): order
 * notes, order updates, and `GET /orders?modified_after=` listing. Can answer 503 for the next N calls.
 */
export class FakeWooCommerce {
  readonly notes = new Map<string, Array<{ id: number; note: string; customer_note: boolean }>>();
  readonly statusUpdates: Array<{ id: string; status: string }> = [];
  readonly listQueries: URLSearchParams[] = [];
  orders: unknown[] = [];
  failNext = 0;
  readonly app = new Hono().basePath("/wp-json/wc/v3");

  constructor(key: string, secret: string) {
    this.app.use(async (c, next) => {
      if (c.req.header("authorization") !== `Basic ${btoa(`${key}:${secret}`)}`) {
        return c.json({ code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources.", data: { status: 401 } }, 401);
      }
      if (this.failNext > 0) {
        this.failNext--;
        return c.json({ code: "internal_server_error", message: "fake outage", data: { status: 503 } }, 503);
      }
      await next();
    });
    this.app.get("/orders/:id/notes", (c) => c.json(this.notes.get(c.req.param("id")) ?? []));
    this.app.post("/orders/:id/notes", async (c) => {
      const body = (await c.req.json()) as { note: string; customer_note?: boolean };
      const list = this.notes.get(c.req.param("id")) ?? [];
      const note = { id: 280 + list.length, note: body.note, customer_note: body.customer_note ?? false };
      list.push(note);
      this.notes.set(c.req.param("id"), list);
      return c.json({ ...note, author: "system", date_created: "2017-03-21T16:46:41", date_created_gmt: "2017-03-21T19:46:41" }, 201);
    });
    this.app.put("/orders/:id", async (c) => {
      const body = (await c.req.json()) as { status: string };
      this.statusUpdates.push({ id: c.req.param("id"), status: body.status });
      return c.json({ id: Number(c.req.param("id")), status: body.status });
    });
    this.app.get("/orders/:id", (c) => {
      const order = this.orders.find((o) => String((o as { id?: unknown }).id) === c.req.param("id"));
      return order ? c.json(order) : c.json({ code: "woocommerce_rest_shop_order_invalid_id", message: "Invalid ID.", data: { status: 404 } }, 404);
    });
    this.app.get("/orders", (c) => {
      this.listQueries.push(new URL(c.req.url).searchParams);
      return c.json(this.orders);
    });
  }

  fetch = (request: Request) => this.app.fetch(request);
}
