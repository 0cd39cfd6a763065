import type { CustomerRow, OrderRow, OrderStatus, PriceListRow, ProductRow, Shipment, WarehouseRow } from "../../contract";
import type { PulledRow } from "../apply";
import { fail, type Mapped } from "../mapped";
import type { RecordError } from "../runs";
import type { OdooRecord } from "./client";
import { shopOrderRef } from "./order-ref";

/**
 * Odoo records → the edge's push rows, as pure functions. Odoo's quirks live here: `false` for
 * every empty field, many2one as `[id, "display name"]`, UTC datetimes as "YYYY-MM-DD HH:MM:SS".
 *
 * A row's `version` is the time the connector read the record (`readAt`), not its `write_date`:
 * Odoo answers write_date in whole seconds, so two writes in one second would carry the same
 * version and the second would be dropped as stale. What Odoo answers now is never older than
 * what an earlier pull read.
 */

export const m2o = (v: unknown): { id: number; name: string } | undefined =>
  Array.isArray(v) && typeof v[0] === "number" ? { id: v[0], name: String(v[1] ?? "") } : undefined;

/** A text field, with Odoo's `false` (and blank text) as undefined. */
export const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Odoo's datetime (UTC, no zone) in ms. */
export const odooTime = (v: unknown): number | undefined => {
  const s = text(v);
  if (!s) return undefined;
  const ms = Date.parse(`${s.replace(" ", "T")}Z`);
  return Number.isNaN(ms) ? undefined : ms;
};

const money = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/** The edge's code for an Odoo warehouse: the shop's mapping first, else Odoo's own short code. */
export const warehouseCode = (odooCode: string, map: Record<string, string> | undefined): string => map?.[odooCode] ?? odooCode;

export function mapWarehouse(r: OdooRecord, map: Record<string, string> | undefined): Mapped<WarehouseRow> {
  const code = text(r.code);
  if (!code) return fail(`stock.warehouse/${r.id}`, "no_code", "The warehouse has no short code");
  return { ok: true, row: { code: warehouseCode(code, map), name: text(r.name) ?? code } };
}

export function mapProduct(r: OdooRecord, currency: string | undefined, version: number): Mapped<ProductRow> {
  const ref = `product.product/${r.id}`;
  const sku = text(r.default_code);
  if (!sku) return fail(ref, "no_sku", "The product has no Internal Reference (default_code)");
  const barcode = text(r.barcode);
  const cost = num(r.standard_price);
  return {
    ok: true,
    row: {
      sku,
      name: text(r.name) ?? sku,
      erpId: String(r.id),
      ...(barcode && /^\d{8,14}$/.test(barcode) ? { gtin: barcode } : {}),
      ...(cost !== undefined && cost > 0 ? { cost: money(cost), ...(currency ? { currency } : {}) } : {}),
      version,
    },
  };
}

export function mapPriceList(r: OdooRecord): Mapped<PriceListRow> {
  const currency = m2o(r.currency_id)?.name;
  if (!currency) return fail(`product.pricelist/${r.id}`, "no_currency", "The price list has no currency");
  return { ok: true, row: { id: String(r.id), name: text(r.name) ?? `Pricelist ${r.id}`, currency } };
}

/** The list of a partner without a pricelist: Odoo sells at the product's sales price then. */
export const PUBLIC_LIST = "public";

/**
 * A partner → a B2B customer, on the pricelist Odoo gives it (`property_product_pricelist`: its
 * own, its country group's or Odoo's default). Without one (Odoo 17/18 have no pricelist until
 * the feature is turned on) Odoo sells at the sales price: the customer buys at the public list.
 */
