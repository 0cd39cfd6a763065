import { RemoteError } from "../connectors/errors";
import { isPublicHost } from "./url-policy";

/** The most the edge reads of one remote answer (an ERP page, a platform listing): 16 MiB. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Redirects followed for one call. */
export const MAX_REDIRECTS = 3;

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * `fetch` for every call the edge makes to an ERP or a shop platform. Redirects are followed here,
 * not by the runtime, so each hop is checked: a hop stays on the first URL's origin (already
 * checked when it was configured) or goes to a public https host. The answer's body is a stream
 * that fails with `response_too_large` past `maxBytes`, so nothing reads an unbounded answer.
 */
export async function outboundFetch(doFetch: typeof fetch, url: string, init: RequestInit, maxBytes: number = MAX_RESPONSE_BYTES): Promise<Response> {
  const origin = new URL(url).origin;
  let target = url;
  let request = init;
  for (let hop = 0; ; hop++) {
    const res = await doFetch(target, { ...request, redirect: "manual" });
    const location = res.headers.get("location");
    if (!REDIRECT.has(res.status) || location === null) return capped(res, new URL(target).host, maxBytes);
    await res.body?.cancel();
    const next = URL.canParse(location, target) ? new URL(location, target) : undefined;
    if (!next || hop >= MAX_REDIRECTS || !(next.origin === origin || (next.protocol === "https:" && isPublicHost(next.hostname)))) {
      throw new RemoteError("redirect_not_allowed", `${new URL(target).host} redirected (${res.status}) to a host the edge may not call`, false);
    }
    // 303, and 301/302 after a POST, turn into a GET without a body (as browsers and fetch do).
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && (request.method ?? "GET").toUpperCase() === "POST")) {
      const { body: _body, ...rest } = request;
      request = { ...rest, method: "GET" };
    }
    target = next.href;
  }
}

/** The response with its body limited to `maxBytes` (checked against Content-Length first, then counted). */
function capped(res: Response, host: string, maxBytes: number): Response {
  const tooLarge = () => new RemoteError("response_too_large", `${host} answered more than ${maxBytes} bytes`, false);
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    void res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return res;
  let seen = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(tooLarge());
      else controller.enqueue(chunk);
    },
  });
  return new Response(res.body.pipeThrough(limit), { status: res.status, statusText: res.statusText, headers: res.headers });
}
