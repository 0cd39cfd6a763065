import { z } from "zod";
import type { ErpNextSettings } from "../../contract/connectors";
import { loadProductSales } from "../../db/product-sales";
import type { Shop } from "../../db/shops";
import { fromBase64, toHex, utf8 } from "../../domain/encoding";
import { hmacSha256, sha256, timingSafeEqual } from "../../domain/hmac";
import { ApiError } from "../../http/error";
import { formatDecimal } from "../../promise/quantity";
import type { ProductSales } from "../../promise/sales-unit";
import { type Applied, applyRows, type PullResource } from "../apply";
import type { Mapped } from "../mapped";
import { finishRun, recordErrors, startRun } from "../runs";
import { loadErpSettings } from "../settings";
import { salesUnitOf } from "./bundles";
import { mapBin, mapCustomer, mapItem, mapItemPrice, mapSalesOrder } from "./map";

/**
 * ERPNext's own Webhook documents as a push path. Configure one per doctype (Item, Bin, Item
 * Price, Customer, Sales Order, Delivery Note) with "Enable Security", request structure JSON and
 * the body `{{ doc.as_json() }}`; Frappe signs it as `X-Frappe-Webhook-Signature:
 * base64(HMAC-SHA256(secret, body))`.
 */
export async function verifyFrappeSignature(secret: string, body: string, header: string | undefined): Promise<boolean> {
  const given = header ? fromBase64(header.trim()) : undefined;
  if (!given) return false;
  return timingSafeEqual(given, await hmacSha256(utf8(secret), body));
}

const Doc = z.looseObject({ doctype: z.string(), name: z.string() });

/**
 * Issue 12, without a call back to ERPNext: an Item document (sent whole, `uoms` included) gives its
 * own sales unit and keeps the bundle components the edge has (a Product Bundle's changes come with
 * the pull); an Item Price is priced per the sales unit the edge has for its item.
 */
async function route(
  doc: z.infer<typeof Doc>,
  settings: ErpNextSettings,
  known: (sku: string) => Promise<ProductSales | undefined>,
): Promise<{ resource: PullResource; mapped: Mapped<unknown> } | undefined> {
  switch (doc.doctype) {
    case "Item": {
      const mapped = mapItem(doc);
      if (!mapped.ok) return { resource: "products", mapped };
      const components = (await known(mapped.row.sku))?.components;
      const salesUnit = salesUnitOf(doc);
      return { resource: "products", mapped: { ok: true, row: { ...mapped.row, ...(components ? { components } : {}), ...(salesUnit ? { salesUnit } : {}) } } };
    }
    case "Bin":
      return { resource: "stock", mapped: mapBin(doc, settings.warehouses, undefined) };
    case "Item Price": {
      const rule = typeof doc.item_code === "string" ? (await known(doc.item_code))?.rule : undefined;
      const sales = rule?.unit ? { name: rule.unit, factor: formatDecimal(rule.factor) } : undefined;
      return { resource: "prices", mapped: mapItemPrice(doc, { stockUom: undefined, sales }) };
    }
    case "Customer":
      return { resource: "customers", mapped: mapCustomer(doc, settings.company) };
    case "Sales Order":
      return { resource: "orders", mapped: mapSalesOrder(doc, []) };
    case "Delivery Note":
      // A submitted delivery note stands in for its sales order: the order is shipped, with this note's tracking.
      return { resource: "orders", mapped: mapSalesOrder({ ...doc, name: doc.against_sales_order ?? doc.name, docstatus: 1, status: "To Bill" }, [doc]) };
    default:
      return undefined;
  }
}

export async function receiveErpNextWebhook(env: Env, shop: Shop, body: string, signature: string | undefined): Promise<Omit<Applied, "errors">> {
  const stored = await loadErpSettings(env, shop.id);
  const settings = stored?.settings.kind === "erpnext" && stored.enabled ? stored.settings : undefined;
  if (!settings?.webhookSecret) throw new ApiError(404, "connector_not_found", "This shop has no ERPNext connector with a webhook secret");
  if (!(await verifyFrappeSignature(settings.webhookSecret, body, signature))) {
    throw new ApiError(401, "signature_invalid", "X-Frappe-Webhook-Signature does not match the body");
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not JSON");
  }
  const doc = Doc.safeParse(json);
  if (!doc.success) throw new ApiError(400, "validation_failed", "The body is not an ERPNext document (doctype, name)");
  const target = await route(doc.data, settings, async (sku) => (await loadProductSales(env.DB, shop.id, [sku])).get(sku));
  if (!target) throw new ApiError(422, "unsupported_doctype", `Webhooks for ${doc.data.doctype} are not taken`);
  const now = Date.now();
  const runId = await startRun(env.DB, shop.id, "erpnext", "webhook", now);
  const rows = target.mapped.ok ? [{ ref: `${doc.data.doctype}/${doc.data.name}`, row: target.mapped.row }] : [];
  // Frappe sends no delivery id: the body's hash is one, so a retried delivery is not applied twice.
  const receiptId = toHex(await sha256(body));
  const result = await applyRows(env, shop, "erpnext-webhook", receiptId, target.resource, rows, now);
  const errors = target.mapped.ok ? result.errors : [{ resource: target.resource, ...target.mapped.error }, ...result.errors];
  await recordErrors(env.DB, shop.id, runId, errors, now);
  await finishRun(
    env.DB,
    runId,
    errors.length > 0 ? "partial" : "ok",
    { fetched: 1, applied: result.applied, stale: result.stale, rejected: errors.length },
    result.duplicate ? "duplicate delivery" : undefined,
    Date.now(),
  );
  return { applied: result.applied, stale: result.stale, rejected: errors.length, duplicate: result.duplicate };
}
