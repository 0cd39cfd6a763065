import { z } from "zod";

/** JSON columns, parsed back through the same shape they were written in. */
export const Incoming = z.array(z.object({ qty: z.number(), eta: z.string(), ref: z.string().optional(), erpId: z.string().optional() }));

export const StoredShipments = z.array(
  z.object({
    carrier: z.string(),
    trackingNumber: z.string(),
    trackingUrl: z.string().optional(),
    shippedAt: z.string().optional(),
    items: z.array(z.object({ sku: z.string(), qty: z.number() })).optional(),
  }),
);
