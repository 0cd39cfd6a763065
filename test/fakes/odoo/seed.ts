import { type Captured, capturedFor } from "./captured";
import { ACCOUNT_FIELDS } from "./account";
import type { Rec } from "./domain";
import { KIT_MODEL_FIELDS, KIT_PRODUCT_FIELDS, seedKitModels } from "./kits";

export type Version = 16 | 17 | 18 | 19;
export type Db = Map<string, Map<number, Rec>>;

export const BASE_WRITE_DATE = "2026-11-23 00:00:00";

const m2o = (v: unknown): [number, string] | undefined => (Array.isArray(v) && typeof v[0] === "number" && typeof v[1] === "string" ? [v[0], v[1]] : undefined);

function put(db: Db, model: string, rec: Rec): void {
  const table = db.get(model) ?? new Map<number, Rec>();
  db.set(model, table);
  const existing = table.get(rec.id);
  // The first capture of a record is the state before the capture session changed it.
  if (existing) for (const [k, v] of Object.entries(rec)) existing[k] ??= v;
  else table.set(rec.id, { ...rec });
}

/**
 * The fake's database for one Odoo version, built from that version's captured answers: every
 * record any captured `search_read`/`read` returned (first capture wins), plus the records those
 * reference (products named in quants, locations, the sale order's moves), with the version's
 * own fields (`type`/`is_storable`, `quantity_done` vs `quantity` + `picked`).
 */
