import { getOrderSettings } from "../orders/settings";
import type { ConnectorContext, ErpConnector } from "./connector";
import { loadErpConnector } from "./erp-connector";
import { loadGenericConnector } from "./generic";

/**
 * The connector shop orders go to, decided in one place: the operator's `ordersTo`
 * (PUT /v1/admin/shops/:shop/orders-settings). `erp-endpoint` (the default) is the signed POST to
 * the operator's `erpEndpointUrl`; `erp-connector` is the shop's Odoo or ERPNext connector. A
 * configured connector never takes orders unless the operator chose it.
 */
export async function connectorFor(ctx: ConnectorContext): Promise<ErpConnector | undefined> {
  const { ordersTo } = await getOrderSettings(ctx.env.DB, ctx.shop.id);
  return ordersTo === "erp-connector" ? loadErpConnector(ctx) : loadGenericConnector(ctx);
}
