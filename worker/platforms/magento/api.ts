import { z } from "zod";
import { permanentError } from "../../connectors/connector";
import type { MagentoStockSettings, Shipment } from "../../contract";
import type { OrderEventInput } from "../platform";
import { platformJson } from "../rest";
import { MgOrder, magentoTime, normaliseMagentoOrder, topLevelItems } from "./orders";

/** Magento 2 / Adobe Commerce REST (`/rest/<store>/V1`, Bearer integration token): orders, the changed-orders search, shipments. */

type MagentoCredentials = Pick<MagentoStockSettings, "url" | "accessToken" | "storeCode">;

export const magentoBase = (creds: MagentoCredentials): string => `${creds.url.replace(/\/$/, "")}/rest/${creds.storeCode}/V1`;
export const magentoHeaders = (creds: MagentoCredentials) => ({ authorization: `Bearer ${creds.accessToken}`, "content-type": "application/json" });

const magentoFetch = (creds: MagentoCredentials, doFetch: typeof fetch, path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> =>
  platformJson("Magento", doFetch, `${magentoBase(creds)}${path}`, magentoHeaders(creds), init);

const orderPath = (orderRef: string) => {
  if (!/^\d{1,20}$/.test(orderRef)) throw permanentError(`"${orderRef}" is not a Magento order id`);
  return `/orders/${orderRef}`;
};

/** `searchCriteria` of one filter (Magento's query-string syntax). */
function criteria(field: string, value: string, condition: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    "searchCriteria[filter_groups][0][filters][0][field]": field,
    "searchCriteria[filter_groups][0][filters][0][value]": value,
    "searchCriteria[filter_groups][0][filters][0][condition_type]": condition,
    ...extra,
  }).toString();
}

/** One order as Magento has it now (`GET /V1/orders/{id}`); a missing order is a permanent error. */
export async function fetchMagentoOrder(creds: MagentoCredentials, doFetch: typeof fetch, shop: string, orderRef: string): Promise<OrderEventInput> {
  return normaliseMagentoOrder(shop, await magentoFetch(creds, doFetch, orderPath(orderRef)));
}

const Search = z.object({ items: z.array(z.unknown()).nullish(), total_count: z.number().nullish() });

/** Orders updated after `since` (ISO), oldest first, at most `maxPages` pages of 50. */
export async function listChangedMagentoOrders(
  creds: MagentoCredentials,
  doFetch: typeof fetch,
  shop: string,
  since: string,
  maxPages = 10,
): Promise<OrderEventInput[]> {
  const out: OrderEventInput[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const query = criteria("updated_at", magentoTime(since), "gt", {
      "searchCriteria[sortOrders][0][field]": "updated_at",
      "searchCriteria[sortOrders][0][direction]": "ASC",
      "searchCriteria[pageSize]": "50",
      "searchCriteria[currentPage]": String(page),
    });
    const items = Search.parse(await magentoFetch(creds, doFetch, `/orders?${query}`)).items ?? [];
    for (const body of items) out.push(normaliseMagentoOrder(shop, body));
    if (items.length < 50) break;
  }
  return out;
}

const Shipments = z.object({
  items: z.array(z.object({ tracks: z.array(z.object({ track_number: z.string().nullish() }).loose()).nullish() }).loose()).nullish(),
});

/**
 * Tracking back as a shipment with its track: `POST /V1/order/{id}/ship` for the shipment's items
 * (by SKU, or everything not yet shipped). Idempotent: a tracking number the order's shipments
 * already carry is not shipped again.
 */
export async function createMagentoShipment(creds: MagentoCredentials, doFetch: typeof fetch, orderRef: string, shipment: Shipment): Promise<string> {
  const path = orderPath(orderRef);
  const existing = Shipments.parse(await magentoFetch(creds, doFetch, `/shipments?${criteria("order_id", orderRef, "eq")}`));
  if ((existing.items ?? []).some((s) => (s.tracks ?? []).some((t) => t.track_number === shipment.trackingNumber))) return "already-shipped";
  const order = MgOrder.parse(await magentoFetch(creds, doFetch, path));
  const open = topLevelItems(order)
    .map((i) => ({ i, left: Math.round(i.qty_ordered - (i.qty_shipped ?? 0) - (i.qty_canceled ?? 0)) }))
    .filter((x) => x.left > 0);
  const items: Array<{ order_item_id: number; qty: number }> = [];
  for (const x of open) {
    const wanted = shipment.items && shipment.items.length > 0 ? shipment.items.filter((s) => s.sku === x.i.sku).reduce((n, s) => n + s.qty, 0) : x.left;
    const qty = Math.min(wanted, x.left);
    if (qty > 0) items.push({ order_item_id: Number(x.i.item_id), qty });
  }
  if (items.length === 0) throw permanentError("Nothing left to ship for this shipment");
  const tracks = [{ track_number: shipment.trackingNumber, title: shipment.carrier, carrier_code: "custom" }];
  const id = z
    .union([z.number(), z.string()])
    .parse(await magentoFetch(creds, doFetch, `/order/${orderRef}/ship`, { method: "POST", body: { items, notify: true, tracks } }));
  return String(id);
}
