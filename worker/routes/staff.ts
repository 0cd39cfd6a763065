import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { orderDocuments } from "../account/staff";
import { availabilityMode } from "../connectors/settings";
import {
  ErrorBody,
  PlatformId,
  PlatformIdKind,
  ShopId,
  Sku,
  StaffOrder,
  StaffOrderList,
  StaffOrdersQuery,
  StaffProduct,
  StaffProductList,
  StaffProductsQuery,
} from "../contract";
import { loadSkuStock } from "../db/availability";
import { getOrderByRef, orderCameFromShop } from "../db/orders";
import { lookupPlatformId } from "../db/platform-ids";
import { loadProductSales } from "../db/product-sales";
import type { Shop } from "../db/shops";
import { loadOrderErpId, loadStaffProduct } from "../db/staff";
import { bareOrderNumber, loadOrderSummaries, lookupPlatformIds } from "../db/staff-lists";
import { availability, freeAndForecast } from "../domain/availability";
import { multiplyDecimal, percentOf, subtract } from "../domain/decimal";
import { trackedShipments } from "../domain/tracking";
import type { AppEnv } from "../http/app-env";
import { requireStaff } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { listOrderDeliveries } from "../orders/deliveries";
import { formatDecimal } from "../promise/quantity";

const iso = (ms: number) => new Date(ms).toISOString();

const product = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/products/{sku}",
  summary: "Everything the ERP knows about a SKU",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, sku: Sku }) },
  responses: { 200: jsonResponse(StaffProduct, "The SKU's stock, prices, margin and history"), 404: jsonResponse(ErrorBody, "Unknown SKU") },
});

const order = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/orders/{orderRef}",
  summary: "An order's ERP status, timeline and shipments",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, orderRef: z.string().min(1).max(64) }) },
  responses: { 200: jsonResponse(StaffOrder, "The order as the edge knows it"), 404: jsonResponse(ErrorBody, "Unknown order") },
});

const productByPlatformId = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/products/by-platform-id/{id}",
  summary: "Everything the ERP knows about the SKU behind a platform product or variant id",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, id: PlatformId }), query: z.object({ kind: PlatformIdKind.default("product") }) },
  responses: { 200: jsonResponse(StaffProduct, "The SKU's stock, prices, margin and history"), 404: jsonResponse(ErrorBody, "Unknown platform id or SKU") },
});

const products = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/products",
  summary: "Compact availability of up to 100 SKUs or platform ids (one request per list page)",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }), query: StaffProductsQuery },
  responses: { 200: jsonResponse(StaffProductList, "One badge per known SKU; the rest listed as unknown") },
});

const orderByPlatformId = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/orders/by-platform-id/{id}",
  summary: "An order found by the platform's own id when it differs from the order ref (e.g. Magento's entity id)",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, id: PlatformId }) },
  responses: { 200: jsonResponse(StaffOrder, "The order as the edge knows it"), 404: jsonResponse(ErrorBody, "Unknown order") },
});

const orders = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/orders",
  summary: "ERP status of up to 100 orders by ref or number (one request per list page)",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }), query: StaffOrdersQuery },
  responses: { 200: jsonResponse(StaffOrderList, "One badge per known order; the rest listed as unknown") },
});

