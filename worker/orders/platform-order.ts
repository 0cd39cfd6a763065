import type { ErpOrder } from "./model";

/**
 * One platform event about one order, normalised. `order` is absent for events that carry only an
 * id (WooCommerce's order.deleted): they still cancel.
 */
export interface OrderEventInput {
  platform: ErpOrder["platform"];
  orderRef: string;
  /** The platform says the order is cancelled (or gone). */
  cancelled: boolean;
  order: ErpOrder | undefined;
  /** Platform ids seen, for `rememberPlatformIds`. */
  ids: { products: Array<{ platformId: string; value: string }>; variants: Array<{ platformId: string; value: string }> };
}

/** A topic this pipeline does not handle: answered 200 and otherwise ignored. */
export class IgnoredTopic extends Error {}
