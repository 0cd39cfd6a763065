import { z } from "zod";
import { OrderStatus } from "./erp";
import { StockStatus, TrackedShipment } from "./public";

export const StaffWarehouseStock = z.object({
  code: z.string(),
  name: z.string(),
  onHand: z.number().int(),
  committed: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  incoming: z.array(z.object({ qty: z.number().int(), eta: z.string(), ref: z.string().optional() })),
  updatedAt: z.string(),
});

export const StaffProduct = z.object({
  sku: z.string(),
  name: z.string().optional(),
  gtin: z.string().optional(),
  aliases: z.array(z.string()),
  backorder: z.boolean(),
  safetyStock: z.number().int(),
  cost: z.string().optional(),
  currency: z.string(),
  available: z.number().int(),
  status: StockStatus,
  warehouses: z.array(StaffWarehouseStock),
  priceLists: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      currency: z.string(),
      breaks: z.array(z.object({ minQty: z.number().int(), unitPrice: z.string() })),
      /** Unit price at the first break minus cost, when both are known and in the same currency. */
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
  status: OrderStatus,
  timeline: z.array(z.object({ status: OrderStatus, at: z.string() })),
  shipments: z.array(TrackedShipment),
  updatedAt: z.string(),
});
export type StaffOrder = z.infer<typeof StaffOrder>;
