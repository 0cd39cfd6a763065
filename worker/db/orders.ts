import { z } from "zod";
import { OrderStatus, type Shipment } from "../contract";
import { StoredShipments } from "./rows";

export interface StoredOrder {
  orderRef: string;
  orderNumber: string | undefined;
  email: string | undefined;
  erpRef: string | undefined;
  status: OrderStatus;
  shipments: Shipment[];
  timeline: Array<{ status: OrderStatus; at: string }>;
  updatedAt: number;
}

const OrderRow = z.object({
  order_ref: z.string(),
  order_number: z.string().nullable(),
  email: z.string().nullable(),
  erp_ref: z.string().nullable(),
  status: OrderStatus,
  shipments: z.string(),
  updated_at: z.number(),
});
const TimelineRow = z.object({ status: OrderStatus, at: z.number() });

async function withTimeline(db: D1Database, shop: string, raw: Record<string, unknown> | null): Promise<StoredOrder | undefined> {
  if (!raw) return undefined;
  const r = OrderRow.parse(raw);
  const { results } = await db.prepare("SELECT status, at FROM order_timeline WHERE shop_id = ? AND order_ref = ? ORDER BY at").bind(shop, r.order_ref).all();
  return {
    orderRef: r.order_ref,
    orderNumber: r.order_number ?? undefined,
    email: r.email ?? undefined,
    erpRef: r.erp_ref ?? undefined,
    status: r.status,
    shipments: StoredShipments.parse(JSON.parse(r.shipments)),
    timeline: results.map((t) => {
      const row = TimelineRow.parse(t);
      return { status: row.status, at: new Date(row.at).toISOString() };
    }),
    updatedAt: r.updated_at,
  };
}

const COLUMNS = "order_ref, order_number, email, erp_ref, status, shipments, updated_at";

export async function getOrderByRef(db: D1Database, shop: string, orderRef: string): Promise<StoredOrder | undefined> {
  const raw = await db.prepare(`SELECT ${COLUMNS} FROM orders WHERE shop_id = ? AND order_ref = ?`).bind(shop, orderRef).first();
  return withTimeline(db, shop, raw);
}

/**
 * Finds an order by the number the customer sees and the email it was placed with; "#1001" and
 * "1001" are the same number, emails match in any case. Number and email are matched in one query,
 * so a wrong email costs exactly what an unknown number costs: the answer's timing tells nothing.
 * `INDEXED BY`: without planner statistics SQLite read all of the shop's orders here (20 ms at 100,000).
 */
export async function getOrderByNumberAndEmail(db: D1Database, shop: string, orderNumber: string, email: string): Promise<StoredOrder | undefined> {
  const bare = orderNumber.replace(/^#/, "");
  const raw = await db
    .prepare(
      `SELECT ${COLUMNS} FROM orders INDEXED BY orders_number WHERE shop_id = ? AND order_number IN (?, ?) AND email = ? ORDER BY updated_at DESC LIMIT 1`,
    )
    .bind(shop, bare, `#${bare}`, email.trim().toLowerCase())
    .first();
  return withTimeline(db, shop, raw);
}

/** Whether the shop platform brought this order (a webhook); an order only the ERP reported has nothing to deliver to the ERP. */
export async function orderCameFromShop(db: D1Database, shop: string, orderRef: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS one FROM shop_orders WHERE shop_id = ? AND order_ref = ?").bind(shop, orderRef).first()) !== null;
}
