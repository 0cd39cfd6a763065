import { z } from "zod";
import type { Shipment } from "../../contract";
import type { WooStockSettings } from "../../contract/connectors";
import { escapeHtml, safeLinkUrl } from "../../domain/html";
import type { OrderEventInput } from "../platform";
import { platformJson } from "../rest";
import { normaliseWooOrderBody } from "./orders";

/** WooCommerce REST v3: order notes and status for tracking, and the reconciliation listing. */

/** The shop platform's REST API credentials, as the platform connector holds them. */
type WooCredentials = Pick<WooStockSettings, "url" | "consumerKey" | "consumerSecret">;

const wooFetch = (creds: WooCredentials, doFetch: typeof fetch, path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> =>
  platformJson(
    "WooCommerce",
    doFetch,
    `${creds.url.replace(/\/$/, "")}/wp-json/wc/v3${path}`,
    { authorization: `Basic ${btoa(`${creds.consumerKey}:${creds.consumerSecret}`)}`, "content-type": "application/json" },
    init,
  );

const Notes = z.array(z.object({ note: z.string() }).loose());

/** The customer-visible note for a shipment, with the tracking link when there is one. WooCommerce renders it as HTML. */
export function trackingNote(s: Pick<Shipment, "carrier" | "trackingNumber" | "trackingUrl">): string {
  const number = escapeHtml(s.trackingNumber);
  const url = s.trackingUrl ? safeLinkUrl(s.trackingUrl) : undefined;
  return `Shipped with ${escapeHtml(s.carrier)}: ${url ? `<a href="${escapeHtml(url)}">${number}</a>` : number}`;
}

/**
 * Tells WooCommerce about one shipment: a customer note with the tracking link, and the order
 * status `completed` once the ERP says everything shipped. A note already carrying this tracking
 * number is not added twice (a retry after a lost answer).
 */
export async function createWooFulfilment(
  creds: WooCredentials,
  doFetch: typeof fetch,
  orderRef: string,
  shipment: Shipment,
  complete: boolean,
): Promise<string> {
  const notes = Notes.parse(await wooFetch(creds, doFetch, `/orders/${orderRef}/notes`));
  // The note holds the number HTML-escaped (as sent) or as WooCommerce may have decoded it.
  const seen = [shipment.trackingNumber, escapeHtml(shipment.trackingNumber)];
  if (!notes.some((n) => seen.some((s) => n.note.includes(s)))) {
    await wooFetch(creds, doFetch, `/orders/${orderRef}/notes`, { method: "POST", body: { note: trackingNote(shipment), customer_note: true } });
  }
  if (complete) await wooFetch(creds, doFetch, `/orders/${orderRef}`, { method: "PUT", body: { status: "completed" } });
  return complete ? "note+completed" : "note";
}

/** Orders modified after `since` (ISO, GMT), oldest first, at most `maxPages` pages of 100. */
export async function listChangedWooOrders(
  creds: WooCredentials,
  doFetch: typeof fetch,
  shop: string,
  since: string,
  maxPages = 10,
): Promise<OrderEventInput[]> {
  const out: OrderEventInput[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const query = new URLSearchParams({ modified_after: since, dates_are_gmt: "true", orderby: "modified", order: "asc", per_page: "100", page: String(page) });
    const list = z.array(z.unknown()).parse(await wooFetch(creds, doFetch, `/orders?${query}`));
    for (const body of list) out.push(normaliseWooOrderBody(shop, body));
    if (list.length < 100) break;
  }
  return out;
}

/** One order as WooCommerce has it now (`GET /orders/{id}`); a missing order is a permanent error. */
export async function fetchWooOrder(creds: WooCredentials, doFetch: typeof fetch, shop: string, orderRef: string): Promise<OrderEventInput> {
  return normaliseWooOrderBody(shop, await wooFetch(creds, doFetch, `/orders/${encodeURIComponent(orderRef)}`));
}
