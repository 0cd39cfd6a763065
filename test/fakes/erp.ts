import { Hono } from "hono";
import { verifyStandardWebhook } from "../../worker/domain/standard-webhooks";

/**
 * A fake ERP order endpoint that speaks the generic connector's protocol: a Standard Webhooks
 * signed POST of `{ type, order }`, idempotent on `webhook-id`. It can be told to fail: answer 503
 * for the first N attempts, 429 with Retry-After, or reject some orders (poison) until fixed.
 */
export class FakeErp {
  /** Every POST that reached the fake, accepted or not. */
  readonly attempts: Array<{ id: string; status: number }> = [];
  /** Accepted deliveries by webhook-id (the ERP's idempotency store); a repeat is answered, not applied. */
  readonly applied = new Map<
    string,
    { type: string; orderRef: string; orderNumber: string | undefined; status: string; lines: Array<{ sku?: string; platformSku?: string; qty: number }> }
  >();
  duplicates = 0;
  failFirst = 0;
  throttleFirst = 0;
  /** Order numbers the ERP rejects (500) until removed. */
  readonly poison = new Set<string>();
  readonly app = new Hono();

  // ——— B2B self-service (issue 13): returns the buyer files, invoice PDFs ———
  /** Return requests accepted, by webhook-id. */
  readonly returns = new Map<string, { returnRef: string; orderRef: string; lines: Array<{ sku: string; qty: number }>; reason?: string }>();
  /** When set, a return request is answered with this status at once (the ERP decided). */
  returnDecision: "approved" | "rejected" | undefined;
  /** Invoice PDFs the ERP renders, by invoice number; how often each was fetched. */
  readonly pdfs = new Map<string, string>();
  readonly pdfFetches = new Map<string, number>();

  constructor(readonly secret: string) {
    this.app.get("/invoices/:number/pdf", async (c) => {
      const failure = await verifyStandardWebhook(
        this.secret,
        { id: c.req.header("webhook-id"), timestamp: c.req.header("webhook-timestamp"), signature: c.req.header("webhook-signature") },
        "",
        Date.now() / 1000,
      );
      if (failure) return c.json({ error: failure }, 401);
      const number = c.req.param("number");
      this.pdfFetches.set(number, (this.pdfFetches.get(number) ?? 0) + 1);
      const pdf = this.pdfs.get(number);
      return pdf === undefined ? c.json({ error: "no such invoice" }, 404) : c.body(pdf, 200, { "content-type": "application/pdf" });
    });
    this.app.post("/orders", async (c) => {
      const body = await c.req.text();
      const id = c.req.header("webhook-id") ?? "";
      const failure = await verifyStandardWebhook(
        this.secret,
        { id, timestamp: c.req.header("webhook-timestamp"), signature: c.req.header("webhook-signature") },
        body,
        Date.now() / 1000,
      );
      const answer = (status: number, headers: Record<string, string> = {}) => {
        this.attempts.push({ id, status });
        return c.json(status < 300 ? { erpRef: `SO-${this.applied.size}` } : { error: "fake" }, status as 200, headers);
      };
      if (failure) return answer(401);
      if (this.throttleFirst > 0) {
        this.throttleFirst--;
        return answer(429, { "retry-after": "7" });
      }
      if (this.failFirst > 0) {
        this.failFirst--;
        return answer(503);
      }
      const parsed = JSON.parse(body) as { type: string };
      if (parsed.type === "return.requested") {
        const r = (parsed as unknown as { return: { returnRef: string; orderRef: string; lines: Array<{ sku: string; qty: number }>; reason?: string } })
          .return;
        if (this.applied.has(id) || this.returns.has(id)) this.duplicates++;
        else this.returns.set(id, r);
        this.attempts.push({ id, status: 200 });
        return c.json({ rmaNumber: `RMA-${[...this.returns.keys()].indexOf(id) + 1}`, ...(this.returnDecision ? { status: this.returnDecision } : {}) });
      }
      const event = parsed as {
        type: string;
        order: { orderRef: string; orderNumber?: string; status: string; lines: Array<{ sku?: string; platformSku?: string; qty: number }> };
      };
      if (event.order.orderNumber && this.poison.has(event.order.orderNumber)) return answer(500);
      if (this.applied.has(id)) this.duplicates++;
      else
        this.applied.set(id, {
          type: event.type,
          orderRef: event.order.orderRef,
          orderNumber: event.order.orderNumber,
          status: event.order.status,
          lines: event.order.lines,
        });
      return answer(200);
    });
  }

  fetch = (request: Request) => this.app.fetch(request);
}
