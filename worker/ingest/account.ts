import type { InvoiceRow, ReturnRow } from "../contract";
import { type ChunkRow, chunkSteps } from "./chunks";
import type { Plan } from "./plan";

/**
 * The ERP's `invoices` and `returns` pushes as versioned many-row upserts (one D1 batch with the
 * push's receipt, as for every other kind): a row only wins with a higher `version`. A return the
 * buyer filed at the edge is stored with version 0, so the ERP's first word on it always wins.
 * An invoice's `pdf_available` is 0 (none), 1 (the ERP renders one) or 2 (kept in R2: stays 2).
 */

const UPSERT_INVOICES = `
INSERT INTO invoices (shop_id, number, customer_id, kind, order_refs, issued_at, due_at, currency, total, open_amount, status, pdf_available, erp_id, version, updated_at)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6, r.value ->> 7, r.value ->> 8,
  r.value ->> 9, r.value ->> 10, r.value ->> 11, r.value ->> 12, ?2
FROM json_each(?3) AS r WHERE true
ON CONFLICT (shop_id, number) DO UPDATE SET customer_id = excluded.customer_id, kind = excluded.kind, order_refs = excluded.order_refs,
  issued_at = excluded.issued_at, due_at = excluded.due_at, currency = excluded.currency, total = excluded.total, open_amount = excluded.open_amount,
  status = excluded.status, pdf_available = CASE WHEN invoices.pdf_available = 2 THEN 2 ELSE excluded.pdf_available END, erp_id = excluded.erp_id, version = excluded.version, updated_at = excluded.updated_at
WHERE excluded.version > invoices.version`;

export function planInvoices(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: InvoiceRow }>, now: number): Plan {
  const upsert = db.prepare(UPSERT_INVOICES);
  const chunkRows: ChunkRow[] = rows.map(({ index, row }) => ({
    index,
    values: [
      row.number,
      row.customer,
      row.kind ?? "invoice",
      JSON.stringify(row.orderRefs ?? []),
      Date.parse(row.issuedAt),
      row.dueAt ? Date.parse(row.dueAt) : null,
      row.currency,
      row.total,
      row.openAmount,
      row.status,
      row.pdf ? 1 : 0,
      row.erpId ?? null,
      row.version,
    ],
  }));
  return { steps: chunkSteps(chunkRows, (json) => upsert.bind(shop, now, json)), rejected: [], touchedSkus: [] };
}

// The photo the buyer attached stays with the request whatever the ERP says later.
const UPSERT_RETURNS = `
INSERT INTO account_returns (shop_id, return_ref, rma_number, customer_id, order_ref, lines, reason, status, requested_at, at, version, updated_at)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6, r.value ->> 7, r.value ->> 7, r.value ->> 8, ?2
FROM json_each(?3) AS r WHERE true
ON CONFLICT (shop_id, return_ref) DO UPDATE SET rma_number = COALESCE(excluded.rma_number, account_returns.rma_number),
  customer_id = excluded.customer_id, order_ref = excluded.order_ref, lines = excluded.lines, reason = COALESCE(excluded.reason, account_returns.reason),
  status = excluded.status, at = excluded.at, version = excluded.version, updated_at = excluded.updated_at
WHERE excluded.version > account_returns.version`;

export function planReturns(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: ReturnRow }>, now: number): Plan {
  const upsert = db.prepare(UPSERT_RETURNS);
  const chunkRows: ChunkRow[] = rows.map(({ index, row }) => ({
    index,
    values: [
      row.returnRef,
      row.rmaNumber ?? null,
      row.customer,
      row.orderRef,
      JSON.stringify(row.lines),
      row.reason ?? null,
      row.status,
      Date.parse(row.at),
      row.version,
    ],
  }));
  return { steps: chunkSteps(chunkRows, (json) => upsert.bind(shop, now, json)), rejected: [], touchedSkus: [] };
}
