import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Failure, LiveState } from "../messages";
import { ago } from "./format";

/** The current time, ticking once a second while the component is shown (an "n s ago" label, not a poll of the edge). */
export function useNow(): number {
  const now = useSignal(Date.now());
  useEffect(() => {
    const t = setInterval(() => {
      now.value = Date.now();
    }, 1_000);
    return () => clearInterval(t);
  }, []);
  return now.value;
}

const LIVE_WORDS: Record<LiveState["state"], string> = {
  connecting: "connecting…",
  live: "live",
  offline: "live updates paused",
  unauthorized: "live updates refused (staff key)",
  wrong_url: "live updates unavailable (edge URL)",
  no_permission: "live updates not allowed yet",
};

/**
 * The panel's last line: when its data was read, whether it follows changes live, and, when the
 * edge cannot answer now, that the data shown is the last known one, with a Retry.
 */
export function Freshness({ at, error, live, onRetry }: { at: number; error?: Failure["error"]; live?: LiveState; onRetry: () => void }) {
  const now = useNow();
  return (
    <div class="fresh" data-field="freshness">
      {error ? (
        <span class="error" data-field="stale" data-code={error.code}>
          {error.code === "unreachable" ? "The edge is not answering" : error.message}: showing data from {ago(at, now)}.
        </span>
      ) : (
        <span data-field="updated">Updated {ago(at, now)}</span>
      )}
      {live ? <span data-field="live">· {LIVE_WORDS[live.state]}</span> : null}
      {error ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
