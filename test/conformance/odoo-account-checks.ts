import type { Checks } from "./checks.ts";
import { type EdgeApi, waitFor } from "./edge-api.ts";
import { deliveredSale, INVOICE_FIELDS, postedInvoice, registerPayment, returnMethod, validatePicking } from "./odoo-account-scenario.ts";
import { numberOf, type OdooRpc } from "./odoo-rpc.ts";

/**
 * Issue 13 against a live Odoo: a company buys, Odoo delivers, invoices and takes a part payment;
 * the buyer sees Odoo's figures, opens Odoo's own invoice PDF through the edge (kept in R2 after
 * the first request), files a return that becomes an Odoo return picking, and sees it received once
 * the warehouse validates it. Another buyer sees none of it.
 */

const WAIT_MS = 90_000;

const Invoices = (v: unknown): Array<Record<string, unknown>> =>
  typeof v === "object" && v !== null && "invoices" in v && Array.isArray(v.invoices) ? v.invoices : [];
const Returns = (v: unknown): Array<Record<string, unknown>> =>
  typeof v === "object" && v !== null && "returns" in v && Array.isArray(v.returns) ? v.returns : [];
/** Odoo answers floats, the edge decimal strings: both as "138.00". */
const money = (v: unknown) => (typeof v === "number" || typeof v === "string" ? Number(v) : Number.NaN).toFixed(2);

