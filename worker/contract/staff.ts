import { z } from "zod";
import { OrderInvoice, OrderReturn } from "./account";
import { Sku } from "./common";
import { OrderStatus } from "./erp";
import { DeliveryStatus, SyncDelivery } from "./orders";
import { StockStatus, TrackedShipment } from "./public";

export const StaffWarehouseStock = z.object({
  code: z.string(),
  name: z.string(),
  onHand: z.number().int(),
  committed: z.number().int(),
  /** All confirmed outgoing demand the ERP reported, reserved or not; absent when it sends none. */
  demand: z.number().int().optional(),
  reserved: z.number().int(),
  available: z.number().int(),
  /** On hand − committed − reserved at the edge (Odoo's `free_qty` less the edge's holds); may be negative. */
  free: z.number().int(),
  /**
   * Odoo's `virtual_available` less the edge's holds: on hand − max(committed, demand) − reserved at
   * the edge + every open receipt. Without `demand` it is `free` plus the receipts.
   */
  forecast: z.number().int(),
  incoming: z.array(z.object({ qty: z.number().int(), eta: z.string(), ref: z.string().optional(), erpId: z.string().optional() })),
  updatedAt: z.string(),
});

export const StaffProduct = z.object({
  sku: z.string(),
  name: z.string().optional(),
  gtin: z.string().optional(),
  /** The ERP's own id of the product, when it sends one (Odoo: the product.product id), for a link into the ERP. */
  erpId: z.string().optional(),
  aliases: z.array(z.string()),
  backorder: z.boolean(),
  safetyStock: z.number().int(),
  cost: z.string().optional(),
  /** The ERP's landed cost (cost plus freight, duty, handling), when it sends one. */
  landedCost: z.string().optional(),
  /** What the margins are taken on: the landed cost when the ERP sends one, else the cost; absent with neither. */
  marginOn: z.enum(["landedCost", "cost"]).optional(),
  currency: z.string(),
  available: z.number().int(),
  status: StockStatus,
  /** Which figure the shop's public availability is taken from: the ERP connector's availability mode, `free` when it has none. */
  availabilityMode: z.enum(["free", "forecast"]),
  warehouses: z.array(StaffWarehouseStock),
  priceLists: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      currency: z.string(),
      breaks: z.array(z.object({ minQty: z.number().int(), unitPrice: z.string() })),
      /** Unit price at the first break minus the landed cost (else the cost), when both are known and in the same currency. */
      margin: z.object({ amount: z.string(), percent: z.string() }).optional(),
    }),
  ),
  lastSync: z.string().optional(),
  recentChanges: z.array(
    z.object({ warehouse: z.string(), onHand: z.number().int(), committed: z.number().int(), reserved: z.number().int(), version: z.number(), at: z.string() }),
  ),
});
export type StaffProduct = z.infer<typeof StaffProduct>;

export const StaffOrder = z.object({
  orderRef: z.string(),
  orderNumber: z.string().optional(),
  email: z.string().optional(),
  erpRef: z.string().optional(),
  /** The ERP's own id of the order, when it sends one (Odoo: the sale.order id), for a link into the ERP. */
  erpId: z.string().optional(),
  status: OrderStatus,
  timeline: z.array(z.object({ status: OrderStatus, at: z.string() })),
  shipments: z.array(TrackedShipment),
  updatedAt: z.string(),
  /** `shop`: the platform's webhook brought it (so it is delivered to the ERP); `erp`: only the ERP reported it. */
  origin: z.enum(["shop", "erp"]).optional(),
  /** Every delivery of this order to the ERP (and of its fulfilments to the platform), newest first. */
  deliveries: z.array(SyncDelivery).optional(),
  /** The ERP's invoices naming this order, and its returns (issue 13). */
  invoices: z.array(OrderInvoice).optional(),
  returns: z.array(OrderReturn).optional(),
});
export type StaffOrder = z.infer<typeof StaffOrder>;

export const MAX_STAFF_LOOKUPS = 100;

/** A repeatable query parameter (`?sku=A&sku=B`): absent, one value or many, always an array. */
const many = (item: z.ZodString) =>
  z
    .union([item, z.array(item)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string()).max(MAX_STAFF_LOOKUPS));

