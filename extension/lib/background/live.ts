import { STAFF_LIVE_PROTOCOL, StaffLiveMessage } from "../../../worker/contract";
import { type EdgeClient, EdgeError } from "../edge-client";
import type { LiveEvent, LiveState } from "../messages";
import { originPattern, type ShopSettings } from "../settings";

/** What the live connections need from the browser, injected so they can be tested without one. */
export interface LiveDeps {
  client: (shop: Pick<ShopSettings, "edgeUrl" | "shopId" | "staffKey">) => EdgeClient;
  hasOrigin: (pattern: string) => Promise<boolean>;
  openSocket: (url: string, protocols: string[]) => WebSocket;
  /** Called with every change, once per settings entry the connection serves. */
  emit: (event: LiveEvent) => void;
  setTimer: (fn: () => void, ms: number) => () => void;
  now: () => number;
  random: () => number;
}

/** Reconnect delays: 1 s doubling to 60 s, each with up to 30 % jitter so a restarted edge is not hit by every browser at once. */
export function reconnectDelay(failures: number, random: () => number): number {
  const base = Math.min(60_000, 1_000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (1 + 0.3 * random()));
}

/** A socket sends "ping" this often: the pool object answers without waking (auto-response), and the service worker stays alive. */
export const KEEPALIVE_MS = 20_000;

/** One edge + shop + key: a single socket, however many settings entries (admin URLs) share it. */
const connectionKey = (s: ShopSettings) => `${s.edgeUrl} ${s.shopId} ${s.staffKey}`;

interface Connection {
  shop: ShopSettings;
  entries: string[];
  state: LiveState;
  failures: number;
  socket?: WebSocket;
  cancelTimer?: () => void;
  closed: boolean;
}

/**
 * The background's live connections: one authenticated socket per shop (a fresh one-use ticket for
 * each connect, never the key in a URL), reconnecting with backoff, reporting each entry's state.
 *
 * @example
 * const live = liveConnections(deps);
 * await live.sync(settings.shops);   // opens, keeps or closes sockets to match the settings
 */
export function liveConnections(deps: LiveDeps) {
  const connections = new Map<string, Connection>();

  const setState = (c: Connection, state: LiveState["state"], message?: string) => {
    if (c.state.state === state && c.state.message === message) return;
    c.state = { state, since: new Date(deps.now()).toISOString(), ...(message ? { message } : {}) };
    for (const shop of c.entries) deps.emit({ type: "status", shop, status: c.state });
  };

  const schedule = (c: Connection, ms: number) => {
    c.cancelTimer?.();
    c.cancelTimer = deps.setTimer(() => void connect(c), ms);
  };

  const retryLater = (c: Connection) => {
    c.failures++;
    // A rejected key or a wrong URL will not fix itself soon: look again slowly.
    const slow = c.state.state === "unauthorized" || c.state.state === "wrong_url" || c.state.state === "no_permission";
    schedule(c, slow ? 60_000 : reconnectDelay(c.failures, deps.random));
  };

  async function connect(c: Connection): Promise<void> {
    if (c.closed) return;
    if (!(await deps.hasOrigin(originPattern(c.shop.edgeUrl)))) {
      setState(c, "no_permission", `The extension may not contact ${c.shop.edgeUrl} yet`);
      return retryLater(c);
    }
    setState(c, c.state.state === "live" ? "connecting" : c.state.state === "offline" ? "offline" : "connecting", c.state.message);
    const edge = deps.client(c.shop);
    let url: string;
    let ticket: string;
    try {
      const t = await edge.liveTicket();
      url = edge.liveUrl(t.path);
      ticket = t.ticket;
    } catch (e) {
      const code = e instanceof EdgeError ? e.code : "unreachable";
      const message = e instanceof Error ? e.message : "The edge did not answer";
      setState(c, code === "unauthorized" || code === "shop_not_found" ? "unauthorized" : code === "wrong_url" ? "wrong_url" : "offline", message);
      return retryLater(c);
    }
    if (c.closed) return;
    const ws = deps.openSocket(url, [STAFF_LIVE_PROTOCOL, ticket]);
    c.socket = ws;
    let keepalive: (() => void) | undefined;
    const ping = () => {
      if (ws.readyState === 1) ws.send("ping");
      keepalive = deps.setTimer(ping, KEEPALIVE_MS);
    };
    ws.addEventListener("open", () => {
      c.failures = 0;
      setState(c, "live");
      keepalive = deps.setTimer(ping, KEEPALIVE_MS);
    });
    ws.addEventListener("message", (e) => {
      if (e.data === "pong") return;
      let raw: unknown;
      try {
        raw = JSON.parse(String(e.data));
      } catch {
        return;
      }
      const m = StaffLiveMessage.safeParse(raw);
      if (!m.success || m.data.type === "hello") return;
      for (const shop of c.entries) {
        deps.emit(m.data.type === "stock" ? { type: "stock", shop, skus: m.data.skus } : { type: "orders", shop, orderRefs: m.data.orderRefs });
      }
    });
    ws.addEventListener("close", () => {
      keepalive?.();
      if (c.socket !== ws || c.closed) return;
      c.socket = undefined;
      setState(c, "offline", "The live connection to the edge was lost; reconnecting");
      retryLater(c);
    });
  }

  const close = (c: Connection) => {
    c.closed = true;
    c.cancelTimer?.();
    c.socket?.close(1000, "settings changed");
  };

  return {
    /** Opens, keeps or closes sockets so there is exactly one per configured edge + shop + key. */
    sync(shops: readonly ShopSettings[]): void {
      const wanted = new Map<string, ShopSettings[]>();
      for (const s of shops) wanted.set(connectionKey(s), [...(wanted.get(connectionKey(s)) ?? []), s]);
      for (const [key, c] of connections) {
        if (!wanted.has(key)) {
          close(c);
          connections.delete(key);
        }
      }
      for (const [key, entries] of wanted) {
        const existing = connections.get(key);
        const ids = entries.map((e) => e.id);
        if (existing) {
          existing.entries = ids;
          continue;
        }
        const [first] = entries;
        if (!first) continue;
        const c: Connection = {
          shop: first,
          entries: ids,
          state: { state: "connecting", since: new Date(deps.now()).toISOString() },
          failures: 0,
          closed: false,
        };
        connections.set(key, c);
        void connect(c);
      }
    },
    /** Reconnects now every connection that is not live (staff pressed Retry, or the network came back). */
    retry(): void {
      for (const c of connections.values()) {
        if (c.state.state !== "live" && !c.socket) {
          c.failures = 0;
          c.cancelTimer?.();
          void connect(c);
        }
      }
    },
    /** Each settings entry's connection state. */
    status(): Record<string, LiveState> {
      const out: Record<string, LiveState> = {};
      for (const c of connections.values()) for (const id of c.entries) out[id] = c.state;
      return out;
    },
    /** The shops with a connection, one per socket, for work that should run once per shop (the toolbar count). */
    shops(): ShopSettings[] {
      return [...connections.values()].map((c) => c.shop);
    },
  };
}
export type LiveConnections = ReturnType<typeof liveConnections>;
