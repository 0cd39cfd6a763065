import type { CustomerRow, ErpReturnRequest, InvoiceRow, OrderRow, PriceListRow, PriceRow, ProductRow, StockRow, WarehouseRow } from "../contract";
import type { Shop } from "../db/shops";
import type { ReturnStatus } from "../contract/account";
import type { ErpOrder, OrderEvent } from "../orders/model";
import { statusReason } from "../outbound/status-reason";

/**
 * The seam between the edge and one ERP. The queue consumer calls `pushOrder` once per delivery
 * attempt; a connector never retries by itself, it classifies its failure and the queue decides
 * (backoff, dead-letter, replay).
 *
 * @example
 * const connector = await connectorFor(ctx);
 * const { erpRef } = await connector.pushOrder(order, "ord_acme_1001_created");
 */
export interface ErpConnector {
  /** A short name for logs and the staff view, e.g. "generic", "odoo", "erpnext". */
  readonly kind: string;
  /**
   * Creates or updates the order in the ERP. `idempotencyKey` is stable for one order event across
   * every retry and replay: the ERP (or the connector, by looking it up first) must apply it once.
   * Throws a `ConnectorError`; anything else thrown counts as retryable.
   */
  pushOrder(order: ErpOrder, idempotencyKey: string, event: OrderEvent): Promise<PushResult>;
  /** For ERPs that cannot push: what changed since `cursor`, as the same rows ERP pushes carry. */
  pull?(cursor: string | undefined): Promise<PullResult>;
  /**
   * A return the buyer filed (issue 13), applied once per `idempotencyKey` like an order. The ERP's
   * later decisions come back as `returns` pushes (or pulls); a status it answers at once is kept.
   */
  pushReturn?(ret: ErpReturnRequest, idempotencyKey: string): Promise<ReturnPushResult>;
  /** The invoice's PDF as the ERP renders it, or undefined when the ERP has none for it. */
  invoicePdf?(invoice: Pick<InvoiceRow, "number" | "erpId">): Promise<Uint8Array<ArrayBuffer> | undefined>;
}

export interface ReturnPushResult {
  rmaNumber?: string;
  status?: ReturnStatus;
}

export interface PushResult {
  /** The ERP's own reference for the order (e.g. "S00042"), when it answers one. */
  erpRef?: string;
}

export interface PullResult {
  warehouses?: WarehouseRow[];
  products?: ProductRow[];
  stock?: StockRow[];
  priceLists?: PriceListRow[];
  prices?: PriceRow[];
  customers?: CustomerRow[];
  orders?: OrderRow[];
  /** Opaque; handed back on the next pull. */
  cursor: string;
}

/**
 * A connector's failure. `retryable` ones (network, 5xx, 429, timeouts) are retried with backoff
 * and end in the dead-letter queue; permanent ones (4xx, validation, unknown SKU) fail the
 * delivery at once so staff can fix and replay it.
 */
export class ConnectorError extends Error {
  constructor(
    readonly retryable: boolean,
    message: string,
    /** The remote's own hint (e.g. `Retry-After`), in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}

export const retryableError = (message: string, retryAfterSeconds?: number): ConnectorError => new ConnectorError(true, message, retryAfterSeconds);
export const permanentError = (message: string): ConnectorError => new ConnectorError(false, message);

/** What a connector factory gets: bindings, the shop, and the `fetch` to reach the ERP with. */
export interface ConnectorContext {
  env: Env;
  shop: Shop;
  fetch: typeof fetch;
}

/** Answers the shop's connector of this kind, or undefined when the shop has not configured it. */
export type ConnectorFactory = (ctx: ConnectorContext) => Promise<ErpConnector | undefined>;

/**
 * Classifies an HTTP answer from a remote system into the two kinds of failure (or none). The
 * message carries the status and a short reason, never the remote's body (see `statusReason`).
 */
export function httpFailure(status: number, retryAfter: string | null): ConnectorError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const detail = `HTTP ${status} (${statusReason(status)})`;
  if (status === 408 || status === 425 || status === 429 || status >= 500) return retryableError(detail, parseRetryAfter(retryAfter));
  return permanentError(detail);
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
