/// <reference types="vite/client" />
import type { OdooFake } from "./app";
import type { Rec } from "./domain";
import type { Db, Version } from "./seed";

/**
 * The live kits-and-units captures (`odoo-captured/<major>/kits/k*.json`, from
 * `test/conformance/odoo-capture-kits.ts`). Every fake is an Odoo with `mrp` (as the captured
 * servers: `ir.model` knows `mrp.bom`, k01) and Odoo's units of measure (k02), with no BoM or
 * packaging; `loadKitsCapture` adds the captured kits, their components with their quants, and the
 * soap sold in cases of 12, with Odoo's own kit quantities and packaging math to compare with.
 */

interface Capture {
  response: { result?: unknown };
}
const files = import.meta.glob<{ default: Capture }>("../../fixtures/erp/odoo-captured/*/kits/k*.json", { eager: true });

const captured = (version: number, prefix: string): Rec[] => {
  const entry = Object.entries(files).find(([path]) => path.includes(`/${version}/kits/${prefix}`));
  const result = entry?.[1].default.response.result;
  if (!Array.isArray(result)) throw new Error(`no capture ${version}/kits/${prefix}`);
  return result as Rec[];
};

const sourceOf = (version: Version): 16 | 17 | 18 => (version === 19 ? 18 : version);

/** The models and units every fake has (an Odoo with mrp, sale and uom installed). */
export function seedKitModels(db: Db, version: Version): void {
  const v = sourceOf(version);
  const table = (model: string) => db.get(model) ?? db.set(model, new Map()).get(model) ?? new Map<number, Rec>();
  for (const m of captured(v, "k01_")) table("ir.model").set(m.id, { ...m });
  for (const u of captured(v, "k02_")) table("uom.uom").set(u.id, { ...u });
  for (const model of ["mrp.bom", "mrp.bom.line", "product.packaging", "product.template.attribute.value"]) table(model);
  for (const p of table("product.product").values()) {
    p.uom_id ??= [1, "Units"];
    p.product_template_attribute_value_ids ??= [];
  }
}

/** What real Odoo stores on create of a kit model: a many2one reads back as `[id, "[CODE] Name"]`; a packaging is for sales by default. */
export function kitCreate(model: string, rec: Rec, productName: (id: number) => string): void {
  if (model !== "product.packaging" && model !== "mrp.bom.line" && model !== "mrp.bom") return;
  if (typeof rec.product_id === "number") rec.product_id = [rec.product_id, productName(rec.product_id)];
  if (model === "product.packaging") rec.sales ??= true;
}

/** Fields of the kit models beyond their records' keys (asking for others is Odoo's ValueError). */
export const KIT_MODEL_FIELDS: Record<string, string[]> = {
  "ir.model": ["id", "model", "name"],
  "uom.uom": ["id", "name", "category_id", "factor", "rounding", "uom_type", "active", "write_date"],
  "mrp.bom": ["id", "product_tmpl_id", "product_id", "product_qty", "product_uom_id", "type", "active", "sequence", "bom_line_ids", "write_date"],
  "mrp.bom.line": ["id", "bom_id", "product_id", "product_qty", "product_uom_id", "bom_product_template_attribute_value_ids", "sequence", "write_date"],
  "product.packaging": ["id", "name", "product_id", "qty", "product_uom_id", "sales", "purchase", "write_date"],
  "product.template.attribute.value": ["id", "name", "attribute_id", "write_date"],
};
export const KIT_PRODUCT_FIELDS = ["uom_id", "uom_po_id", "product_template_attribute_value_ids", "free_qty"];

export interface KitsCapture {
  skus: { a: string; b: string; c: string; gift: string; duo: string; soap: string };
  /** Odoo's own `free_qty` of each captured product (kits: its kit quantity). */
  odooFree: Map<string, number>;
  /** Odoo's quotation line for 3 cases of the soap: packagings, unit price, subtotal. */
  caseLine: { packagingQty: number; priceUnit: number; subtotal: number; units: number };
  /** product.product ids at the fake. */
  ids: Map<string, number>;
  bomIds: number[];
  packagingIds: number[];
}

