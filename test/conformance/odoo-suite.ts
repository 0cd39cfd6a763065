import type { Checks } from "./checks.ts";
import { odooAccountChecks } from "./odoo-account-checks.ts";
import { type EdgeApi, edgeRefusal, waitFor } from "./edge-api.ts";
import { odooKitsConformance } from "./odoo-kits-checks.ts";
import { idList, m2oId, numberOf, OdooRpc, type OdooTarget } from "./odoo-rpc.ts";
import { makeCurrencyFixture, makePriceFixture, odooSalePrices, openPhysicalInventory, setOnHand, stockLocation, storable } from "./odoo-scenario.ts";

/**
 * The Odoo conformance checks: the edge's Odoo connector against a live Odoo 16–18, every figure
 * compared with what Odoo itself answers. The suite changes the database (products `CONF-…`,
 * orders, a price list); run it on a fresh copy of a pristine database.
 */

const ORDER_WAIT_MS = 90_000;

/** ", 3 record errors (no_sku ×2, unsupported_price_rule)" for a run's errors. */
function errorSummary(errors: ReadonlyArray<{ code: string }>): string {
  if (errors.length === 0) return "";
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
  return `, ${errors.length} record errors (${[...counts].map(([c, n]) => (n > 1 ? `${c} ×${n}` : c)).join(", ")})`;
}

/** Odoo's storable products with a SKU: 18 flags `is_storable`, 16/17 say `type = product`. */
const storableDomain = (major: number): unknown[] => [["default_code", "!=", false], major >= 18 ? ["is_storable", "=", true] : ["type", "=", "product"]];

