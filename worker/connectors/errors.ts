import { ConnectorError } from "./connector";

/**
 * A remote system's failure as the ERP and platform connectors raise it: the connector seam's
 * `ConnectorError` (retryable or permanent, so the order queue can decide) with a stable `code`
 * for the staff sync view, and the wait the remote asked for (Retry-After) in ms.
 */
export class RemoteError extends ConnectorError {
  constructor(
    readonly code: string,
    message: string,
    retryable: boolean,
    readonly retryAfterMs?: number,
    /**
     * The start of the remote's error body, for an ERP client to read a structured error from (Odoo
     * JSON-2's `{ name, message }`). Never part of `message`: staff are not shown raw remote bodies.
     */
    readonly remoteBody?: string,
  ) {
    super(retryable, message, retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000));
    this.name = "RemoteError";
  }
}
