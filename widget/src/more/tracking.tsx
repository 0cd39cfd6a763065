import type { OrderTracking } from "../api";
import type { Fmt } from "../format";
import { type MoreKey, moreTranslator } from "./i18n";
import { MORE_CSS } from "./styles";

export type TrackingResult = OrderTracking | "not_found" | "error" | undefined;

export interface TrackingProps {
  fmt: Fmt;
  result: TrackingResult;
  busy: boolean;
  submit: (orderNumber: string, email: string) => void;
}

const STATUS_KEYS: readonly string[] = ["received", "confirmed", "picking", "packed", "shipped", "delivered", "cancelled", "returned"];
const isStatusKey = (s: string): s is MoreKey => STATUS_KEYS.includes(s);

/** Order number + email form; the answer as a status timeline with carrier links. */
export function TrackingView({ fmt, result, busy, submit }: TrackingProps) {
  const t = moreTranslator(fmt.locale);
  const label = (s: string) => (isStatusKey(s) ? t(s) : s);
  const date = new Intl.DateTimeFormat(fmt.locale, { dateStyle: "medium", timeStyle: "short" });
  return (
    <div class="b t">
      <style>{MORE_CSS}</style>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          submit(String(data.get("order") ?? ""), String(data.get("email") ?? ""));
        }}
      >
        <label>
          {t("order")} <input name="order" required maxLength={64} autoComplete="off" />
        </label>
        <label>
          {t("email")} <input name="email" type="email" required maxLength={254} autoComplete="email" />
        </label>
        <button type="submit" disabled={busy}>
          {t("track")}
        </button>
      </form>
      <div aria-live="polite">
        {result === "not_found" && <p role="alert">{t("notFound")}</p>}
        {result === "error" && <p role="alert">{t("failed")}</p>}
        {typeof result === "object" && (
          <div data-order={result.orderNumber}>
            <p>
              <strong>{result.orderNumber}</strong>: <span data-status={result.status}>{label(result.status)}</span>
            </p>
            <ol>
              {result.timeline.map((step) => (
                <li key={step.at + step.status}>
                  {label(step.status)} <span class="m">{date.format(new Date(step.at))}</span>
                </li>
              ))}
            </ol>
            {result.shipments.map((s) => (
              <p key={s.trackingNumber} data-shipment={s.trackingNumber}>
                {s.carrier}:{" "}
                {s.trackingUrl && /^https?:\/\//.test(s.trackingUrl) ? (
                  <a href={s.trackingUrl} target="_blank" rel="noopener noreferrer">
                    {s.trackingNumber}
                  </a>
                ) : (
                  s.trackingNumber
                )}
              </p>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
