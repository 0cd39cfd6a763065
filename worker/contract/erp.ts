import { z } from "zod";
import { Currency, IsoDate, Money, Quantity, Sku, Version } from "./common";
import { KitComponents, QuantityRule, SalesUnit } from "./promise";

/**
 * ERP ingest bodies. Each is an envelope holding rows; the envelope is checked as a whole (unknown
 * fields, size) and every row on its own, so one bad row never blocks the rest.
 */

export const WarehouseRow = z.strictObject({
  code: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  leadTimeDays: z.number().int().min(0).max(365).optional(),
});

export const ProductRow = z.strictObject({
  sku: Sku,
  name: z.string().min(1).max(500),
  gtin: z
    .string()
    .regex(/^\d{8,14}$/)
    .optional(),
  cost: Money.optional(),
  /** Cost plus freight, duty and handling, in the product's currency: staff margin is taken on it when present. */
  landedCost: Money.optional(),
  currency: Currency.optional(),
  /** The ERP's own id of the record (e.g. Odoo's numeric id), for staff links into the ERP where it addresses records by id. */
  erpId: z.string().min(1).max(64).optional(),
  aliases: z.array(Sku).max(20).optional(),
  backorder: z.boolean().optional(),
  safetyStock: Quantity.optional(),
  /** Issue 12: a kit or bundle's components, the sales unit and the quantity rules (worker/promise/). */
  components: KitComponents.optional(),
  salesUnit: SalesUnit.optional(),
  quantityRule: QuantityRule.optional(),
  version: Version,
});

export const Incoming = z.strictObject({
  qty: z.number().int().positive().max(1_000_000_000),
  eta: IsoDate,
  ref: z.string().max(100).optional(),
  /** The ERP's own id of the purchase order or receipt `ref` names, for staff links (e.g. Odoo's stock.picking id). */
  erpId: z.string().min(1).max(64).optional(),
});

export const StockRow = z.strictObject({
  sku: Sku,
  warehouse: z.string().min(1).max(64),
  onHand: z.number().int().min(-1_000_000_000).max(1_000_000_000),
  /** What the shop's availability subtracts from on hand: the ERP's reservations (or, in a forecast-mode connector, all confirmed demand). */
  committed: Quantity.optional(),
  /**
   * All confirmed outgoing demand, reserved or not (Odoo: open delivery moves). Optional, absent
   * = no more than `committed`; staff see the forecast from it next to the free figure, public
   * availability keeps using `committed`.
   */
  demand: Quantity.optional(),
  incoming: z.array(Incoming).max(50).optional(),
  version: Version,
});

export const PriceListRow = z.strictObject({ id: z.string().min(1).max(64), name: z.string().min(1).max(200), currency: Currency });

/** A price per the product's sales unit (issue 12: a case pack's price per case, `minQty` in cases; a plain product's per stock unit). */
export const PriceRow = z.strictObject({
  list: z.string().min(1).max(64),
  sku: Sku,
  minQty: z.number().int().min(1).max(1_000_000_000),
  unitPrice: Money,
  version: Version,
});

export const CustomerRow = z.strictObject({
  id: z.string().min(1).max(128),
  email: z.email().max(254).optional(),
  company: z.string().min(1).max(200),
  priceList: z.string().min(1).max(64),
  paymentTerms: z.string().max(100).optional(),
  creditLimit: Money.optional(),
  balance: Money.optional(),
  /** The customer's VAT id and postal address (one line), optional: staff see probable duplicate customers by them (issue 15). */
  vatId: z.string().min(1).max(32).optional(),
  address: z.string().min(1).max(500).optional(),
  version: Version,
});

export const OrderStatus = z.enum(["received", "confirmed", "picking", "packed", "shipped", "delivered", "cancelled", "returned"]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/**
 * A carrier's tracking page: http(s) only, no credentials, stored normalised (scheme and host
 * lower-cased, as the URL parser spells it) so what the widget and extension link to is canonical.
 */
export const TrackingUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((u) => {
    // zod runs this even when the URL check above failed: an unparsable URL is that check's to reject, never a throw.
    if (!URL.canParse(u)) return true;
    const url = new URL(u);
    return url.username === "" && url.password === "";
  }, "a tracking URL may not carry credentials")
  .transform((u) => new URL(u).href);

export const Shipment = z.strictObject({
  carrier: z.string().min(1).max(64),
  trackingNumber: z.string().min(1).max(64),
  trackingUrl: TrackingUrl.optional(),
  shippedAt: IsoDate.optional(),
  items: z
    .array(z.strictObject({ sku: Sku, qty: z.number().int().positive() }))
    .max(500)
    .optional(),
});
export type Shipment = z.infer<typeof Shipment>;

export const OrderRow = z.strictObject({
  orderRef: z.string().min(1).max(64),
  orderNumber: z.string().min(1).max(64).optional(),
  email: z.email().max(254).optional(),
  erpRef: z.string().min(1).max(64).optional(),
  /** The ERP's own id of the record (e.g. Odoo's numeric id), for staff links into the ERP where it addresses records by id. */
  erpId: z.string().min(1).max(64).optional(),
  status: OrderStatus,
  shipments: z.array(Shipment).max(50).optional(),
  at: IsoDate,
  version: Version,
});

/** Row limits per request, per resource. */
export const ERP_LIMITS = {
  warehouses: 1_000,
  products: 10_000,
  stock: 10_000,
  prices: 10_000,
  customers: 10_000,
  orders: 1_000,
} as const;

export const WarehousesPush = z.strictObject({ warehouses: z.array(WarehouseRow).min(1).max(ERP_LIMITS.warehouses) });
export const ProductsPush = z.strictObject({ products: z.array(ProductRow).min(1).max(ERP_LIMITS.products) });
export const StockPush = z.strictObject({ items: z.array(StockRow).min(1).max(ERP_LIMITS.stock) });
export const PricesPush = z.strictObject({
  lists: z.array(PriceListRow).max(1_000).optional(),
  prices: z.array(PriceRow).max(ERP_LIMITS.prices).optional(),
});
export const CustomersPush = z.strictObject({ customers: z.array(CustomerRow).min(1).max(ERP_LIMITS.customers) });
export const OrdersPush = z.strictObject({ orders: z.array(OrderRow).min(1).max(ERP_LIMITS.orders) });

export type WarehouseRow = z.infer<typeof WarehouseRow>;
export type ProductRow = z.infer<typeof ProductRow>;
export type StockRow = z.infer<typeof StockRow>;
export type PriceListRow = z.infer<typeof PriceListRow>;
export type PriceRow = z.infer<typeof PriceRow>;
export type CustomerRow = z.infer<typeof CustomerRow>;
export type OrderRow = z.infer<typeof OrderRow>;

export const RowRejection = z.object({ index: z.number().int(), code: z.string(), message: z.string() });
export type RowRejection = z.infer<typeof RowRejection>;

/** What every ERP push answers. `duplicate` is true when the `webhook-id` was applied before. */
export const IngestResult = z.object({
  applied: z.number().int(),
  stale: z.number().int(),
  rejected: z.array(RowRejection),
  duplicate: z.boolean().optional(),
});
export type IngestResult = z.infer<typeof IngestResult>;
