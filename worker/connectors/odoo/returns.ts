import type { ErpReturnRequest, ReturnRow, ReturnStatus } from "../../contract/account";
import type { ReturnPushResult } from "../connector";
import { RemoteError } from "../errors";
import { fail, type Mapped, split } from "../mapped";
import type { PullPage } from "../pull";
import type { OdooClient, OdooRecord } from "./client";
import { changedSince } from "./cursor";
import { m2o, num, odooTime, text } from "./map";
import { findShopOrderDomain, shopOrderRef } from "./order-ref";

/**
 * Returns as Odoo records them: a return picking, made by the "Return" wizard
 * (`stock.return.picking`) on the order's done delivery. Its name is the RMA number the buyer sees
 * and its state the return's status. A return the buyer filed at the edge is marked in the
 * picking's Source Document as "[backroom-return:<returnRef>]", so a retried delivery finds it
 * and the pull hands its status back to the same return; return pickings staff make in Odoo for a
 * shop order are pulled too. Captures: odoo-captured/<v>/account (a08–a11).
 */
export const RETURN_MARK = "backroom-return:";
const markOf = (returnRef: string) => `[${RETURN_MARK}${returnRef}]`;
const MARKED = /\[backroom-return:([^\]]+)\]/;

/** The wizard's method: `create_returns` on 16 and 17, `action_create_returns` on 18 (captures a08). */
export const returnMethod = (major: number): string => (major >= 18 ? "action_create_returns" : "create_returns");

/** A return picking's state as the buyer's return status: made (approved), received, refused. */
const STATE: Record<string, ReturnStatus> = {
  draft: "requested",
  waiting: "approved",
  confirmed: "approved",
  assigned: "approved",
  done: "received",
  cancel: "rejected",
};
export const returnStatusOf = (state: unknown): ReturnStatus => STATE[String(state)] ?? "approved";

/** Incoming pickings whose moves return a delivered move, for a sale order (`move_ids.origin_returned_move_id`, all of 16–18). */
export const RETURN_PICKINGS: unknown[] = [
  ["picking_type_code", "=", "incoming"],
  ["sale_id", "!=", false],
  ["move_ids.origin_returned_move_id", "!=", false],
];

const doneQtyField = (major: number) => (major <= 16 ? "quantity_done" : "quantity");

/**
 * The buyer's return as an Odoo return picking on the shop order's delivery, once per return
 * (found again by its mark). Every line must have left in one done delivery, for no more than was
 * delivered less what was already returned; else Odoo is not asked and the delivery fails for
 * staff to see.
 */
export async function pushOdooReturn(client: OdooClient, ret: ErpReturnRequest): Promise<ReturnPushResult> {
  const [existing] = await client.searchRead("stock.picking", [["origin", "like", markOf(ret.returnRef)]], { fields: ["name", "state"], limit: 1 });
  if (existing) return { ...(text(existing.name) ? { rmaNumber: text(existing.name) } : {}), status: returnStatusOf(existing.state) };
  const major = await client.version();
  const [so] = await client.searchRead("sale.order", findShopOrderDomain(ret.orderRef), { fields: ["name"], limit: 1, order: "id desc" });
  if (!so) throw new RemoteError("odoo_order_unknown", `Odoo has no sale order for the shop order ${ret.orderNumber ?? ret.orderRef}`, false);
  const deliveries = await client.searchRead(
    "stock.picking",
    [
      ["sale_id", "=", so.id],
      ["picking_type_code", "=", "outgoing"],
      ["state", "=", "done"],
    ],
    { fields: ["name", "move_ids"], order: "id asc" },
  );
  const qty = doneQtyField(major);
  const moves = await client.searchRead(
    "stock.move",
    [
      ["picking_id", "in", deliveries.map((d) => d.id)],
      ["state", "=", "done"],
    ],
    { fields: ["picking_id", "product_id", qty] },
  );
  const returned = moves.length
    ? await client.searchRead(
        "stock.move",
        [
          ["origin_returned_move_id", "in", moves.map((m) => m.id)],
          ["state", "!=", "cancel"],
        ],
        { fields: ["origin_returned_move_id", "product_uom_qty"] },
      )
    : [];
  const productIds = [...new Set(moves.map((m) => m2o(m.product_id)?.id).filter((id): id is number => id !== undefined))];
  const products = productIds.length ? await client.read("product.product", productIds, ["default_code"]) : [];
  const skuOf = new Map(products.map((p) => [p.id, text(p.default_code)]));
  /** Per delivery: the moves a return can take each line from, with what is left to return. */
  const open = moves.map((m) => ({
    move: m,
    picking: m2o(m.picking_id)?.id,
    sku: skuOf.get(m2o(m.product_id)?.id ?? -1),
    left: (num(m[qty]) ?? 0) - returned.filter((r) => m2o(r.origin_returned_move_id)?.id === m.id).reduce((sum, r) => sum + (num(r.product_uom_qty) ?? 0), 0),
  }));
  const picking = deliveries.find((d) => ret.lines.every((l) => open.some((o) => o.picking === d.id && o.sku === l.sku && o.left >= l.qty)));
  if (!picking)
    throw new RemoteError(
      "odoo_return_refused",
      `No done delivery of ${text(so.name)} has ${ret.lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")} left to return`,
      false,
    );
  const lines = ret.lines.map((l) => {
    const o = open.find((x) => x.picking === picking.id && x.sku === l.sku && x.left >= l.qty);
    return [0, 0, { product_id: m2o(o?.move.product_id)?.id, quantity: l.qty, move_id: o?.move.id }];
  });
  const wizard = await client.create("stock.return.picking", { picking_id: picking.id, product_return_moves: lines });
  const action = await client.act("stock.return.picking", returnMethod(major), [wizard], {
    active_model: "stock.picking",
    active_id: picking.id,
    active_ids: [picking.id],
  });
  const id = typeof action === "object" && action !== null && "res_id" in action && typeof action.res_id === "number" ? action.res_id : undefined;
  if (id === undefined) throw new RemoteError("odoo_bad_answer", "Odoo's return wizard answered no return picking", true);
  const [made] = await client.read("stock.picking", [id], ["name", "state", "origin"]);
  await client.write("stock.picking", [id], {
    origin: `${text(made?.origin) ?? `Return of ${text(picking.name)}`} ${markOf(ret.returnRef)}`,
    ...(ret.reason ? { note: `Return requested by the buyer: ${ret.reason}` } : {}),
  });
  return { ...(text(made?.name) ? { rmaNumber: text(made?.name) } : {}), status: returnStatusOf(made?.state) };
}