/** A platform id as the admin shows it (digits for Shopify/Woo/BigCommerce/Magento, or a Shopify GID). */
export const PlatformId = z.string().regex(/^[A-Za-z0-9:/._-]{1,128}$/, "a platform id such as 8123456789 or gid://shopify/Product/8123456789");
/** Which kind of platform id: a product and its variants live in different id spaces. */
export const PlatformIdKind = z.enum(["product", "variant"]);

/** A list page's question: many SKUs and/or platform ids at once, for one compact badge each. */
export const StaffProductsQuery = z
  .object({ sku: many(Sku), platformId: many(PlatformId), kind: PlatformIdKind.default("product") })
  .refine((q) => q.sku.length + q.platformId.length <= MAX_STAFF_LOOKUPS, `at most ${MAX_STAFF_LOOKUPS} SKUs and platform ids together`);

export const StaffProductBadge = z.object({
  /** The SKU or platform id as asked, so a list page can match its rows. */
  asked: z.string(),
  by: z.enum(["sku", "platformId"]),
  sku: z.string(),
  onHand: z.number().int(),
  available: z.number().int(),
  status: StockStatus,
});
export type StaffProductBadge = z.infer<typeof StaffProductBadge>;
export const StaffProductList = z.object({ items: z.array(StaffProductBadge), unknown: z.array(z.string()) });
export type StaffProductList = z.infer<typeof StaffProductList>;

export const StaffOrdersQuery = z
  .object({ ref: many(z.string().min(1).max(64)), number: many(z.string().min(1).max(64)) })
  .refine((q) => q.ref.length + q.number.length <= MAX_STAFF_LOOKUPS, `at most ${MAX_STAFF_LOOKUPS} refs and numbers together`);

export const StaffOrderBadge = z.object({
  asked: z.string(),
  by: z.enum(["ref", "number"]),
  orderRef: z.string(),
  orderNumber: z.string().optional(),
  erpRef: z.string().optional(),
  status: OrderStatus,
  updatedAt: z.string(),
  /** The worst state among the order's deliveries (to the ERP, fulfilments to the platform); absent when it has none. */
  delivery: DeliveryStatus.optional(),
  /** `shop`: the platform's webhook brought it (so it is delivered to the ERP); `erp`: only the ERP reported it. */
  origin: z.enum(["shop", "erp"]).optional(),
});
export type StaffOrderBadge = z.infer<typeof StaffOrderBadge>;
export const StaffOrderList = z.object({ items: z.array(StaffOrderBadge), unknown: z.array(z.string()) });
export type StaffOrderList = z.infer<typeof StaffOrderList>;

/** `GET /v1/staff/:shop/search?q=`: a barcode, a whole or partial SKU, or part of a product name. */
export const StaffSearchQuery = z.object({ q: z.string().trim().min(2).max(128) });
export const StaffSearchResult = z.object({
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      gtin: z.string().optional(),
      available: z.number().int(),
      status: StockStatus,
      /** The earliest incoming purchase order still due, summed across warehouses for that day. */
      nextArrival: z.object({ qty: z.number().int(), eta: z.string() }).optional(),
    }),
  ),
});
export type StaffSearchResult = z.infer<typeof StaffSearchResult>;

/**
 * `POST /v1/staff/:shop/products/:sku/push-stock` (scope `operate`): the platform stock push, run now
 * for this SKU even when the edge believes the platform already has its quantity (staff saw the
 * platform's stock differ). What the platform was told, per location ("" for a single stock).
 */
export const StaffStockPushResult = z.object({
  sku: z.string(),
  /** The stock sync run's outcome: `ok` when every location took its quantity. */
  status: z.enum(["running", "ok", "partial", "failed", "throttled"]),
  runId: z.string().optional(),
  told: z.array(z.object({ location: z.string(), qty: z.number().int(), at: z.string() })),
  /** Why this SKU was not (wholly) pushed, in the platform's or the sync's words. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type StaffStockPushResult = z.infer<typeof StaffStockPushResult>;