export function mapCustomer(r: OdooRecord, version: number): Mapped<CustomerRow> {
  const list = m2o(r.property_product_pricelist)?.id ?? PUBLIC_LIST;
  const email = text(r.email);
  const credit = num(r.credit_limit);
  const terms = m2o(r.property_payment_term_id)?.name;
  return {
    ok: true,
    row: {
      id: String(r.id),
      ...(email ? { email } : {}),
      company: text(r.commercial_company_name) ?? text(r.name) ?? `Partner ${r.id}`,
      priceList: String(list),
      ...(terms ? { paymentTerms: terms } : {}),
      ...(credit !== undefined && credit > 0 ? { creditLimit: money(credit) } : {}),
      version,
    },
  };
}

/** The warehouse an internal location belongs to, by its full name ("WH/Stock/Shelf 1" → "WH"). */
export function warehouseOfLocation(locationName: string, odooCodes: ReadonlySet<string>): string | undefined {
  const prefix = locationName.split("/")[0]?.trim();
  return prefix && odooCodes.has(prefix) ? prefix : undefined;
}

export interface StockInputs {
  /** product id → SKU, for every product whose stock is being re-read. */
  skus: ReadonlyMap<number, string>;
  quants: readonly OdooRecord[];
  /** Incoming moves (receipts not done or cancelled) of the same products. */
  moves: readonly OdooRecord[];
  /**
   * Open outgoing moves of the same products: every row's `demand` (all confirmed demand, reserved
   * or not). In `forecast` availability committed is that demand too, else what Odoo has reserved
   * (`free_qty`).
   */
  demand: readonly OdooRecord[];
  availability: "free" | "forecast";
  /** Odoo warehouse codes. */
  warehouses: ReadonlySet<string>;
  map: Record<string, string> | undefined;
  version: number;
  /** Today (UTC, YYYY-MM-DD): receipts due before it are overdue. */
  today: string;
}

/**
 * Stock rows per SKU and warehouse for the products being re-read: every warehouse gets a row,
 * so stock that left a warehouse entirely (its quants removed) drops to zero at the edge too.
 */
export function aggregateStock(input: StockInputs): { rows: PulledRow[]; errors: Array<Omit<RecordError, "resource">> } {
  const errors: Array<Omit<RecordError, "resource">> = [];
  const key = (sku: string, wh: string) => `${sku}\u0000${wh}`;
  const acc = new Map<
    string,
    { sku: string; wh: string; onHand: number; committed: number; incoming: Array<{ qty: number; eta: string; ref?: string; erpId?: string }> }
  >();
  for (const [, sku] of input.skus) for (const wh of input.warehouses) acc.set(key(sku, wh), { sku, wh, onHand: 0, committed: 0, incoming: [] });
  for (const q of input.quants) {
    const product = m2o(q.product_id);
    const location = m2o(q.location_id);
    const sku = product && input.skus.get(product.id);
    const wh = location && warehouseOfLocation(location.name, input.warehouses);
    if (!sku || !wh) {
      if (sku) errors.push({ record: `stock.quant/${q.id}`, code: "unknown_location", message: `Location "${location?.name}" is in no known warehouse` });
      continue;
    }
    const a = acc.get(key(sku, wh));
    if (!a) continue;
    a.onHand += num(q.quantity) ?? 0;
    a.committed += num(q.reserved_quantity) ?? 0;
  }
  // Every open delivery, reserved or not (Odoo's outgoing_qty); forecast mode subtracts it publicly.
  const demand = new Map<string, number>();
  for (const m of input.demand) {
    const product = m2o(m.product_id);
    const from = m2o(m.location_id);
    const sku = product && input.skus.get(product.id);
    const wh = from && warehouseOfLocation(from.name, input.warehouses);
    if (sku && wh) demand.set(key(sku, wh), (demand.get(key(sku, wh)) ?? 0) + (num(m.product_uom_qty) ?? 0));
  }
  if (input.availability === "forecast")
    for (const [k, qty] of demand) {
      const a = acc.get(k);
      if (a) a.committed = Math.max(a.committed, qty);
    }
  for (const m of input.moves) {
    const product = m2o(m.product_id);
    const dest = m2o(m.location_dest_id);
    const sku = product && input.skus.get(product.id);
    const wh = dest && warehouseOfLocation(dest.name, input.warehouses);
    const qty = num(m.product_uom_qty) ?? 0;
    const due = text(m.date)?.slice(0, 10);
    if (!sku || !wh || qty <= 0 || !due) continue;
    // A receipt past its date is still coming, on a date nobody knows: as of today, marked overdue.
    const overdue = due < input.today;
    const ref = [text(m.reference), overdue ? `overdue, was due ${due}` : undefined]
      .filter((x) => x !== undefined)
      .join(" · ")
      .slice(0, 100);
    const receipt = m2o(m.picking_id)?.id;
    acc.get(key(sku, wh))?.incoming.push({
      qty: Math.round(qty),
      eta: overdue ? input.today : due,
      ...(ref ? { ref } : {}),
      ...(receipt !== undefined ? { erpId: String(receipt) } : {}),
    });
  }
  const rows: PulledRow[] = [];
  for (const a of acc.values()) {
    const committed = Math.max(0, Math.round(a.committed));
    rows.push({
      ref: `stock/${a.sku}@${a.wh}`,
      row: {
        sku: a.sku,
        warehouse: warehouseCode(a.wh, input.map),
        onHand: Math.round(a.onHand),
        committed,
        demand: Math.max(0, Math.round(demand.get(key(a.sku, a.wh)) ?? 0)),
        incoming: a.incoming.sort((x, y) => x.eta.localeCompare(y.eta)).slice(0, 50),
        version: input.version,
      },
    });
  }
  return { rows, errors };
}

