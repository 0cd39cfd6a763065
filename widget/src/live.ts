import type { AvailabilityItem } from "./api";
import { liveItem } from "./api";

export interface LiveOptions {
  url: string;
  onItem: (item: AvailabilityItem) => void;
  /** Called after every reconnect (not the first open): changes may have been missed meanwhile. */
  onResume: () => void;
}

/**
 * One WebSocket for the page, reopened with exponential backoff (0.5 s doubling to 30 s, with
 * jitter) when it drops. Returns the function that closes it for good.
 */
export function connectLive({ url, onItem, onResume }: LiveOptions): () => void {
  let ws: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;
  let attempt = 0;
  let opened = false;
  let closed = false;

  const open = (): void => {
    ws = new WebSocket(url);
    ws.onopen = () => {
      if (opened) onResume();
      opened = true;
      attempt = 0;
      // The pool object answers "ping" without waking up; it keeps proxies from dropping an idle socket.
      ping = setInterval(() => ws?.readyState === 1 && ws.send("ping"), 30_000);
    };
    ws.onmessage = (e) => {
      const item = liveItem(e.data);
      if (item) onItem(item);
    };
    ws.onclose = () => {
      clearInterval(ping);
      if (closed) return;
      const delay = Math.min(30_000, 500 * 2 ** attempt++) * (0.75 + Math.random() / 2);
      timer = setTimeout(open, delay);
    };
  };
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    clearInterval(ping);
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      ws.close();
    }
  };
}
