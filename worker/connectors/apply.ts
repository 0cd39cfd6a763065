import type { z } from "zod";
import { notifyBackInStock } from "../back-in-stock/restock";
import { CustomerRow, InvoiceRow, OrderRow, PriceListRow, PriceRow, ProductRow, ReturnRow, StockRow, WarehouseRow } from "../contract";
import type { Shop } from "../db/shops";
import { markStockDirty } from "../db/stock-dirty";
import { publishStock } from "../hub/publish";
import { planInvoices, planReturns } from "../ingest/account";
import { applyPlan } from "../ingest/apply";
import { planCustomers } from "../ingest/customers";
import { planOrders } from "../ingest/orders";
import type { Plan } from "../ingest/plan";
import { planPrices } from "../ingest/prices";
import { planProducts } from "../ingest/products";
import { planStock } from "../ingest/stock";
import { VERSION_IN_FUTURE, versionInFuture } from "../ingest/version-bound";
import { planWarehouses } from "../ingest/warehouses";
import type { RecordError } from "./runs";

/** What a connector maps ERP records onto: the same rows the signed push API takes. */
export const PULL_RESOURCES = ["warehouses", "products", "priceLists", "prices", "customers", "stock", "orders", "invoices", "returns"] as const;
export type PullResource = (typeof PULL_RESOURCES)[number];

/** One mapped record: `ref` names the ERP record (e.g. "product.product/42") for the error list. */
export interface PulledRow {
  ref: string;
  row: unknown;
}

type Indexed<T> = Array<{ index: number; row: T }>;

/** Checks each mapped row against the push contract: the good ones go on, each bad one becomes a record error. */
function validate<T extends object>(schema: z.ZodType<T>, resource: PullResource, rows: readonly PulledRow[], errors: RecordError[], now: number): Indexed<T> {
  const valid: Indexed<T> = [];
  rows.forEach((r, index) => {
    const parsed = schema.safeParse(r.row);
    const future = parsed.success ? versionInFuture(parsed.data, now) : undefined;
    if (future) errors.push({ resource, record: r.ref, code: VERSION_IN_FUTURE, message: future });
    else if (parsed.success) valid.push({ index, row: parsed.data });
    else {
      const issue = parsed.error.issues[0];
      errors.push({
        resource,
        record: r.ref,
        code: "invalid_record",
        message: issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "invalid record",
      });
    }
  });
  return valid;
}

async function plan(db: D1Database, shop: string, resource: PullResource, rows: readonly PulledRow[], errors: RecordError[], now: number): Promise<Plan> {
  switch (resource) {
    case "warehouses":
      return planWarehouses(db, shop, validate(WarehouseRow, resource, rows, errors, now));
    case "products":
      return planProducts(db, shop, validate(ProductRow, resource, rows, errors, now), now);
    case "priceLists":
      return planPrices(db, shop, validate(PriceListRow, resource, rows, errors, now), []);
    case "prices":
      return planPrices(db, shop, [], validate(PriceRow, resource, rows, errors, now));
    case "customers":
      return planCustomers(db, shop, validate(CustomerRow, resource, rows, errors, now));
    case "stock":
      return planStock(db, shop, validate(StockRow, resource, rows, errors, now), now);
    case "orders":
      return planOrders(db, shop, validate(OrderRow, resource, rows, errors, now), now);
    case "invoices":
      return planInvoices(db, shop, validate(InvoiceRow, resource, rows, errors, now), now);
    case "returns":
      return planReturns(db, shop, validate(ReturnRow, resource, rows, errors, now), now);
  }
}

export interface Applied {
  applied: number;
  stale: number;
  /** Rows that failed validation or planning; each is also in `errors`. */
  rejected: number;
  duplicate: boolean;
  errors: RecordError[];
}

/**
 * Validates mapped rows against the push contract, plans and applies them as one D1 batch with a
 * receipt (`source`, `receiptId`) so a replayed page is not applied twice. A row that fails
 * validation or planning becomes a record error; the rest are applied.
 */
export async function applyRows(
  env: Env,
  shop: Pick<Shop, "id" | "lowStockThreshold">,
  source: string,
  receiptId: string,
  resource: PullResource,
  rows: readonly PulledRow[],
  now: number,
): Promise<Applied> {
  const errors: RecordError[] = [];
  const done = (applied: number, stale: number, duplicate: boolean): Applied => ({ applied, stale, rejected: errors.length, duplicate, errors });
  if (rows.length === 0) return done(0, 0, false);
  const p = await plan(env.DB, shop.id, resource, rows, errors, now);
  for (const r of p.rejected) errors.push({ resource, record: rows[r.index]?.ref, code: r.code, message: r.message });
  if (!p.steps.some((s) => s.row !== undefined)) return done(0, 0, false);
  const receipt = { shop: shop.id, source, webhookId: receiptId, resource: resource === "priceLists" ? "prices" : resource, now };
  const result = await applyPlan(env.DB, receipt, p);
  if (p.touchedSkus.length > 0 && !result.duplicate) {
    await markStockDirty(env.DB, shop.id, p.touchedSkus, now);
    await publishStock(env, shop, p.touchedSkus);
    await notifyBackInStock(env, shop, p.touchedSkus);
  }
  return done(result.applied, result.stale, result.duplicate === true);
}
