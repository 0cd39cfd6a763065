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

/** A record staff may want to open in the ERP. */
export type ErpRecord = { type: "salesOrder"; name: string } | { type: "item"; sku: string } | { type: "purchaseOrder"; name: string };

/**
 * The ERP's own page of a record. ERPNext addresses documents by name (`/app/sales-order/SAL-ORD-0001`,
 * `/app/item/TEE-M`, `/app/purchase-order/PUR-ORD-0001`). Odoo addresses them by numeric id, which
 * the edge does not hold, so it gets no link rather than a wrong one.
 *
 * @example
 * erpLink({ kind: "erpnext", url: "https://erp.example" }, { type: "item", sku: "TEE-M" }) // → "https://erp.example/app/item/TEE-M"
 */
export function erpLink(erp: ErpSystem | undefined, record: ErpRecord): string | undefined {
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
