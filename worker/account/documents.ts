import { ConnectorError } from "../connectors/connector";
import { connectorFor } from "../connectors/registry";
import { ApiError } from "../http/error";
import type { Shop } from "../db/shops";

/**
 * The account's private documents in R2 (`DOCUMENTS`): invoice PDFs and return photos, keyed by
 * shop so one shop's keys never reach another's objects. Served only through the account routes,
 * after the buyer's token was matched to the record that names them.
 */
export const invoicePdfKey = (shop: string, number: string) => `${shop}/invoices/${encodeURIComponent(number)}.pdf`;
export const returnPhotoKey = (shop: string, returnRef: string) => `${shop}/returns/${returnRef}/photo`;

/** The most an invoice PDF may weigh, pushed or fetched. */
export const MAX_PDF_BYTES = 20 * 1024 * 1024;

export const isPdf = (b: Uint8Array): boolean => b.byteLength >= 5 && String.fromCharCode(...b.subarray(0, 5)) === "%PDF-";

/**
 * The invoice's PDF: from R2, or on the first request from the ERP through the shop's connector
 * (then kept in R2). Undefined when neither has it. When the ERP fails to give it (Odoo without
 * wkhtmltopdf, an ERP that is down), the buyer gets a 502 `invoice_pdf_failed` (retryable says
 * whether trying later may help); the ERP's own reason goes to the log for staff, not to the buyer.
 */
export async function invoicePdf(
  env: Env,
  shop: Shop,
  invoice: { number: string; erpId?: string },
  doFetch: typeof fetch,
): Promise<ReadableStream | Uint8Array<ArrayBuffer> | undefined> {
  const key = invoicePdfKey(shop.id, invoice.number);
  const stored = await env.DOCUMENTS.get(key);
  if (stored) return stored.body;
  const connector = await connectorFor({ env, shop, fetch: doFetch });
  let fetched: Uint8Array<ArrayBuffer> | undefined;
  try {
    fetched = connector?.invoicePdf ? await connector.invoicePdf(invoice) : undefined;
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    console.warn(`invoice PDF ${shop.id}/${invoice.number} from ${connector?.kind ?? "no connector"}: ${e.message}`);
    throw new ApiError(502, "invoice_pdf_failed", `The ERP could not provide the PDF of invoice ${invoice.number}`, { retryable: e.retryable });
  }
  if (!fetched || !isPdf(fetched) || fetched.byteLength > MAX_PDF_BYTES) return undefined;
  await env.DOCUMENTS.put(key, fetched, { httpMetadata: { contentType: "application/pdf" } });
  return fetched;
}
