import { z } from "zod";
import type { QualityItem, QualityKind } from "../contract/quality";
import type { Shop } from "../db/shops";
import { pricesBelowCost, stalePrices, stuckOrders, usualStays } from "./anomalies";
import { findDuplicateCustomers } from "./customers";
import { indexProducts, suggestMatches } from "./match";

/**
 * The shop's data-quality findings, every kind, in a stable order. The replica (products, aliases,
 * stock, warehouses) is the pool's; the platform catalogue, prices, customers and orders are the
 * shop's own.
 */
export async function qualityFindings(db: D1Database, shop: Shop, now: number, staleDays: number): Promise<QualityItem[]> {
  const pool = shop.poolId;
  const [products, aliases, catalogue, prices, customers, orders, timeline, orphanStock] = await db.batch([
    db.prepare("SELECT sku, name, gtin, cost, landed_cost, currency FROM products WHERE shop_id = ? ORDER BY sku").bind(pool),
    db.prepare("SELECT alias, sku FROM sku_aliases WHERE shop_id = ?1 UNION ALL SELECT alias, sku FROM staff_sku_aliases WHERE shop_id = ?1").bind(pool),
    db.prepare("SELECT variant_id, product_id, sku, title, barcode FROM platform_catalogue WHERE shop_id = ? ORDER BY variant_id").bind(shop.id),
    db
      .prepare(
        `SELECT p.list, l.currency, p.sku, p.min_qty, p.unit_price, p.version FROM prices p
         JOIN price_lists l ON l.shop_id = p.shop_id AND l.id = p.list WHERE p.shop_id = ? ORDER BY p.list, p.sku, p.min_qty`,
      )
      .bind(shop.id),
    db.prepare("SELECT * FROM customers WHERE shop_id = ? ORDER BY id").bind(shop.id),
    db.prepare("SELECT order_ref, order_number, status, at FROM orders WHERE shop_id = ? ORDER BY order_ref").bind(shop.id),
    db.prepare("SELECT order_ref, status, at FROM order_timeline WHERE shop_id = ?").bind(shop.id),
    db
      .prepare(
        `SELECT s.sku, s.warehouse, s.on_hand FROM stock s
         WHERE s.shop_id = ?1 AND NOT EXISTS (SELECT 1 FROM warehouses w WHERE w.shop_id = ?1 AND w.code = s.warehouse) ORDER BY s.sku, s.warehouse`,
      )
      .bind(pool),
  ]);
  const productRows = z
    .array(
      z.object({
        sku: z.string(),
        name: z.string(),
        gtin: z.string().nullable(),
        cost: z.string().nullable(),
        landed_cost: z.string().nullable(),
        currency: z.string().nullable(),
      }),
    )
    .parse(products?.results);
  const aliasRows = z.array(z.object({ alias: z.string(), sku: z.string() })).parse(aliases?.results);
  const variants = z
    .array(z.object({ variant_id: z.string(), product_id: z.string(), sku: z.string().nullable(), title: z.string(), barcode: z.string().nullable() }))
    .parse(catalogue?.results);

  const items: QualityItem[] = [];
  const known = new Map<string, string>(productRows.map((p) => [p.sku, p.sku]));
  for (const a of aliasRows) if (!known.has(a.alias)) known.set(a.alias, a.sku);

  // SKUs on the platform: unmapped, missing, duplicated; and the ERP's SKUs nobody sells.
  if (variants.length > 0) {
    const index = indexProducts(productRows.map((p) => ({ sku: p.sku, name: p.name, ...(p.gtin ? { gtin: p.gtin } : {}) })));
    const bySku = new Map<string, typeof variants>();
    const sold = new Set<string>();
    for (const v of variants) {
      if (v.sku === null) {
        items.push({ kind: "variant_without_sku", ref: v.variant_id, title: v.title, fields: { variantId: v.variant_id, productId: v.product_id } });
        continue;
      }
      bySku.set(v.sku, [...(bySku.get(v.sku) ?? []), v]);
      const erpSku = known.get(v.sku);
      if (erpSku) {
        sold.add(erpSku);
        continue;
      }
      const suggestions = suggestMatches({ sku: v.sku, title: v.title, ...(v.barcode ? { barcode: v.barcode } : {}) }, index);
      items.push({
        kind: "unmapped_sku",
        ref: v.variant_id,
        title: v.title,
        fields: {
          variantId: v.variant_id,
          productId: v.product_id,
          sku: v.sku,
          ...(v.barcode ? { barcode: v.barcode } : {}),
          suggested: suggestions[0]?.sku ?? "",
        },
        suggestions,
      });
    }
    for (const [sku, list] of bySku) {
      if (list.length < 2) continue;
      items.push({
        kind: "duplicate_platform_sku",
        ref: sku,
        title: list.map((v) => v.title).join(" / "),
        fields: { sku, variants: list.length, variantIds: list.map((v) => v.variant_id).join(" ") },
      });
    }
    for (const p of productRows) {
      if (!sold.has(p.sku)) items.push({ kind: "erp_sku_not_on_sale", ref: p.sku, title: p.name, fields: { sku: p.sku, ...(p.gtin ? { gtin: p.gtin } : {}) } });
    }
  }

  // Customers that are probably one company.
  const customerRows = z
    .array(z.object({ id: z.string(), company: z.string(), email: z.string().nullable(), vat_id: z.string().nullish(), address: z.string().nullish() }).loose())
    .parse(customers?.results);
  for (const g of findDuplicateCustomers(
    customerRows.map((c) => ({
      id: c.id,
      company: c.company,
      ...(c.email ? { email: c.email } : {}),
      ...(c.vat_id ? { vatId: c.vat_id } : {}),
      ...(c.address ? { address: c.address } : {}),
    })),
  )) {
    items.push({
      kind: "duplicate_customer",
      ref: `${g.keep}+${g.merge.join("+")}`,
      title: g.companies.join(" / "),
      fields: { reason: g.reason, shared: g.key, keep: g.keep, merge: g.merge.join(" ") },
    });
  }

  // Prices below cost, and prices the ERP has not touched for a long time.
  const priceRows = z
    .array(z.object({ list: z.string(), currency: z.string(), sku: z.string(), min_qty: z.number(), unit_price: z.string(), version: z.number() }))
    .parse(prices?.results)
    .map((p) => ({ list: p.list, currency: p.currency, sku: p.sku, minQty: p.min_qty, unitPrice: p.unit_price, version: p.version }));
  const costs = new Map(
    productRows.map((p) => [
      p.sku,
      {
        sku: p.sku,
        ...(p.cost ? { cost: p.cost } : {}),
        ...(p.landed_cost ? { landedCost: p.landed_cost } : {}),
        ...(p.currency ? { currency: p.currency } : {}),
      },
    ]),
  );
  for (const p of pricesBelowCost(priceRows, costs, shop.currency)) {
    items.push({
      kind: "price_below_cost",
      ref: `${p.list}/${p.sku}/${p.minQty}`,
      title: p.sku,
      fields: { list: p.list, sku: p.sku, minQty: p.minQty, unitPrice: p.unitPrice, cost: p.cost, margin: p.margin, currency: p.currency },
    });
  }
  for (const p of stalePrices(priceRows, now, staleDays)) {
    items.push({
      kind: "stale_price",
      ref: `${p.list}/${p.sku}/${p.minQty}`,
      title: p.sku,
      fields: { list: p.list, sku: p.sku, minQty: p.minQty, unitPrice: p.unitPrice, ageDays: p.ageDays },
    });
  }

  // Stock in a warehouse the ERP never named.
  for (const s of z.array(z.object({ sku: z.string(), warehouse: z.string(), on_hand: z.number() })).parse(orphanStock?.results)) {
    items.push({
      kind: "stock_without_warehouse",
      ref: `${s.sku}@${s.warehouse}`,
      title: s.sku,
      fields: { sku: s.sku, warehouse: s.warehouse, onHand: s.on_hand },
    });
  }

  // Orders resting in a status longer than orders usually do.
  const usual = usualStays(
    z
      .array(z.object({ order_ref: z.string(), status: z.string(), at: z.number() }))
      .parse(timeline?.results)
      .map((t) => ({ orderRef: t.order_ref, status: t.status, at: t.at })),
  );
  const orderRows = z
    .array(z.object({ order_ref: z.string(), order_number: z.string().nullable(), status: z.string(), at: z.number() }))
    .parse(orders?.results);
  for (const o of stuckOrders(
    orderRows.map((o) => ({ orderRef: o.order_ref, status: o.status, at: o.at, ...(o.order_number ? { orderNumber: o.order_number } : {}) })),
    usual,
    now,
  )) {
    items.push({
      kind: "stuck_order",
      ref: o.orderRef,
      title: o.orderNumber ?? o.orderRef,
      fields: {
        orderRef: o.orderRef,
        status: o.status,
        since: new Date(o.at).toISOString(),
        hours: Math.floor(o.forMs / 3_600_000),
        usualHours: Math.round(o.usualMs / 3_600_000),
      },
    });
  }
  return items;
}

/** How many findings of each kind (every kind listed, zeros included). */
export function countByKind(items: readonly QualityItem[]): Record<QualityKind, number> {
  const counts: Record<QualityKind, number> = {
    unmapped_sku: 0,
    erp_sku_not_on_sale: 0,
    variant_without_sku: 0,
    duplicate_platform_sku: 0,
    duplicate_customer: 0,
    price_below_cost: 0,
    stale_price: 0,
    stock_without_warehouse: 0,
    stuck_order: 0,
  };
  for (const i of items) counts[i.kind] += 1;
  return counts;
}
