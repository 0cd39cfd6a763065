import { defaultPatience } from "../../connectors/http";
import type { Platform } from "../platform";
import { createBigCommerceShipment, fetchBigCommerceOrder, listChangedBigCommerceOrders } from "./api";
import { bigCommerceClient } from "./client";
import { bigCommerceTarget } from "./inventory";
import { normaliseBigCommerceHook } from "./orders";
import { bigCommerceWebhook } from "./webhook";

/** An order-path call waits at most this long for the rate-limit window; longer, and the queue retries later. */
const ORDER_PATH_MAX_WAIT_MS = 5_000;

/**
 * BigCommerce: webhooks that carry only the order id (authenticated by the header registered with
 * them, or a Standard Webhooks signature), the V2 Orders API for the order, reconciliation and
 * shipments, the Catalog and Inventory APIs for stock.
 */
export const bigcommerce: Platform<"bigcommerce"> = {
  name: "bigcommerce",
  label: "BigCommerce",
  webhook: bigCommerceWebhook,
  normalise: normaliseBigCommerceHook,
  api: (creds, doFetch) => {
    const call = bigCommerceClient(creds, { ...defaultPatience(), maxWaitMs: ORDER_PATH_MAX_WAIT_MS, fetch: doFetch });
    return {
      fetchOrder: (shop, orderRef) => fetchBigCommerceOrder(call, shop, orderRef),
      reconcileSince: (shop, since) => listChangedBigCommerceOrders(call, shop, since),
      createFulfilment: (orderRef, shipment) => createBigCommerceShipment(call, orderRef, shipment),
    };
  },
  stock: bigCommerceTarget,
};
