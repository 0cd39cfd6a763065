import type { OdooSettings } from "../../contract/connectors";
import { divideDecimal } from "../../domain/money";
import type { ErpOrder, OrderEvent } from "../../orders/model";
import type { PushResult } from "../connector";
import { RemoteError } from "../errors";
import type { OdooClient, OdooRecord } from "./client";
import { m2o, num, text } from "./map";
import { findShopOrderDomain, originOf, replacedOriginOf } from "./order-ref";
import { partnerFor, shippingContact } from "./partners";
import { salesPackagings } from "./units";

/**
 * A shop order as an Odoo `sale.order`, idempotent on the shop's order: the order is looked up by
 * its origin ("backroom:<orderRef>", or an older order's `client_order_ref`) first, so a retried or
 * replayed delivery finds what the first one made, and finishes it: a draft left by a failed
 * confirmation is confirmed, an edit is applied to its lines (or, when Odoo refuses it, the order
 * is replaced, see `replaceOrder`), a cancellation cancels it.
 */
export async function pushOdooOrder(client: OdooClient, settings: OdooSettings, order: ErpOrder, event: OrderEvent): Promise<PushResult> {
  // 16 locks an order with state "done"; 17 and 18 with `locked` (the state stays "sale").
  const locked = (await client.version()) >= 17 ? ["locked"] : [];
  const [existing] = await client.searchRead("sale.order", findShopOrderDomain(order.orderRef), {
    fields: ["name", "state", "order_line", ...locked],
    limit: 1,
    order: "id desc",
  });
  if (existing) {
    const erpRef = text(existing.name) ?? String(existing.id);
    if (event === "order.cancelled" || order.status === "cancelled") {
      // Without `disable_cancel_warning`, 16–18 answer the "Cancel Sales Order" wizard and cancel nothing.
      if (existing.state !== "cancel") await client.act("sale.order", "action_cancel", [existing.id], { disable_cancel_warning: true });
      return { erpRef };
    }
    if (event === "order.updated") {
      try {
        await applyEdit(client, settings, existing, order);
      } catch (e) {
        // Odoo refused the edit (a locked order, …): replace the order, when nothing of it has left.
        if (e instanceof RemoteError && !e.retryable && e.code !== "odoo_edit_refused" && e.code !== "unknown_sku")
          return replaceOrder(client, settings, existing, order, e.message.replace(/^[\w.]+: /, ""));
        throw e;
      }
    }
    if (existing.state === "draft" || existing.state === "sent") await client.act("sale.order", "action_confirm", [existing.id]);
    return { erpRef };
  }
  if (event === "order.cancelled" || order.status === "cancelled") return {};
  return createOrder(client, settings, order);
}

/** A new confirmed sale order for the shop order; `replaces` names the order it takes the place of. */
async function createOrder(client: OdooClient, settings: OdooSettings, order: ErpOrder, replaces?: string): Promise<PushResult> {
  const partner = await partnerFor(client, settings, order);
  const shipping = order.shippingAddress ? await shippingContact(client, partner, order.shippingAddress, order.customer?.name) : undefined;
  const lines = (await orderLines(client, settings, order)).map((l) => [0, 0, l]);
  const id = await client.create("sale.order", {
    partner_id: partner,
    ...(shipping ? { partner_shipping_id: shipping } : {}),
    client_order_ref: order.orderNumber ?? order.orderRef,
    origin: originOf(order.orderRef),
    note: [replaces, orderNote(order)].filter((n) => n !== undefined).join("; "),
    order_line: lines,
  });
  await client.act("sale.order", "action_confirm", [id]);
  const [created] = await client.read("sale.order", [id], ["name"]);
  return { erpRef: text(created?.name) ?? String(id) };
}

/**
 * The shop's edit of an order Odoo will not change (locked): when nothing of it was delivered,
 * the sale order is unlocked, cancelled (its origin marked replaced) and made again from the
 * edited order, with a note naming the order it replaces and Odoo's reason. Once something was
 * delivered it is left alone and the edit fails for staff to see, with the reason.
 */
async function replaceOrder(client: OdooClient, settings: OdooSettings, so: OdooRecord, order: ErpOrder, reason: string): Promise<PushResult> {
  const name = text(so.name) ?? String(so.id);
  const lineIds = Array.isArray(so.order_line) ? so.order_line.filter((l): l is number => typeof l === "number") : [];
  const lines = lineIds.length ? await client.read("sale.order.line", lineIds, ["qty_delivered"]) : [];
  if (lines.some((l) => (num(l.qty_delivered) ?? 0) > 0))
    throw new RemoteError(
      "odoo_edit_refused",
      `Odoo refused the shop's edit of ${name} (${reason}) and part of it was delivered, so it was not replaced: change it in Odoo`,
      false,
    );
  if (so.locked === true || so.state === "done") await client.act("sale.order", "action_unlock", [so.id]);
  await client.write("sale.order", [so.id], { origin: replacedOriginOf(order.orderRef) });
  await client.act("sale.order", "action_cancel", [so.id], { disable_cancel_warning: true });
  return createOrder(client, settings, order, `Replaces ${name}, cancelled: Odoo refused the shop's edit of it (${reason.split("\n").join(" ")})`);
}

