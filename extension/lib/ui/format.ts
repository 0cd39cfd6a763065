/** Formatting for staff: the browser's locale, amounts as the edge's decimal strings with their currency. */
const locale = (): string | undefined => (typeof navigator === "undefined" ? undefined : navigator.language);

export const qty = (n: number): string => new Intl.NumberFormat(locale()).format(n);

export function money(amount: string, currency: string): string {
  const n = Number(amount);
  if (!Number.isFinite(n)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(locale(), { style: "currency", currency, maximumFractionDigits: 6 }).format(n);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(d);
}

export function day(iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeZone: "UTC" }).format(d);
}

export const statusLabel = (s: string): string => s.replace(/_/g, " ");

/**
 * The href for a tracking link: the URL as the parser spells it when its scheme is http or https,
 * else undefined (render the number as text). The edge normalises at ingest; this is the second lock.
 */
export function trackingHref(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
}
