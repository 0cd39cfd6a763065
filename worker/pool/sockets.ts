import { z } from "zod";
import { type AvailabilityItem, type LiveMessage, STAFF_LIVE_PROTOCOL, ShopId, type StaffLiveMessage } from "../contract";
import { toHex } from "../domain/encoding";
import { ApiError } from "../http/error";

/** What a widget socket listens to: the canonical SKU, and the SKU as its page asked for it (maybe an alias). */
export const Subscriptions = z.array(z.object({ asked: z.string(), sku: z.string() })).max(100);
export type Subscriptions = z.infer<typeof Subscriptions>;

/** Set by the worker's live routes: the shop whose socket this is (one pool object holds the sockets of all its shops). */
export const SOCKET_SHOP_HEADER = "x-backroom-shop";
export const SUBSCRIPTIONS_HEADER = "x-backroom-subscriptions";
/** Set by the staff live route: the ticket the client offered. The object redeems it (one use, for its shop only), so a forged header opens nothing. */
export const STAFF_TICKET_HEADER = "x-backroom-staff-ticket";
/** How long a staff ticket may wait before its socket opens. */
export const STAFF_TICKET_TTL_MS = 30_000;
/** "Service restart": a shop's sockets closed because the shop moved to another pool; widget and extension reconnect on any close, into the new pool's object. */
export const SHOP_MOVED_CLOSE = 1012;

/** The object's answer to a live route's upgrade, with its refusal of a shop that has just moved as the API's 503 (the client retries). */
export function liveSocket(res: Response): Response {
  if (res.status === 503) throw new ApiError(503, "shop_moved", "This shop has just moved to another stock pool; reconnect", { retryAfterSeconds: 1 });
  return res;
}

const RESERVED_CLOSE_CODES = new Set([1005, 1006, 1015]);

/**
 * Sockets are tagged with their kind and shop, so one shop's widget fan-out or staff notice finds
 * its own sockets with `getWebSockets(tag)` and never looks at another shop's or kind's.
 */
const widgetTag = (shop: string) => `widget:${shop}`;
const staffTag = (shop: string) => `staff:${shop}`;
/** A ticket is stored under its shop: redeemed for another shop, it is simply not found. */
const ticketKey = (shop: string, ticket: string) => `ticket:${shop}:${ticket}`;

/**
 * The live sockets of a pool's shops, held by the pool's object (./store.ts): hibernatable, so idle
 * pages cost nothing, and fanned out per shop.
 */