interface LineVals {
  product_id: number;
  product_uom_qty: number;
  price_unit: number;
  name?: string;
}

/** The order's lines as sale order line values: one per SKU, plus the shipping charge when set up. */
async function orderLines(client: OdooClient, settings: OdooSettings, order: ErpOrder): Promise<LineVals[]> {
  const skus = [...new Set(order.lines.map((l) => l.sku).filter((s): s is string => s !== undefined))];
  const products = skus.length ? await client.searchRead("product.product", [["default_code", "in", skus]], { fields: ["default_code"] }) : [];
  const idBySku = new Map(products.map((p) => [text(p.default_code), p.id]));
  // Issue 12: a line of a product sold in cases counts cases; Odoo counts (and prices) product units.
  const cases = await salesPackagings(
    client,
    products.map((p) => p.id),
  );
  const lines: LineVals[] = [];
  for (const line of order.lines) {
    const productId = line.sku ? idBySku.get(line.sku) : undefined;
    if (productId === undefined) throw new RemoteError("unknown_sku", `Odoo has no product with Internal Reference "${line.sku ?? line.title}"`, false);
    const factor = Number(cases.get(productId)?.factor ?? 1);
    // The case price per unit, in decimals (to 4 places) where the case holds whole units.
    const unitPrice = Number.isInteger(factor) ? Number(divideDecimal(line.unitPrice, factor)) : Number(line.unitPrice) / factor;
    lines.push({ product_id: productId, product_uom_qty: line.qty * factor, price_unit: unitPrice });
  }
  const shipping = Number(order.totals.shipping ?? 0);
  if (settings.shippingProductId && shipping > 0)
    lines.push({ product_id: settings.shippingProductId, product_uom_qty: 1, price_unit: shipping, name: "Shipping (shop order)" });
  return lines;
}

/**
 * Whether the shop's prices included tax, read from its totals: subtotal + shipping − discount
 * equals the total when they did; adding the tax makes the total when they did not.
 */
function taxTreatment(order: ErpOrder): string {
  const t = order.totals;
  const base = Number(t.subtotal ?? 0) + Number(t.shipping ?? 0) - Number(t.discount ?? 0);
  const total = Number(t.total);
  const tax = Number(t.tax ?? 0);
  if (t.subtotal !== undefined && tax > 0 && Math.abs(base + tax - total) < 0.005) return `prices excl. tax (tax ${t.tax} ${order.currency})`;
  if (t.subtotal !== undefined && Math.abs(base - total) < 0.005) return tax > 0 ? `prices incl. tax (tax ${t.tax} ${order.currency})` : "no tax charged";
  return `tax ${t.tax ?? "unknown"} ${order.currency}`;
}

/** What staff and the warehouse read on the sale order: where it came from, totals and tax, the buyer's note. */
function orderNote(order: ErpOrder): string {
  const parts = [
    `Shop order ${order.orderNumber ?? order.orderRef} (${order.platform} ${order.orderRef})`,
    `total ${order.totals.total} ${order.currency}, ${taxTreatment(order)}`,
    order.totals.shipping ? `shipping ${order.totals.shipping} ${order.currency}` : undefined,
    order.note ? `note: ${order.note}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join("; ");
}

/**
 * An edit of the shop order (quantities changed, lines added or removed) applied to the sale
 * order's lines. Odoo takes edits until the order is cancelled or locked; once confirmed a line
 * cannot be removed, only set to 0. An order cancelled in Odoo is not brought back: the edit fails
 * for staff to see; what else Odoo refuses is handled by `replaceOrder`.
 */
async function applyEdit(client: OdooClient, settings: OdooSettings, so: OdooRecord, order: ErpOrder): Promise<void> {
  if (so.state === "cancel")
    throw new RemoteError("odoo_edit_refused", `Odoo order ${text(so.name)} was cancelled in Odoo; the shop's edit was not applied`, false);
  const lineIds = Array.isArray(so.order_line) ? so.order_line.filter((l): l is number => typeof l === "number") : [];
  const current = lineIds.length ? await client.read("sale.order.line", lineIds, ["product_id", "product_uom_qty", "qty_delivered"]) : [];
  const wanted = new Map<number, LineVals>();
  for (const l of await orderLines(client, settings, order)) {
    const w = wanted.get(l.product_id);
    wanted.set(l.product_id, w ? { ...w, product_uom_qty: w.product_uom_qty + l.product_uom_qty } : l);
  }
  const commands: unknown[] = [];
  for (const line of current) {
    const product = m2o(line.product_id)?.id;
    const w = product === undefined ? undefined : wanted.get(product);
    if (product !== undefined) wanted.delete(product);
    const qty = num(line.product_uom_qty) ?? 0;
    if (w && w.product_uom_qty !== qty) commands.push([1, line.id, { product_uom_qty: w.product_uom_qty }]);
    else if (!w && qty !== 0) commands.push(so.state === "sale" ? [1, line.id, { product_uom_qty: 0 }] : [2, line.id, 0]);
  }
  for (const w of wanted.values()) commands.push([0, 0, w]);
  if (commands.length > 0) await client.write("sale.order", [so.id], { order_line: commands });
}
