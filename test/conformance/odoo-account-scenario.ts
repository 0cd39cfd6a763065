import { idList, m2oId, type OdooRpc, type Rec } from "./odoo-rpc.ts";
import { setOnHand, stockLocation, storable } from "./odoo-scenario.ts";

/**
 * The invoice and return side of a B2B sale in a live Odoo 16–18, done the way staff do it, shared
 * by the capture script (`odoo-capture-account.ts`) and the live suite: a delivered sale order,
 * its posted invoice (the "Create Invoice" wizard), a partial payment (the "Register Payment"
 * wizard), and a return of the delivery (the "Return" wizard, whose method is `create_returns` on
 * 16 and 17 and `action_create_returns` on 18).
 */

/** The fields the connector reads of an `account.move` (see worker/connectors/odoo/invoices.ts). */
export const INVOICE_FIELDS = [
  "name",
  "move_type",
  "state",
  "payment_state",
  "invoice_origin",
  "invoice_date",
  "invoice_date_due",
  "amount_total",
  "amount_residual",
  "currency_id",
  "commercial_partner_id",
  "write_date",
];

/** Moves a picking's whole demand and validates it as the warehouse does (16: `quantity_done`; 17/18: `quantity` + `picked`). */
export async function validatePicking(rpc: OdooRpc, major: number, pickingId: number): Promise<void> {
  await rpc.act("stock.picking", "action_assign", [pickingId]);
  const [picking] = await rpc.read("stock.picking", [pickingId], ["move_ids"]);
  for (const move of await rpc.read("stock.move", idList(picking?.move_ids), ["product_uom_qty"])) {
    await rpc.write("stock.move", [move.id], major <= 16 ? { quantity_done: move.product_uom_qty } : { quantity: move.product_uom_qty, picked: true });
  }
  await rpc.act("stock.picking", "button_validate", [pickingId], { skip_sms: true, skip_backorder: true, skip_immediate: true });
}

export interface DeliveredSale {
  partner: number;
  product: number;
  sku: string;
  saleOrder: number;
  saleName: string;
  picking: number;
}

/** A company customer buys `qty` of a new storable product; the order is confirmed and delivered. */
export async function deliveredSale(rpc: OdooRpc, major: number, tag: string, orderRef: string, qty = 3): Promise<DeliveredSale> {
  const partner = await rpc.create("res.partner", { name: `CONF docs ${tag} GmbH`, is_company: true, email: `docs-${tag.toLowerCase()}@example.com` });
  const sku = `CONF-DOCS-${tag}`;
  const product = await rpc.create("product.product", { name: `CONF docs ${tag}`, default_code: sku, list_price: 40, ...storable(major) });
  const { location } = await stockLocation(rpc);
  await setOnHand(rpc, product, location, 20);
  const saleOrder = await rpc.create("sale.order", {
    partner_id: partner,
    client_order_ref: orderRef,
    origin: `backroom:${orderRef}`,
    order_line: [[0, 0, { product_id: product, product_uom_qty: qty, price_unit: 40 }]],
  });
  await rpc.act("sale.order", "action_confirm", [saleOrder]);
  const [so] = await rpc.read("sale.order", [saleOrder], ["name", "picking_ids"]);
  const picking = idList(so?.picking_ids)[0];
  if (picking === undefined) throw new Error("the sale order has no delivery");
  await validatePicking(rpc, major, picking);
  return { partner, product, sku, saleOrder, saleName: String(so?.name), picking };
}

/** The sale order's invoice, made with the "Create Invoice" wizard (what was delivered) and posted. */
export async function postedInvoice(rpc: OdooRpc, saleOrder: number): Promise<number> {
  const ctx = { active_model: "sale.order", active_ids: [saleOrder], active_id: saleOrder };
  const wizard = await rpc.create("sale.advance.payment.inv", { advance_payment_method: "delivered" }, ctx);
  await rpc.act("sale.advance.payment.inv", "create_invoices", [wizard], ctx);
  const [so] = await rpc.read("sale.order", [saleOrder], ["invoice_ids"]);
  const invoice = idList(so?.invoice_ids)[0];
  if (invoice === undefined) throw new Error("the wizard made no invoice");
  await rpc.act("account.move", "action_post", [invoice]);
  return invoice;
}

/** A payment of `amount` against the invoice, with the "Register Payment" wizard. */
export async function registerPayment(rpc: OdooRpc, invoice: number, amount: number): Promise<void> {
  const ctx = { active_model: "account.move", active_ids: [invoice] };
  const wizard = await rpc.create("account.payment.register", { amount }, ctx);
  await rpc.act("account.payment.register", "action_create_payments", [wizard], ctx);
}

/** What the return wizard's create method is called in this version. */
export const returnMethod = (major: number): string => (major >= 18 ? "action_create_returns" : "create_returns");

/** Returns `qty` of the delivery's first move through the "Return" wizard; answers the return picking. */
export async function returnPicking(rpc: OdooRpc, major: number, picking: number, qty: number): Promise<Rec> {
  const [out] = await rpc.read("stock.picking", [picking], ["move_ids"]);
  const [move] = await rpc.read("stock.move", idList(out?.move_ids), ["product_id"]);
  if (!move) throw new Error("the delivery has no move");
  const ctx = { active_model: "stock.picking", active_id: picking, active_ids: [picking] };
  const wizard = await rpc.create(
    "stock.return.picking",
    { picking_id: picking, product_return_moves: [[0, 0, { product_id: m2oId(move.product_id), quantity: qty, move_id: move.id }]] },
    ctx,
  );
  const action = await rpc.act("stock.return.picking", returnMethod(major), [wizard], ctx);
  const id = typeof action === "object" && action !== null && "res_id" in action && typeof action.res_id === "number" ? action.res_id : undefined;
  if (id === undefined) throw new Error("the return wizard answered no picking");
  const [ret] = await rpc.read("stock.picking", [id], ["name", "state", "origin", "picking_type_code", "sale_id", "partner_id", "move_ids"]);
  if (!ret) throw new Error("the return picking is gone");
  return ret;
}

/** A web session for the report routes: `/web/session/authenticate`, answering the `session_id` cookie. */
export async function webSession(url: string, db: string, login: string, password: string): Promise<string | undefined> {
  const res = await fetch(`${url.replace(/\/$/, "")}/web/session/authenticate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params: { db, login, password } }),
  });
  await res.text();
  return /session_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
}
