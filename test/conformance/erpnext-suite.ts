import type { Checks } from "./checks.ts";
import { type EdgeApi, edgeRefusal, waitFor } from "./edge-api.ts";
import { asDoc, ErpNextRest, type ErpNextTarget, rows } from "./erpnext-rest.ts";

/**
 * The ERPNext conformance checks: the edge's ERPNext connector against a live ERPNext (v14/v15
 * REST), every figure compared with what ERPNext answers. Written against Frappe's documented REST
 * API and ERPNext's whitelisted methods; not yet run against a live ERPNext (only Odoo was brought
 * up). It writes to the ERP (items `CONF-…`, stock reconciliations, orders): use a test site.
 */

const ORDER_WAIT_MS = 90_000;
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? Number.NaN));
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function erpNextConformance(checks: Checks, edge: EdgeApi, adminToken: string, target: ErpNextTarget): Promise<void> {
  const erp = new ErpNextRest(target);
  const tag = Date.now().toString(36).toUpperCase();
  const [company] = await erp.list("Company", ["name", "default_currency"], [], 1);
  const currency = String(company?.default_currency ?? "EUR");
  const [warehouse] = await erp.list("Warehouse", ["name"], [["is_group", "=", 0]], 1);
  if (!warehouse) throw new Error("ERPNext has no warehouse");
  const [customer] = await erp.list("Customer", ["name", "default_price_list"], [["disabled", "=", 0]], 1);

  await edge.createShop(adminToken, currency);
  await edge.setErpConnector({
    kind: "erpnext",
    url: target.url,
    apiKey: target.key,
    apiSecret: target.secret,
    ...(company ? { company: company.name } : {}),
    ...(customer ? { defaultCustomer: customer.name } : {}),
  });

  await checks.step("first pull", async () => {
    const run = await edge.pull();
    checks.add(
      "first pull",
      run.status !== "failed" && run.errors.length === 0,
      `${run.status}, fetched ${run.fetched}, applied ${run.applied}, ${run.ms} ms, ${run.errors.length} record errors`,
    );
  });

  await checks.step("stock = ERPNext per item × warehouse", async () => {
    const bins = await erp.list("Bin", ["item_code", "warehouse", "actual_qty", "reserved_qty"]);
    const mismatches: string[] = [];
    for (const b of bins) {
      const sku = String(b.item_code);
      const atEdge = (await edge.product(sku))?.warehouses.find((w) => w.code === b.warehouse);
      const onHand = Math.round(num(b.actual_qty));
      const free = onHand - Math.round(num(b.reserved_qty));
      if (atEdge?.onHand !== onHand || (atEdge ? atEdge.onHand - atEdge.committed : Number.NaN) !== free) {
        mismatches.push(`${sku}@${String(b.warehouse)} ERPNext ${onHand}/${free} edge ${atEdge?.onHand ?? "-"}`);
      }
    }
    checks.add(
      "stock = ERPNext per item × warehouse",
      bins.length > 0 && mismatches.length === 0,
      `${bins.length} bins, ${mismatches.length} mismatches${mismatches.length ? `: ${mismatches.slice(0, 3).join("; ")}` : ""}`,
    );
  });

  await checks.step("bulk create 250 → all at the edge", async () => {
    const skus = Array.from({ length: 250 }, (_, i) => `CONF-${tag}-BULK-${String(i + 1).padStart(3, "0")}`);
    const item = (sku: string) => ({ doctype: "Item", item_code: sku, item_name: sku, item_group: "All Item Groups", stock_uom: "Nos", is_stock_item: 1 });
    // insert_many takes at most 200 documents a request.
    await erp.insertMany(skus.slice(0, 125).map(item));
    await erp.insertMany(skus.slice(125).map(item));
    const run = await edge.pull();
    const known = await edge.known(skus);
    checks.add(
      "bulk create 250 → all at the edge",
      known.size === skus.length,
      `${known.size}/${skus.length} arrived in one pull (${run.status}, fetched ${run.fetched}, ${run.ms} ms)`,
    );
  });

  const reconcile = (sku: string, qty: number) =>
    erp.insert("Stock Reconciliation", {
      ...(company ? { company: company.name } : {}),
      purpose: "Stock Reconciliation",
      docstatus: 1,
      items: [{ item_code: sku, warehouse: warehouse.name, qty, valuation_rate: 10 }],
    });

  await checks.step("stock reconciled to 0 → 0 at the edge", async () => {
    const sku = `CONF-${tag}-ZERO`;
    await erp.insert("Item", { item_code: sku, item_name: sku, item_group: "All Item Groups", stock_uom: "Nos", is_stock_item: 1 });
    await reconcile(sku, 4);
    await edge.pull();
    const before = (await edge.product(sku))?.warehouses.find((w) => w.code === warehouse.name)?.onHand;
    await reconcile(sku, 0);
    await edge.pull();
    const after = (await edge.product(sku))?.warehouses.find((w) => w.code === warehouse.name)?.onHand;
    checks.add("stock reconciled to 0 → 0 at the edge", before === 4 && after === 0, `edge ${before ?? "-"} → ${after ?? "-"} (ERPNext 4 → 0)`);
  });

  // A customer on a price list of its own: the edge's price equals the rate ERPNext puts on a Sales Order.
  const sku = `CONF-${tag}-PRICE`;
  const list = `CONF-${tag} list`;
  const buyer = `CONF ${tag} Customer`;
  const email = `conf-${tag.toLowerCase()}@example.com`;
  await checks.step("price = ERPNext's sales-order rate", async () => {
    await erp.insert("Item", { item_code: sku, item_name: sku, item_group: "All Item Groups", stock_uom: "Nos", is_stock_item: 1, standard_rate: 100 });
    await erp.insert("Price List", { price_list_name: list, currency, selling: 1, enabled: 1 });
    await erp.insert("Item Price", { item_code: sku, price_list: list, price_list_rate: 87.5, selling: 1 });
    await erp.insert("Customer", { customer_name: buyer, customer_type: "Company", default_price_list: list, email_id: email });
    await reconcile(sku, 20);
    const quote = await erp.insert("Sales Order", { customer: buyer, delivery_date: day(7), items: [{ item_code: sku, qty: 1, delivery_date: day(7) }] });
    const rate = num(rows(quote.items)[0]?.rate);
    await edge.pull();
    const atEdge = await edge.prices(buyer, [sku]).catch((e: unknown) => (e instanceof Error ? edgeRefusal(e) : "error"));
    const price = typeof atEdge === "string" ? Number.NaN : Number(atEdge.items.find((i) => i.sku === sku)?.unitPrice);
    checks.add(
      "price = ERPNext's sales-order rate",
      Math.abs(price - rate) < 0.005,
      `ERPNext ${rate.toFixed(2)}, edge ${typeof atEdge === "string" ? atEdge : price.toFixed(2)}`,
    );
  });

  await checks.step("shop orders", async () => {
    const orderId = String(9_100_000_000_000 + Math.floor(Math.random() * 1e9));
    const line = (qty: number, name: string) => (o: Record<string, unknown>) => {
      const [first] = Array.isArray(o.line_items) ? o.line_items : [];
      o.line_items = [{ ...first, sku, quantity: qty, current_quantity: qty, fulfillable_quantity: qty, price: "87.50" }];
      o.email = email;
      o.name = name;
    };
    const soOf = (ref: string, name: string) => erp.list("Sales Order", ["name", "docstatus", "po_no"], [["po_no", "in", [ref, name]]]);
    await edge.shopifyOrder("orders/create", orderId, line(2, `#C${tag}1`));
    const submitted = await waitFor(async () => (await soOf(orderId, `#C${tag}1`)).find((s) => num(s.docstatus) === 1), ORDER_WAIT_MS);
    await edge.shopifyOrder("orders/paid", orderId, line(2, `#C${tag}1`));
    await new Promise((r) => setTimeout(r, 5000));
    const all = (await soOf(orderId, `#C${tag}1`)).filter((s) => num(s.docstatus) !== 2);
    checks.add(
      "shop order → one submitted Sales Order",
      all.length === 1 && submitted !== undefined,
      `${all.length} sales orders, docstatus ${String(all[0]?.docstatus ?? "-")}`,
    );
    if (!submitted) return;

    const dn = asDoc(await erp.method("erpnext.selling.doctype.sales_order.sales_order.make_delivery_note", { source_name: submitted.name }));
    if (!dn) throw new Error("make_delivery_note answered no document");
    const tracking = `CONF${tag}TRACK`;
    await erp.insert("Delivery Note", { ...dn, lr_no: tracking, transporter_name: "DHL", lr_date: day(0), docstatus: 1 });
    await edge.pull();
    const shipped = await edge.order(orderId);
    checks.add(
      "delivered with tracking → back at the edge",
      shipped?.status === "shipped" && shipped.shipments.some((s) => s.trackingNumber === tracking),
      `edge ${shipped?.status ?? "-"} ${shipped?.shipments.map((s) => `${s.carrier} ${s.trackingNumber}`).join(", ") || "no shipment"}`,
    );

    const cancelId = String(Number(orderId) + 1);
    await edge.shopifyOrder("orders/create", cancelId, line(1, `#C${tag}2`));
    const c2 = await waitFor(async () => (await soOf(cancelId, `#C${tag}2`)).find((s) => num(s.docstatus) === 1), ORDER_WAIT_MS);
    await edge.shopifyOrder("orders/cancelled", cancelId, (o) => {
      line(1, `#C${tag}2`)(o);
      o.cancelled_at = new Date().toISOString();
      o.cancel_reason = "customer";
    });
    const cancelled = c2 ? await waitFor(async () => num((await erp.get("Sales Order", c2.name)).docstatus) === 2, 30_000) : false;
    checks.add(
      "shop cancels before delivery → ERPNext cancelled",
      cancelled,
      `${c2?.name ?? "no order"} ${cancelled ? "cancelled (docstatus 2)" : "not cancelled"}`,
    );
  });
}
