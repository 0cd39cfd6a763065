import type { ErpNextSettings } from "../../contract/connectors";
import type { ErpOrder, OrderEvent } from "../../orders/model";
import type { PushResult } from "../connector";
import { RemoteError } from "../errors";
import type { ErpNextClient } from "./client";
import { str } from "./map";

/**
 * A shop order as a submitted ERPNext `Sales Order`, idempotent on the shop's order ref in
 * `po_no` (Customer's Purchase Order): looked up first, so a retried delivery finds the first one's.
 */
export async function pushErpNextOrder(client: ErpNextClient, settings: ErpNextSettings, order: ErpOrder, event: OrderEvent): Promise<PushResult> {
  const [existing] = await client.list("Sales Order", {
    fields: ["name", "docstatus"],
    filters: [
      ["po_no", "=", order.orderRef],
      ["docstatus", "!=", 2],
    ],
    pageLength: 1,
  });
  if (existing) {
    if (event === "order.cancelled" && existing.docstatus === 1) await client.call("frappe.client.cancel", { doctype: "Sales Order", name: existing.name });
    return { erpRef: String(existing.name) };
  }
  if (event === "order.cancelled") return {};
  const customer = await customerFor(client, settings, order);
  const day = order.createdAt.slice(0, 10);
  const items = order.lines.map((line) => {
    if (!line.sku) throw new RemoteError("unknown_sku", `The line "${line.title}" has no SKU`, false);
    return { item_code: line.sku, qty: line.qty, rate: Number(line.unitPrice), delivery_date: day };
  });
  const doc = await client.insert("Sales Order", {
    customer,
    po_no: order.orderRef,
    transaction_date: day,
    delivery_date: day,
    ...(settings.company ? { company: settings.company } : {}),
    currency: order.currency,
    items,
    docstatus: 1,
  });
  return { erpRef: str(doc.name) ?? order.orderRef };
}

async function customerFor(client: ErpNextClient, settings: ErpNextSettings, order: ErpOrder): Promise<string> {
  if (order.email) {
    const [c] = await client.list("Customer", { fields: ["name"], filters: [["email_id", "=", order.email]], pageLength: 1 });
    if (c) return String(c.name);
  }
  if (settings.defaultCustomer) return settings.defaultCustomer;
  throw new RemoteError("unknown_customer", `No ERPNext customer has the email "${order.email ?? ""}" and no default customer is set`, false);
}
