import type { Fmt } from "../format";
import { moreTranslator } from "./i18n";
import { MORE_CSS } from "./styles";

/** Where the back-in-stock form is: its button, the open form (also while sending or after a failure), or done. */
export type NotifyState = undefined | "form" | "busy" | "error" | "sent";

export interface NotifyProps {
  fmt: Fmt;
  /** The shop's public API base, `https://EDGE/v1/shops/<shop>`. */
  base: string;
  sku: string;
  /** The shop's consent sentence: shown beside the checkbox and sent back verbatim. */
  consentText: string;
  state: NotifyState;
  set: (state: NotifyState) => void;
}

/** Asks whether the shop offers notify-me; its consent text when it does. */
export async function notifyOffer(base: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${base}/back-in-stock`, { credentials: "omit" });
    const body: unknown = res.ok ? await res.json() : undefined;
    const text = typeof body === "object" && body !== null && "consentText" in body ? body.consentText : undefined;
    return typeof text === "string" ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Email me when it is back": a button, then an email field and the shop's consent checkbox
 * (unticked; the browser refuses to send without it). The edge answers 202 and the shop emails a
 * confirmation link (double opt-in).
 */
export function NotifyView({ fmt, base, sku, consentText, state, set }: NotifyProps) {
  const t = moreTranslator(fmt.locale);
  if (state === "sent") return <div data-notify-sent>{t("notifySent")}</div>;
  if (!state)
    return (
      <button type="button" data-notify onClick={() => set("form")}>
        {t("notify")}
      </button>
    );
  // The form's rules come with it (a <style> in the same shadow root).
  const submit = (e: Event): void => {
    e.preventDefault();
    const email = new FormData(e.currentTarget instanceof HTMLFormElement ? e.currentTarget : undefined).get("email");
    set("busy");
    fetch(`${base}/back-in-stock/subscriptions`, {
      method: "POST",
      credentials: "omit",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sku, email, consent: true, consentText, locale: fmt.locale }),
    }).then(
      (res) => set(res.ok ? "sent" : "error"),
      () => set("error"),
    );
  };
  return (
    <form class="n" onSubmit={submit}>
      <style>{MORE_CSS}</style>
      <input name="email" type="email" required maxLength={254} autoComplete="email" placeholder={t("notifyEmail")} aria-label={t("notifyEmail")} />
      <button type="submit" disabled={state === "busy"}>
        {t("notifySend")}
      </button>
      <label>
        <input name="consent" type="checkbox" required /> {consentText}
      </label>
      {state === "error" && <p role="alert">{t("notifyFailed")}</p>}
    </form>
  );
}
