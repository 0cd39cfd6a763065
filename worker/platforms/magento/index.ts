import type { Platform } from "../platform";
import { createMagentoShipment, fetchMagentoOrder, listChangedMagentoOrders } from "./api";
import { magentoTarget } from "./inventory";
import { normaliseMagentoHook } from "./orders";
import { magentoWebhook } from "./webhook";

/**
 * Magento 2 / Adobe Commerce: a small observer posts signed order ids, the REST API gives the order,
 * reconciliation and shipments with tracks, MSI source items take the stock.
 */
export const magento: Platform<"magento"> = {
  name: "magento",
  label: "Magento",
  webhook: magentoWebhook,
  normalise: normaliseMagentoHook,
  api: (creds, doFetch) => ({
    fetchOrder: (shop, orderRef) => fetchMagentoOrder(creds, doFetch, shop, orderRef),
    reconcileSince: (shop, since) => listChangedMagentoOrders(creds, doFetch, shop, since),
    createFulfilment: (orderRef, shipment) => createMagentoShipment(creds, doFetch, orderRef, shipment),
  }),
  stock: magentoTarget,
};
