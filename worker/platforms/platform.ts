import type { ErpOrder } from "../orders/model";

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

/** A topic this pipeline does not handle: answered 200 and otherwise ignored. */
export class IgnoredTopic extends Error {}
