import { z } from "zod";
import type { Shipment } from "../contract";
import { poolOf } from "../db/channels";
import { resolveSkusCte } from "../db/sku-resolution";
import type { OrderEventInput } from "../platforms/platform";
import type { ErpOrderLine } from "./model";

/**
 * A shop order names its products by the platform's SKU; the ERP and the stock know them by the ERP's.
 * Where the platform's SKU is an alias (the ERP's own, or one staff accepted) or a GTIN of an ERP
 * product, the line is rewritten to the ERP's SKU before anything else sees it, so the reservation
 * holds the ERP's stock (no oversell through an alias) and the ERP is sent its own SKU. The
 * platform's SKU stays on the line (`platformSku`) for the way back: a shipment the ERP names by its
 * SKU is matched to the platform's lines by theirs (`toPlatformSkus`).
 */

const Resolved = z.object({ asked: z.string(), sku: z.string() });

export async function resolveOrderSkus(db: D1Database, shop: string, e: OrderEventInput): Promise<OrderEventInput> {
  const lines = e.order?.lines ?? [];
  const asked = [...new Set(lines.flatMap((l) => (l.sku ? [l.sku] : [])))];
  if (!e.order || asked.length === 0) return e;
  const { results } = await db
    .prepare(`WITH ${resolveSkusCte(poolOf("?1"), "?2")} SELECT asked, sku FROM canon WHERE sku <> asked`)
    .bind(shop, JSON.stringify(asked))
    .all();
  if (results.length === 0) return e;
  const erpSku = new Map(results.map((r) => Resolved.parse(r)).map((r) => [r.asked, r.sku]));
  const resolve = (l: ErpOrderLine): ErpOrderLine => {
    const sku = l.sku === undefined ? undefined : erpSku.get(l.sku);
    return sku === undefined ? l : { ...l, sku, platformSku: l.platformSku ?? l.sku };
  };
  return { ...e, order: { ...e.order, lines: e.order.lines.map(resolve) } };
}

/** A shipment's items (named by the ERP's SKUs) as the platform names the order's lines. */
export function toPlatformSkus(shipment: Shipment, lines: readonly ErpOrderLine[]): Shipment {
  if (!shipment.items) return shipment;
  const platformSku = new Map(lines.flatMap((l) => (l.sku && l.platformSku ? [[l.sku, l.platformSku] as const] : [])));
  return { ...shipment, items: shipment.items.map((i) => ({ ...i, sku: platformSku.get(i.sku) ?? i.sku })) };
}
