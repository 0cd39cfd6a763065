import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ErrorBody, STAFF_LIVE_PROTOCOL, ShopId, StaffLiveMessage, StaffLiveTicket } from "../contract";
import type { AppEnv } from "../http/app-env";
import { requireStaff } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { liveSocket, SOCKET_SHOP_HEADER, STAFF_TICKET_HEADER } from "../pool/sockets";
import { poolObject } from "../pool/plane";

/**
 * The staff extension's live connection, in two steps so the staff key never sits in a URL (URLs
 * end up in access logs; a browser WebSocket cannot send an Authorization header): a POST with the
 * key answers a one-use ticket valid for 30 s, and the socket offers that ticket as a subprotocol.
 * The socket lives in the object of the shop's stock pool (hibernatable) and hears which SKUs and orders changed.
 */
const LIVE_PATH = "/v1/staff-live/{shop}";

const ticket = createRoute({
  method: "post",
  path: "/v1/staff/{shop}/live/ticket",
  summary: "A one-use, 30-second ticket to open the shop's staff live socket",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }) },
  responses: { 201: jsonResponse(StaffLiveTicket, "Connect within expiresAt to path, offering the subprotocols backroom-staff and the ticket") },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/staff/:shop/live/ticket", loadShop, requireStaff);
base.use("/v1/staff-live/:shop", loadShop);

export const staffLiveRoutes = base.openapi(ticket, async (c) => {
  const shop = c.var.shop.id;
  const issued = await poolObject(c.env, c.var.shop.poolId).issueStaffTicket(shop, Date.now());
  return c.json({ ticket: issued.ticket, expiresAt: new Date(issued.expiresAt).toISOString(), path: LIVE_PATH.replace("{shop}", shop) }, 201);
});

staffLiveRoutes.openAPIRegistry.registerPath({
  method: "get",
  path: LIVE_PATH,
  summary: "Staff live socket (Upgrade: websocket; Sec-WebSocket-Protocol: backroom-staff, <ticket>); frames are StaffLiveMessage",
  request: { params: z.object({ shop: ShopId }) },
  responses: {
    101: { description: "Switched to a WebSocket; each text frame is one StaffLiveMessage", content: { "application/json": { schema: StaffLiveMessage } } },
    401: jsonResponse(ErrorBody, "No ticket offered, or an unknown, used or expired one"),
    404: jsonResponse(ErrorBody, "No such shop"),
    426: jsonResponse(ErrorBody, "Not a WebSocket upgrade"),
  },
});

staffLiveRoutes.get("/v1/staff-live/:shop", async (c) => {
  if (c.req.header("upgrade") !== "websocket") throw new ApiError(426, "websocket_required", "Connect with a WebSocket");
  const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  const offeredTicket = offered[0] === STAFF_LIVE_PROTOCOL ? offered[1] : undefined;
  if (!offeredTicket || !/^[0-9a-f]{64}$/.test(offeredTicket))
    throw new ApiError(401, "ticket_required", `Offer the subprotocols "${STAFF_LIVE_PROTOCOL}" and a ticket from POST /v1/staff/:shop/live/ticket`);
  const res = await poolObject(c.env, c.var.shop.poolId).fetch(
    new Request(c.req.url, { headers: { upgrade: "websocket", [SOCKET_SHOP_HEADER]: c.var.shop.id, [STAFF_TICKET_HEADER]: offeredTicket } }),
  );
  if (res.status === 401) throw new ApiError(401, "ticket_invalid", "The ticket is unknown, used or expired: ask for a new one");
  return liveSocket(res);
});
