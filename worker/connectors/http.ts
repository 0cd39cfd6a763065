import { outboundFetch } from "../outbound/fetch";
import { statusReason } from "../outbound/status-reason";
import { RemoteError } from "./errors";

/** How patient one connector call may be: attempts, and the longest single wait it accepts. */
export interface Patience {
  attempts: number;
  /** A Retry-After longer than this ends the call as retryable; the next scheduled run goes on. */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  /** The `fetch` to reach the remote with (the connector seam hands one in); the global one otherwise. */
  fetch?: typeof fetch;
}

/** How long one request may take before it counts as a (retryable) network fault. */
export const TIMEOUT_MS = 30_000;

export const defaultPatience = (): Patience => ({ attempts: 4, maxWaitMs: 20_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * `fetch` for talking to an ERP or a shop platform: waits out 429/503 with Retry-After (within
 * `maxWaitMs`), backs off on 5xx and network faults, and turns what is left into a
 * `RemoteError` that says whether a later retry can help. Answers only 2xx responses.
 */
export async function connectorFetch(url: string, init: RequestInit, patience: Patience): Promise<Response> {
  let lastError: RemoteError | undefined;
  for (let attempt = 1; attempt <= patience.attempts; attempt++) {
    let res: Response;
    try {
      res = await outboundFetch(patience.fetch ?? fetch, url, { ...init, signal: init.signal ?? AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      if (e instanceof RemoteError) throw e;
      lastError = new RemoteError("network_error", `${new URL(url).host}: ${e instanceof Error ? e.message : String(e)}`, true);
      if (attempt < patience.attempts) await patience.sleep(backoff(attempt));
      continue;
    }
    if (res.ok) return res;
    if (res.status === 429 || res.status === 503) {
      const wait = retryAfterMs(res.headers.get("retry-after")) ?? backoff(attempt);
      await res.body?.cancel();
      lastError = new RemoteError("rate_limited", `${new URL(url).host} answered ${res.status}; retry after ${wait} ms`, true, wait);
      if (wait > patience.maxWaitMs || attempt === patience.attempts) throw lastError;
      await patience.sleep(wait);
      continue;
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      lastError = new RemoteError("remote_error", `${new URL(url).host} answered ${res.status} (${statusReason(res.status)})`, true);
      if (attempt < patience.attempts) await patience.sleep(backoff(attempt));
      continue;
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new RemoteError("unauthorized", `${new URL(url).host} refused the credentials (${res.status})`, false);
    }
    throw new RemoteError(`http_${res.status}`, `${new URL(url).host} answered ${res.status} (${statusReason(res.status)})`, false, undefined, await head(res));
  }
  throw lastError ?? new RemoteError("remote_error", "no attempt made", true);
}

/** The first 2 KB of an error body, for `RemoteError.remoteBody`. */
const head = async (res: Response): Promise<string> => (await res.text().catch(() => "")).slice(0, 2048);

/** 250 ms, 500 ms, 1 s, ... capped at 8 s. */
const backoff = (attempt: number): number => Math.min(8_000, 250 * 2 ** (attempt - 1));
