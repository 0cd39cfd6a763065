import type { ConnectorContext, ConnectorFactory, ErpConnector } from "./connector";
import { loadErpConnector } from "./erp-connector";
import { loadGenericConnector } from "./generic";

/**
 * The connectors a shop may use, most specific first: the first factory that answers a connector
 * for the shop wins. ERP-specific connectors (Odoo, ERPNext) add their factory above the generic one.
 */
const FACTORIES: ConnectorFactory[] = [loadErpConnector, loadGenericConnector];

export async function connectorFor(ctx: ConnectorContext): Promise<ErpConnector | undefined> {
  for (const factory of FACTORIES) {
    const connector = await factory(ctx);
    if (connector) return connector;
  }
  return undefined;
}
