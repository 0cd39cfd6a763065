import { type Translate, translator } from "./i18n";

/** Everything locale-dependent the views need, built once per locale/currency. */
export interface Fmt {
  locale: string;
  t: Translate;
  qty: (n: number) => string;
  /** A calendar day (`2026-03-14`) as "14 March" / "14. März". */
  day: (iso: string) => string;
  /** How long ago, "8 seconds ago" / "vor 8 Sekunden". */
  ago: (iso: string, now: number) => string;
}

export function formatter(locale: string): Fmt {
  let safe = locale;
  try {
    new Intl.NumberFormat(locale);
  } catch {
    safe = "en";
  }
  const num = new Intl.NumberFormat(safe);
  const rel = new Intl.RelativeTimeFormat(safe, { numeric: "auto" });
  const dayFmt = new Intl.DateTimeFormat(safe, { day: "numeric", month: "long", timeZone: "UTC" });
  return {
    locale: safe,
    t: translator(safe),
    qty: (n) => num.format(n),
    day: (iso) => dayFmt.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)),
    ago: (iso, now) => {
      const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
      return s < 60 ? rel.format(-s, "second") : s < 3600 ? rel.format(-Math.floor(s / 60), "minute") : rel.format(-Math.floor(s / 3600), "hour");
    },
  };
}
