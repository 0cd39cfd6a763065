import { MAGENTO_HEADERS } from "../../contract/orders";
import { verifyBase64Hmac } from "../../domain/hmac";
import type { WebhookScheme } from "../platform";

/**
 * Backroom's Magento 2 observer posts `{ "order_id": <entity_id> }` on `sales_order_save_after`
 * (and `order_cancel_after`), signed like Shopify: base64 HMAC-SHA256 of the raw body under the
 * shop's platform webhook secret, compared in constant time before anything is parsed.
 */
export const magentoWebhook: WebhookScheme = {
  proofHeader: MAGENTO_HEADERS.signature,
  deliveryHeader: MAGENTO_HEADERS.delivery,
  verify: (secret, raw, headers) => verifyBase64Hmac(secret, raw, headers.get(MAGENTO_HEADERS.signature) ?? undefined),
  describe: (_raw, headers) => ({ topic: headers.get(MAGENTO_HEADERS.event) ?? "", deliveryId: headers.get(MAGENTO_HEADERS.delivery) ?? undefined }),
};
