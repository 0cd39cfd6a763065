import type { Platform } from "../platform";
import { createWooFulfilment, fetchWooOrder, listChangedWooOrders } from "./api";
import { wooCatalogue } from "./catalogue";
import { wooTarget } from "./inventory";
import { normaliseWooOrder } from "./orders";
import { wooWebhook } from "./webhook";

/** WooCommerce: HMAC-signed order webhooks with the whole order, REST v3 for the rest. */
export const woocommerce: Platform<"woocommerce"> = {
  name: "woocommerce",
  label: "WooCommerce",
  webhook: wooWebhook,
  normalise: normaliseWooOrder,
  api: (creds, doFetch) => ({
    fetchOrder: (shop, orderRef) => fetchWooOrder(creds, doFetch, shop, orderRef),
    reconcileSince: (shop, since) => listChangedWooOrders(creds, doFetch, shop, since),
    createFulfilment: (orderRef, shipment, shipped) => createWooFulfilment(creds, doFetch, orderRef, shipment, shipped),
  }),
  catalogue: wooCatalogue,
  stock: wooTarget,
};
