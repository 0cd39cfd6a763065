import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ErrorBody, ShopId, Sku, StaffStockPushResult } from "../contract";
import { auditStatement } from "../db/audit";
import { loadSkuStock } from "../db/availability";
import type { AppEnv } from "../http/app-env";
import { requireScope } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { pushSkuStockNow } from "../platform-stock/push-now";

const pushStock = createRoute({
  method: "post",
  path: "/v1/staff/{shop}/products/{sku}/push-stock",
  summary: "Push the ERP's available stock of one SKU to the shop platform now (staff saw the platform's stock differ)",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, sku: Sku }) },
  responses: {
    200: jsonResponse(StaffStockPushResult, "The push ran: what the platform was told, or why not"),
    404: jsonResponse(ErrorBody, "Unknown SKU, or no enabled platform connector"),
  },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.on("POST", "/v1/staff/:shop/products/:sku/push-stock", loadShop, requireScope("operate"));

export const staffStockPushRoutes = base.openapi(pushStock, async (c) => {
  const shop = c.var.shop.id;
  const [known] = await loadSkuStock(c.env.DB, shop, [c.req.valid("param").sku]);
  if (!known || known.warehouses.length === 0) throw new ApiError(404, "sku_not_found", "The ERP has not pushed stock for this SKU");
  const result = await pushSkuStockNow(c.env, shop, known.sku);
  if (!result) throw new ApiError(404, "connector_not_found", "The shop has no enabled platform connector to push stock through");
  await auditStatement(
    c.env.DB,
    {
      shop,
      actor: c.var.staff,
      action: "stock.pushed",
      target: `sku/${known.sku}`,
      changes: result.told.map((t) => ({ field: t.location === "" ? "qty" : `qty@${t.location}`, to: t.qty })),
    },
    Date.now(),
  ).run();
  return c.json(result, 200);
});
