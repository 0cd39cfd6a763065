import type { ConnectorFactory, ErpConnector } from "./connector";
import { erpNextClient } from "./erpnext/client";
import { erpNextInvoicePdf } from "./erpnext/invoices";
import { pushErpNextOrder } from "./erpnext/push";
import { pushErpNextReturn } from "./erpnext/returns";
import { defaultPatience, type Patience } from "./http";
import { odooClient } from "./odoo/client";
import { odooInvoicePdf } from "./odoo/invoices";
import { pushOdooOrder } from "./odoo/push";
import { pushOdooReturn } from "./odoo/returns";
import { loadErpSettings } from "./settings";

/**
 * The Odoo or ERPNext connector of a shop whose ERP connector is set (PUT
 * /v1/staff/:shop/connectors/erp). One attempt per delivery: the order queue owns retries. Orders,
 * the buyer's returns (an Odoo return picking, an ERPNext return Delivery Note) and invoice PDFs.
 */
export const loadErpConnector: ConnectorFactory = async ({ env, shop, fetch: doFetch }) => {
  const stored = await loadErpSettings(env, shop.id);
  if (!stored?.enabled) return undefined;
  const patience: Patience = { ...defaultPatience(), attempts: 1, maxWaitMs: 0, fetch: doFetch };
  const s = stored.settings;
  if (s.kind === "odoo") {
    const client = odooClient(s, patience);
    return {
      kind: "odoo",
      pushOrder: (order, _key, event) => pushOdooOrder(client, s, order, event),
      pushReturn: (ret) => pushOdooReturn(client, ret),
      invoicePdf: (invoice) => odooInvoicePdf(client, s, patience, invoice),
    } satisfies ErpConnector;
  }
  const client = erpNextClient(s, patience);
  return {
    kind: "erpnext",
    pushOrder: (order, _key, event) => pushErpNextOrder(client, s, order, event),
    pushReturn: (ret) => pushErpNextReturn(client, ret),
    invoicePdf: (invoice) => erpNextInvoicePdf(client, s, invoice),
  } satisfies ErpConnector;
};
