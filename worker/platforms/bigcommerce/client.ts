import { RemoteError } from "../../connectors/errors";
import { type Patience, retryAfterMs, TIMEOUT_MS } from "../../connectors/http";
import type { BigCommerceStockSettings } from "../../contract/connectors";
import { parseLossless } from "../../domain/lossless-json";
import { outboundFetch } from "../../outbound/fetch";
import { statusReason } from "../../outbound/status-reason";

/** The store's API credentials, as the platform connector holds them. */
export type BigCommerceCredentials = Pick<BigCommerceStockSettings, "storeHash" | "accessToken" | "apiUrl">;

/** One REST call: the parsed answer, or undefined for `204 No Content` (how V2 answers an empty list). */
export type BigCommerceCall = (method: "GET" | "POST" | "PUT", path: string, body?: unknown) => Promise<unknown>;

/**
 * BigCommerce's REST API (`/stores/{store_hash}/v2|v3/...`, `X-Auth-Token`) within its rate limit.
 * Every answer says how much of the store's quota is left in the current window
 * (`X-Rate-Limit-Requests-Left`) and when the window resets (`X-Rate-Limit-Time-Reset-Ms`): with
 * nothing left, the next call waits for the reset instead of spending a request on a 429. A 429
 * itself waits `X-Rate-Limit-Time-Reset-Ms` (BigCommerce sends no Retry-After); a wait longer than
 * `patience.maxWaitMs` ends the call as retryable. 5xx and network faults back off and retry.
 */
export function bigCommerceClient(creds: BigCommerceCredentials, patience: Patience, now: () => number = Date.now): BigCommerceCall {
  const base = `${creds.apiUrl.replace(/\/$/, "")}/stores/${creds.storeHash}`;
  let quotaLeft: number | undefined;
  let resetAt = 0;

  const waitFor = async (ms: number, why: string) => {
    if (ms > patience.maxWaitMs) throw new RemoteError("rate_limited", `BigCommerce: ${why}; retry after ${ms} ms`, true, ms);
    if (ms > 0) await patience.sleep(ms);
  };

  const remember = (res: Response) => {
    const left = res.headers.get("x-rate-limit-requests-left");
    const reset = res.headers.get("x-rate-limit-time-reset-ms");
    if (left !== null && /^\d+$/.test(left.trim())) quotaLeft = Number(left);
    if (reset !== null && /^\d+$/.test(reset.trim())) resetAt = now() + Number(reset);
  };

  return async (method, path, body) => {
    let lastError: RemoteError | undefined;
    for (let attempt = 1; attempt <= patience.attempts; attempt++) {
      if (quotaLeft !== undefined && quotaLeft <= 0) {
        // Rounded up to the second: a wait never ends just before the window turns.
        await waitFor(Math.ceil((resetAt - now()) / 1000) * 1000, "the rate-limit window is used up");
        quotaLeft = undefined;
      }
      let res: Response;
      try {
        res = await outboundFetch(patience.fetch ?? fetch, `${base}${path}`, {
          method,
          headers: { "x-auth-token": creds.accessToken, accept: "application/json", "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (e) {
        if (e instanceof RemoteError) throw e;
        lastError = new RemoteError("network_error", `BigCommerce unreachable: ${e instanceof Error ? e.message : String(e)}`, true);
        if (attempt < patience.attempts) await patience.sleep(backoff(attempt));
        continue;
      }
      remember(res);
      if (res.status === 204) return undefined;
      if (res.ok) return parseLossless(await res.text());
      await res.body?.cancel();
      if (res.status === 429) {
        const reset = res.headers.get("x-rate-limit-time-reset-ms");
        const wait = reset !== null && /^\d+$/.test(reset.trim()) ? Number(reset) : (retryAfterMs(res.headers.get("retry-after")) ?? backoff(attempt));
        lastError = new RemoteError("rate_limited", `BigCommerce answered 429; retry after ${wait} ms`, true, wait);
        if (attempt === patience.attempts) throw lastError;
        await waitFor(wait, "answered 429");
        quotaLeft = undefined;
        continue;
      }
      if (res.status >= 500) {
        lastError = new RemoteError("remote_error", `BigCommerce answered ${res.status} (${statusReason(res.status)})`, true);
        if (attempt < patience.attempts) await patience.sleep(backoff(attempt));
        continue;
      }
      if (res.status === 401 || res.status === 403) throw new RemoteError("unauthorized", `BigCommerce refused the credentials (${res.status})`, false);
      throw new RemoteError(`http_${res.status}`, `BigCommerce answered ${res.status} (${statusReason(res.status)}) to ${method} ${path.split("?")[0]}`, false);
    }
    throw lastError ?? new RemoteError("remote_error", "no attempt made", true);
  };
}

/** 250 ms, 500 ms, 1 s, ... capped at 8 s. */
const backoff = (attempt: number): number => Math.min(8_000, 250 * 2 ** (attempt - 1));
