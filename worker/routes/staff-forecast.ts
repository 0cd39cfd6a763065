import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ErrorBody, ShopId, Sku } from "../contract";
import { ReorderList, StaffForecast } from "../contract/quality";
import { SERVICE_LEVEL } from "../forecast/reorder";
import { forecastSeries } from "../forecast/series";
import type { AppEnv } from "../http/app-env";
import { requireStaff } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";

const forecast = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/forecast/{sku}",
  summary: "A SKU's demand forecast for 12 weeks per warehouse, with days of cover and the reorder suggestion (computed now)",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, sku: Sku }) },
  responses: { 200: jsonResponse(StaffForecast, "One entry per warehouse holding the SKU"), 404: jsonResponse(ErrorBody, "No stock of this SKU") },
});

const reorderNow = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/reorder",
  summary: "The SKUs to reorder now (at or below their reorder point at the last forecast run), shortest cover first",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }), query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: { 200: jsonResponse(ReorderList, "Shortest cover first") },
});

const ReorderRow = z.object({
  sku: z.string(),
  name: z.string().nullable(),
  warehouse: z.string(),
  available: z.number(),
  cover_days: z.number().nullable(),
  reorder_point: z.number(),
  suggested_qty: z.number(),
  computed_at: z.number(),
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/staff/:shop/forecast/*", loadShop, requireStaff);
base.use("/v1/staff/:shop/reorder", loadShop, requireStaff);

export const staffForecastRoutes = base
  .openapi(forecast, async (c) => {
    const { sku } = c.req.valid("param");
    const pool = c.var.shop.poolId;
    const now = Date.now();
    const warehouses = z
      .array(z.object({ warehouse: z.string() }))
      .parse((await c.env.DB.prepare("SELECT warehouse FROM stock WHERE shop_id = ? AND sku = ? ORDER BY warehouse").bind(pool, sku).all()).results);
    if (warehouses.length === 0) throw new ApiError(404, "sku_not_found", "The ERP has not pushed stock for this SKU");
    const computed = [];
    for (const w of warehouses) {
      const f = await forecastSeries(c.env.DB, pool, sku, w.warehouse, now);
      if (f) computed.push(f);
    }
    return c.json({ sku, serviceLevel: SERVICE_LEVEL, computedAt: new Date(now).toISOString(), warehouses: computed }, 200);
  })
  .openapi(reorderNow, async (c) => {
    const { results } = await c.env.DB.prepare(
      `SELECT f.sku, p.name, f.warehouse, f.available, f.cover_days, f.reorder_point, f.suggested_qty, f.computed_at
       FROM forecasts f LEFT JOIN products p ON p.shop_id = f.pool_id AND p.sku = f.sku
       WHERE f.pool_id = ? AND f.reorder_now = 1 ORDER BY f.cover_days IS NULL, f.cover_days, f.sku, f.warehouse LIMIT ?`,
    )
      .bind(c.var.shop.poolId, c.req.valid("query").limit)
      .all();
    const items = z
      .array(ReorderRow)
      .parse(results)
      .map((r) => ({
        sku: r.sku,
        ...(r.name ? { name: r.name } : {}),
        warehouse: r.warehouse,
        available: r.available,
        ...(r.cover_days !== null ? { coverDays: r.cover_days } : {}),
        reorderPoint: r.reorder_point,
        suggestedQty: r.suggested_qty,
        computedAt: new Date(r.computed_at).toISOString(),
      }));
    return c.json({ items }, 200);
  });
