import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { invoicePdf } from "../demo-account.mjs";
import { signedHeaders } from "./standard-webhooks.mjs";

/**
 * The demo's ERP on 127.0.0.1 (local mode only): the generic connector's other end. It takes the
 * demo shop's orders (`{ type, order }` → `{ erpRef }`), takes return requests
 * (`{ type: "return.requested", return }` → `{ rmaNumber }`) and decides each a moment later by
 * pushing the return back `approved` through the signed ERP API, exactly as a real ERP would, and
 * renders invoice PDFs (`GET /invoices/:number/pdf`). Every call must carry the edge's signature.
 */
export function startDemoErp({ port = 0, edgeUrl, shop, erpSecret, decideAfterMs = 1000 }) {
  let orders = 0;
  let rmas = 0;
  const verify = (req, body) => {
    const id = req.headers["webhook-id"];
    const ts = req.headers["webhook-timestamp"];
    const sig = String(req.headers["webhook-signature"] ?? "");
    if (!id || !ts || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
    const key = Buffer.from(erpSecret.startsWith("whsec_") ? erpSecret.slice(6) : erpSecret, "base64");
    const want = createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest();
    return sig.split(" ").some((part) => {
      const given = Buffer.from(part.replace(/^v1,/, ""), "base64");
      return given.length === want.length && timingSafeEqual(given, want);
    });
  };
  const decide = (ret, rmaNumber) =>
    setTimeout(async () => {
      const { returnRef, customer, orderRef, lines, reason } = ret;
      const decided = {
        returnRef,
        rmaNumber,
        customer,
        orderRef,
        lines,
        ...(reason ? { reason } : {}),
        status: "approved",
        at: new Date().toISOString(),
        version: Date.now(),
      };
      const body = JSON.stringify({ returns: [decided] });
      try {
        const res = await fetch(`${edgeUrl}/v1/erp/${shop}/returns`, {
          method: "POST",
          headers: { ...signedHeaders(erpSecret, body), "content-type": "application/json" },
          body,
        });
        if (res.status !== 200) console.error(`demo ERP: pushing ${ret.returnRef} approved: HTTP ${res.status}`);
      } catch (e) {
        console.error("demo ERP:", e instanceof Error ? e.message : e);
      }
    }, decideAfterMs);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const answer = (status, json, type = "application/json") => {
        res.writeHead(status, { "content-type": type });
        res.end(typeof json === "string" ? json : JSON.stringify(json));
      };
      if (!verify(req, body)) return answer(401, { error: "bad signature" });
      const pdf = req.method === "GET" ? /^\/invoices\/([^/]+)\/pdf$/.exec(req.url ?? "") : null;
      if (pdf) {
        const doc = invoicePdf(decodeURIComponent(pdf[1] ?? ""));
        return doc ? answer(200, doc, "application/pdf") : answer(404, { error: "no such invoice" });
      }
      if (req.method !== "POST" || req.url !== "/orders") return answer(404, { error: "not found" });
      const event = JSON.parse(body);
      if (event.type === "return.requested") {
        const rmaNumber = `RMA-DEMO-${String(++rmas).padStart(4, "0")}`;
        decide(event.return, rmaNumber);
        return answer(200, { rmaNumber });
      }
      return answer(200, { erpRef: `SO-DEMO-${++orders}` });
    });
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      resolve({ url: `http://127.0.0.1:${bound}`, stop: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
