import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { signStandardWebhook } from "../../worker/domain/standard-webhooks";
import { call, createShop, poolDb, push, pushOk } from "./helpers";

/**
 * The ERP's invoices and returns (issue 13): signed pushes, versioned like every other kind (a row
 * wins only with a higher version; a repeat delivery is acknowledged, not applied twice; one bad row
 * never blocks the rest), and invoice PDFs pushed with a signed PUT into R2.
 */

const SHOP = "acct-ingest";
let secret: string;

const invoice = (over: Record<string, unknown> = {}) => ({
  number: "INV-1",
  customer: "CUST-A",
  orderRefs: ["9001"],
  issuedAt: "2026-10-01",
  dueAt: "2026-10-31",
  currency: "EUR",
  total: "119.00",
  openAmount: "119.00",
  status: "open",
  pdf: true,
  version: 10,
  ...over,
});
const ret = (over: Record<string, unknown> = {}) => ({
  returnRef: "RMA-7",
  rmaNumber: "WH/RET/0007",
  customer: "CUST-A",
  orderRef: "9001",
  lines: [{ sku: "BOLT", qty: 2 }],
  reason: "damaged",
  status: "approved",
  at: "2026-10-05T10:00:00Z",
  version: 10,
  ...over,
});

const invoiceRow = (number: string) =>
  poolDb(SHOP)
    .prepare("SELECT customer_id, total, open_amount, status, pdf_available, version FROM invoices WHERE shop_id = ? AND number = ?")
    .bind(SHOP, number)
    .first();
const returnRow = (ref: string) =>
  poolDb(SHOP).prepare("SELECT rma_number, status, lines, version FROM account_returns WHERE shop_id = ? AND return_ref = ?").bind(SHOP, ref).first();

async function putPdf(shop: string, number: string, body: string, key = secret, id = `pdf_${Math.random()}`) {
  const headers = await signStandardWebhook(key, id, Math.floor(Date.now() / 1000), body);
  return call(`/v1/erp/${shop}/invoices/${encodeURIComponent(number)}/pdf`, {
    method: "PUT",
    headers: { ...headers, "content-type": "application/pdf" },
    body,
  });
}

beforeAll(async () => {
  secret = (await createShop(SHOP)).erpSecret;
});

describe("invoices push", () => {
  it("applies a row, keeps the higher version whatever the order, and answers a repeat as stale", async () => {
    expect(await pushOk(SHOP, secret, "invoices", { invoices: [invoice()] })).toEqual({ applied: 1, stale: 0, rejected: [] });
    expect(await pushOk(SHOP, secret, "invoices", { invoices: [invoice({ openAmount: "19.00", status: "partial", version: 12 })] })).toMatchObject({
      applied: 1,
    });
    expect(await pushOk(SHOP, secret, "invoices", { invoices: [invoice({ openAmount: "0.00", status: "paid", version: 11 })] })).toEqual({
      applied: 0,
      stale: 1,
      rejected: [],
    });
    expect(await invoiceRow("INV-1")).toEqual({
      customer_id: "CUST-A",
      total: "119.00",
      open_amount: "19.00",
      status: "partial",
      pdf_available: 1,
      version: 12,
    });
  });

  it("rejects bad rows one by one (and a version a day ahead), applies the rest", async () => {
    const res = await pushOk(SHOP, secret, "invoices", {
      invoices: [
        invoice({ number: "INV-2" }),
        invoice({ number: "INV-3", status: "maybe" }),
        invoice({ number: "INV-4", openAmount: "12,50" }),
        invoice({ number: "INV-5", version: Date.now() + 2 * 86_400_000 }),
      ],
    });
    expect(res.applied).toBe(1);
    expect(res.rejected.map((r) => (r as { index: number; code: string }).code)).toEqual(["invalid_row", "invalid_row", "version_in_future"]);
    expect(await invoiceRow("INV-3")).toBeNull();
  });

  it("refuses an unsigned push, a malformed envelope and a body of only bad rows, changing nothing", async () => {
    const unsigned = await call(`/v1/erp/${SHOP}/invoices`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ invoices: [invoice({ number: "X" })] }),
    });
    expect(unsigned.status).toBe(401);
    const wrongKey = await push(SHOP, (await createShop("acct-ingest-other")).erpSecret, "invoices", { invoices: [invoice({ number: "X" })] });
    expect(wrongKey.status).toBe(401);
    const envelope = await push(SHOP, secret, "invoices", { invoices: [invoice({ number: "X" })], extra: 1 });
    expect(envelope.status).toBe(400);
    const allBad = await push(SHOP, secret, "invoices", { invoices: [{ number: "X" }] });
    expect(allBad.status).toBe(422);
    expect(((await allBad.json()) as { error: { code: string } }).error.code).toBe("all_rows_rejected");
    expect(await invoiceRow("X")).toBeNull();
  });

  it("acknowledges a repeated webhook-id as a duplicate without applying it again", async () => {
    const body = { invoices: [invoice({ number: "INV-D", version: 1 })] };
    const first = await push(SHOP, secret, "invoices", body, { id: "inv-dup-1" });
    expect(await first.json()).toMatchObject({ applied: 1 });
    await poolDb(SHOP).prepare("UPDATE invoices SET status = 'paid' WHERE shop_id = ? AND number = 'INV-D'").bind(SHOP).run();
    const again = await push(SHOP, secret, "invoices", body, { id: "inv-dup-1" });
    expect(await again.json()).toEqual({ applied: 0, stale: 0, rejected: [], duplicate: true });
    expect(await invoiceRow("INV-D")).toMatchObject({ status: "paid" });
  });
});