export function seed(version: Version): Db {
  const source = version === 19 ? 18 : version;
  const db: Db = new Map();
  const captures: Captured[] = capturedFor(source);
  let orderRef: string | undefined;
  let orderLine: { product_id: number; product_uom_qty: number } | undefined;
  for (const c of captures) {
    const { service, method, args } = c.request.params;
    if (service !== "object" || method !== "execute_kw") continue;
    const [model, call] = [args[3], args[4]];
    if (typeof model !== "string") continue;
    if (model === "sale.order" && call === "create") {
      const vals = (args[5] as Array<{ client_order_ref?: string; order_line?: Array<[number, number, { product_id: number; product_uom_qty: number }]> }>)[0];
      orderRef = vals?.client_order_ref;
      orderLine = vals?.order_line?.[0]?.[2];
    }
    if ((call === "search_read" || call === "read") && Array.isArray(c.response.result)) {
      for (const r of c.response.result as Rec[]) if (typeof r.id === "number") put(db, model, r);
    }
  }
  const table = (model: string) => db.get(model) ?? db.set(model, new Map()).get(model) ?? new Map<number, Rec>();
  table("sale.order.line");
  // The demo company (its currency is what a connector without a `currency` setting prices in).
  put(db, "res.company", { id: 1, name: "My Company (San Francisco)", currency_id: [2, "USD"] });
  put(db, "res.currency", { id: 2, name: "USD", active: true, rounding: 0.01 });
  table("res.currency.rate");
  put(db, "res.country", { id: 57, code: "DE", name: "Germany" });
  put(db, "res.country", { id: 233, code: "US", name: "United States" });

  // Products named in quants and pickings' moves: "[CODE] Name".
  for (const q of table("stock.quant").values()) {
    const p = m2o(q.product_id);
    const m = p && /^\[([^\]]+)\] (.*)$/.exec(p[1]);
    if (p && m) put(db, "product.product", { id: p[0], default_code: m[1], name: m[2] });
  }
  // Odoo's demo categories (a many2one reads back as the category's full name).
  put(db, "product.category", { id: 1, name: "All", parent_id: false, complete_name: "All" });
  put(db, "product.category", { id: 2, name: "Saleable", parent_id: [1, "All"], complete_name: "All / Saleable" });
  for (const p of table("product.product").values()) {
    p.barcode ??= false;
    p.standard_price ??= 0;
    p.lst_price ??= p.list_price ?? 100;
    p.product_tmpl_id ??= [p.id, String(p.name)];
    p.categ_id ??= [2, "All / Saleable"];
    p.active ??= true;
    const tmpl = m2o(p.product_tmpl_id);
    if (tmpl) put(db, "product.template", { id: tmpl[0], name: String(p.name), list_price: p.lst_price, categ_id: p.categ_id, active: true });
    if (version >= 18) {
      p.type ??= "consu";
      p.is_storable ??= true;
    } else p.type ??= "product";
  }
  for (const l of table("stock.quant").values()) {
    const loc = m2o(l.location_id);
    if (loc) put(db, "stock.location", { id: loc[0], name: loc[1].split("/").at(-1) ?? loc[1], complete_name: loc[1], usage: "internal" });
  }
  for (const w of table("stock.warehouse").values()) {
    const loc = m2o(w.lot_stock_id);
    if (loc) put(db, "stock.location", { id: loc[0], name: "Stock", complete_name: loc[1], usage: "internal" });
  }
  put(db, "stock.location", { id: 4, name: "Vendors", complete_name: "Partners/Vendors", usage: "supplier" });
  put(db, "stock.location", { id: 5, name: "Customers", complete_name: "Partners/Customers", usage: "customer" });
  for (const l of table("stock.location").values()) l.display_name = l.complete_name;

  for (const pl of table("product.pricelist.item").values()) {
    const list = m2o(pl.pricelist_id);
    const cur = list && /\((\w{3})\)$/.exec(list[1]);
    if (list) put(db, "product.pricelist", { id: list[0], name: list[1].replace(/ \(\w{3}\)$/, ""), currency_id: [2, cur?.[1] ?? "USD"], sequence: 16 });
  }
  const pricelist = [...table("product.pricelist").values()][0];
  // A pricelist set on one partner: 16/17 keep it as an ir.property, 18 in a company-dependent field.
  table("ir.property");
  for (const p of table("res.partner").values()) {
    if (version >= 18) p.specific_property_product_pricelist ??= false;
    p.customer_rank ??= 1;
    p.is_company ??= false;
    p.email ??= false;
    p.commercial_company_name ??= p.name;
    p.property_product_pricelist ??= pricelist ? [pricelist.id, `${pricelist.name} (${m2o(pricelist.currency_id)?.[1]})`] : false;
    p.credit_limit ??= 0;
    p.property_payment_term_id ??= false;
  }
  const partner = [...table("res.partner").values()][0];
  for (const so of table("sale.order").values()) {
    so.client_order_ref ??= orderRef ?? false;
    so.partner_id ??= partner ? [partner.id, String(partner.name)] : false;
  }
  for (const pk of table("stock.picking").values()) {
    pk.picking_type_code ??= "outgoing";
    pk.carrier_id ??= false;
    pk.carrier_tracking_ref ??= false;
    pk.date_done ??= false;
    const so = [...table("sale.order").values()].find((o) => Array.isArray(o.picking_ids) && o.picking_ids.includes(pk.id));
    pk.sale_id ??= so ? [so.id, String(so.name)] : false;
    pk.origin ??= so ? so.name : false;
    for (const moveId of Array.isArray(pk.move_ids) ? pk.move_ids : []) {
      if (typeof moveId !== "number" || !orderLine || !so) continue;
      const product = table("product.product").get(orderLine.product_id);
      put(db, "stock.move", {
        id: moveId,
        picking_id: [pk.id, String(pk.name)],
        product_id: [orderLine.product_id, `[${product?.default_code}] ${product?.name}`],
        product_uom_qty: orderLine.product_uom_qty,
        state: String(pk.state),
        picking_code: "outgoing",
        location_dest_id: [5, "Partners/Customers"],
        date: BASE_WRITE_DATE,
        reference: pk.name,
        ...(version <= 16 ? { quantity_done: 0 } : { quantity: orderLine.product_uom_qty, picked: false }),
      });
    }
  }
  // A product's sales price and cost are in the company's currency unless captured otherwise.
  for (const p of table("product.product").values()) {
    p.currency_id ??= [2, "USD"];
    p.cost_currency_id ??= p.currency_id;
  }
  // An Odoo with mrp and Odoo's units (issue 12: kits and sales units, test/fakes/odoo/kits.ts).
  seedKitModels(db, version);
  // One stamp for the whole demo load, with the microseconds PostgreSQL keeps (read back without them).
  for (const t of db.values()) for (const r of t.values()) r.write_date ??= `${BASE_WRITE_DATE}.412345`;
  return db;
}

