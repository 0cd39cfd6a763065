import { z } from "zod";
import { OrderStatus } from "../contract";
import type { PlatformIdKind } from "./platform-ids";

/** Many platform ids of one kind mapped at once: `platformId → SKU or order ref`, unknown ids left out. */
export async function lookupPlatformIds(db: D1Database, shop: string, kind: PlatformIdKind, platformIds: readonly string[]): Promise<Map<string, string>> {
  if (platformIds.length === 0) return new Map();
  const { results } = await db
    .prepare("SELECT platform_id, value FROM platform_ids WHERE shop_id = ? AND kind = ? AND platform_id IN (SELECT value FROM json_each(?))")
    .bind(shop, kind, JSON.stringify(platformIds))
    .all();
  const Row = z.object({ platform_id: z.string(), value: z.string() });
  return new Map(results.map((r) => Row.parse(r)).map((r) => [r.platform_id, r.value]));
}

const OrderSummaryRow = z.object({
  order_ref: z.string(),
  order_number: z.string().nullable(),
  erp_ref: z.string().nullable(),
  status: OrderStatus,
  updated_at: z.number(),
  /** The worst state among the order's deliveries (failed > retrying > pending > delivered), null when it has none. */
  delivery: z.enum(["failed", "retrying", "pending", "delivered"]).nullable(),
  /** 1 when the order came from the shop platform (a webhook), 0 when only the ERP reported it. */
  from_shop: z.number(),
});
export type OrderSummaryRow = z.infer<typeof OrderSummaryRow>;

/**
 * The spellings an order number may be stored under: "#1001" and "1001" are one number, and so are
 * Magento's "# 000000001", "000000001" and an ERP's "1".
 */
export function orderNumberSpellings(asked: string): string[] {
  const bare = asked.replace(/^#\s*/, "").trim();
  const unpadded = /^0+\d/.test(bare) ? bare.replace(/^0+/, "") : undefined;
  return [...new Set([bare, ...(unpadded ? [unpadded] : [])].flatMap((n) => [n, `#${n}`]))];
}

/** The bare number an order is matched under (see `orderNumberSpellings`). */
export const bareOrderNumber = (n: string): string =>
  n
    .replace(/^#\s*/, "")
    .trim()
    .replace(/^0+(?=\d)/, "");

/** Columns of an order's badge: its ERP state, its deliveries' worst state, and where it came from. */
export const ORDER_BADGE_COLUMNS = `o.order_ref, o.order_number, o.erp_ref, o.status, o.updated_at,
  (SELECT CASE WHEN sum(d.status = 'failed') > 0 THEN 'failed' WHEN sum(d.status = 'retrying') > 0 THEN 'retrying'
               WHEN sum(d.status = 'pending') > 0 THEN 'pending' WHEN count(*) > 0 THEN 'delivered' END
   FROM deliveries d WHERE d.shop_id = o.shop_id AND d.order_ref = o.order_ref) AS delivery,
  EXISTS (SELECT 1 FROM shop_orders so WHERE so.shop_id = o.shop_id AND so.order_ref = o.order_ref) AS from_shop`;

/**
 * A list page's orders in one query: by the platform's order ref, or by the number staff see
 * ("#1001" and "1001" are the same number).
 */
export async function loadOrderSummaries(db: D1Database, shop: string, refs: readonly string[], numbers: readonly string[]): Promise<OrderSummaryRow[]> {
  if (refs.length + numbers.length === 0) return [];
  const spellings = numbers.flatMap(orderNumberSpellings);
  const { results } = await db
    .prepare(
      `SELECT ${ORDER_BADGE_COLUMNS} FROM orders o WHERE o.shop_id = ?1 AND (
         o.order_ref IN (SELECT value FROM json_each(?2)) OR o.order_number IN (SELECT value FROM json_each(?3)))`,
    )
    .bind(shop, JSON.stringify(refs), JSON.stringify(spellings))
    .all();
  return results.map((r) => OrderSummaryRow.parse(r));
}
