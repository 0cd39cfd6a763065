import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ErrorBody, ShopId, Sku, StaffOrder, StaffProduct } from "../contract";
import { getOrderByRef } from "../db/orders";
import { loadStaffProduct } from "../db/staff";
import { availability } from "../domain/availability";
import { percentOf, subtract } from "../domain/decimal";
import { withTrackingUrls } from "../domain/tracking";
import type { AppEnv } from "../http/app-env";
import { requireStaff } from "../http/auth";
import { ApiError } from "../http/error";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";

const json = <T>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const iso = (ms: number) => new Date(ms).toISOString();

const product = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/products/{sku}",
  summary: "Everything the ERP knows about a SKU",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, sku: Sku }) },
  responses: { 200: json(StaffProduct, "The SKU's stock, prices, margin and history"), 404: json(ErrorBody, "Unknown SKU") },
});

const order = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/orders/{orderRef}",
  summary: "An order's ERP status, timeline and shipments",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, orderRef: z.string().min(1).max(64) }) },
  responses: { 200: json(StaffOrder, "The order as the edge knows it"), 404: json(ErrorBody, "Unknown order") },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/staff/:shop/*", loadShop, requireStaff);

export const staffRoutes = base
  .openapi(product, async (c) => {
    const shop = c.var.shop;
    const data = await loadStaffProduct(c.env.DB, shop.id, c.req.valid("param").sku);
    if (!data.product && data.stock.length === 0) throw new ApiError(404, "sku_not_found", "The ERP has not pushed this SKU");
    const safetyStock = data.product?.safety_stock ?? 0;
    const warehouses = data.stock.map((s) => ({
      code: s.warehouse,
      name: s.name ?? s.warehouse,
      onHand: s.on_hand,
      committed: s.committed,
      reserved: s.reserved,
      incoming: s.incoming,
      updatedAt: s.updated_at,
    }));
    const summary = availability(
      data.sku,
      warehouses,
      { backorder: data.product?.backorder === 1, safetyStock, lowStockThreshold: shop.lowStockThreshold },
      new Date().toISOString().slice(0, 10),
    );
    const cost = data.product?.cost ?? undefined;
    const costCurrency = data.product?.currency ?? shop.currency;
    const lists = new Map<string, StaffProduct["priceLists"][number]>();
    for (const p of data.prices) {
      const list = lists.get(p.id) ?? { id: p.id, name: p.name, currency: p.currency, breaks: [] };
      list.breaks.push({ minQty: p.min_qty, unitPrice: p.unit_price });
      lists.set(p.id, list);
    }
    for (const list of lists.values()) {
      const first = list.breaks[0];
      if (cost === undefined || !first || list.currency !== costCurrency) continue;
      const amount = subtract(first.unitPrice, cost);
      list.margin = { amount, percent: percentOf(amount, first.unitPrice) ?? "0.0" };
    }
    return c.json(
      {
        sku: data.sku,
        ...(data.product ? { name: data.product.name } : {}),
        ...(data.product?.gtin ? { gtin: data.product.gtin } : {}),
        aliases: data.aliases,
        backorder: data.product?.backorder === 1,
        safetyStock,
        ...(cost !== undefined ? { cost } : {}),
        currency: costCurrency,
        available: summary.available,
        status: summary.status,
        warehouses: warehouses.map((w, i) => ({ ...w, available: summary.warehouses[i]?.available ?? 0, updatedAt: iso(w.updatedAt) })),
        priceLists: [...lists.values()],
        ...(data.lastSync !== null ? { lastSync: iso(data.lastSync) } : {}),
        recentChanges: data.history.map((h) => ({
          warehouse: h.warehouse,
          onHand: h.on_hand,
          committed: h.committed,
          reserved: h.reserved,
          version: h.version,
          at: iso(h.at),
        })),
      },
      200,
    );
  })
  .openapi(order, async (c) => {
    const found = await getOrderByRef(c.env.DB, c.var.shop.id, c.req.valid("param").orderRef);
    if (!found) throw new ApiError(404, "order_not_found", "The edge has no order with this reference");
    return c.json(
      {
        orderRef: found.orderRef,
        ...(found.orderNumber ? { orderNumber: found.orderNumber } : {}),
        ...(found.email ? { email: found.email } : {}),
        ...(found.erpRef ? { erpRef: found.erpRef } : {}),
        status: found.status,
        timeline: found.timeline,
        shipments: withTrackingUrls(found.shipments).map(({ carrier, trackingNumber, trackingUrl }) => ({
          carrier,
          trackingNumber,
          ...(trackingUrl ? { trackingUrl } : {}),
        })),
        updatedAt: iso(found.updatedAt),
      },
      200,
    );
  });
