import { describe, expect, it } from "vitest";
import { type LiveDeps, liveConnections, reconnectDelay } from "../../extension/lib/background/live";
import { countFailures, toolbarBadge } from "../../extension/lib/background/toolbar";
import { edgeClient } from "../../extension/lib/edge-client";
import type { LiveEvent } from "../../extension/lib/messages";
import { SHOP } from "./extension-fixtures";

/** A WebSocket stand-in: records what it was opened with, and lets the test open, message and close it. */
class FakeSocket extends EventTarget {
  readyState = 0;
  sent: string[] = [];
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    super();
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.dispatchEvent(new Event("close"));
  }
  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event("open"));
  }
  message(data: unknown) {
    this.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(data) }));
  }
}

function harness(ticketStatus = 201) {
  const sockets: FakeSocket[] = [];
  const events: LiveEvent[] = [];
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const seen: Array<{ url: string; auth: string | null }> = [];
  let tickets = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    seen.push({ url: String(input), auth: new Headers(init?.headers).get("authorization") });
    const body =
      ticketStatus === 201
        ? { ticket: String(++tickets).padStart(64, "a"), expiresAt: new Date().toISOString(), path: "/v1/staff-live/acme" }
        : { error: { code: "unauthorized", message: "A valid staff key for this shop is required" } };
    return new Response(JSON.stringify(body), { status: ticketStatus, headers: { "content-type": "application/json" } });
  };
  const deps: LiveDeps = {
    client: (shop) => edgeClient(shop, fetchImpl),
    hasOrigin: async () => true,
    openSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s as unknown as WebSocket;
    },
    emit: (e) => events.push(e),
    setTimer: (fn, ms) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    now: () => Date.parse("2026-11-29T12:00:00Z"),
    random: () => 0,
  };
  return { live: liveConnections(deps), sockets, events, timers, seen };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("the background's live connections", () => {
  it("opens one socket per edge + shop + key, with a fresh ticket as subprotocol and never the key in the URL", async () => {
    const h = harness();
    h.live.sync([SHOP, { ...SHOP, id: "s2", adminUrl: "https://shop.example/wp-admin" }]);
    await settle();
    expect(h.sockets).toHaveLength(1);
    const [ws] = h.sockets;
    expect(ws?.url).toBe("wss://edge.example/v1/staff-live/acme");
    expect(ws?.protocols).toEqual(["backroom-staff", "1".padStart(64, "a")]);
    expect(ws?.url).not.toContain("sk_secret");
    expect(h.seen).toEqual([{ url: "https://edge.example/v1/staff/acme/live/ticket", auth: "Bearer sk_secret" }]);
    ws?.open();
    ws?.message({ type: "stock", skus: ["TEE-M"] });
    ws?.message({ type: "nonsense" });
    expect(h.events.filter((e) => e.type === "stock")).toEqual([
      { type: "stock", shop: "s1", skus: ["TEE-M"] },
      { type: "stock", shop: "s2", skus: ["TEE-M"] },
    ]);
    expect(h.live.status()).toMatchObject({ s1: { state: "live" }, s2: { state: "live" } });
  });

  it("reconnects with a new ticket after the socket drops, backing off while it keeps failing", async () => {
    const h = harness();
    h.live.sync([SHOP]);
    await settle();
    h.sockets[0]?.open();
    h.sockets[0]?.close();
    expect(h.live.status().s1?.state).toBe("offline");
    const retry = h.timers.filter((t) => !t.cancelled).at(-1);
    expect(retry?.ms).toBe(1_000);
    retry?.fn();
    await settle();
    expect(h.sockets).toHaveLength(2);
    expect(h.sockets[1]?.protocols[1]).toBe("2".padStart(64, "a"));
    expect([1, 2, 3, 7, 20].map((n) => reconnectDelay(n, () => 0))).toEqual([1_000, 2_000, 4_000, 60_000, 60_000]);
    expect(reconnectDelay(1, () => 1)).toBe(1_300);
  });

  it("a refused key is reported as such and retried slowly; removing the shop closes its socket", async () => {
    const refused = harness(401);
    refused.live.sync([SHOP]);
    await settle();
    expect(refused.live.status().s1).toMatchObject({ state: "unauthorized" });
    expect(refused.timers.at(-1)?.ms).toBe(60_000);

    const h = harness();
    h.live.sync([SHOP]);
    await settle();
    h.sockets[0]?.open();
    h.live.sync([]);
    expect(h.sockets[0]?.readyState).toBe(3);
    expect(h.live.status()).toEqual({});
  });
});

describe("the toolbar count", () => {
  it("counts failed and retrying deliveries over the shops: red when any failed, amber while only retrying, nothing when all is well", () => {
    const health = (failed: number, retrying: number) => ({
      pending: 0,
      retrying,
      failed,
      delivered: 0,
      oldestAgeSeconds: 0,
      failures: [],
      expiredReservations: [],
      inboundBacklog: 0,
    });
    expect(toolbarBadge(countFailures([health(1, 2), undefined, health(0, 3)]))).toEqual({
      text: "6",
      color: "#b3261e",
      title: "Backroom: 1 failed, 5 retrying deliveries to the ERP",
    });
    expect(toolbarBadge(countFailures([health(0, 1)]))?.color).toBe("#8a4b00");
    expect(toolbarBadge(countFailures([health(0, 0)]))).toBeUndefined();
  });
});
