import type { ConnectorFactory, ErpConnector } from "./connector";
import { erpNextClient } from "./erpnext/client";
import { pushErpNextOrder } from "./erpnext/push";
import { defaultPatience, type Patience } from "./http";
import { odooClient } from "./odoo/client";
import { pushOdooOrder } from "./odoo/push";
import { loadErpSettings } from "./settings";

/**
 * The Odoo or ERPNext connector of a shop whose ERP connector is set (PUT
 * /v1/staff/:shop/connectors/erp). One attempt per delivery: the order queue owns retries.
 */
export const loadErpConnector: ConnectorFactory = async ({ env, shop, fetch: doFetch }) => {
  const stored = await loadErpSettings(env, shop.id);
  if (!stored?.enabled) return undefined;
  const patience: Patience = { ...defaultPatience(), attempts: 1, maxWaitMs: 0, fetch: doFetch };
  const s = stored.settings;
  const connector: ErpConnector =
    s.kind === "odoo"
      ? { kind: "odoo", pushOrder: (order, _key, event) => pushOdooOrder(odooClient(s, patience), s, order, event) }
      : { kind: "erpnext", pushOrder: (order, _key, event) => pushErpNextOrder(erpNextClient(s, patience), s, order, event) };
  return connector;
};
