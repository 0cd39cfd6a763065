import { z } from "zod";

/** The subprotocol a staff live socket speaks; the ticket travels as the second offered subprotocol, never in the URL. */
export const STAFF_LIVE_PROTOCOL = "backroom-staff";

/** `POST /v1/staff/:shop/live/ticket`: a one-use ticket to open the shop's staff live socket within `expiresAt`. */
export const StaffLiveTicket = z.object({
  ticket: z.string().regex(/^[0-9a-f]{64}$/),
  expiresAt: z.string(),
  /** Where to connect (relative to the edge): `new WebSocket(edge + path, ["backroom-staff", ticket])`. */
  path: z.string(),
});
export type StaffLiveTicket = z.infer<typeof StaffLiveTicket>;

/**
 * What a staff live socket receives: which SKUs' stock and which orders (status, tracking or a
 * delivery to the ERP) changed. Staff views re-read what they show; the frame carries no data.
 */
export const StaffLiveMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello") }),
  z.object({ type: z.literal("stock"), skus: z.array(z.string()) }),
  z.object({ type: z.literal("orders"), orderRefs: z.array(z.string()) }),
]);
export type StaffLiveMessage = z.infer<typeof StaffLiveMessage>;
