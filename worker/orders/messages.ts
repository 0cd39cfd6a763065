import { z } from "zod";
import { MAX_WEBHOOK_ID_LENGTH } from "../contract/common";
import { OrderPlatform } from "../contract/orders";

/**
 * What travels on the `backroom-orders` queue: only ids; the state lives in the pool's object, so a
 * duplicate message is harmless.
 * - `delivery`: try this outbound delivery (order to the ERP, fulfilment to the platform) now; `pool`
 *   names the pool object that holds it (absent on the D1 data plane);
 * - `inbox`: turn this verified platform webhook into an order (merge, reserve, queue to the ERP).
 */
export const DeliveryMessage = z.object({ delivery: z.string().min(1).max(128), pool: z.string().min(1).max(64).optional() });
export const InboxMessage = z.object({
  inbox: z.object({ shop: z.string().min(1).max(64), platform: OrderPlatform, deliveryId: z.string().min(1).max(MAX_WEBHOOK_ID_LENGTH) }),
});
export const OrdersMessage = z.union([DeliveryMessage, InboxMessage]);
export type OrdersMessage = z.infer<typeof OrdersMessage>;
export type InboxMessage = z.infer<typeof InboxMessage>;