/** Fields each model has beyond its seeded records' keys, per version; asking for others is Odoo's ValueError. */
export function knownFields(version: Version, model: string, db: Db): Set<string> {
  const extra: Record<string, string[]> = {
    "product.pricelist": ["id", "name", "currency_id", "sequence", "active", "write_date"],
    "res.currency": ["id", "name", "active", "rate", "rounding", "write_date"],
    "res.currency.rate": ["id", "name", "rate", "currency_id", "company_id", "write_date"],
    "product.category": ["id", "name", "parent_id", "complete_name", "write_date"],
    "product.template": ["id", "name", "list_price", "categ_id", "active", "write_date"],
    "ir.property": ["id", "name", "res_id", "value_reference", "fields_id", "company_id", "write_date"],
    "sale.order.line": ["id", "order_id", "product_id", "name", "product_uom_qty", "price_unit", "qty_delivered", "is_delivery", "write_date"],
    "product.pricelist.item": [
      "id",
      "pricelist_id",
      "applied_on",
      "product_tmpl_id",
      "product_id",
      "categ_id",
      "compute_price",
      "fixed_price",
      "percent_price",
      "base",
      "base_pricelist_id",
      "price_discount",
      "price_surcharge",
      "price_round",
      "price_min_margin",
      "price_max_margin",
      "min_quantity",
      "date_start",
      "date_end",
      "write_date",
      ...(version >= 18 ? ["price_markup"] : []),
    ],
    "res.partner": [
      "id",
      "name",
      "email",
      "is_company",
      "customer_rank",
      "commercial_company_name",
      "commercial_partner_id",
      "property_product_pricelist",
      ...(version >= 18 ? ["specific_property_product_pricelist"] : []),
      "credit_limit",
      "property_payment_term_id",
      "parent_id",
      "type",
      "street",
      "street2",
      "city",
      "zip",
      "country_id",
      "phone",
      "active",
      "write_date",
    ],
    "stock.quant": ["id", "product_id", "location_id", "quantity", "reserved_quantity", "inventory_quantity", "lot_id", "write_date"],
    "product.product": [
      "id",
      "default_code",
      "name",
      "barcode",
      "standard_price",
      "list_price",
      "lst_price",
      "categ_id",
      "qty_available",
      "virtual_available",
      "product_tmpl_id",
      "type",
      "write_date",
      "active",
      "currency_id",
      "cost_currency_id",
      ...(version >= 18 ? ["is_storable"] : []),
    ],
    "stock.move": [
      "id",
      "picking_id",
      "product_id",
      "product_uom_qty",
      "state",
      "picking_code",
      "is_inventory",
      "location_id",
      "location_dest_id",
      "date",
      "reference",
      "write_date",
      ...(version <= 16 ? ["quantity_done"] : ["quantity", "picked"]),
      "origin_returned_move_id",
    ],
    "stock.picking": [
      "id",
      "name",
      "state",
      "carrier_id",
      "carrier_tracking_ref",
      "date_done",
      "origin",
      "sale_id",
      "picking_type_code",
      "move_ids",
      "partner_id",
      "note",
      "write_date",
    ],
    "sale.order": [
      "id",
      "name",
      "state",
      "client_order_ref",
      "origin",
      "note",
      "date_order",
      "partner_shipping_id",
      "partner_invoice_id",
      "partner_id",
      "amount_total",
      "picking_ids",
      "order_line",
      "delivery_count",
      "carrier_id",
      "write_date",
      ...(version >= 17 ? ["locked"] : []),
    ],
  };
  const fields = new Set([
    ...(extra[model] ?? ACCOUNT_FIELDS[model] ?? []),
    ...(KIT_MODEL_FIELDS[model] ?? []),
    ...(model === "product.product" ? KIT_PRODUCT_FIELDS : []),
  ]);
  for (const r of db.get(model)?.values() ?? []) for (const k of Object.keys(r)) fields.add(k);
  return fields;
}
