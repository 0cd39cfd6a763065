import type { Failure } from "../messages";

const HINTS: Partial<Record<Failure["error"]["code"], string>> = {
  not_configured: "Open the Backroom options and add this admin's URL to a shop.",
  permission_missing: "Open the Backroom options and allow access to the edge.",
  unauthorized: "Check the staff key in the Backroom options.",
  shop_not_found: "Check the shop id in the Backroom options.",
  unreachable: "Check the edge URL in the Backroom options.",
};

/** What the panel shows instead of data: the background's error, and what to do about it. */
export function Notice({ error, loading }: { error?: Failure["error"]; loading?: boolean }) {
  if (loading)
    return (
      <section class="panel muted" data-backroom="loading">
        Backroom: loading…
      </section>
    );
  if (!error) return null;
  return (
    <section class="panel" data-backroom="error" data-code={error.code} role="alert">
      <h2>Backroom</h2>
      <p class="error">{error.message}</p>
      {HINTS[error.code] ? <p class="muted">{HINTS[error.code]}</p> : null}
    </section>
  );
}