export function mapReturnPicking(
  p: OdooRecord,
  so: OdooRecord | undefined,
  customer: number | undefined,
  lines: Array<{ sku: string; qty: number }>,
  version: number,
): Mapped<ReturnRow> {
  const ref = `stock.picking/${p.id}`;
  const orderRef = so ? shopOrderRef(so) : undefined;
  if (!orderRef) return fail(ref, "no_order_ref", "The return is not of a shop order");
  if (customer === undefined) return fail(ref, "no_customer", "The return's order has no customer");
  if (lines.length === 0) return fail(ref, "no_lines", "The return has no product with an Internal Reference");
  const at = odooTime(p.date_done) ?? odooTime(p.write_date) ?? version;
  return {
    ok: true,
    row: {
      returnRef: MARKED.exec(text(p.origin) ?? "")?.[1] ?? `odoo-return-${p.id}`,
      ...(text(p.name) ? { rmaNumber: text(p.name) } : {}),
      customer: String(customer),
      orderRef,
      lines,
      status: returnStatusOf(p.state),
      at: new Date(at).toISOString(),
      version,
    },
  };
}

/** The returns stream: return pickings of shop orders changed since the cursor, with their lines and the order's customer. */
export async function* returnPages(client: OdooClient, cursor: string | undefined): AsyncGenerator<PullPage> {
  const fields = ["name", "state", "origin", "sale_id", "date_done", "move_ids"];
  for await (const page of changedSince(client, "stock.picking", RETURN_PICKINGS, fields, cursor)) {
    const saleIds = [...new Set(page.records.map((p) => m2o(p.sale_id)?.id).filter((id): id is number => id !== undefined))];
    const sales = saleIds.length ? await client.read("sale.order", saleIds, ["origin", "client_order_ref", "partner_id"]) : [];
    const partnerIds = [...new Set(sales.map((s) => m2o(s.partner_id)?.id).filter((id): id is number => id !== undefined))];
    const partners = partnerIds.length ? await client.read("res.partner", partnerIds, ["commercial_partner_id"]) : [];
    const commercial = new Map(partners.map((r) => [r.id, m2o(r.commercial_partner_id)?.id ?? r.id]));
    const moves = await client.searchRead("stock.move", [["picking_id", "in", page.records.map((p) => p.id)]], {
      fields: ["picking_id", "product_id", "product_uom_qty", "state"],
    });
    const productIds = [...new Set(moves.map((m) => m2o(m.product_id)?.id).filter((id): id is number => id !== undefined))];
    const skus = new Map(
      (productIds.length ? await client.read("product.product", productIds, ["default_code"]) : []).map((r) => [r.id, text(r.default_code)]),
    );
    const readAt = Date.now();
    const mapped = page.records.map((p) => {
      const so = sales.find((s) => s.id === m2o(p.sale_id)?.id);
      const lines = new Map<string, number>();
      for (const m of moves) {
        const sku = skus.get(m2o(m.product_id)?.id ?? -1);
        const q = Math.round(num(m.product_uom_qty) ?? 0);
        if (m2o(m.picking_id)?.id === p.id && m.state !== "cancel" && sku && q > 0) lines.set(sku, (lines.get(sku) ?? 0) + q);
      }
      return mapReturnPicking(
        p,
        so,
        commercial.get(m2o(so?.partner_id)?.id ?? -1),
        [...lines].map(([sku, qty]) => ({ sku, qty })),
        readAt,
      );
    });
    yield { ...split("returns", mapped, (i) => `stock.picking/${page.records[i]?.id}`), fetched: page.records.length, cursor: page.cursor };
  }
}
