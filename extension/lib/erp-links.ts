import { z } from "zod";
import type { ConnectorsView } from "../../worker/contract";

/** The shop's ERP as its connector names it: enough to link to the ERP's own records. */
export const ErpSystem = z.object({ kind: z.enum(["odoo", "erpnext"]), url: z.url({ protocol: /^https?$/ }) });
export type ErpSystem = z.infer<typeof ErpSystem>;

/** The enabled ERP connector's kind and URL (settings come redacted; the URL is not a secret), if any. */
export function erpSystemOf(view: ConnectorsView): ErpSystem | undefined {
  const erp = view.connectors.find((c) => c.slot === "erp" && c.enabled);
  const parsed = ErpSystem.safeParse({ kind: erp?.kind, url: erp?.settings.url });
  return parsed.success ? { kind: parsed.data.kind, url: parsed.data.url.replace(/\/+$/, "") } : undefined;
}

/**
 * A record staff may want to open in the ERP: its name as staff see it and, when the ERP sent one,
 * its own id (`erpId`: Odoo addresses records by numeric id only).
 */
export type ErpRecord =
  | { type: "salesOrder"; name: string; erpId?: string }
  | { type: "item"; sku: string; erpId?: string }
  | { type: "purchaseOrder"; name: string; erpId?: string };

/**
 * Odoo's model per record. Odoo's incoming stock is a receipt (stock.picking, its PO named as the
 * receipt's source document), so an incoming row opens the receipt.
 */
const ODOO_MODEL: Record<ErpRecord["type"], string> = { salesOrder: "sale.order", item: "product.product", purchaseOrder: "stock.picking" };

/**
 * The ERP's own page of a record. ERPNext addresses documents by name (`/app/sales-order/SAL-ORD-0001`,
 * `/app/item/TEE-M`, `/app/purchase-order/PUR-ORD-0001`). Odoo addresses them by numeric id:
 * `/web#model=sale.order&id=42&view_type=form` opens the form in Odoo 16, 17 and 18 alike (17.2+
 * redirects it to its `/odoo/...` URLs); without the id (an ERP that did not send it) there is no
 * link rather than a wrong one.
 *
 * @example
 * erpLink({ kind: "erpnext", url: "https://erp.example" }, { type: "item", sku: "TEE-M" }) // → "https://erp.example/app/item/TEE-M"
 * erpLink({ kind: "odoo", url: "https://odoo.example" }, { type: "item", sku: "TEE-M", erpId: "7" }) // → "https://odoo.example/web#model=product.product&id=7&view_type=form"
 */
export function erpLink(erp: ErpSystem | undefined, record: ErpRecord): string | undefined {
  if (erp?.kind === "odoo") {
    if (!record.erpId || !/^\d+$/.test(record.erpId)) return undefined;
    return `${erp.url}/web#model=${ODOO_MODEL[record.type]}&id=${record.erpId}&view_type=form`;
  }
  if (erp?.kind !== "erpnext") return undefined;
  const seg = encodeURIComponent;
  switch (record.type) {
    case "salesOrder":
      return `${erp.url}/app/sales-order/${seg(record.name)}`;
    case "item":
      return `${erp.url}/app/item/${seg(record.sku)}`;
    case "purchaseOrder":
      return `${erp.url}/app/purchase-order/${seg(record.name)}`;
  }
}