export class PoolSockets {
  constructor(private readonly ctx: DurableObjectState) {
    // Clients send "ping" to keep proxies from dropping an idle socket: answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** A WebSocket upgrade from the worker's live routes: a staff socket when a ticket is offered, a widget socket otherwise. */
  async accept(request: Request, refused: (shop: string) => boolean): Promise<Response> {
    if (request.headers.get("upgrade") !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const shop = ShopId.safeParse(request.headers.get(SOCKET_SHOP_HEADER));
    if (!shop.success) return new Response("no shop", { status: 400 });
    // The shop moved to another pool: its client retries and the worker sends it to the new one.
    if (refused(shop.data)) return new Response("the shop moved to another pool", { status: 503 });
    const ticket = request.headers.get(STAFF_TICKET_HEADER);
    if (ticket !== null) return this.acceptStaff(shop.data, ticket);
    let raw: unknown;
    try {
      raw = JSON.parse(request.headers.get(SUBSCRIPTIONS_HEADER) ?? "[]");
    } catch {
      return new Response("bad subscriptions", { status: 400 });
    }
    const subs = Subscriptions.safeParse(raw);
    if (!subs.success) return new Response("bad subscriptions", { status: 400 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [widgetTag(shop.data)]);
    pair[1].serializeAttachment(subs.data);
    const hello: LiveMessage = { type: "hello", skus: subs.data.map((s) => s.asked) };
    pair[1].send(JSON.stringify(hello));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  private async acceptStaff(shop: string, ticket: string): Promise<Response> {
    const key = ticketKey(shop, ticket);
    const expires = await this.ctx.storage.get<number>(key);
    if (expires === undefined) return new Response("unknown or used ticket", { status: 401 });
    await this.ctx.storage.delete(key);
    if (expires < Date.now()) return new Response("expired ticket", { status: 401 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [staffTag(shop)]);
    pair[1].send(JSON.stringify({ type: "hello" } satisfies StaffLiveMessage));
    return new Response(null, { status: 101, webSocket: pair[0], headers: { "sec-websocket-protocol": STAFF_LIVE_PROTOCOL } });
  }

  /** A one-use ticket for one shop's staff socket, issued after the staff key was checked; expired ones are swept here. */
  async issueStaffTicket(shop: string, now: number): Promise<{ ticket: string; expiresAt: number }> {
    const stored = await this.ctx.storage.list<number>({ prefix: "ticket:", limit: 200 });
    const expired = [...stored].filter(([, at]) => at < now).map(([k]) => k);
    if (expired.length > 0) await this.ctx.storage.delete(expired);
    const ticket = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const expiresAt = now + STAFF_TICKET_TTL_MS;
    await this.ctx.storage.put(ticketKey(shop, ticket), expiresAt);
    return { ticket, expiresAt };
  }

  /** Tells every staff socket of the shop what changed; answers how many sockets heard it. */
  notifyStaff(shop: string, message: StaffLiveMessage): number {
    let sent = 0;
    const frame = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets(staffTag(shop))) {
      try {
        ws.send(frame);
        sent++;
      } catch {
        // Closed meanwhile; its close handler cleans up.
      }
    }
    return sent;
  }

  /** The shop's open widget and staff sockets: publishers skip the reads nobody would receive. */
  audience(shop: string): { widgets: number; staff: number } {
    return { widgets: this.ctx.getWebSockets(widgetTag(shop)).length, staff: this.ctx.getWebSockets(staffTag(shop)).length };
  }

  /** The shop's widget sockets with what each watches. */
  private *widgets(shop: string): Generator<[WebSocket, Subscriptions]> {
    for (const ws of this.ctx.getWebSockets(widgetTag(shop))) {
      const subs = Subscriptions.safeParse(ws.deserializeAttachment());
      if (subs.success) yield [ws, subs.data];
    }
  }

  /** Sends each changed item to every widget socket of the shop watching its SKU, under the name that socket asked for. */
  publish(shop: string, items: AvailabilityItem[]): number {
    const bySku = new Map(items.map((i) => [i.sku, i]));
    let sent = 0;
    for (const [ws, subs] of this.widgets(shop))
      for (const { asked, sku } of subs) {
        const item = bySku.get(sku);
        if (!item) continue;
        const message: LiveMessage = { type: "stock", item: { ...item, sku: asked } };
        try {
          ws.send(JSON.stringify(message));
          sent++;
        } catch {
          // The socket closed between getWebSockets() and send(); its close handler cleans up.
        }
      }
    return sent;
  }

  /** The SKUs the shop's open widgets watch: what to send afresh when the channel's own rules change. */
  watchedSkus(shop: string): string[] {
    const skus = new Set<string>();
    for (const [, subs] of this.widgets(shop)) for (const s of subs) skus.add(s.sku);
    return [...skus];
  }

  /** The shop's open sockets, widget and staff. */
  connections(shop: string): number {
    const { widgets, staff } = this.audience(shop);
    return widgets + staff;
  }

  /**
   * Closes every socket of the shop with `SHOP_MOVED_CLOSE` and drops its unused tickets: the shop
   * moved to another pool, whose object its clients reconnect to. Answers how many were closed.
   */
  async closeShop(shop: string): Promise<number> {
    const sockets = [...this.ctx.getWebSockets(widgetTag(shop)), ...this.ctx.getWebSockets(staffTag(shop))];
    for (const ws of sockets) {
      try {
        ws.close(SHOP_MOVED_CLOSE, "the shop moved to another stock pool; reconnect");
      } catch {
        // Already closing.
      }
    }
    const tickets = [...(await this.ctx.storage.list({ prefix: ticketKey(shop, "") })).keys()];
    if (tickets.length > 0) await this.ctx.storage.delete(tickets);
    return sockets.length;
  }

  /**
   * Completes the closing handshake. 1005 (no status), 1006 (abnormal) and 1015 (TLS) are reserved:
   * they describe a close but may never be sent in one, so those are answered with 1000.
   */
  closed(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(RESERVED_CLOSE_CODES.has(code) ? 1000 : code, reason);
    } catch {
      // Already closed from our side (e.g. the runtime finished the handshake): nothing to answer.
    }
  }
}