export async function odooAccountChecks(checks: Checks, edge: EdgeApi, rpc: OdooRpc, major: number, tag: string): Promise<void> {
  const orderRef = `conf-docs-${tag}`;
  let sale: Awaited<ReturnType<typeof deliveredSale>> | undefined;
  let number = "";
  await checks.step("invoice = Odoo's figures at the buyer's account", async () => {
    sale = await deliveredSale(rpc, major, `D${tag}`, orderRef);
    const invoice = await postedInvoice(rpc, sale.saleOrder);
    await registerPayment(rpc, invoice, 50);
    const [odoo] = await rpc.read("account.move", [invoice], INVOICE_FIELDS);
    number = String(odoo?.name);
    await edge.pull();
    const mine = Invoices(await (await edge.account(String(sale.partner), "/invoices")).json());
    const atEdge = mine.find((i) => i.number === number);
    const same =
      atEdge !== undefined &&
      money(atEdge.total) === money(odoo?.amount_total) &&
      money(atEdge.openAmount) === money(odoo?.amount_residual) &&
      atEdge.status === (odoo?.payment_state === "partial" ? "partial" : "?") &&
      Array.isArray(atEdge.orderRefs) &&
      atEdge.orderRefs.includes(orderRef);
    checks.add(
      "invoice = Odoo's figures at the buyer's account",
      same,
      `${number}: Odoo ${money(odoo?.amount_total)} total, ${money(odoo?.amount_residual)} open, ${String(odoo?.payment_state)}; edge ${
        atEdge ? `${money(atEdge.total)}, ${money(atEdge.openAmount)}, ${String(atEdge.status)}, orders ${JSON.stringify(atEdge.orderRefs)}` : "no such invoice"
      }`,
    );
  });

  await checks.step("invoice PDF: Odoo's report, kept in R2, its buyer only", async () => {
    if (!sale) throw new Error("no invoice");
    const path = `/invoices/${encodeURIComponent(number)}/pdf`;
    let started = performance.now();
    const first = await edge.account(String(sale.partner), path);
    const bytes = new Uint8Array(await first.arrayBuffer());
    const firstMs = Math.round(performance.now() - started);
    started = performance.now();
    const second = await edge.account(String(sale.partner), path);
    const again = new Uint8Array(await second.arrayBuffer());
    const secondMs = Math.round(performance.now() - started);
    const [other] = await rpc.searchRead(
      "res.partner",
      [
        ["is_company", "=", true],
        ["id", "!=", sale.partner],
      ],
      ["id"],
      { limit: 1, order: "id" },
    );
    const stranger = await edge.account(String(other?.id), path);
    await stranger.body?.cancel();
    const head = new TextDecoder().decode(bytes.subarray(0, 8));
    checks.add(
      "invoice PDF: Odoo's report, kept in R2, its buyer only",
      first.status === 200 && head.startsWith("%PDF") && second.status === 200 && again.byteLength === bytes.byteLength && stranger.status !== 200,
      first.status === 200
        ? `HTTP 200, ${bytes.byteLength} bytes, starts ${head.trim()}, first ${firstMs} ms, again ${secondMs} ms (R2); another buyer HTTP ${stranger.status}`
        : `HTTP ${first.status} ${new TextDecoder().decode(bytes).slice(0, 160)}`,
    );
  });

  let returnRef = "";
  let pickingId: number | undefined;
  await checks.step("buyer's return → Odoo return picking", async () => {
    if (!sale) throw new Error("no delivered order");
    // Odoo's last word on a delivery is "done" (the edge's shipped): the carrier's delivered notice comes as a signed push.
    await edge.erpPush("orders", {
      orders: [
        {
          orderRef,
          status: "delivered",
          shipments: [{ carrier: "conformance", trackingNumber: `CONF${tag}DOCS`, items: [{ sku: sale.sku, qty: 3 }] }],
          at: new Date().toISOString(),
          version: Date.now(),
        },
      ],
    });
    const filed = await edge.account(String(sale.partner), "/returns", {
      method: "POST",
      body: JSON.stringify({ orderRef, lines: [{ sku: sale.sku, qty: 1 }], reason: "conformance: one arrived damaged" }),
    });
    const answer: unknown = await filed.json();
    if (filed.status !== 201) throw new Error(`HTTP ${filed.status} ${JSON.stringify(answer).slice(0, 200)}`);
    returnRef = typeof answer === "object" && answer !== null && "returnRef" in answer ? String(answer.returnRef) : "";
    // The queue delivers the return; an empty answer is "not yet".
    const picking = await waitFor(
      async () =>
        (await rpc.searchRead("stock.picking", [["origin", "like", `[backroom-return:${returnRef}]`]], ["name", "state", "picking_type_code", "move_ids"]))[0],
      WAIT_MS,
      2000,
    );
    pickingId = picking?.id;
    const moves = picking ? await rpc.searchRead("stock.move", [["picking_id", "=", picking.id]], ["product_uom_qty", "origin_returned_move_id"]) : [];
    const atEdge = await waitFor(
      async () => Returns(await (await edge.account(String(sale?.partner), "/returns")).json()).find((r) => r.returnRef === returnRef && r.rmaNumber),
      WAIT_MS,
      2000,
    );
    checks.add(
      "buyer's return → Odoo return picking",
      picking !== undefined &&
        picking.picking_type_code === "incoming" &&
        moves.length === 1 &&
        atEdge?.rmaNumber === picking.name &&
        atEdge?.status === "approved",
      picking
        ? `${returnRef} → ${String(picking.name)} (${String(picking.state)}), ${moves.map((m) => `${numberOf(m.product_uom_qty)} × returned move ${JSON.stringify(m.origin_returned_move_id)}`).join(", ")} via ${returnMethod(major)}; edge ${String(atEdge?.status)} ${String(atEdge?.rmaNumber)}`
        : `no return picking for ${returnRef} after ${WAIT_MS / 1000} s (deliveries: ${JSON.stringify((await edge.order(orderRef))?.deliveries ?? [])})`,
    );
  });

  await checks.step("return received in Odoo → received at the edge", async () => {
    if (!sale || pickingId === undefined) throw new Error("no return picking");
    await validatePicking(rpc, major, pickingId);
    const [done] = await rpc.read("stock.picking", [pickingId], ["name", "state"]);
    await edge.pull();
    const atEdge = Returns(await (await edge.account(String(sale.partner), "/returns")).json()).find((r) => r.returnRef === returnRef);
    const [other] = await rpc.searchRead(
      "res.partner",
      [
        ["is_company", "=", true],
        ["id", "!=", sale.partner],
      ],
      ["id"],
      { limit: 1, order: "id" },
    );
    const strangers = Returns(await (await edge.account(String(other?.id), "/returns")).json());
    checks.add(
      "return received in Odoo → received at the edge",
      done?.state === "done" && atEdge?.status === "received" && !strangers.some((r) => r.returnRef === returnRef),
      `Odoo ${String(done?.name)} ${String(done?.state)}; edge ${String(atEdge?.status)}; another buyer sees ${strangers.length} returns`,
    );
  });
}
