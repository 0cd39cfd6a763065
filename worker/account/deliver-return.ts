import { z } from "zod";
import { ConnectorError } from "../connectors/connector";
import { connectorFor } from "../connectors/registry";
import type { ErpReturnRequest } from "../contract";
import type { Shop } from "../db/shops";
import type { Delivery } from "../orders/deliveries";
import { toAccountReturn } from "./orders";

const Payload = z.object({ returnRef: z.string() });

/**
 * One attempt at delivering a return the buyer filed to the ERP, through the connector orders go
 * to (the operator's `ordersTo`). A status the ERP answers at once is kept, unless the ERP has pushed
 * a versioned word on the return meanwhile (version > 0 wins).
 */
export async function deliverErpReturn(
  env: Env,
  shop: Shop,
  d: Delivery,
  doFetch: typeof fetch,
): Promise<{ result: string | undefined; also: D1PreparedStatement[] }> {
  const connector = await connectorFor({ env, shop, fetch: doFetch });
  if (!connector) throw new ConnectorError(true, "No ERP connector is configured for this shop");
  if (!connector.pushReturn) throw new ConnectorError(false, `The ${connector.kind} connector does not take returns`);
  const { returnRef } = Payload.parse(JSON.parse(d.payload));
  const [stored, order] = await env.DB.batch([
    env.DB.prepare("SELECT * FROM account_returns WHERE shop_id = ? AND return_ref = ?").bind(shop.id, returnRef),
    env.DB.prepare("SELECT order_number, erp_ref FROM orders WHERE shop_id = ? AND order_ref = ?").bind(shop.id, d.order_ref),
  ]);
  const raw = stored?.results[0];
  if (!raw) throw new ConnectorError(false, `Return ${returnRef} is not known at the edge`);
  const ret = toAccountReturn(raw);
  const customer = z.object({ customer_id: z.string() }).parse(raw).customer_id;
  const o = z.object({ order_number: z.string().nullable(), erp_ref: z.string().nullable() }).safeParse(order?.results[0]);
  const request: ErpReturnRequest = {
    returnRef,
    customer,
    orderRef: ret.orderRef,
    ...(o.success && o.data.order_number ? { orderNumber: o.data.order_number } : {}),
    ...(o.success && o.data.erp_ref ? { erpRef: o.data.erp_ref } : {}),
    lines: ret.lines,
    ...(ret.reason ? { reason: ret.reason } : {}),
    photo: ret.photo,
    requestedAt: ret.requestedAt,
  };
  const ack = await connector.pushReturn(request, d.id);
  const also = [
    env.DB.prepare(
      `UPDATE account_returns SET rma_number = COALESCE(?1, rma_number), status = COALESCE(?2, status),
         at = CASE WHEN ?2 IS NULL OR ?2 = status THEN at ELSE ?3 END, updated_at = ?3
       WHERE shop_id = ?4 AND return_ref = ?5 AND version = 0`,
    ).bind(ack.rmaNumber ?? null, ack.status ?? null, Date.now(), shop.id, returnRef),
  ];
  return { result: ack.rmaNumber, also };
}
