import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { type AvailabilityItem, type LiveMessage, STAFF_LIVE_PROTOCOL, type StaffLiveMessage } from "../contract";
import { toHex } from "../domain/encoding";

/** What a socket listens to: the canonical SKU, and the SKU as its page asked for it (maybe an alias). */
export const Subscriptions = z.array(z.object({ asked: z.string(), sku: z.string() })).max(100);
export type Subscriptions = z.infer<typeof Subscriptions>;

export const SUBSCRIPTIONS_HEADER = "x-backroom-subscriptions";
/** Set by the staff live route: the ticket the client offered. The hub redeems it (one use), so a forged header opens nothing. */
export const STAFF_TICKET_HEADER = "x-backroom-staff-ticket";
/** Staff sockets are tagged, so widget fan-out and staff notices never look at each other's sockets. */
const STAFF = "staff";
/** How long a staff ticket may wait before its socket opens. */
export const STAFF_TICKET_TTL_MS = 30_000;

const RESERVED_CLOSE_CODES = new Set([1005, 1006, 1015]);

/**
 * One per shop: holds the shop's open widget and extension sockets (hibernatable, so idle pages
 * cost nothing) and fans out every stock change to the sockets that watch that SKU.
 */
export class ShopHub extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade") !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const ticket = request.headers.get(STAFF_TICKET_HEADER);
    if (ticket !== null) return this.acceptStaff(ticket);
    const subs = Subscriptions.safeParse(JSON.parse(request.headers.get(SUBSCRIPTIONS_HEADER) ?? "[]"));
    if (!subs.success) return new Response("bad subscriptions", { status: 400 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    pair[1].serializeAttachment(subs.data);
    const hello: LiveMessage = { type: "hello", skus: subs.data.map((s) => s.asked) };
    pair[1].send(JSON.stringify(hello));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  private async acceptStaff(ticket: string): Promise<Response> {
    const key = `ticket:${ticket}`;
    const expires = await this.ctx.storage.get<number>(key);
    if (expires === undefined) return new Response("unknown or used ticket", { status: 401 });
    await this.ctx.storage.delete(key);
    if (expires < Date.now()) return new Response("expired ticket", { status: 401 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [STAFF]);
    pair[1].send(JSON.stringify({ type: "hello" } satisfies StaffLiveMessage));
    return new Response(null, { status: 101, webSocket: pair[0], headers: { "sec-websocket-protocol": STAFF_LIVE_PROTOCOL } });
  }

  /** A one-use ticket for a staff socket, issued after the staff key was checked; expired ones are swept here. */
  async issueStaffTicket(now: number): Promise<{ ticket: string; expiresAt: number }> {
    const stored = await this.ctx.storage.list<number>({ prefix: "ticket:", limit: 200 });
    const expired = [...stored].filter(([, at]) => at < now).map(([k]) => k);
    if (expired.length > 0) await this.ctx.storage.delete(expired);
    const ticket = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const expiresAt = now + STAFF_TICKET_TTL_MS;
    await this.ctx.storage.put(`ticket:${ticket}`, expiresAt);
    return { ticket, expiresAt };
  }

  /** Tells every staff socket what changed; answers how many sockets heard it. */
  async notifyStaff(message: StaffLiveMessage): Promise<number> {
    let sent = 0;
    const frame = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets(STAFF)) {
      try {
        ws.send(frame);
        sent++;
      } catch {
        // Closed meanwhile; its close handler cleans up.
      }
    }
    return sent;
  }

  /** Open widget and staff sockets: publishers skip the reads nobody would receive. */
  async audience(): Promise<{ widgets: number; staff: number }> {
    const staff = this.ctx.getWebSockets(STAFF).length;
    return { widgets: this.ctx.getWebSockets().length - staff, staff };
  }

  /** Sends each changed item to every socket watching its SKU, under the name that socket asked for. */
  async publish(items: AvailabilityItem[]): Promise<number> {
    const bySku = new Map(items.map((i) => [i.sku, i]));
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      if (this.ctx.getTags(ws).includes(STAFF)) continue;
      const subs = Subscriptions.safeParse(ws.deserializeAttachment());
      if (!subs.success) continue;
      for (const { asked, sku } of subs.data) {
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
    }
    return sent;
  }

  /** The SKUs open widgets watch: what to send afresh when the channel's own rules change. */
  async watchedSkus(): Promise<string[]> {
    const skus = new Set<string>();
    for (const ws of this.ctx.getWebSockets()) {
      if (this.ctx.getTags(ws).includes(STAFF)) continue;
      const subs = Subscriptions.safeParse(ws.deserializeAttachment());
      if (subs.success) for (const s of subs.data) skus.add(s.sku);
    }
    return [...skus];
  }

  /** Open sockets, for health checks and tests. */
  async connections(): Promise<number> {
    return this.ctx.getWebSockets().length;
  }

  override async webSocketMessage(): Promise<void> {
    // Clients only listen; "ping" is answered by the auto-response without waking this object.
  }

  /**
   * Completes the closing handshake. 1005 (no status), 1006 (abnormal) and 1015 (TLS) are reserved:
   * they describe a close but may never be sent in one, so those are answered with 1000.
   */
  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(RESERVED_CLOSE_CODES.has(code) ? 1000 : code, reason);
    } catch {
      // Already closed from our side (e.g. the runtime finished the handshake): nothing to answer.
    }
  }
}
