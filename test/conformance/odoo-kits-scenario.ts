import { idList, m2oId, type OdooRpc } from "./odoo-rpc.ts";
import { setOnHand, stockLocation, storable, xmlId } from "./odoo-scenario.ts";

/**
 * The kits-and-units scenario on a live Odoo 16–18 with `mrp` (the capture script and the live
 * suite both build it): components with stock, a template kit making 2 per BoM with a line in
 * Dozens and a consumable line (which Odoo leaves out of a kit's quantity), a variant-specific kit,
 * and a product sold in cases of 12 (a sales packaging) beside a purchase-only pallet.
 */
export interface KitsFixture {
  tag: string;
  /** product.product ids. */
  a: number;
  b: number;
  c: number;
  gift: number;
  duo: number;
  soap: number;
  giftBom: number;
  caseOf12: number;
  skus: { a: string; b: string; c: string; gift: string; duo: string; soap: string };
}

/** The kit-product type Odoo's own demo kit (Table Kit) has: a consumable. */
const consumable = { type: "consu" };

export async function makeKitsFixture(rpc: OdooRpc, major: number, tag: string): Promise<KitsFixture> {
  const { location } = await stockLocation(rpc);
  const dozens = await xmlId(rpc, "uom", "product_uom_dozen");
  const units = await xmlId(rpc, "uom", "product_uom_unit");
  const skus = { a: `${tag}-A`, b: `${tag}-B`, c: `${tag}-C`, gift: `${tag}-GIFT`, duo: `${tag}-DUO`, soap: `${tag}-SOAP` };
  const a = await rpc.create("product.product", { name: `${tag} component A`, default_code: skus.a, list_price: 4, ...storable(major) });
  const b = await rpc.create("product.product", { name: `${tag} component B`, default_code: skus.b, list_price: 1, ...storable(major) });
  const c = await rpc.create("product.product", { name: `${tag} consumable C`, default_code: skus.c, list_price: 0.1, ...consumable });
  const gift = await rpc.create("product.product", { name: `${tag} gift kit`, default_code: skus.gift, list_price: 60, ...consumable });
  const duo = await rpc.create("product.product", { name: `${tag} duo kit`, default_code: skus.duo, list_price: 5, ...consumable });
  const soap = await rpc.create("product.product", { name: `${tag} soap bar`, default_code: skus.soap, list_price: 2.5, ...storable(major) });
  await setOnHand(rpc, a, location, 30);
  await setOnHand(rpc, b, location, 100);
  await setOnHand(rpc, soap, location, 40);
  const tmpl = async (id: number) => m2oId((await rpc.read("product.product", [id], ["product_tmpl_id"]))[0]?.product_tmpl_id) ?? 0;
  // Makes 2 kits: 1 dozen A (6 per kit), 4 B (2 per kit), 1 consumable C.
  const giftBom = await rpc.create("mrp.bom", {
    product_tmpl_id: await tmpl(gift),
    type: "phantom",
    product_qty: 2,
    bom_line_ids: [
      [0, 0, { product_id: a, product_qty: 1, product_uom_id: dozens }],
      [0, 0, { product_id: b, product_qty: 4, product_uom_id: units }],
      [0, 0, { product_id: c, product_qty: 1, product_uom_id: units }],
    ],
  });
  // A BoM for the variant itself (product_id set): 3 B per kit.
  await rpc.create("mrp.bom", {
    product_tmpl_id: await tmpl(duo),
    product_id: duo,
    type: "phantom",
    product_qty: 1,
    bom_line_ids: [[0, 0, { product_id: b, product_qty: 3, product_uom_id: units }]],
  });
  const caseOf12 = await rpc.create("product.packaging", { name: "Case of 12", product_id: soap, qty: 12, sales: true });
  await rpc.create("product.packaging", { name: "Pallet", product_id: soap, qty: 480, sales: false });
  return { tag, a, b, c, gift, duo, soap, giftBom, caseOf12, skus };
}

export const KIT_BOM_FIELDS = ["product_tmpl_id", "product_id", "product_qty", "product_uom_id", "type", "active", "sequence", "bom_line_ids", "write_date"];
export const KIT_LINE_FIELDS = ["bom_id", "product_id", "product_qty", "product_uom_id", "bom_product_template_attribute_value_ids", "write_date"];
export const PACKAGING_FIELDS = ["name", "product_id", "qty", "product_uom_id", "sales", "write_date"];
export const UOM_FIELDS = ["name", "category_id", "factor", "rounding", "uom_type"];
export const kitProductFields = (major: number): string[] => [
  "default_code",
  "name",
  "product_tmpl_id",
  "type",
  ...(major >= 18 ? ["is_storable"] : []),
  "uom_id",
  "uom_po_id",
  "lst_price",
  "qty_available",
  "free_qty",
  "virtual_available",
  "product_template_attribute_value_ids",
];

/**
 * Odoo's own packaging math and price for `units` soap bars: a draft quotation line with the case
 * packaging (`product_packaging_qty` = units / 12), for `partner` (a new one without a list by default).
 */
export async function odooCaseLine(
  rpc: OdooRpc,
  fx: KitsFixture,
  units: number,
  partner?: number,
): Promise<{ packagingQty: number; priceUnit: number; subtotal: number; orderId: number }> {
  const buyer = partner ?? (await rpc.create("res.partner", { name: `${fx.tag} case buyer` }));
  const so = await rpc.create("sale.order", {
    partner_id: buyer,
    order_line: [[0, 0, { product_id: fx.soap, product_uom_qty: units, product_packaging_id: fx.caseOf12 }]],
  });
  const [order] = await rpc.read("sale.order", [so], ["order_line"]);
  const [line] = await rpc.read("sale.order.line", idList(order?.order_line), [
    "product_uom_qty",
    "product_packaging_id",
    "product_packaging_qty",
    "price_unit",
    "price_subtotal",
  ]);
  return { packagingQty: Number(line?.product_packaging_qty), priceUnit: Number(line?.price_unit), subtotal: Number(line?.price_subtotal), orderId: so };
}
