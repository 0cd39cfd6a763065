import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Failure, LiveEvent, LiveState, Result } from "../messages";
import type { LiveFeed } from "./live-feed";

export interface LiveAnswer<T> {
  data?: T;
  /** When `data` was read at the edge (ms). */
  at?: number;
  /** Why the latest read failed; `data`, when present, is then the last known answer. */
  error?: Failure["error"];
  live?: LiveState;
}

/**
 * Asks once, then again whenever the feed says something it shows changed, or the live connection
 * comes back (changes may have been missed meanwhile). A failed read keeps what was shown.
 */
export function useLiveAnswer<T>(ask: () => Promise<Result<T>>, feed: LiveFeed, touches: (event: LiveEvent, data: T) => boolean) {
  const answer = useSignal<LiveAnswer<T>>({});
  const load = async () => {
    const res = await ask();
    const prev = answer.value;
    if (res.ok) answer.value = { ...prev, data: res.data, at: Date.now(), error: undefined };
    else if (prev.data !== undefined) answer.value = { ...prev, error: res.error };
    else if (res.lastKnown) answer.value = { ...prev, data: res.lastKnown.data, at: Date.parse(res.lastKnown.at), error: res.error };
    else answer.value = { ...prev, error: res.error };
  };
  useEffect(() => {
    void load();
    return feed.subscribe((event) => {
      const { data, live } = answer.value;
      if (event.type === "status") {
        answer.value = { ...answer.value, live: event.status };
        if (event.status.state === "live" && live !== undefined && live.state !== "live") void load();
        return;
      }
      if (data !== undefined && touches(event, data)) void load();
    });
  }, []);
  return { answer, reload: load };
}
