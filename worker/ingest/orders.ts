import type { OrderRow } from "../contract";
import type { Plan, Step } from "./plan";

export function planOrders(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: OrderRow }>, now: number): Plan {
  // Fields the ERP leaves out keep what the edge already knows (e.g. the number and email from the shop's webhook).
  const upsert = db.prepare(
    `INSERT INTO orders (shop_id, order_ref, order_number, email, erp_ref, status, shipments, at, version, updated_at, erp_id)
     VALUES (?, ?, ?, ?, ?, ?, COALESCE(?, '[]'), ?, ?, ?, ?)
     ON CONFLICT (shop_id, order_ref) DO UPDATE SET
       order_number = COALESCE(excluded.order_number, orders.order_number),
       email = COALESCE(excluded.email, orders.email),
       erp_ref = COALESCE(excluded.erp_ref, orders.erp_ref),
       erp_id = COALESCE(excluded.erp_id, orders.erp_id),
       status = excluded.status,
       shipments = CASE WHEN ?7 IS NULL THEN orders.shipments ELSE excluded.shipments END,
       at = excluded.at, version = excluded.version, updated_at = excluded.updated_at
     WHERE excluded.version > orders.version`,
  );
  // Every status an order reached belongs in its timeline, even one that arrives after a later status.
  const timeline = db.prepare(
    `INSERT INTO order_timeline (shop_id, order_ref, status, at) VALUES (?, ?, ?, ?)
     ON CONFLICT (shop_id, order_ref, status) DO UPDATE SET at = min(at, excluded.at)`,
  );
  const steps: Step[] = [];
  for (const { index, row } of rows) {
    const at = Date.parse(row.at);
    const shipments = row.shipments ? JSON.stringify(row.shipments) : null;
    steps.push({
      row: index,
      stmt: upsert.bind(
        shop,
        row.orderRef,
        row.orderNumber ?? null,
        row.email?.toLowerCase() ?? null,
        row.erpRef ?? null,
        row.status,
        shipments,
        at,
        row.version,
        now,
        row.erpId ?? null,
      ),
    });
    steps.push({ stmt: timeline.bind(shop, row.orderRef, row.status, at) });
  }
  return { steps, rejected: [], touchedSkus: [] };
}
