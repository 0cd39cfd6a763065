import type { LiveState } from "../messages";

const WORDS: Record<LiveState["state"], string> = {
  connecting: "Connecting…",
  live: "Live",
  offline: "Edge not answering",
  unauthorized: "Staff key or shop id refused",
  wrong_url: "Not a Backroom edge at this URL",
  no_permission: "Access to the edge not allowed yet",
};

/** A shop's connection state in words (colour only repeats what the words say). */
export function LiveDot({ state }: { state: LiveState | undefined }) {
  const s = state?.state ?? "connecting";
  return (
    <span class={`live ${s}`} data-field="liveState" data-state={s} title={state?.message ?? WORDS[s]}>
      {WORDS[s]}
    </span>
  );
}
