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
});
export type OrderSummaryRow = z.infer<typeof OrderSummaryRow>;

/**
 * A list page's orders in one query: by the platform's order ref, or by the number staff see
 * ("#1001" and "1001" are the same number).
 */
export async function loadOrderSummaries(db: D1Database, shop: string, refs: readonly string[], numbers: readonly string[]): Promise<OrderSummaryRow[]> {
  if (refs.length + numbers.length === 0) return [];
  const bare = numbers.map((n) => n.replace(/^#/, ""));
  const { results } = await db
    .prepare(
      `SELECT order_ref, order_number, erp_ref, status, updated_at FROM orders WHERE shop_id = ?1 AND (
         order_ref IN (SELECT value FROM json_each(?2)) OR order_number IN (SELECT value FROM json_each(?3))
         OR order_number IN (SELECT '#' || value FROM json_each(?3)))`,
    )
    .bind(shop, JSON.stringify(refs), JSON.stringify(bare))
    .all();
  return results.map((r) => OrderSummaryRow.parse(r));
}