describe("returns push", () => {
  it("applies, versions and rejects like every kind", async () => {
    expect(await pushOk(SHOP, secret, "returns", { returns: [ret()] })).toEqual({ applied: 1, stale: 0, rejected: [] });
    expect(
      await pushOk(SHOP, secret, "returns", { returns: [ret({ status: "refunded", version: 20 }), ret({ returnRef: "RMA-8", lines: [] })] }),
    ).toMatchObject({
      applied: 1,
      rejected: [{ index: 1, code: "invalid_row" }],
    });
    expect(await pushOk(SHOP, secret, "returns", { returns: [ret({ status: "requested", version: 15 })] })).toMatchObject({ applied: 0, stale: 1 });
    expect(await returnRow("RMA-7")).toEqual({ rma_number: "WH/RET/0007", status: "refunded", lines: '[{"sku":"BOLT","qty":2}]', version: 20 });
  });
});

describe("invoice PDF push", () => {
  const PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

  it("stores a signed PDF of a pushed invoice in R2 and marks it kept", async () => {
    await pushOk(SHOP, secret, "invoices", { invoices: [invoice({ number: "INV/2026/0042", pdf: false, version: 1 })] });
    const res = await putPdf(SHOP, "INV/2026/0042", PDF);
    expect(res.status).toBe(204);
    const object = await env.DOCUMENTS.get(`${SHOP}/invoices/${encodeURIComponent("INV/2026/0042")}.pdf`);
    expect(await object?.text()).toBe(PDF);
    expect(object?.httpMetadata?.contentType).toBe("application/pdf");
    expect(await invoiceRow("INV/2026/0042")).toMatchObject({ pdf_available: 2 });
    // A later version of the invoice saying "no PDF" does not forget the one kept.
    await pushOk(SHOP, secret, "invoices", { invoices: [invoice({ number: "INV/2026/0042", pdf: false, status: "paid", version: 2 })] });
    expect(await invoiceRow("INV/2026/0042")).toMatchObject({ pdf_available: 2, status: "paid" });
  });

  it("refuses an unsigned or wrongly signed PDF, one that is not a PDF, and one for an unknown invoice", async () => {
    const unsigned = await call(`/v1/erp/${SHOP}/invoices/INV-1/pdf`, { method: "PUT", headers: { "content-type": "application/pdf" }, body: PDF });
    expect(unsigned.status).toBe(401);
    expect((await putPdf(SHOP, "INV-1", PDF, (await createShop("acct-ingest-pdf-other")).erpSecret)).status).toBe(401);
    const html = await putPdf(SHOP, "INV-1", "<html>not a pdf</html>");
    expect(html.status).toBe(415);
    expect(((await html.json()) as { error: { code: string } }).error.code).toBe("not_a_pdf");
    expect((await putPdf(SHOP, "NOPE", PDF)).status).toBe(404);
    expect(await env.DOCUMENTS.get(`${SHOP}/invoices/INV-1.pdf`)).toBeNull();
    expect(await env.DOCUMENTS.get(`${SHOP}/invoices/NOPE.pdf`)).toBeNull();
  });
});
