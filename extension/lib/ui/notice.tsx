import type { Failure } from "../messages";

const HINTS: Partial<Record<Failure["error"]["code"], string>> = {
  not_configured: "Open the Backroom options and add this admin's URL to a shop.",
  permission_missing: "Open the Backroom options and allow access to the edge.",
  unauthorized: "Check the staff key in the Backroom options.",
  shop_not_found: "Check the shop id in the Backroom options.",
  unreachable: "If the edge ran before, it is probably stopped or the network is down: Retry in a moment. If it never worked, check the Edge URL.",
  wrong_url: "Check the Edge URL in the Backroom options.",
};

/** What the panel shows instead of data: the background's error, what to do about it, and Retry. */
export function Notice({ error, loading, onRetry }: { error?: Failure["error"]; loading?: boolean; onRetry?: () => void }) {
  if (loading)
    return (
      <section class="panel muted" data-backroom="loading" aria-busy="true">
        Backroom: loading…
      </section>
    );
  if (!error) return null;
  return (
    <section class="panel" data-backroom="error" data-code={error.code} role="alert">
      <h2>Backroom</h2>
      <p class="error">{error.message}</p>
      {HINTS[error.code] ? <p class="muted">{HINTS[error.code]}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </section>
  );
}