async function staffProduct(env: Env, shop: Shop, sku: string): Promise<StaffProduct> {
  const data = await loadStaffProduct(env.DB, shop.id, sku);
  if (!data.product && data.stock.length === 0) throw new ApiError(404, "sku_not_found", "The ERP has not pushed this SKU");
  const safetyStock = data.product?.safety_stock ?? 0;
  const warehouses = data.stock.map((s) => ({
    code: s.warehouse,
    name: s.name ?? s.warehouse,
    onHand: s.on_hand,
    committed: s.committed,
    ...(s.demand !== null ? { demand: s.demand } : {}),
    reserved: s.reserved,
    incoming: s.incoming,
    updatedAt: s.updated_at,
  }));
  const mode = await availabilityMode(env, data.pool);
  const summary = availability(
    data.sku,
    warehouses,
    { backorder: data.product?.backorder === 1, safetyStock, lowStockThreshold: shop.lowStockThreshold, channel: data.channel },
    new Date().toISOString().slice(0, 10),
  );
  const cost = data.product?.cost ?? undefined;
  const landedCost = data.product?.landed_cost ?? undefined;
  const marginCost = landedCost ?? cost;
  const costCurrency = data.product?.currency ?? shop.currency;
  const lists = new Map<string, StaffProduct["priceLists"][number]>();
  for (const p of data.prices) {
    const list = lists.get(p.id) ?? { id: p.id, name: p.name, currency: p.currency, breaks: [] };
    list.breaks.push({ minQty: p.min_qty, unitPrice: p.unit_price });
    lists.set(p.id, list);
  }
  // Issue 12: prices are per sales unit (a case), the ERP's cost per stock unit: the margin compares a case with a case.
  const rule = (await loadProductSales(env.DB, shop.id, [data.sku])).get(data.sku)?.rule;
  const costPerSalesUnit = marginCost !== undefined && rule?.unit ? multiplyDecimal(marginCost, formatDecimal(rule.factor)) : marginCost;
  for (const list of lists.values()) {
    const first = list.breaks[0];
    if (costPerSalesUnit === undefined || !first || list.currency !== costCurrency) continue;
    const amount = subtract(first.unitPrice, costPerSalesUnit);
    list.margin = { amount, percent: percentOf(amount, first.unitPrice) ?? "0.0" };
  }
  return {
    sku: data.sku,
    ...(data.product ? { name: data.product.name } : {}),
    ...(data.product?.gtin ? { gtin: data.product.gtin } : {}),
    ...(data.product?.erp_id ? { erpId: data.product.erp_id } : {}),
    aliases: data.aliases,
    backorder: data.product?.backorder === 1,
    safetyStock,
    ...(cost !== undefined ? { cost } : {}),
    ...(landedCost !== undefined ? { landedCost } : {}),
    ...(marginCost !== undefined ? { marginOn: landedCost !== undefined ? ("landedCost" as const) : ("cost" as const) } : {}),
    currency: costCurrency,
    available: summary.available,
    status: summary.status,
    availabilityMode: mode,
    warehouses: warehouses.map((w, i) => ({ ...w, available: summary.warehouses[i]?.available ?? 0, ...freeAndForecast(w), updatedAt: iso(w.updatedAt) })),
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
  };
}

async function staffOrder(db: D1Database, shop: string, orderRef: string): Promise<StaffOrder> {
  const [found, deliveries, fromShop, erpId, documents] = await Promise.all([
    getOrderByRef(db, shop, orderRef),
    listOrderDeliveries(db, shop, orderRef),
    orderCameFromShop(db, shop, orderRef),
    loadOrderErpId(db, shop, orderRef),
    orderDocuments(db, shop, orderRef, Date.now()),
  ]);
  if (!found) throw new ApiError(404, "order_not_found", "The edge has no order with this reference");
  return {
    orderRef: found.orderRef,
    ...(found.orderNumber ? { orderNumber: found.orderNumber } : {}),
    ...(found.email ? { email: found.email } : {}),
    ...(found.erpRef ? { erpRef: found.erpRef } : {}),
    ...(erpId ? { erpId } : {}),
    status: found.status,
    timeline: found.timeline,
    shipments: trackedShipments(found.shipments),
    updatedAt: iso(found.updatedAt),
    origin: fromShop ? "shop" : "erp",
    deliveries,
    // Issue 13: the order's invoices and returns.
    ...documents,
  };
}

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// The extension's read views. Writes (connector settings, replays, runs) check their own scopes.
base.on("GET", "/v1/staff/:shop/*", loadShop, requireStaff);

