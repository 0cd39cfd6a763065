import { browser } from "wxt/browser";
import { parseReply, type Reply, type Request, type Result } from "./messages";

/**
 * Sends one request to the background and validates its reply.
 *
 * @example
 * const res = await send({ type: "product", query: { sku: "TEE-M" } });
 * if (res.ok) render(res.data.product);
 */
export async function send<T extends Request["type"]>(request: Extract<Request, { type: T }>): Promise<Result<Reply<T>>> {
  try {
    return parseReply(request.type as T, await browser.runtime.sendMessage(request));
  } catch {
    return { ok: false, error: { code: "bad_response", message: "The extension was updated or reloaded: reload this page" } };
  }
}
