import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorBody } from "../contract";

/**
 * The one error type. Throw it anywhere below a route; `onError` turns it into the one error body
 * `{ error: { code, message, details? } }` with its status.
 *
 * @example
 * throw new ApiError(404, "shop_not_found", `No shop "${id}"`);
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/** zod issues in the error body: where and what, never the rejected value itself. */
export function validationError(issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code: string }>, what = "request"): ApiError {
  const details = issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join("."), code: i.code, message: i.message }));
  return new ApiError(400, "validation_failed", `The ${what} does not match the contract`, details);
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    if (err.status === 503) c.header("retry-after", "5");
    return c.json(err.body(), err.status);
  }
  if (err instanceof HTTPException) {
    // Hono's own (e.g. malformed JSON from a validator) — keep the status, use our body.
    const status = err.status;
    const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : status >= 500 ? "internal_error" : "bad_request";
    return c.json({ error: { code, message: err.message || "Bad request" } }, status);
  }
  console.error("unhandled", err);
  return c.json({ error: { code: "internal_error", message: "Something went wrong at the edge" } }, 500);
}

export function notFound(c: Context): Response {
  return c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404);
}
