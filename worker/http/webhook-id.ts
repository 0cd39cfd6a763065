import { MAX_WEBHOOK_ID_LENGTH } from "../contract/common";
import { ApiError } from "./error";

/**
 * A delivery id (Standard Webhooks `webhook-id`, a platform's delivery id) is stored as a dedupe
 * key: one longer than `MAX_WEBHOOK_ID_LENGTH` is refused before anything is verified or written.
 */
export function checkWebhookId(header: string, id: string | undefined): void {
  if (id !== undefined && id.length > MAX_WEBHOOK_ID_LENGTH) {
    throw new ApiError(400, "webhook_id_too_long", `${header} is at most ${MAX_WEBHOOK_ID_LENGTH} characters`);
  }
}
