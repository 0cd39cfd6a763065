import { z } from "zod";
import { permanentError } from "../../connectors/connector";
import type { Shipment } from "../../contract";
import { ORDER_LIMITS } from "../../contract/orders";
import { IgnoredTopic, type OrderEventInput } from "../platform";
import type { BigCommerceCall } from "./client";
import { BcOrder, BcOrderProduct, BcShippingAddress, INCOMPLETE_STATUS, normaliseBigCommerceOrder } from "./orders";

/** V2 Orders API: an order with its products and shipping addresses, the changed-orders listing, shipments. */

const PAGE = 250;

/** Every page of a V2 list (V2 answers an exhausted list with 204 No Content), at most `maxRows`. */
async function list(call: BigCommerceCall, path: string, maxRows: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let page = 1; out.length < maxRows; page++) {
    const rows = z.array(z.unknown()).parse((await call("GET", `${path}${path.includes("?") ? "&" : "?"}limit=${PAGE}&page=${page}`)) ?? []);
    out.push(...rows);
    if (rows.length < PAGE) break;
  }
  return out.slice(0, maxRows);
}

const orderPath = (orderRef: string) => {
  if (!/^\d{1,20}$/.test(orderRef)) throw permanentError(`"${orderRef}" is not a BigCommerce order id`);
  return `/v2/orders/${orderRef}`;
};

async function read(call: BigCommerceCall, shop: string, orderRef: string, orderBody?: unknown): Promise<OrderEventInput> {
  const path = orderPath(orderRef);
  const order = orderBody ?? (await call("GET", path));
  const products = await list(call, `${path}/products`, ORDER_LIMITS.lines + 1);
  const addresses = await list(call, `${path}/shipping_addresses`, 50);
  return normaliseBigCommerceOrder(shop, order, products, addresses);
}

/** One order as BigCommerce has it now: `GET /v2/orders/{id}`, `/products`, `/shipping_addresses`. */
export async function fetchBigCommerceOrder(call: BigCommerceCall, shop: string, orderRef: string): Promise<OrderEventInput> {
  return read(call, shop, orderRef);
}

/**
 * Orders modified after `since` (ISO), oldest first: `GET /v2/orders?min_date_modified=…&sort=date_modified:asc`,
 * each then read with its products and addresses. At most `maxOrders` a run (each costs three
 * requests of the store's shared quota); the cursor moves on to the newest seen, so the next run
 * continues where this one stopped.
 */
export async function listChangedBigCommerceOrders(call: BigCommerceCall, shop: string, since: string, maxOrders = 50): Promise<OrderEventInput[]> {
  const query = new URLSearchParams({ min_date_modified: since, sort: "date_modified:asc" });
  const rows = z.array(BcOrder).parse(await list(call, `/v2/orders?${query}`, maxOrders));
  const out: OrderEventInput[] = [];
  for (const row of rows) {
    if (row.status_id === INCOMPLETE_STATUS) continue;
    try {
      out.push(await read(call, shop, row.id, row));
    } catch (e) {
      if (!(e instanceof IgnoredTopic)) throw e;
    }
  }
  return out;
}

const Shipments = z.array(z.object({ id: z.number(), tracking_number: z.string().nullish() }).loose());
const Created = z.object({ id: z.number() }).loose();

/**
 * Tracking back as a shipment: `POST /v2/orders/{id}/shipments` for the shipment's items (by SKU,
 * or everything not yet shipped), to the order's first shipping address. BigCommerce moves the
 * order to Shipped / Partially Shipped itself. Idempotent: a tracking number the order already
 * carries is not shipped again (a retry after a lost answer).
 */
export async function createBigCommerceShipment(call: BigCommerceCall, orderRef: string, shipment: Shipment): Promise<string> {
  const path = orderPath(orderRef);
  const existing = Shipments.parse((await call("GET", `${path}/shipments`)) ?? []);
  const same = existing.find((s) => s.tracking_number === shipment.trackingNumber);
  if (same) return String(same.id);
  const [address] = z.array(BcShippingAddress).parse(await list(call, `${path}/shipping_addresses`, 50));
  if (!address) throw permanentError(`BigCommerce order ${orderRef} has no shipping address to ship to`);
  const products = z.array(BcOrderProduct).parse(await list(call, `${path}/products`, ORDER_LIMITS.lines));
  const open = products
    .filter((p) => p.order_address_id === undefined || p.order_address_id === null || p.order_address_id === address.id)
    .map((p) => ({ p, left: p.quantity - (p.quantity_shipped ?? 0) }))
    .filter((x) => x.left > 0);
  const items: Array<{ order_product_id: number; quantity: number }> = [];
  if (!shipment.items || shipment.items.length === 0) {
    for (const x of open) items.push({ order_product_id: Number(x.p.id), quantity: x.left });
  } else {
    for (const item of shipment.items) {
      let need = item.qty;
      for (const x of open) {
        if (need === 0 || x.p.sku !== item.sku || x.left <= 0) continue;
        const quantity = Math.min(need, x.left);
        need -= quantity;
        x.left -= quantity;
        items.push({ order_product_id: Number(x.p.id), quantity });
      }
    }
  }
  if (items.length === 0) throw permanentError("Nothing left to ship for this shipment");
  const body = {
    order_address_id: address.id,
    tracking_number: shipment.trackingNumber.slice(0, 50),
    shipping_method: shipment.carrier,
    ...(shipment.trackingUrl ? { tracking_link: shipment.trackingUrl.slice(0, 500) } : {}),
    items,
  };
  return String(Created.parse(await call("POST", `${path}/shipments`, body)).id);
}
