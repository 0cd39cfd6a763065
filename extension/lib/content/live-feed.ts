import { browser } from "wxt/browser";
import { LIVE_PORT, type LiveEvent, LiveEvent as LiveEventSchema } from "../messages";

export type LiveListener = (event: LiveEvent) => void;

/** What a page hears from the background: changes to its shop's stock and orders, and the live connection's state. */
export interface LiveFeed {
  subscribe: (listener: LiveListener) => () => void;
  close: () => void;
}

/**
 * Opens the port to the background and keeps it open: when the service worker restarts, the port
 * closes and is opened again (which wakes the worker, which reconnects to the edge). Every frame is
 * validated; `close()` ends it for good.
 */
export function openLiveFeed(): LiveFeed {
  const listeners = new Set<LiveListener>();
  // The connection's state arrives once, maybe before a panel subscribes: each new listener hears the latest.
  const statuses = new Map<string, LiveEvent>();
  let port: Browser.runtime.Port | undefined;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = () => {
    if (closed) return;
    try {
      port = browser.runtime.connect({ name: LIVE_PORT });
    } catch {
      // The extension was reloaded: this content script is orphaned and stays quiet.
      return;
    }
    port.onMessage.addListener((raw: unknown) => {
      const event = LiveEventSchema.safeParse(raw);
      if (!event.success) return;
      if (event.data.type === "status") statuses.set(event.data.shop, event.data);
      for (const l of listeners) l(event.data);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      timer = setTimeout(connect, 1_000);
    });
  };
  connect();
  return {
    subscribe: (listener) => {
      listeners.add(listener);
      for (const status of statuses.values()) listener(status);
      return () => listeners.delete(listener);
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
      port?.disconnect();
      listeners.clear();
    },
  };
}
