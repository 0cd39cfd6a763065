import type { OdooSettings } from "../../contract/connectors";
import type { ErpOrder, OrderEvent } from "../../orders/model";
import type { PushResult } from "../connector";
import { RemoteError } from "../errors";
import type { OdooClient } from "./client";
import { text } from "./map";

/**
 * A shop order as an Odoo `sale.order`, idempotent on the shop's order ref: the order is looked up
 * by `client_order_ref` first, so a retried or replayed delivery finds what the first one made.
 * The customer is the partner with the order's email, else the settings' default partner.
 */
export async function pushOdooOrder(client: OdooClient, settings: OdooSettings, order: ErpOrder, event: OrderEvent): Promise<PushResult> {
  const [existing] = await client.searchRead("sale.order", [["client_order_ref", "=", order.orderRef]], { fields: ["name", "state"], limit: 1 });
  if (existing) {
    if (event === "order.cancelled" && existing.state !== "cancel") await client.act("sale.order", "action_cancel", [existing.id]);
    return { erpRef: text(existing.name) ?? String(existing.id) };
  }
  if (event === "order.cancelled") return {};
  const partner = await partnerFor(client, settings, order);
  const skus = [...new Set(order.lines.map((l) => l.sku).filter((s): s is string => s !== undefined))];
  const products = skus.length ? await client.searchRead("product.product", [["default_code", "in", skus]], { fields: ["default_code"] }) : [];
  const idBySku = new Map(products.map((p) => [text(p.default_code), p.id]));
  const lines = [];
  for (const line of order.lines) {
    const productId = line.sku ? idBySku.get(line.sku) : undefined;
    if (productId === undefined) throw new RemoteError("unknown_sku", `Odoo has no product with Internal Reference "${line.sku ?? line.title}"`, false);
    lines.push([0, 0, { product_id: productId, product_uom_qty: line.qty, price_unit: Number(line.unitPrice) }]);
  }
  const id = await client.create("sale.order", {
    partner_id: partner,
    client_order_ref: order.orderRef,
    ...(order.note ? { note: order.note } : {}),
    order_line: lines,
  });
  await client.act("sale.order", "action_confirm", [id]);
  const [created] = await client.read("sale.order", [id], ["name"]);
  return { erpRef: text(created?.name) ?? String(id) };
}

async function partnerFor(client: OdooClient, settings: OdooSettings, order: ErpOrder): Promise<number> {
  if (order.email) {
    const [p] = await client.searchRead("res.partner", [["email", "=ilike", order.email]], { fields: ["id"], limit: 1 });
    if (p) return p.id;
  }
  if (settings.defaultPartnerId) return settings.defaultPartnerId;
  throw new RemoteError("unknown_customer", `No Odoo partner has the email "${order.email ?? ""}" and no default partner is set`, false);
}
