import { z } from "zod";
import { type OrderSettings, type OrderSettingsView, OrdersTo } from "../contract/orders";

/**
 * The order pipeline's per-shop settings. The shop platform's API credentials are not among them:
 * they are the connectors' `platform` slot (`loadPlatformSettings`).
 */
export interface ShopOrderSettings {
  /** Where orders go; only the operator sets it (PUT /v1/admin/shops/:shop/orders-settings). */
  ordersTo: OrdersTo;
  erpEndpointUrl: string | undefined;
  reservationTtlMinutes: number;
  warehousePriority: string[];
  reconcileCursor: string | undefined;
}

export const DEFAULT_TTL_MINUTES = 1440;

const Row = z.object({
  orders_to: OrdersTo,
  erp_endpoint_url: z.string().nullable(),
  reservation_ttl_minutes: z.number(),
  warehouse_priority: z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  reconcile_cursor: z.string().nullable(),
});

export async function getOrderSettings(db: D1Database, shop: string): Promise<ShopOrderSettings> {
  const raw = await db.prepare("SELECT * FROM shop_order_settings WHERE shop_id = ?").bind(shop).first();
  if (!raw) {
    return {
      ordersTo: "erp-endpoint",
      erpEndpointUrl: undefined,
      reservationTtlMinutes: DEFAULT_TTL_MINUTES,
      warehousePriority: [],
      reconcileCursor: undefined,
    };
  }
  const r = Row.parse(raw);
  return {
    ordersTo: r.orders_to,
    erpEndpointUrl: r.erp_endpoint_url ?? undefined,
    reservationTtlMinutes: r.reservation_ttl_minutes,
    warehousePriority: r.warehouse_priority,
    reconcileCursor: r.reconcile_cursor ?? undefined,
  };
}

/** The shop's warehouse priority, as a statement to run in the caller's batch. */
export const warehousePriorityQuery = (db: D1Database, shop: string) =>
  db.prepare("SELECT warehouse_priority FROM shop_order_settings WHERE shop_id = ?").bind(shop);

export function parseWarehousePriority(result: D1Result | undefined): string[] {
  const raw = result?.results[0];
  return raw ? z.array(z.string()).parse(JSON.parse(z.object({ warehouse_priority: z.string() }).parse(raw).warehouse_priority)) : [];
}

/** Applies a partial update: absent fields keep their value, `erpEndpointUrl: null` clears it. */
export async function putOrderSettings(db: D1Database, shop: string, s: OrderSettings, now: number): Promise<ShopOrderSettings> {
  const current = await getOrderSettings(db, shop);
  const next: ShopOrderSettings = {
    ...current,
    ordersTo: s.ordersTo ?? current.ordersTo,
    erpEndpointUrl: s.erpEndpointUrl === null ? undefined : (s.erpEndpointUrl ?? current.erpEndpointUrl),
    reservationTtlMinutes: s.reservationTtlMinutes ?? current.reservationTtlMinutes,
    warehousePriority: s.warehousePriority ?? current.warehousePriority,
  };
  await db
    .prepare(
      `INSERT INTO shop_order_settings (shop_id, orders_to, erp_endpoint_url, reservation_ttl_minutes, warehouse_priority, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (shop_id) DO UPDATE SET orders_to = excluded.orders_to, erp_endpoint_url = excluded.erp_endpoint_url, reservation_ttl_minutes = excluded.reservation_ttl_minutes,
         warehouse_priority = excluded.warehouse_priority, updated_at = excluded.updated_at`,
    )
    .bind(shop, next.ordersTo, next.erpEndpointUrl ?? null, next.reservationTtlMinutes, JSON.stringify(next.warehousePriority), now)
    .run();
  return next;
}

export const settingsView = (s: ShopOrderSettings): OrderSettingsView => ({
  ordersTo: s.ordersTo,
  ...(s.erpEndpointUrl ? { erpEndpointUrl: s.erpEndpointUrl } : {}),
  reservationTtlMinutes: s.reservationTtlMinutes,
  warehousePriority: s.warehousePriority,
});

export async function setReconcileCursor(db: D1Database, shop: string, cursor: string, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO shop_order_settings (shop_id, reconcile_cursor, reconciled_at, updated_at) VALUES (?1, ?2, ?3, ?3)
       ON CONFLICT (shop_id) DO UPDATE SET reconcile_cursor = excluded.reconcile_cursor, reconciled_at = excluded.reconciled_at`,
    )
    .bind(shop, cursor, now)
    .run();
}