export async function odooConformance(checks: Checks, edge: EdgeApi, adminToken: string, target: OdooTarget): Promise<void> {
  const rpc = new OdooRpc(target);
  const major = await rpc.major();
  const tag = Date.now().toString(36).toUpperCase();
  const [company] = await rpc.searchRead("res.company", [], ["currency_id"], { limit: 1, order: "id" });
  const currency = Array.isArray(company?.currency_id) ? String(company.currency_id[1]) : "USD";
  const { warehouse, location } = await stockLocation(rpc);
  const [partner] = await rpc.searchRead("res.partner", [["is_company", "=", true]], ["id"], { limit: 1, order: "id" });

  await edge.createShop(adminToken, currency);
  await edge.setErpConnector({
    kind: "odoo",
    url: target.url,
    db: target.db,
    protocol: "jsonrpc",
    login: target.login,
    apiKey: target.password,
    currency,
    ...(partner ? { defaultPartnerId: partner.id } : {}),
  });

  // 1. The first pull: every SKU × warehouse equals Odoo's own numbers.
  await checks.step("first pull", async () => {
    const run = await edge.pull();
    // Demo data has products without an Internal Reference: those cannot be sold by SKU, rightly skipped.
    const real = run.errors.filter((e) => e.code !== "no_sku");
    checks.add(
      "first pull",
      run.status !== "failed" && real.length === 0,
      `${run.status}, fetched ${run.fetched}, applied ${run.applied}, ${run.ms} ms${errorSummary(run.errors)}`,
    );
  });
  await checks.step("stock = Odoo per SKU × warehouse", async () => {
    const warehouses = await rpc.searchRead("stock.warehouse", [], ["code", "company_id"]);
    let pairs = 0;
    const mismatches: string[] = [];
    const missing: string[] = [];
    for (const wh of warehouses) {
      const company = m2oId(wh.company_id);
      const products = await rpc.kw("product.product", "search_read", [storableDomain(major)], {
        fields: ["default_code", "qty_available", "free_qty"],
        // 16/17 read `warehouse`, 18 `warehouse_id`; the warehouse's own company must be allowed.
        context: { warehouse: wh.id, warehouse_id: wh.id, ...(company ? { allowed_company_ids: [company] } : {}) },
      });
      if (!Array.isArray(products)) throw new Error("product.product answered no records");
      for (const p of products) {
        const sku = String(p.default_code);
        const product = await edge.product(sku);
        pairs++;
        if (!product) {
          missing.push(sku);
          continue;
        }
        // A warehouse the edge has no row for holds nothing.
        const atEdge = product.warehouses.find((w) => w.code === wh.code) ?? { onHand: 0, committed: 0 };
        const onHand = Math.round(numberOf(p.qty_available));
        const free = Math.round(numberOf(p.free_qty));
        const edgeFree = atEdge.onHand - atEdge.committed;
        if (atEdge.onHand !== onHand || edgeFree !== free)
          mismatches.push(`${sku}@${String(wh.code)} Odoo ${onHand}/${free} edge ${atEdge.onHand}/${edgeFree}`);
      }
    }
    checks.add(
      "stock = Odoo per SKU × warehouse",
      mismatches.length === 0 && missing.length === 0,
      `${pairs} pairs, ${mismatches.length} mismatches (on hand/free), ${missing.length} SKUs unknown at the edge${[...mismatches, ...missing].length ? `: ${[...mismatches, ...missing].slice(0, 3).join("; ")}` : ""}`,
    );
  });

  // 2. A quant zeroed in the Physical Inventory is deleted by Odoo: the edge shows 0.
  await checks.step("zeroed quant → 0 at the edge", async () => {
    const sku = `CONF-${tag}-ZERO`;
    const id = await rpc.create("product.product", { name: "CONF zero quant", default_code: sku, ...storable(major) });
    await setOnHand(rpc, id, location, 4);
    await edge.pull();
    const before = (await edge.product(sku))?.warehouses.find((w) => w.code === warehouse)?.onHand;
    await setOnHand(rpc, id, location, 0);
    await openPhysicalInventory(rpc);
    const quants = await rpc.count("stock.quant", [["product_id", "=", id]]);
    await edge.pull();
    const after = (await edge.product(sku))?.warehouses.find((w) => w.code === warehouse)?.onHand;
    checks.add("zeroed quant → 0 at the edge", before === 4 && after === 0, `edge ${before ?? "-"} → ${after ?? "-"} (Odoo 4 → 0, ${quants} quants left)`);
  });

  // 3. Prices for every rule type equal Odoo's own sale-order price.
  const fx = await makePriceFixture(rpc, major, tag);
  await checks.step("prices", async () => {
    const skus = [...new Set(fx.cases.map((c) => c.sku))];
    await edge.pull();
    const known = await edge.prices(String(fx.partnerId), skus).then(
      () => "known",
      (e: unknown) => (e instanceof Error ? edgeRefusal(e) : "unknown"),
    );
    checks.add("customer with a price list, no sales yet, is pulled", known === "known", known);
    const odoo = await odooSalePrices(rpc, fx, `CONF-${tag}-PRICES`);
    await rpc.act("sale.order", "action_cancel", [odoo.orderId], { disable_cancel_warning: true });
    await edge.pull();
    // What the edge holds for the customer's list (staff view), so a rule is judged apart from the customer pull.
    for (const c of fx.cases) {
      const breaks = (await edge.product(c.sku))?.priceLists.find((l) => l.id === String(fx.pricelistId))?.breaks ?? [];
      const brk = [...breaks].sort((a, b) => b.minQty - a.minQty).find((b) => b.minQty <= c.qty);
      const edgePrice = Number(brk?.unitPrice ?? Number.NaN);
      const odooPrice = odoo.unit.get(`${c.sku}×${c.qty}`) ?? Number.NaN;
      checks.add(
        `price: ${c.name}`,
        Math.abs(edgePrice - odooPrice) < 0.005,
        `${c.rule} ×${c.qty}: Odoo ${odooPrice.toFixed(2)}, edge ${Number.isNaN(edgePrice) ? "no price" : edgePrice.toFixed(2)}`,
      );
    }
    const asked = await edge.prices(String(fx.partnerId), skus).then(
      (p) => p.items.map((i) => `${i.sku.slice(-1)} ${i.unitPrice}`).join(", "),
      (e: unknown) => (e instanceof Error ? edgeRefusal(e) : "error"),
    );
    checks.add("the customer's own /prices answer", !asked.startsWith("HTTP"), asked || "no prices");
  });

  // 3k. Kits (phantom BoMs) and case packs (sales packagings), issue 12: odoo-kits-checks.ts.
  await odooKitsConformance(checks, edge, rpc, major, tag, fx);

  // 3a. A rule whose date window opens with nothing written in Odoo: the next pull prices by it.
  await checks.step("a rule's date window opens", async () => {
    const sku = `CONF-${tag}-PRICE-A`;
    const opensAt = Date.now() + 20_000;
    const odooTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
    await rpc.create("product.pricelist.item", {
      pricelist_id: fx.pricelistId,
      applied_on: "0_product_variant",
      product_id: fx.products.get(sku),
      compute_price: "fixed",
      fixed_price: 77.7,
      date_start: odooTime(opensAt),
    });
    const edgePrice = async () => (await edge.product(sku))?.priceLists.find((l) => l.id === String(fx.pricelistId))?.breaks[0]?.unitPrice ?? "none";
    await edge.pull();
    const before = await edgePrice();
    await new Promise((r) => setTimeout(r, Math.max(0, opensAt - Date.now()) + 2_000));
    const odoo = await odooSalePrices(rpc, { ...fx, cases: [{ name: "window", sku, qty: 1, rule: "fixed 77.70 from now" }] }, `CONF-${tag}-WINDOW`);
    await rpc.act("sale.order", "action_cancel", [odoo.orderId], { disable_cancel_warning: true });
    await edge.pull();
    const after = await edgePrice();
    const odooPrice = odoo.unit.get(`${sku}×1`);
    checks.add(
      "price: a rule's date window opens, nothing written",
      Number(before) === 87.5 && odooPrice === 77.7 && Number(after) === 77.7,
      `before ${before}; once open: Odoo ${odooPrice?.toFixed(2)}, edge ${after}`,
    );
  });

  // 3b. Lists in another currency (EUR, and a USD list based on it) equal Odoo's own sale-order price.
  await checks.step("prices in another currency", async () => {
    const cfx = await makeCurrencyFixture(rpc, major, tag);
    await edge.pull();
    for (const f of [cfx, cfx.usdOnEur]) {
      const odoo = await odooSalePrices(rpc, f, `CONF-${tag}-FX-${f.pricelistId}`);
      await rpc.act("sale.order", "action_cancel", [odoo.orderId], { disable_cancel_warning: true });
      for (const c of f.cases) {
        const breaks = (await edge.product(c.sku))?.priceLists.find((l) => l.id === String(f.pricelistId))?.breaks ?? [];
        const edgePrice = Number(breaks.find((b) => b.minQty <= c.qty)?.unitPrice ?? Number.NaN);
        const odooPrice = odoo.unit.get(`${c.sku}×${c.qty}`) ?? Number.NaN;
        checks.add(
          `price: ${c.name}`,
          Math.abs(edgePrice - odooPrice) < 0.005,
          `Odoo ${odooPrice.toFixed(2)}, edge ${Number.isNaN(edgePrice) ? "no price" : edgePrice.toFixed(2)}`,
        );
      }
    }
  });

  // 4. A shop order: created once in Odoo, confirmed, edited, delivered with tracking; two more cancelled.
  await checks.step("shop orders", async () => {
    const skuA = `CONF-${tag}-PRICE-A`;
    const productA = fx.products.get(skuA) ?? 0;
    await setOnHand(rpc, productA, location, 20);
    await edge.pull();
    const orderId = String(9_000_000_000_000 + Math.floor(Math.random() * 1e9));
    const line = (qty: number) => (o: Record<string, unknown>) => {
      const [first] = Array.isArray(o.line_items) ? o.line_items : [];
      o.line_items = [{ ...first, sku: skuA, quantity: qty, current_quantity: qty, fulfillable_quantity: qty, price: "87.50" }];
      o.email = fx.partnerEmail;
      o.name = `#C${tag}1`;
    };
    // The shop's order: by the platform id or the order name, as customer reference or origin.
    const soOf = (ref: string, name: string) =>
      rpc.searchRead(
        "sale.order",
        ["|", ["client_order_ref", "in", [ref, name]], ["origin", "in", [ref, name]]],
        ["name", "state", "order_line", "client_order_ref"],
      );
    await edge.shopifyOrder("orders/create", orderId, line(2));
    const confirmed = await waitFor(async () => (await soOf(orderId, `#C${tag}1`)).find((s) => s.state === "sale"), ORDER_WAIT_MS);
    await edge.shopifyOrder("orders/paid", orderId, line(2));
    await new Promise((r) => setTimeout(r, 5000));
    const all = await soOf(orderId, `#C${tag}1`);
    checks.add(
      "shop order → one confirmed sale order",
      all.length === 1 && confirmed !== undefined,
      `${all.length} sale orders, state ${String(all[0]?.state ?? "none")} (after create + a second delivery)`,
    );
    if (!confirmed) {
      const o = await edge.order(orderId);
      checks.add("order delivery to Odoo", false, `edge: ${o?.status ?? "unknown order"}; ${JSON.stringify(o?.deliveries?.[0] ?? {})}`.slice(0, 300));
      return;
    }

    await edge.shopifyOrder("orders/updated", orderId, line(3));
    const edited = await waitFor(async () => {
      const [l] = await rpc.read("sale.order.line", idList(confirmed.order_line), ["product_uom_qty"]);
      return numberOf(l?.product_uom_qty) === 3 ? 3 : undefined;
    }, 30_000);
    const [lineNow] = await rpc.read("sale.order.line", idList((await rpc.read("sale.order", [confirmed.id], ["order_line"]))[0]?.order_line), [
      "product_uom_qty",
    ]);
    const edgeAfterEdit = await edge.order(orderId);
    checks.add(
      "order edit 2 → 3 reaches Odoo",
      edited === 3,
      `Odoo line ${numberOf(lineNow?.product_uom_qty)}, edge delivery ${edgeAfterEdit?.deliveries?.[0]?.event ?? "-"} ${edgeAfterEdit?.deliveries?.[0]?.status ?? "-"}`,
    );

    // Deliver in Odoo with a tracking number; the pull brings it back.
    const [picking] = await rpc.searchRead(
      "stock.picking",
      [
        ["sale_id", "=", confirmed.id],
        ["picking_type_code", "=", "outgoing"],
        ["state", "not in", ["done", "cancel"]],
      ],
      ["move_ids"],
    );
    if (!picking) throw new Error("the sale order has no open delivery");
    const [carrier] = await rpc.searchRead("delivery.carrier", [], ["id"], { limit: 1 });
    const tracking = `CONF${tag}TRACK`;
    await rpc.write("stock.picking", [picking.id], { carrier_tracking_ref: tracking, ...(carrier ? { carrier_id: carrier.id } : {}) });
    await rpc.act("stock.picking", "action_assign", [picking.id]);
    for (const move of await rpc.read("stock.move", idList(picking.move_ids), ["product_uom_qty"])) {
      await rpc.write("stock.move", [move.id], major <= 16 ? { quantity_done: move.product_uom_qty } : { quantity: move.product_uom_qty, picked: true });
    }
    await rpc.act("stock.picking", "button_validate", [picking.id], { skip_sms: true, skip_backorder: true, skip_immediate: true });
    const [done] = await rpc.read("stock.picking", [picking.id], ["state"]);
    await edge.pull();
    const shipped = await edge.order(orderId);
    checks.add(
      "delivered with tracking → back at the edge",
      shipped?.status === "shipped" && shipped.shipments.some((s) => s.trackingNumber === tracking),
      `Odoo picking ${String(done?.state)}, edge ${shipped?.status ?? "-"} ${shipped?.shipments.map((s) => `${s.carrier} ${s.trackingNumber}`).join(", ") || "no shipment"}`,
    );

    // Cancelled by the shop before delivery → cancelled in Odoo, and at the edge.
    const cancelId = String(Number(orderId) + 1);
    const line2 = (o: Record<string, unknown>) => {
      line(1)(o);
      o.name = `#C${tag}2`;
    };
    await edge.shopifyOrder("orders/create", cancelId, line2);
    const c2 = await waitFor(async () => (await soOf(cancelId, `#C${tag}2`)).find((s) => s.state === "sale"), ORDER_WAIT_MS);
    await edge.shopifyOrder("orders/cancelled", cancelId, (o) => {
      line2(o);
      o.cancelled_at = new Date().toISOString();
      o.cancel_reason = "customer";
    });
    const c2state = c2
      ? await waitFor(async () => ((await rpc.read("sale.order", [c2.id], ["state"]))[0]?.state === "cancel" ? "cancel" : undefined), 30_000)
      : undefined;
    checks.add(
      "shop cancels before delivery → Odoo cancelled",
      c2state === "cancel",
      `Odoo ${c2 ? String(c2.name) : "no order"} ${c2state ?? "not cancelled"}`,
    );

    // Cancelled in Odoo before delivery (no done picking): the pull brings the cancellation.
    const cancel3 = String(Number(orderId) + 2);
    await edge.shopifyOrder("orders/create", cancel3, (o) => {
      line(1)(o);
      o.name = `#C${tag}3`;
    });
    const c3 = await waitFor(async () => (await soOf(cancel3, `#C${tag}3`)).find((s) => s.state === "sale"), ORDER_WAIT_MS);
    if (c3) await rpc.act("sale.order", "action_cancel", [c3.id], { disable_cancel_warning: true });
    await edge.pull();
    const e3 = await edge.order(cancel3);
    checks.add(
      "Odoo cancels before delivery → edge cancelled",
      e3?.status === "cancelled",
      `Odoo ${c3 ? String(c3.name) : "no order"} cancel, edge ${e3?.status ?? "-"}`,
    );

    // An edit of an order locked in Odoo (nothing delivered): cancelled there and made again, with a note.
    const lockedId = String(Number(orderId) + 3);
    const line4 = (qty: number) => (o: Record<string, unknown>) => {
      line(qty)(o);
      o.name = `#C${tag}4`;
    };
    await edge.shopifyOrder("orders/create", lockedId, line4(1));
    const c4 = await waitFor(async () => (await soOf(lockedId, `#C${tag}4`)).find((s) => s.state === "sale"), ORDER_WAIT_MS);
    if (c4) await rpc.act("sale.order", major >= 17 ? "action_lock" : "action_done", [c4.id]);
    await edge.shopifyOrder("orders/updated", lockedId, line4(2));
    const replaced = c4
      ? await waitFor(async () => {
          const live = (await soOf(lockedId, `#C${tag}4`)).find((s) => s.id !== c4.id && s.state === "sale");
          const [l] = live ? await rpc.read("sale.order.line", idList(live.order_line), ["product_uom_qty"]) : [];
          return live && numberOf(l?.product_uom_qty) === 2 ? live : undefined;
        }, 30_000)
      : undefined;
    const [old4] = c4 ? await rpc.read("sale.order", [c4.id], ["state"]) : [];
    const [note4] = replaced ? await rpc.read("sale.order", [replaced.id], ["note"]) : [];
    checks.add(
      "edit of an order locked in Odoo → replaced",
      old4?.state === "cancel" && replaced !== undefined && String(note4?.note ?? "").includes(`Replaces ${String(c4?.name)}`),
      `Odoo ${c4 ? String(c4.name) : "no order"} locked → ${String(old4?.state ?? "-")}, ${replaced ? `${String(replaced.name)} ${String(replaced.state)} with 2` : "no replacement"}`,
    );
  });

  // Issue 13: invoices with Odoo's figures, Odoo's invoice PDF, a return picking and its state back.
  await odooAccountChecks(checks, edge, rpc, major, tag);

  // Last, because a pull that cannot pass these 250 never reaches what is created after them:
  // 250 products created in one call share one write_date, and all of them arrive.
  await checks.step("bulk create 250 → all at the edge", async () => {
    const skus = Array.from({ length: 250 }, (_, i) => `CONF-${tag}-BULK-${String(i + 1).padStart(3, "0")}`);
    await rpc.createMany(
      "product.product",
      skus.map((sku) => ({ name: `CONF bulk ${sku}`, default_code: sku, ...storable(major) })),
    );
    const run = await edge.pull();
    const known = await edge.known(skus);
    checks.add(
      "bulk create 250 → all at the edge",
      known.size === skus.length,
      `${known.size}/${skus.length} arrived in one pull (${run.status}, fetched ${run.fetched}, ${run.ms} ms${errorSummary(run.errors)})`,
    );
    // The connector re-reads the last 15 s of Odoo's clock until they settle (a transaction may commit
    // after its write_date): once past that window, a pull with no change in Odoo reads nothing.
    await new Promise((r) => setTimeout(r, 16_000));
    const settling = await edge.pull();
    const again = await edge.pull();
    checks.add(
      "next pull re-reads nothing",
      again.fetched < 50,
      `after the 15 s settle window: one pull re-read ${settling.fetched}, the next fetched ${again.fetched} with no change in Odoo (${again.ms} ms)`,
    );
  });
}
