import { ErpReturnAck } from "../contract/account";
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
 * returns the buyer files travel the same way, and invoice PDFs are a signed GET beside it;
 * 408/425/429/5xx and network errors are retryable; other 4xx are permanent.
 */
export function genericConnector(endpoint: string, erpSecret: string, doFetch: typeof fetch): ErpConnector {
  /** One signed call to the ERP; answers its response (any status), throws when it could not be reached. */
  async function signed(url: string, method: "POST" | "GET", idempotencyKey: string, body: string): Promise<Response> {
    const headers = await signStandardWebhook(erpSecret, idempotencyKey, Math.floor(Date.now() / 1000), body);
    let res: Response;
    try {
      res = await outboundFetch(doFetch, url, {
        method,
        headers: { ...headers, ...(method === "POST" ? { "content-type": "application/json" } : {}), "user-agent": "backroom-edge/1" },
        ...(method === "POST" ? { body } : {}),
        signal: AbortSignal.timeout(GENERIC_TIMEOUT_MS),
      });
    } catch (e) {
      if (e instanceof ConnectorError) throw e;
      throw retryableError(`ERP unreachable: ${e instanceof Error ? e.message : String(e)}`);
    }
    return res;
  }
  async function post(body: string, idempotencyKey: string): Promise<unknown> {
    const res = await signed(endpoint, "POST", idempotencyKey, body);
    const failure = httpFailure(res.status, res.headers.get("retry-after"));
    if (failure) {
      await res.body?.cancel();
      throw failure;
    }
    try {
      return JSON.parse(await res.text());
    } catch {
      return {};
    }
  }
  return {
    kind: "generic",
    async pushOrder(order, idempotencyKey, event) {
      const ack = ErpOrderAck.safeParse(await post(JSON.stringify({ type: event, order } satisfies ErpOrderEvent), idempotencyKey));
      return ack.success && ack.data.erpRef ? { erpRef: ack.data.erpRef } : {};
    },
    // Returns go where orders go, as `{ type: "return.requested", return }` (issue 13).
    async pushReturn(ret, idempotencyKey) {
      const ack = ErpReturnAck.safeParse(await post(JSON.stringify({ type: "return.requested", return: ret }), idempotencyKey));
      if (!ack.success) return {};
      return { ...(ack.data.rmaNumber ? { rmaNumber: ack.data.rmaNumber } : {}), ...(ack.data.status ? { status: ack.data.status } : {}) };
    },
    // `invoices/<number>/pdf` next to the orders endpoint (…/backroom/orders → …/backroom/invoices/INV-1/pdf), a signed GET.
    async invoicePdf(invoice) {
      const url = new URL(`invoices/${encodeURIComponent(invoice.number)}/pdf`, endpoint).href;
      const res = await signed(url, "GET", `pdf_${invoice.number}_${Date.now()}`, "");
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      const failure = httpFailure(res.status, res.headers.get("retry-after"));
      if (failure) {
        await res.body?.cancel();
        throw failure;
      }
      return new Uint8Array(await res.arrayBuffer());
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
