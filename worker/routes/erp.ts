import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { notifyBackInStock } from "../back-in-stock/restock";
import {
  CustomerRow,
  CustomersPush,
  ERP_LIMITS,
  ErrorBody,
  IngestResult,
  OrderRow,
  OrdersPush,
  PriceListRow,
  PriceRow,
  PricesPush,
  ProductRow,
  ProductsPush,
  type RowRejection,
  ShopParam,
  StockPush,
  StockRow,
  WarehouseRow,
  WarehousesPush,
} from "../contract";
import type { AppEnv } from "../http/app-env";
import { verifyErpSignature } from "../http/erp-signature";
import { ApiError, validationError } from "../http/error";
import { loadShop } from "../http/shop";
import { publishStock } from "../hub/publish";
import { alreadyReceived, applyPlan } from "../ingest/apply";
import { planCustomers } from "../ingest/customers";
import { planOrders } from "../ingest/orders";
import type { Plan } from "../ingest/plan";
import { planPrices } from "../ingest/prices";
import { planProducts } from "../ingest/products";
import { splitRows } from "../ingest/split-rows";
import { planStock } from "../ingest/stock";
import { planWarehouses } from "../ingest/warehouses";
import { afterErpOrders } from "../orders/erp-confirm";

/** The largest ERP push accepted: 10,000 stock rows with a few incoming POs each fit comfortably. */
export const MAX_ERP_BODY_BYTES = 8 * 1024 * 1024;

export const rowsOf = (max: number) => z.array(z.unknown()).min(1).max(max);
const Envelopes = {
  warehouses: z.strictObject({ warehouses: rowsOf(ERP_LIMITS.warehouses) }),
  products: z.strictObject({ products: rowsOf(ERP_LIMITS.products) }),
  stock: z.strictObject({ items: rowsOf(ERP_LIMITS.stock) }),
  customers: z.strictObject({ customers: rowsOf(ERP_LIMITS.customers) }),
  orders: z.strictObject({ orders: rowsOf(ERP_LIMITS.orders) }),
  prices: z
    .strictObject({ lists: z.array(z.unknown()).max(1_000).optional(), prices: z.array(z.unknown()).max(ERP_LIMITS.prices).optional() })
    .refine((b) => (b.lists?.length ?? 0) + (b.prices?.length ?? 0) > 0, "lists or prices must hold at least one row"),
};
type Resource = keyof typeof Envelopes;

/** Parses the (already signature-checked) raw body through the resource's envelope. */
function readEnvelope<S extends z.ZodType>(text: string, schema: S, resource: Resource): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error.issues, `${resource} push`);
  return parsed.data;
}

/**
 * Warehouses, products and stock belong to the shop's stock pool (pushed to any of its channels,
 * they land once, in the pool); prices, customers and orders to the shop itself.
 */
async function planFor(db: D1Database, { shop, pool }: { shop: string; pool: string }, resource: Resource, text: string, now: number): Promise<Plan> {
  switch (resource) {
    case "warehouses": {
      const { rows, rejected } = splitRows(WarehouseRow, readEnvelope(text, Envelopes[resource], resource).warehouses, now);
      return withRejected(planWarehouses(db, pool, rows), rejected);
    }
    case "products": {
      const { rows, rejected } = splitRows(ProductRow, readEnvelope(text, Envelopes[resource], resource).products, now);
      return withRejected(planProducts(db, pool, rows, now), rejected);
    }
    case "stock": {
      const { rows, rejected } = splitRows(StockRow, readEnvelope(text, Envelopes[resource], resource).items, now);
      return withRejected(await planStock(db, pool, rows, now), rejected);
    }
    case "prices": {
      const body = readEnvelope(text, Envelopes[resource], resource);
      const lists = splitRows(PriceListRow, body.lists ?? [], now);
      const prices = splitRows(PriceRow, body.prices ?? [], now, body.lists?.length ?? 0);
      return withRejected(await planPrices(db, shop, lists.rows, prices.rows), [...lists.rejected, ...prices.rejected]);
    }
    case "customers": {
      const { rows, rejected } = splitRows(CustomerRow, readEnvelope(text, Envelopes[resource], resource).customers, now);
      return withRejected(await planCustomers(db, shop, rows), rejected);
    }
    case "orders": {
      const { rows, rejected } = splitRows(OrderRow, readEnvelope(text, Envelopes[resource], resource).orders, now);
      return withRejected(planOrders(db, shop, rows, now), rejected);
    }
  }
}

