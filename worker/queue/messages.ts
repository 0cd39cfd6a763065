import { z } from "zod";

/** What travels on the `backroom-orders` queue: only a delivery's id; its state lives in D1. */
export const OrdersMessage = z.object({ delivery: z.string().min(1).max(128) });
export type OrdersMessage = z.infer<typeof OrdersMessage>;
