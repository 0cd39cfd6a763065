import { z } from "zod";
import { Sku } from "./common";
import { OrderStatus } from "./erp";

export const MAX_AVAILABILITY_SKUS = 100;

export const StockStatus = z.enum(["in_stock", "low_stock", "out_of_stock", "backorder"]);
export type StockStatus = z.infer<typeof StockStatus>;

export const AvailabilityQuery = z.object({
  sku: z
    .union([Sku, z.array(Sku)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(Sku).min(1).max(MAX_AVAILABILITY_SKUS)),
});

export const AvailabilityItem = z.object({
  /** The SKU as asked for (an alias stays an alias, so the page can match its own elements). */
  sku: z.string(),
  available: z.number().int(),
  status: StockStatus,
  warehouses: z.array(z.object({ code: z.string(), name: z.string(), available: z.number().int() })),
  nextArrival: z.object({ qty: z.number().int(), eta: z.string() }).optional(),
  updatedAt: z.string(),
  /** Issue 12: the sales unit the figures count (a case of 12: `{ name: "case", factor: "12" }` stock units), when not single stock units. */
  unit: z.object({ name: z.string(), factor: z.string() }).optional(),
  /** Issue 12: the ERP's quantity rule in the sales unit, when it is more than "from 1, in ones". */
  rule: z.object({ min: z.string(), increment: z.string() }).optional(),
});
export type AvailabilityItem = z.infer<typeof AvailabilityItem>;

export const Availability = z.object({ items: z.array(AvailabilityItem) });
export type Availability = z.infer<typeof Availability>;

export const PricesQuery = AvailabilityQuery;

export const PriceBreak = z.object({ minQty: z.number().int(), unitPrice: z.string() });
export const CustomerPrices = z.object({
  currency: z.string(),
  customer: z.object({ company: z.string(), paymentTerms: z.string().optional(), creditAvailable: z.string().optional() }),
  items: z.array(
    z.object({
      sku: z.string(),
      unitPrice: z.string(),
      breaks: z.array(PriceBreak),
      /** Issue 12: the sales unit prices and break quantities are in ("Case of 12"); absent: the stock unit. */
      unit: z.string().optional(),
    }),
  ),
});
export type CustomerPrices = z.infer<typeof CustomerPrices>;

export const OrderLookup = z.strictObject({
  orderNumber: z.string().trim().min(1).max(64),
  email: z.email().max(254),
});
export type OrderLookup = z.infer<typeof OrderLookup>;

export const TrackedShipment = z.object({ carrier: z.string(), trackingNumber: z.string(), trackingUrl: z.string().optional() });
export const OrderTracking = z.object({
  orderNumber: z.string(),
  status: OrderStatus,
  timeline: z.array(z.object({ status: OrderStatus, at: z.string() })),
  shipments: z.array(TrackedShipment),
});
export type OrderTracking = z.infer<typeof OrderTracking>;

/** What a storefront widget needs to speak the shop's language: `GET /v1/shops/:shop/config`. */
export const ShopConfig = z.object({ locale: z.string(), currency: z.string() });
export type ShopConfig = z.infer<typeof ShopConfig>;

/** Messages a pool object sends down a widget's live WebSocket. */
export const LiveMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("stock"), item: AvailabilityItem }),
  z.object({ type: z.literal("hello"), skus: z.array(z.string()) }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;
