import type { CustomerRow, OrderRow, OrderStatus, PriceListRow, PriceRow, ProductRow, Shipment, StockRow, WarehouseRow } from "../../contract";
import { multiplyDecimal } from "../../domain/decimal";
import { fail, type Mapped } from "../mapped";
import type { ErpDoc } from "./client";

/**
 * ERPNext documents → the edge's push rows, as pure functions. Frappe's quirks: `modified` is
 * "YYYY-MM-DD HH:MM:SS.ffffff" in the site's time zone (taken as UTC here), empty links are
 * `null` or "", numbers are floats.
 */

export const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Frappe's `modified` in ms (microseconds cut to ms). */
export function frappeTime(v: unknown): number | undefined {
  const m = str(v) && /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?$/.exec(String(v).trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}.${(m[3] ?? "0").padEnd(3, "0").slice(0, 3)}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

const money = (v: number): string => String(Math.round(v * 1e6) / 1e6);
export const warehouseCode = (name: string, map: Record<string, string> | undefined): string => map?.[name] ?? name;

export function mapWarehouse(d: ErpDoc, map: Record<string, string> | undefined): Mapped<WarehouseRow> {
  const name = str(d.name);
  if (!name) return fail("Warehouse/?", "invalid_record", "The warehouse has no name");
  return { ok: true, row: { code: warehouseCode(name, map), name: str(d.warehouse_name) ?? name } };
}

export function mapItem(d: ErpDoc): Mapped<ProductRow> {
  const sku = str(d.item_code) ?? str(d.name);
  const version = frappeTime(d.modified);
  if (!sku || version === undefined) return fail(`Item/${sku ?? "?"}`, "invalid_record", "The item has no code or modified time");
  const cost = num(d.valuation_rate);
  return { ok: true, row: { sku, name: str(d.item_name) ?? sku, ...(cost !== undefined && cost > 0 ? { cost: money(cost) } : {}), version } };
}

export function mapPriceList(d: ErpDoc): Mapped<PriceListRow> {
  const name = str(d.name);
  const currency = str(d.currency);
  if (!name || !currency) return fail(`Price List/${name ?? "?"}`, "invalid_record", "The price list has no name or currency");
  return { ok: true, row: { id: name, name: str(d.price_list_name) ?? name, currency } };
}

/**
 * An Item Price → a price row per the item's sales unit (issue 12). ERPNext prices per the Item
 * Price's `uom` (blank: the stock UOM): a price in the sales UOM is the row's as it is; one in the
 * stock UOM is multiplied by the sales UOM's conversion factor (exactly, in decimals), as ERPNext
 * itself prices a line in another UOM from the stock UOM's rate.
 */
export function mapItemPrice(d: ErpDoc, units?: { stockUom: string | undefined; sales: { name: string; factor: string } | undefined }): Mapped<PriceRow> {
  const ref = `Item Price/${str(d.name) ?? "?"}`;
  const list = str(d.price_list);
  const sku = str(d.item_code);
  const rate = num(d.price_list_rate);
  const version = frappeTime(d.modified);
  if (!list || !sku || rate === undefined || version === undefined)
    return fail(ref, "invalid_record", "The item price lacks a list, item, rate or modified time");
  if (str(d.customer)) return fail(ref, "unsupported_price_rule", "Customer-specific item prices are not taken; use a price list per customer");
  const uom = str(d.uom) ?? units?.stockUom;
  const sales = units?.sales;
  // An unknown stock UOM (a webhook knows only the edge's sales unit): any other UOM is taken as the stock UOM.
  const inStockUom = uom === undefined || units?.stockUom === undefined || uom === units.stockUom;
  if (sales && uom === sales.name) return { ok: true, row: { list, sku, minQty: 1, unitPrice: money(rate), version } };
  if (sales && inStockUom) return { ok: true, row: { list, sku, minQty: 1, unitPrice: multiplyDecimal(money(rate), sales.factor), version } };
  if (!inStockUom && units) return fail(ref, "unsupported_price_uom", `The price is per ${uom}, the item sells per ${sales?.name ?? units.stockUom}`);
  return { ok: true, row: { list, sku, minQty: 1, unitPrice: money(rate), version } };
}

/** A Customer document (read whole: its credit limits are a child table). */
export function mapCustomer(d: ErpDoc, company: string | undefined): Mapped<CustomerRow> {
  const id = str(d.name);
  const ref = `Customer/${id ?? "?"}`;
  const list = str(d.default_price_list);
  const version = frappeTime(d.modified);
  if (!id || version === undefined) return fail(ref, "invalid_record", "The customer has no name or modified time");
  if (!list) return fail(ref, "no_price_list", "The customer has no default price list");
  const limits = Array.isArray(d.credit_limits) ? d.credit_limits : [];
  const limit = limits.find((l) => typeof l === "object" && l !== null && (!company || Reflect.get(l, "company") === company));
  const credit = limit ? num(Reflect.get(limit, "credit_limit")) : undefined;
  const email = str(d.email_id);
  const terms = str(d.payment_terms);
  return {
    ok: true,
    row: {
      id,
      ...(email ? { email } : {}),
      company: str(d.customer_name) ?? id,
      priceList: list,
      ...(terms ? { paymentTerms: terms } : {}),
      ...(credit !== undefined && credit > 0 ? { creditLimit: money(credit) } : {}),
      version,
    },
  };
}

/** A Bin (one item in one warehouse) → a stock row; `ordered_qty` arrives on the earliest open PO's date. */
export function mapBin(d: ErpDoc, map: Record<string, string> | undefined, eta: string | undefined): Mapped<StockRow> {
  const sku = str(d.item_code);
  const wh = str(d.warehouse);
  const ref = `Bin/${str(d.name) ?? `${sku}@${wh}`}`;
  const version = frappeTime(d.modified);
  if (!sku || !wh || version === undefined) return fail(ref, "invalid_record", "The bin lacks an item, warehouse or modified time");
  const ordered = Math.round(num(d.ordered_qty) ?? 0);
  return {
    ok: true,
    row: {
      sku,
      warehouse: warehouseCode(wh, map),
      onHand: Math.round(num(d.actual_qty) ?? 0),
      committed: Math.max(0, Math.round(num(d.reserved_qty) ?? 0)),
      ...(ordered > 0 && eta ? { incoming: [{ qty: ordered, eta }] } : {}),
      version,
    },
  };
}

const SO_STATUS: Record<string, OrderStatus> = {
  Draft: "received",
  "On Hold": "confirmed",
  "To Deliver and Bill": "confirmed",
  "To Deliver": "confirmed",
  "To Bill": "shipped",
  Completed: "shipped",
  Closed: "shipped",
  Cancelled: "cancelled",
};

/** A Sales Order (with the shop's order ref in `po_no`) and its submitted Delivery Notes. */
export function mapSalesOrder(so: ErpDoc, notes: readonly ErpDoc[]): Mapped<OrderRow> {
  const name = str(so.name) ?? "?";
  const orderRef = str(so.po_no);
  if (!orderRef) return fail(`Sales Order/${name}`, "no_order_ref", "The sales order has no Customer's Purchase Order (po_no)");
  const submitted = notes.filter((n) => n.docstatus === 1);
  let status: OrderStatus = so.docstatus === 2 ? "cancelled" : so.docstatus === 0 ? "received" : (SO_STATUS[str(so.status) ?? ""] ?? "confirmed");
  if (status === "confirmed" && submitted.length > 0) status = "shipped";
  const shipments: Shipment[] = submitted.flatMap((n) => {
    const tracking = str(n.lr_no);
    if (!tracking) return [];
    const date = str(n.lr_date) ?? str(n.posting_date);
    return [{ carrier: str(n.transporter_name) ?? str(n.transporter) ?? "unknown", trackingNumber: tracking, ...(date ? { shippedAt: date } : {}) }];
  });
  const version = Math.max(...[so, ...notes].map((d) => frappeTime(d.modified) ?? 0));
  if (version <= 0) return fail(`Sales Order/${name}`, "invalid_record", "The sales order has no modified time");
  return { ok: true, row: { orderRef, erpRef: name, status, shipments, at: new Date(version).toISOString(), version } };
}
