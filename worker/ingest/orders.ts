import type { OrderRow } from "../contract";
import { type ChunkRow, chunksOf } from "./chunks";
import type { Plan } from "./plan";

// Fields the ERP leaves out keep what the edge already knows (e.g. the number and email from the shop's
// webhook). A row without shipments travels as '' (never a stored value): an update keeps the stored
// shipments, an insert gets '[]' from the statement after.
const UPSERT_MANY = `
INSERT INTO orders (shop_id, order_ref, order_number, email, erp_ref, status, shipments, at, version, updated_at, erp_id)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, COALESCE(r.value ->> 5, ''), r.value ->> 6, r.value ->> 7, ?2, r.value ->> 8
FROM json_each(?3) AS r WHERE true
ON CONFLICT (shop_id, order_ref) DO UPDATE SET
  order_number = COALESCE(excluded.order_number, orders.order_number),
  email = COALESCE(excluded.email, orders.email),
  erp_ref = COALESCE(excluded.erp_ref, orders.erp_ref),
  erp_id = COALESCE(excluded.erp_id, orders.erp_id),
  status = excluded.status,
  shipments = CASE WHEN excluded.shipments = '' THEN orders.shipments ELSE excluded.shipments END,
  at = excluded.at, version = excluded.version, updated_at = excluded.updated_at
WHERE excluded.version > orders.version`;
const NO_SHIPMENTS_YET = `UPDATE orders SET shipments = '[]' WHERE shop_id = ?1 AND shipments = ''
  AND order_ref IN (SELECT r.value ->> 0 FROM json_each(?2) AS r)`;
// Every status an order reached belongs in its timeline, even one that arrives after a later status,
// at the earliest time it was seen (a status seen again at a later time writes nothing).
const TIMELINE_MANY = `
INSERT INTO order_timeline (shop_id, order_ref, status, at)
SELECT ?1, r.value ->> 0, r.value ->> 4, r.value ->> 6 FROM json_each(?2) AS r WHERE true
ON CONFLICT (shop_id, order_ref, status) DO UPDATE SET at = excluded.at WHERE excluded.at < order_timeline.at`;

export function planOrders(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: OrderRow }>, now: number): Plan {
  const upsert = db.prepare(UPSERT_MANY);
  const noShipments = db.prepare(NO_SHIPMENTS_YET);
  const timeline = db.prepare(TIMELINE_MANY);
  const chunkRows: ChunkRow[] = rows.map(({ index, row }) => ({
    index,
    values: [
      row.orderRef,
      row.orderNumber ?? null,
      row.email?.toLowerCase() ?? null,
      row.erpRef ?? null,
      row.status,
      row.shipments ? JSON.stringify(row.shipments) : null,
      Date.parse(row.at),
      row.version,
      row.erpId ?? null,
    ],
  }));
  // One JSON text per chunk, bound to the three statements.
  const chunks = chunksOf(chunkRows);
  return {
    steps: [
      ...chunks.map(({ rows: counted, json }) => ({ row: counted[0], rows: counted, stmt: upsert.bind(shop, now, json) })),
      ...chunks.map(({ json }) => ({ stmt: noShipments.bind(shop, json) })),
      ...chunks.map(({ json }) => ({ stmt: timeline.bind(shop, json) })),
    ],
    rejected: [],
    touchedSkus: [],
  };
}
