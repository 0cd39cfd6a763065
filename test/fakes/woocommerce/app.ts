import { Hono } from "hono";

/**
 * A fake WooCommerce REST API v3 for stock: `GET /wp-json/wc/v3/products?sku=a,b`,
 * `POST /wp-json/wc/v3/products/batch` (at most 100 objects, 413 beyond, per-item errors for
 * unknown ids as WooCommerce answers them), basic auth with the consumer key and secret, and
 * queued faults (429 with Retry-After) to test throttling.
 */
export interface WooFake {
  fetch(request: Request): Promise<Response>;
  products: Map<number, { id: number; sku: string; parent_id: number; stock_quantity: number | null; manage_stock: boolean }>;
  batches: number[];
  faults: Array<{ status: number; retryAfter?: string }>;
  /** The catalogue as `GET /products` lists it (REST product objects), paged by `per_page` (≤ 100) and `page`. */
  catalogue: Array<Record<string, unknown>>;
  /** Variations by parent product id, as `GET /products/{id}/variations` lists them. */
  variations: Map<string, Array<Record<string, unknown>>>;
  /** Every catalogue request's path and page. */
  catalogueRequests: string[];
}

export const WOO_KEY = "ck_test_1";
export const WOO_SECRET = "cs_test_1";

export function createWooFake(): WooFake {
  const fake: Omit<WooFake, "fetch"> = { products: new Map(), batches: [], faults: [], catalogue: [], variations: new Map(), catalogueRequests: [] };
  const app = new Hono();
  app.use("*", async (c, next) => {
    const fault = fake.faults.shift();
    if (fault)
      return c.json(
        { code: "too_many_requests", message: "Too many requests" },
        fault.status as 429,
        fault.retryAfter ? { "retry-after": fault.retryAfter } : {},
      );
    if (c.req.header("authorization") !== `Basic ${btoa(`${WOO_KEY}:${WOO_SECRET}`)}`) {
      return c.json({ code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources.", data: { status: 401 } }, 401);
    }
    await next();
  });
  /** WooCommerce pages: `per_page` above 100 is a 400, as the REST API answers it. */
  const paged = <T>(c: { req: { query(k: string): string | undefined } }, list: T[]): T[] | undefined => {
    const perPage = Number(c.req.query("per_page") ?? 10);
    const page = Number(c.req.query("page") ?? 1);
    if (perPage > 100) return undefined;
    return list.slice((page - 1) * perPage, page * perPage);
  };
  const tooMany = { code: "rest_invalid_param", message: "Invalid parameter(s): per_page", data: { status: 400 } };
  app.get("/wp-json/wc/v3/products/:id/variations", (c) => {
    fake.catalogueRequests.push(`variations/${c.req.param("id")}@${c.req.query("page") ?? 1}`);
    const page = paged(c, fake.variations.get(c.req.param("id")) ?? []);
    return page ? c.json(page) : c.json(tooMany, 400);
  });
  app.get("/wp-json/wc/v3/products", (c) => {
    if (c.req.query("sku") === undefined) {
      fake.catalogueRequests.push(`products@${c.req.query("page") ?? 1}`);
      const page = paged(c, fake.catalogue);
      return page ? c.json(page) : c.json(tooMany, 400);
    }
    const skus = (c.req.query("sku") ?? "").split(",").filter(Boolean);
    return c.json([...fake.products.values()].filter((p) => skus.includes(p.sku)));
  });
  app.post("/wp-json/wc/v3/products/batch", async (c) => {
    const body = await c.req.json<{ update?: Array<{ id: number; stock_quantity?: number; manage_stock?: boolean }> }>();
    const updates = body.update ?? [];
    if (updates.length > 100) {
      return c.json(
        { code: "woocommerce_rest_request_entity_too_large", message: "Unable to accept more than 100 items for this request.", data: { status: 413 } },
        413,
      );
    }
    fake.batches.push(updates.length);
    return c.json({
      update: updates.map((u) => {
        const p = fake.products.get(u.id);
        if (!p) return { id: u.id, error: { code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", data: { status: 400 } } };
        if (u.stock_quantity !== undefined) p.stock_quantity = u.stock_quantity;
        if (u.manage_stock !== undefined) p.manage_stock = u.manage_stock;
        return { ...p };
      }),
    });
  });
  return Object.assign(fake, { fetch: async (req: Request) => app.fetch(req) });
}