export const staffRoutes = base
  .openapi(products, async (c) => {
    const shop = c.var.shop;
    const { sku: skus, platformId: platformIds, kind } = c.req.valid("query");
    const mapped = await lookupPlatformIds(c.env.DB, shop.id, kind, platformIds);
    const asked: Array<{ asked: string; by: "sku" | "platformId"; sku: string }> = skus.map((s) => ({ asked: s, by: "sku", sku: s }));
    for (const id of platformIds) {
      const sku = mapped.get(id);
      if (sku !== undefined) asked.push({ asked: id, by: "platformId", sku });
    }
    const stock = new Map((await loadSkuStock(c.env.DB, shop.id, [...new Set(asked.map((a) => a.sku))])).map((s) => [s.asked, s]));
    const today = new Date().toISOString().slice(0, 10);
    const items: StaffProductList["items"] = [];
    for (const a of asked) {
      const s = stock.get(a.sku);
      if (!s) continue;
      const summary = availability(
        s.sku,
        s.warehouses,
        { backorder: s.backorder, safetyStock: s.safetyStock, lowStockThreshold: shop.lowStockThreshold, channel: s.channel },
        today,
      );
      const onHand = s.warehouses.reduce((sum, w) => sum + w.onHand, 0);
      items.push({ asked: a.asked, by: a.by, sku: s.sku, onHand, available: summary.available, status: summary.status });
    }
    const found = new Set(items.map((i) => i.asked));
    return c.json({ items, unknown: [...skus, ...platformIds].filter((a) => !found.has(a)) }, 200);
  })
  .openapi(productByPlatformId, async (c) => {
    const { shop, id } = c.req.valid("param");
    const sku = await lookupPlatformId(c.env.DB, shop, c.req.valid("query").kind, id);
    if (sku === undefined) throw new ApiError(404, "platform_id_not_found", "The edge has not seen this platform id in a webhook yet");
    return c.json(await staffProduct(c.env, c.var.shop, sku), 200);
  })
  .openapi(product, async (c) => c.json(await staffProduct(c.env, c.var.shop, c.req.valid("param").sku), 200))
  .openapi(orders, async (c) => {
    const shop = c.var.shop.id;
    const { ref: refs, number: numbers } = c.req.valid("query");
    const viaPlatform = await lookupPlatformIds(c.env.DB, shop, "order", refs);
    const rows = await loadOrderSummaries(c.env.DB, shop, [...refs, ...viaPlatform.values()], numbers);
    const byRef = new Map(rows.map((r) => [r.order_ref, r]));
    const byNumber = new Map(rows.flatMap((r) => (r.order_number ? [[bareOrderNumber(r.order_number), r] as const] : [])));
    const items: StaffOrderList["items"] = [];
    const badge = (asked: string, by: "ref" | "number", r: (typeof rows)[number]) => ({
      asked,
      by,
      orderRef: r.order_ref,
      ...(r.order_number ? { orderNumber: r.order_number } : {}),
      ...(r.erp_ref ? { erpRef: r.erp_ref } : {}),
      status: r.status,
      updatedAt: iso(r.updated_at),
      ...(r.delivery ? { delivery: r.delivery } : {}),
      origin: r.from_shop ? ("shop" as const) : ("erp" as const),
    });
    for (const ref of refs) {
      const r = byRef.get(ref) ?? byRef.get(viaPlatform.get(ref) ?? "");
      if (r) items.push(badge(ref, "ref", r));
    }
    for (const n of numbers) {
      const r = byNumber.get(bareOrderNumber(n));
      if (r) items.push(badge(n, "number", r));
    }
    const found = new Set(items.map((i) => i.asked));
    return c.json({ items, unknown: [...refs, ...numbers].filter((a) => !found.has(a)) }, 200);
  })
  .openapi(orderByPlatformId, async (c) => {
    const { shop, id } = c.req.valid("param");
    const ref = await lookupPlatformId(c.env.DB, shop, "order", id);
    if (ref === undefined) throw new ApiError(404, "platform_id_not_found", "The edge has not seen this platform order id in a webhook yet");
    return c.json(await staffOrder(c.env.DB, shop, ref), 200);
  })
  .openapi(order, async (c) => c.json(await staffOrder(c.env.DB, c.var.shop.id, c.req.valid("param").orderRef), 200));
