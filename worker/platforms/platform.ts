import type { Patience } from "../connectors/http";
import type { Shipment } from "../contract";
import type { PlatformStockSettings } from "../contract/connectors";
import type { ErpOrder, OrderPlatform } from "../contract/orders";
import type { CatalogueReader } from "./catalogue";
import type { StockTarget } from "./stock-target";

/**
 * The one interface every shop platform implements (one folder each: `webhook.ts`, `orders.ts`,
 * `api.ts`, `inventory.ts`, assembled in its `index.ts`), looked up by name in `registry.ts`. The
 * pipeline above (hooks route, inbox, queue, reconciliation, stock push) never asks which platform
 * it is talking to.
 */
export interface Platform<K extends OrderPlatform> {
  name: K;
  /** How staff and error messages name it ("Shopify"). */
  label: string;
  webhook: WebhookScheme;
  /**
   * A verified webhook's body (parsed losslessly) for `topic`, normalised. Throws `IgnoredTopic` for
   * topics outside the order pipeline and a zod error for a malformed body.
   */
  normalise(shop: string, topic: string, body: unknown): OrderEventInput;
  /** The platform's order API, with the credentials of the shop's platform connector. */
  api(creds: CredentialsOf<K>, doFetch: typeof fetch): PlatformApi;
  /** The platform's inventory, as the stock push sees it. */
  stock(creds: CredentialsOf<K>, patience: Patience): StockTarget;
  /** The platform's catalogue, page by page, for the data-quality report; absent where not read yet. */
  catalogue?(creds: CredentialsOf<K>, patience: Patience): CatalogueReader;
}

/** The platform connector's settings (the `platform` slot) of one platform. */
export type CredentialsOf<K extends OrderPlatform> = Extract<PlatformStockSettings, { kind: K }>;

/** How a platform signs and names its webhooks. */
export interface WebhookScheme {
  /** The header the proof travels in (a signature, or a secret registered with the webhook). */
  proofHeader: string;
  /** The platform's delivery id header, when it sends one (checked for length before anything else). */
  deliveryHeader: string | undefined;
  /** An unsigned request the platform sends when a webhook is created: answered 200, written nowhere. */
  isPing?(raw: Uint8Array, headers: Headers): boolean;
  /** Constant-time check of the raw bytes against the shop's platform webhook secret. */
  verify(secret: string, raw: Uint8Array, headers: Headers): Promise<boolean>;
  /** The topic and delivery id, read once the proof holds. */
  describe(raw: Uint8Array, headers: Headers): { topic: string; deliveryId: string | undefined };
}

/** What the edge asks of a platform's API. */
export interface PlatformApi {
  /** One order as it stands now; a permanent `ConnectorError` when the platform has no such order. */
  fetchOrder(shop: string, orderRef: string): Promise<OrderEventInput>;
  /** Orders changed after `since` (ISO), oldest first: the backstop for lost webhooks. */
  reconcileSince(shop: string, since: string): Promise<OrderEventInput[]>;
  /**
   * Tracking back to the shop for one shipment; idempotent per tracking number. `shipped`: the ERP
   * says the whole order has shipped. Answers the platform's id of what it created.
   */
  createFulfilment(orderRef: string, shipment: Shipment, shipped: boolean): Promise<string>;
}

/**
 * One platform event about one order, normalised. `order` is absent for events that carry only an
 * id: WooCommerce's order.deleted still cancels; with `fetch` (BigCommerce's webhooks, which never
 * carry the order) the inbox reads the order from the platform's API (`fetchOrder`) first.
 */
export interface OrderEventInput {
  platform: ErpOrder["platform"];
  orderRef: string;
  /** The platform says the order is cancelled (or gone). */
  cancelled: boolean;
  order: ErpOrder | undefined;
  /** Platform ids seen, for `rememberPlatformIds`. */
  ids: { products: Array<{ platformId: string; value: string }>; variants: Array<{ platformId: string; value: string }> };
  /** The event names the order only: read it from the platform before applying anything. */
  fetch?: true;
}

/** The platform's product and variant ids on an order's lines, each with the SKU it sold. */
export function platformIdsOf(lines: ErpOrder["lines"]): OrderEventInput["ids"] {
  const ids: OrderEventInput["ids"] = { products: [], variants: [] };
  for (const l of lines) {
    if (!l.sku) continue;
    if (l.platformProductId) ids.products.push({ platformId: l.platformProductId, value: l.sku });
    if (l.platformVariantId) ids.variants.push({ platformId: l.platformVariantId, value: l.sku });
  }
  return ids;
}

/** Drops undefined keys so the stored JSON (and its hash) does not depend on how a field was left out. */
export const dropUndefined = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** A topic this pipeline does not handle: answered 200 and otherwise ignored. */
export class IgnoredTopic extends Error {}