const withRejected = (plan: Plan, rejected: RowRejection[]): Plan => ({ ...plan, rejected: [...rejected, ...plan.rejected] });

const RESOURCES = ["warehouses", "products", "stock", "prices", "customers", "orders"] as const satisfies readonly Resource[];

const PUSHES = {
  warehouses: WarehousesPush,
  products: ProductsPush,
  stock: StockPush,
  prices: PricesPush,
  customers: CustomersPush,
  orders: OrdersPush,
} as const;

export const erpRoutes = new OpenAPIHono<AppEnv>();

// POST only: any other method on these paths is an unknown route (404), not an unsigned push (401).
erpRoutes.on(
  "POST",
  "/v1/erp/:shop/*",
  bodyLimit({
    maxSize: MAX_ERP_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `An ERP push is at most ${MAX_ERP_BODY_BYTES} bytes`);
    },
  }),
  loadShop,
  verifyErpSignature,
);

for (const resource of RESOURCES) {
  erpRoutes.openAPIRegistry.registerPath({
    method: "post",
    path: `/v1/erp/{shop}/${resource}`,
    summary: `ERP push: ${resource} (Standard Webhooks signature with the erpSecret of the shop's stock pool)`,
    request: { params: ShopParam, body: { content: { "application/json": { schema: PUSHES[resource] } }, required: true } },
    responses: {
      200: { description: "Per-row results; one bad row never blocks the rest", content: { "application/json": { schema: IngestResult } } },
      400: {
        description: "The body's envelope is malformed, or webhook-id is longer than 256 characters",
        content: { "application/json": { schema: ErrorBody } },
      },
      401: { description: "Missing, stale or wrong signature", content: { "application/json": { schema: ErrorBody } } },
      413: { description: "Body too large", content: { "application/json": { schema: ErrorBody } } },
      422: { description: "Every row was rejected; nothing changed", content: { "application/json": { schema: ErrorBody } } },
    },
  });
  erpRoutes.post(`/v1/erp/:shop/${resource}`, async (c) => {
    const shop = c.var.shop.id;
    const webhookId = c.req.header("webhook-id") ?? "";
    const receipt = { shop, source: "erp", webhookId, resource, now: Date.now() };
    if (await alreadyReceived(c.env.DB, receipt)) return c.json({ applied: 0, stale: 0, rejected: [], duplicate: true } satisfies IngestResult, 200);
    const plan = await planFor(c.env.DB, { shop, pool: c.var.shop.poolId }, resource, await c.req.text(), receipt.now);
    if (!plan.steps.some((s) => s.row !== undefined)) {
      throw new ApiError(422, "all_rows_rejected", "No row of this push could be applied; nothing changed", { rejected: plan.rejected.slice(0, 100) });
    }
    const result = await applyPlan(c.env.DB, receipt, plan);
    if (plan.touchedSkus.length > 0 && !result.duplicate) c.executionCtx.waitUntil(publishStock(c.env, c.var.shop, plan.touchedSkus));
    if (resource === "stock" && !result.duplicate) c.executionCtx.waitUntil(notifyBackInStock(c.env, c.var.shop, plan.touchedSkus));
    if (resource === "orders" && !result.duplicate) c.executionCtx.waitUntil(afterErpOrders(c.env, shop, await c.req.text()));
    return c.json(result, 200);
  });
}
