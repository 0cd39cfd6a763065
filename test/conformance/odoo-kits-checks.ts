import type { Checks } from "./checks.ts";
import type { EdgeApi } from "./edge-api.ts";
import { makeKitsFixture, odooCaseLine } from "./odoo-kits-scenario.ts";
import { m2oId, numberOf, type OdooRpc } from "./odoo-rpc.ts";
import type { PriceFixture } from "./odoo-scenario.ts";

/**
 * Issue 12 against a live Odoo 16–18 with mrp: a kit's availability per warehouse equals Odoo's own
 * kit quantity (`free_qty` of the kit product, Odoo's `_compute_quantities_dict` for kits), also
 * after a BoM change; a product sold in cases shows as many whole cases as Odoo's packaging math
 * gives (`product_packaging_qty` of a quotation line), at the price per case Odoo's quotation line
 * charges (the customer's list, breaks included).
 */

const settle = () => new Promise((r) => setTimeout(r, 2_500));

/** Odoo's `free_qty` of each product, per warehouse (16/17 read the context key `warehouse`, 18 `warehouse_id`). */
async function odooFreeByWarehouse(rpc: OdooRpc, ids: number[]): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  for (const wh of await rpc.searchRead("stock.warehouse", [], ["code", "company_id"])) {
    const company = m2oId(wh.company_id);
    const read = await rpc.kw("product.product", "read", [ids, ["free_qty"]], {
      context: { warehouse: wh.id, warehouse_id: wh.id, ...(company ? { allowed_company_ids: [company] } : {}) },
    });
    const byId = new Map<number, number>();
    if (Array.isArray(read))
      for (const r of read) if (r && typeof r === "object" && "id" in r) byId.set(Number(r.id), numberOf((r as { free_qty?: unknown }).free_qty));
    out.set(String(wh.code), byId);
  }
  return out;
}

export async function odooKitsConformance(checks: Checks, edge: EdgeApi, rpc: OdooRpc, major: number, tag: string, prices: PriceFixture): Promise<void> {
  const fx = await makeKitsFixture(rpc, major, `CONF-${tag}-K`);
  const [tableKit] = await rpc.searchRead("product.product", [["default_code", "=", "FURN_78236"]], ["id"]);
  const kits = [{ sku: fx.skus.gift, id: fx.gift }, { sku: fx.skus.duo, id: fx.duo }, ...(tableKit ? [{ sku: "FURN_78236", id: tableKit.id }] : [])];
  /** "sku wh edge/Odoo" per kit and warehouse where either has any; ok when all agree. */
  const compare = async (): Promise<{ ok: boolean; figures: string }> => {
    await settle();
    const odoo = await odooFreeByWarehouse(
      rpc,
      kits.map((k) => k.id),
    );
    const edgeAnswer = await edge.availability(kits.map((k) => k.sku));
    const parts: string[] = [];
    let ok = true;
    for (const k of kits) {
      const item = edgeAnswer.items.find((i) => i.sku === k.sku);
      for (const [wh, byId] of odoo) {
        const o = Math.floor(byId.get(k.id) ?? 0);
        const e = item?.warehouses.find((w) => w.code === wh)?.available ?? 0;
        if (o === 0 && e === 0) continue;
        ok &&= o === e;
        parts.push(`${k.sku.replace(`CONF-${tag}-K-`, "")} ${wh} edge ${e}/Odoo ${o}`);
      }
    }
    return { ok: ok && parts.length > 0, figures: parts.join(", ") };
  };

  await checks.step("kit availability = Odoo's own kit qty", async () => {
    await edge.pull();
    const { ok, figures } = await compare();
    checks.add("kit availability = Odoo's own kit qty", ok, figures);
  });

  await checks.step("BoM change → kit re-mapped at the next pull", async () => {
    const [line] = await rpc.searchRead("mrp.bom.line", [["bom_id", "=", fx.giftBom]], ["id"], { order: "id", limit: 1 });
    // 2 dozen A for 2 kits (12 A per kit): 30 A make 2 gift kits.
    await rpc.write("mrp.bom", [fx.giftBom], { bom_line_ids: [[1, line?.id ?? 0, { product_qty: 2 }]] });
    await edge.pull();
    const { ok, figures } = await compare();
    checks.add(
      "BoM change → kit re-mapped at the next pull",
      ok,
      figures
        .split(", ")
        .filter((f) => f.startsWith("GIFT"))
        .join(", "),
    );
  });

  await checks.step("case pack: edge quantity in cases = Odoo packaging math", async () => {
    await settle();
    const [soap] = await rpc.read("product.product", [fx.soap], ["free_qty"]);
    const free = numberOf(soap?.free_qty);
    const odoo = await odooCaseLine(rpc, fx, free);
    await rpc.act("sale.order", "action_cancel", [odoo.orderId], { disable_cancel_warning: true });
    const item = (await edge.availability([fx.skus.soap])).items[0];
    const cases = Math.floor(odoo.packagingQty);
    checks.add(
      "case pack: edge quantity in cases = Odoo packaging math",
      item?.available === cases,
      `${free} free: Odoo ${odoo.packagingQty} packagings → ${cases} cases, edge ${item?.available ?? "-"}`,
    );
  });

  await checks.step("case pack: price per case = Odoo's", async () => {
    // A break on the customer's list: the soap at 2.40 from 24 units (2 cases); below it Odoo sells at the sales price.
    await rpc.create("product.pricelist.item", {
      pricelist_id: prices.pricelistId,
      applied_on: "0_product_variant",
      product_id: fx.soap,
      compute_price: "fixed",
      fixed_price: 2.4,
      min_quantity: 24,
    });
    const odoo = [await odooCaseLine(rpc, fx, 12, prices.partnerId), await odooCaseLine(rpc, fx, 36, prices.partnerId)];
    for (const o of odoo) await rpc.act("sale.order", "action_cancel", [o.orderId], { disable_cancel_warning: true });
    await edge.pull();
    const item = (await edge.prices(String(prices.partnerId), [fx.skus.soap])).items[0];
    const edgeAt = (cases: number) => [...(item?.breaks ?? [])].sort((a, b) => b.minQty - a.minQty).find((b) => b.minQty <= cases)?.unitPrice;
    const rows = odoo.map((o) => {
      const perCase = o.subtotal / o.packagingQty;
      const edgePrice = edgeAt(o.packagingQty);
      return {
        ok: edgePrice !== undefined && Math.abs(Number(edgePrice) - perCase) < 0.005,
        text: `${o.packagingQty} cases: Odoo ${o.priceUnit}/unit → ${perCase.toFixed(2)}/case, edge ${edgePrice ?? "no price"}`,
      };
    });
    checks.add(
      "case pack: price per case = Odoo's",
      rows.every((r) => r.ok) && item?.unit === "Case of 12",
      `${rows.map((r) => r.text).join("; ")} (${item?.unit ?? "no unit"})`,
    );
  });
}
