import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ShopId, StaffSearchQuery, StaffSearchResult } from "../contract";
import { loadSkuStock } from "../db/availability";
import { searchProducts } from "../db/staff-search";
import { availability } from "../domain/availability";
import type { AppEnv } from "../http/app-env";
import { requireStaff } from "../http/auth";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";

const SEARCH_LIMIT = 10;

const search = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/search",
  summary: "Find products by barcode, whole or partial SKU, or name: up to 10, with available stock and the next incoming",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }), query: StaffSearchQuery },
  responses: { 200: jsonResponse(StaffSearchResult, "Exact barcode/SKU matches first") },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/staff/:shop/search", loadShop, requireStaff);

export const staffSearchRoutes = base.openapi(search, async (c) => {
  const shop = c.var.shop;
  const hits = await searchProducts(c.env.DB, shop.id, c.req.valid("query").q, SEARCH_LIMIT);
  const stock = new Map(
    (
      await loadSkuStock(
        c.env.DB,
        shop.id,
        hits.map((h) => h.sku),
      )
    ).map((s) => [s.sku, s]),
  );
  const today = new Date().toISOString().slice(0, 10);
  const items = hits.map((h) => {
    const s = stock.get(h.sku);
    const a = availability(
      h.sku,
      s?.warehouses ?? [],
      { backorder: s?.backorder ?? false, safetyStock: s?.safetyStock ?? 0, lowStockThreshold: shop.lowStockThreshold, channel: s?.channel },
      today,
    );
    return {
      sku: h.sku,
      name: h.name,
      ...(h.gtin ? { gtin: h.gtin } : {}),
      available: a.available,
      status: a.status,
      ...(a.nextArrival ? { nextArrival: a.nextArrival } : {}),
    };
  });
  return c.json({ items }, 200);
});
