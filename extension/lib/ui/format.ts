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

/** How long ago, as staff glance at it: "just now", "12 s ago", "3 min ago", "2 h ago", or the date. */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 2) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return when(new Date(ms).toISOString());
}

const EVENTS: Record<string, string> = {
  "order.created": "New order",
  "order.updated": "Order change",
  "order.cancelled": "Cancellation",
  fulfilment: "Tracking to the shop",
  "return.requested": "Return request",
};

/** What a delivery carried, in words (never the wire's event name). */
export const eventLabel = (event: string): string => EVENTS[event] ?? statusLabel(event.replace(/\./g, " "));