const SO_STATUS: Record<string, OrderStatus> = { draft: "received", sent: "received", sale: "confirmed", done: "confirmed", cancel: "cancelled" };

/**
 * A sale order and its outgoing pickings → the order's status and shipments. A done picking with
 * a tracking reference is a shipment; any done picking makes the order shipped; a picking that is
 * ready (`assigned`) means the warehouse is picking.
 */
export function mapOrder(
  so: OdooRecord,
  pickings: readonly OdooRecord[],
  movesByPicking: ReadonlyMap<number, Array<{ sku: string; qty: number }>>,
  version: number,
): Mapped<OrderRow> {
  const ref = `sale.order/${so.id}`;
  const orderRef = shopOrderRef(so);
  if (!orderRef) return fail(ref, "no_order_ref", "The sale order has no shop order (origin) or Customer Reference (client_order_ref)");
  const outgoing = pickings.filter((p) => p.picking_type_code === undefined || p.picking_type_code === "outgoing");
  let status: OrderStatus = SO_STATUS[String(so.state)] ?? "received";
  if (status === "confirmed") {
    if (outgoing.some((p) => p.state === "done")) status = "shipped";
    else if (outgoing.some((p) => p.state === "assigned")) status = "picking";
  }
  const shipments: Shipment[] = [];
  for (const p of outgoing) {
    const tracking = text(p.carrier_tracking_ref);
    if (p.state !== "done" || !tracking) continue;
    const done = odooTime(p.date_done);
    const items = movesByPicking.get(p.id);
    shipments.push({
      carrier: m2o(p.carrier_id)?.name ?? "unknown",
      trackingNumber: tracking,
      ...(done ? { shippedAt: new Date(done).toISOString() } : {}),
      ...(items && items.length > 0 ? { items } : {}),
    });
  }
  // When the order last changed in Odoo (its own write_date or a picking's): the timeline's time.
  const at = Math.max(0, ...[so, ...pickings].map((r) => odooTime(r.write_date) ?? 0));
  return {
    ok: true,
    row: {
      orderRef,
      ...(text(so.name) ? { erpRef: text(so.name) } : {}),
      erpId: String(so.id),
      status,
      shipments,
      at: new Date(at > 0 ? at : version).toISOString(),
      version,
    },
  };
}
