import type { Platform } from "../platform";
import { createShopifyFulfilment, fetchShopifyOrder, listChangedShopifyOrders } from "./api";
import { shopifyCatalogue } from "./catalogue";
import { shopifyTarget } from "./inventory";
import { normaliseShopifyOrder } from "./orders";
import { shopifyWebhook } from "./webhook";

/** Shopify: HMAC-signed order webhooks with the whole order, the Admin GraphQL API for the rest. */
export const shopify: Platform<"shopify"> = {
  name: "shopify",
  label: "Shopify",
  webhook: shopifyWebhook,
  normalise: normaliseShopifyOrder,
  api: (creds, doFetch) => ({
    fetchOrder: (shop, orderRef) => fetchShopifyOrder(creds, doFetch, shop, orderRef),
    reconcileSince: (shop, since) => listChangedShopifyOrders(creds, doFetch, shop, since),
    createFulfilment: (orderRef, shipment) => createShopifyFulfilment(creds, doFetch, orderRef, shipment),
  }),
  catalogue: shopifyCatalogue,
  stock: shopifyTarget,
};
