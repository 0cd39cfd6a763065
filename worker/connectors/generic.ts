import { ErpOrderAck, type ErpOrderEvent } from "../contract/orders";
import { unseal } from "../domain/secrets";
import { signStandardWebhook } from "../domain/standard-webhooks";
import { getOrderSettings } from "../orders/settings";
import { outboundFetch } from "../outbound/fetch";
import { ConnectorError, type ConnectorFactory, type ErpConnector, httpFailure, retryableError } from "./connector";

/** How long the ERP may take to answer one delivery before the attempt counts as failed (retryable). */
export const GENERIC_TIMEOUT_MS = 10_000;

/**
 * The generic connector: a signed POST of `{ type, order }` to the shop's ERP endpoint, with the
 * Standard Webhooks headers (`webhook-id` = the delivery's idempotency key, stable across retries
 * and replays; signed with the shop's erpSecret). Any 2xx is success (`{ erpRef? }` is read back);
 * 408/425/429/5xx and network errors are retryable; other 4xx are permanent.
 */
export function genericConnector(endpoint: string, erpSecret: string, doFetch: typeof fetch): ErpConnector {
  return {
    kind: "generic",
    async pushOrder(order, idempotencyKey, event) {
      const body = JSON.stringify({ type: event, order } satisfies ErpOrderEvent);
      const headers = await signStandardWebhook(erpSecret, idempotencyKey, Math.floor(Date.now() / 1000), body);
      let res: Response;
      try {
        res = await outboundFetch(doFetch, endpoint, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "user-agent": "backroom-edge/1" },
          body,
          signal: AbortSignal.timeout(GENERIC_TIMEOUT_MS),
        });
      } catch (e) {
        if (e instanceof ConnectorError) throw e;
        throw retryableError(`ERP unreachable: ${e instanceof Error ? e.message : String(e)}`);
      }
      const failure = httpFailure(res.status, res.headers.get("retry-after"));
      if (failure) {
        await res.body?.cancel();
        throw failure;
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return {};
      }
      const ack = ErpOrderAck.safeParse(json);
      return ack.success && ack.data.erpRef ? { erpRef: ack.data.erpRef } : {};
    },
  };
}

/** The generic connector of a shop with an ERP endpoint URL set (PUT /v1/admin/shops/:shop/orders-settings). */
export const loadGenericConnector: ConnectorFactory = async ({ env, shop, fetch: doFetch }) => {
  const settings = await getOrderSettings(env.DB, shop.id);
  if (!settings.erpEndpointUrl) return undefined;
  const secret = await unseal(env.BACKROOM_MASTER_KEY, `${shop.id}/erp`, shop.erpSecretSealed);
  return genericConnector(settings.erpEndpointUrl, secret, doFetch);
};