const P = 30_000;
const BOM = 300;
const LINE = 3_000;
const PACK = 300;
const QUANT = 30_000;
const shift = (v: unknown, by: number): unknown => (Array.isArray(v) && typeof v[0] === "number" ? [v[0] + by, v[1]] : v);
const skuOf = (v: unknown): string => /^\[([^\]]+)\]/.exec(Array.isArray(v) ? String(v[1]) : "")?.[1] ?? "";

/** Loads the captured kits, components, quants and packagings into the fake, ids moved out of the way. */
export function loadKitsCapture(fake: OdooFake): KitsCapture {
  const v = sourceOf(fake.version);
  const table = (model: string) => fake.db.get(model) ?? fake.db.set(model, new Map()).get(model) ?? new Map<number, Rec>();
  const stamp = `${fake.tick()}.500000`;
  const ids = new Map<string, number>();
  const odooFree = new Map<string, number>();
  for (const p of captured(v, "k06_")) {
    const id = p.id + P;
    const tmpl = shift(p.product_tmpl_id, P);
    ids.set(String(p.default_code), id);
    odooFree.set(String(p.default_code), Number(p.free_qty));
    table("product.product").set(id, {
      ...p,
      id,
      product_tmpl_id: tmpl,
      barcode: false,
      standard_price: 0,
      categ_id: [2, "All / Saleable"],
      currency_id: [2, "USD"],
      cost_currency_id: [2, "USD"],
      active: true,
      write_date: stamp,
    });
    if (Array.isArray(tmpl) && typeof tmpl[0] === "number")
      table("product.template").set(tmpl[0], {
        id: tmpl[0],
        name: p.name,
        list_price: p.lst_price,
        categ_id: [2, "All / Saleable"],
        active: true,
        write_date: stamp,
      });
  }
  const bomIds: number[] = [];
  for (const b of captured(v, "k03_")) {
    bomIds.push(b.id + BOM);
    table("mrp.bom").set(b.id + BOM, {
      ...b,
      id: b.id + BOM,
      product_tmpl_id: shift(b.product_tmpl_id, P),
      product_id: shift(b.product_id, P),
      bom_line_ids: Array.isArray(b.bom_line_ids) ? b.bom_line_ids.map((l) => Number(l) + LINE) : [],
      write_date: stamp,
    });
  }
  for (const l of captured(v, "k04_"))
    table("mrp.bom.line").set(l.id + LINE, { ...l, id: l.id + LINE, bom_id: shift(l.bom_id, BOM), product_id: shift(l.product_id, P), write_date: stamp });
  const packagingIds: number[] = [];
  for (const p of captured(v, "k05_")) {
    packagingIds.push(p.id + PACK);
    table("product.packaging").set(p.id + PACK, { ...p, id: p.id + PACK, product_id: shift(p.product_id, P), write_date: stamp });
  }
  for (const q of captured(v, "k07_"))
    table("stock.quant").set(q.id + QUANT, { ...q, id: q.id + QUANT, product_id: shift(q.product_id, P), write_date: stamp });
  const tag = `KITS${v}`;
  const skus = { a: `${tag}-A`, b: `${tag}-B`, c: `${tag}-C`, gift: `${tag}-GIFT`, duo: `${tag}-DUO`, soap: `${tag}-SOAP` };
  const [line] = captured(v, "k08_");
  const caseLine = {
    packagingQty: Number(line?.product_packaging_qty),
    priceUnit: Number(line?.price_unit),
    subtotal: Number(line?.price_subtotal),
    units: Number(line?.product_uom_qty),
  };
  if (skuOf(captured(v, "k05_")[0]?.product_id) !== skus.soap) throw new Error("the captured packaging is not the soap's");
  return { skus, odooFree, caseLine, ids, bomIds, packagingIds };
}
