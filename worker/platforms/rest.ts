import { ConnectorError, httpFailure, retryableError } from "../connectors/connector";
import { parseLossless } from "../domain/lossless-json";
import { outboundFetch } from "../outbound/fetch";

/**
 * One JSON call to a shop platform's REST API on the order path (fulfilments, reconciliation, reading
 * an order): an unreachable platform is retryable, an HTTP failure retryable or permanent by its
 * status (Retry-After kept for the queue), the answer parsed losslessly (ids beyond 2^53 stay exact).
 */
export async function platformJson(
  label: string,
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string>,
  init: { method?: string; body?: unknown } = {},
): Promise<unknown> {
  let res: Response;
  try {
    res = await outboundFetch(doFetch, url, {
      method: init.method ?? "GET",
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch (e) {
    if (e instanceof ConnectorError) throw e;
    throw retryableError(`${label} unreachable: ${e instanceof Error ? e.message : String(e)}`);
  }
  const failure = httpFailure(res.status, res.headers.get("retry-after"));
  if (failure) {
    await res.body?.cancel();
    throw failure;
  }
  return parseLossless(await res.text());
}
