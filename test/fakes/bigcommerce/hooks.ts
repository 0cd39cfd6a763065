import { BIGCOMMERCE_SECRET_HEADER } from "../../../worker/contract/orders";
import { toBase64, utf8 } from "../../../worker/domain/encoding";
import { signStandardWebhook } from "../../../worker/domain/standard-webhooks";
import archived from "../../fixtures/bigcommerce/store_order_archived.json";
import created from "../../fixtures/bigcommerce/store_order_created.json";
import statusUpdated from "../../fixtures/bigcommerce/store_order_statusUpdated.json";
import updated from "../../fixtures/bigcommerce/store_order_updated.json";

const SAMPLES = {
  "store/order/created": created,
  "store/order/updated": updated,
  "store/order/statusUpdated": statusUpdated,
  "store/order/archived": archived,
};

/** BigCommerce's documented webhook body for `scope`, about order `id`, sent at `createdAt` (unix seconds). */
export function bigCommerceHookBody(scope: keyof typeof SAMPLES, id: number, createdAt = Math.floor(Date.now() / 1000)): string {
  const sample = structuredClone(SAMPLES[scope]);
  return JSON.stringify({ ...sample, data: { ...sample.data, id }, created_at: createdAt, producer: "stores/abc123" });
}

/** The headers of a callback whose webhook was registered with the secret header. */
export const registeredHeaders = (secret: string): Record<string, string> => ({ "content-type": "application/json", [BIGCOMMERCE_SECRET_HEADER]: secret });

/** The headers of a callback BigCommerce signed the Standard Webhooks way with the app's client secret. */
export async function signedHeaders(clientSecret: string, body: string, id: string, at = Math.floor(Date.now() / 1000)): Promise<Record<string, string>> {
  return { "content-type": "application/json", ...(await signStandardWebhook(toBase64(utf8(clientSecret)), id, at, body)) };
}
