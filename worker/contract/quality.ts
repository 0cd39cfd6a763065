import { z } from "zod";
import { Sku } from "./common";

/** Data quality and demand forecasting for staff (issue 15). */

export const QualityKind = z.enum([
  "unmapped_sku",
  "erp_sku_not_on_sale",
  "variant_without_sku",
  "duplicate_platform_sku",
  "duplicate_customer",
  "price_below_cost",
  "stale_price",
  "stock_without_warehouse",
  "stuck_order",
]);
export type QualityKind = z.infer<typeof QualityKind>;

export const QualitySuggestion = z.object({
  sku: z.string(),
  name: z.string(),
  reason: z.enum(["gtin", "normalised_sku", "title"]),
  score: z.number(),
});

export const QualityItem = z.object({
  kind: QualityKind,
  /** What the item is about: a platform variant id, an ERP SKU, a customer group, an order ref… */
  ref: z.string(),
  title: z.string(),
  /** The facts behind it, by name (the CSV's columns). */
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
  /** For unmapped SKUs: the likely ERP products; accepting one creates a SKU alias. */
  suggestions: z.array(QualitySuggestion).optional(),
});
export type QualityItem = z.infer<typeof QualityItem>;

export const CatalogueRead = z.object({
  readId: z.string(),
  pages: z.number().int(),
  variants: z.number().int(),
  finished: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
});

export const QualityQuery = z.object({
  kind: QualityKind.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** Price entries older than this many days are reported. */
  staleDays: z.coerce.number().int().min(1).max(3650).default(90),
});

export const QualityReport = z.object({
  counts: z.record(QualityKind, z.number().int()),
  total: z.number().int(),
  /** The platform catalogue the SKU checks compare with; absent before the first read. */
  catalogue: CatalogueRead.optional(),
  items: z.array(QualityItem),
  offset: z.number().int(),
  limit: z.number().int(),
  /** The offset of the next page, when there is one. */
  next: z.number().int().optional(),
});
export type QualityReport = z.infer<typeof QualityReport>;

export const AcceptAlias = z.strictObject({
  /** The SKU the shop platform uses. */
  alias: Sku,
  /** The ERP's SKU it stands for. */
  sku: Sku,
});

export const AcceptedAlias = z.object({ alias: z.string(), sku: z.string(), createdBy: z.string(), createdAt: z.string() });

/** One day's units of a SKU sold from a warehouse, as an ERP's sales history has it (`npm run import -- sales.csv --kind sales`). */
export const SalesRow = z.strictObject({
  sku: Sku,
  /** The warehouse it left from; "" or absent when the history does not say. */
  warehouse: z.string().max(64).optional(),
  /** The UTC day, YYYY-MM-DD. */
  date: z.iso.date(),
  qty: z.number().int().min(0).max(10_000_000),
});
export type SalesRow = z.infer<typeof SalesRow>;

export const SALES_LIMIT = 10_000;
export const SalesPush = z.strictObject({ sales: z.array(SalesRow).min(1).max(SALES_LIMIT) });

export const ForecastWarehouse = z.object({
  warehouse: z.string(),
  class: z.enum(["regular", "intermittent", "none"]),
  method: z.enum(["holt-damped", "sba", "zero"]),
  /** Expected demand in each of the next 12 weeks, from today. */
  weekly: z.array(z.number()),
  /** Demand in each of the last 12 weeks (oldest first). */
  history: z.array(z.number().int()),
  available: z.number().int(),
  /** Days the available stock (and what is on its way) lasts at the forecast; absent when longer than the forecast. */
  coverDays: z.number().optional(),
  leadTimeDays: z.number().int(),
  reorderPoint: z.number().int(),
  safetyStock: z.number(),
  reorderNow: z.boolean(),
  /** Units to order now so stock lasts through the lead time and a review period, or through the peak week if later. */
  suggestedQty: z.number().int(),
  peakWeek: z.number().int(),
});

export const StaffForecast = z.object({
  sku: z.string(),
  serviceLevel: z.number(),
  computedAt: z.string(),
  warehouses: z.array(ForecastWarehouse),
});
export type StaffForecast = z.infer<typeof StaffForecast>;

export const ReorderList = z.object({
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string().optional(),
      warehouse: z.string(),
      available: z.number().int(),
      coverDays: z.number().optional(),
      reorderPoint: z.number().int(),
      suggestedQty: z.number().int(),
      computedAt: z.string(),
    }),
  ),
});
