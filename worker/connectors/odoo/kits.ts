import type { OdooClient, OdooRecord } from "./client";
import { m2o, num, text } from "./map";
import { toUom, type Uoms } from "./units";

/**
 * Odoo kits: a product with a `phantom` BoM (mrp) is sold as one product and stocked as its
 * components. Odoo's own kit quantity (`mrp` `product.product._compute_quantities_dict`) explodes
 * the BoM for one kit (`mrp.bom.explode`: each line's quantity rounded up in the line's unit,
 * nested kits followed), leaves out components that are not storable (16/17 `type != 'product'`,
 * 18 `not is_storable`) and lines that do not match the variant's attribute values, converts each
 * line into the component's unit, sums the lines of one component, and answers
 * `floor(min(component qty / per kit) × bom.product_qty)`. The edge's kit takes whole stock units
 * of each component per kit, so the same figure comes out when `per kit / product_qty` is whole;
 * a BoM where it is not (1 component for 2 kits) is reported, not rounded.
 *
 * Which BoM: Odoo's `_bom_find` — active phantom BoMs of the variant (`product_id`) or of its
 * template (`product_id` unset), ordered by `sequence, product_id, id` (a variant's own BoM first
 * at equal sequence: NULL sorts last), the first wins.
 */

export const BOM_FIELDS = ["product_tmpl_id", "product_id", "product_qty", "product_uom_id", "sequence", "bom_line_ids"];
export const BOM_LINE_FIELDS = ["bom_id", "product_id", "product_qty", "product_uom_id", "bom_product_template_attribute_value_ids"];

export interface KitProduct {
  id: number;
  tmplId: number;
  /** product.template.attribute.value ids of the variant. */
  values: readonly number[];
}

export interface Bom {
  id: number;
  tmplId: number;
  productId: number | undefined;
  qty: number;
  /** The unit `qty` is in. */
  uom: number;
  sequence: number;
  lines: readonly BomLine[];
}

export interface BomLine {
  productId: number;
  qty: number;
  uom: number;
  /** The line's attribute values, with their attribute: the line applies to variants that have one value of each attribute. */
  values: ReadonlyArray<{ id: number; attribute: number }>;
}

export interface Component {
  id: number;
  sku: string | undefined;
  storable: boolean;
  uom: number;
}

const bomOrder = (a: Bom, b: Bom) =>
  a.sequence - b.sequence || (a.productId ?? Number.POSITIVE_INFINITY) - (b.productId ?? Number.POSITIVE_INFINITY) || a.id - b.id;

/** The BoM Odoo uses for `product` (`_bom_find`), if any. */
export function bomFor(product: KitProduct, boms: readonly Bom[]): Bom | undefined {
  return [...boms].filter((b) => b.productId === product.id || (b.productId === undefined && b.tmplId === product.tmplId)).sort(bomOrder)[0];
}

/** `_match_all_variant_values`: one of the line's values for each of its attributes is the variant's. */
const lineApplies = (line: BomLine, product: KitProduct): boolean => {
  if (line.values.length === 0) return true;
  const attributes = new Set(line.values.map((v) => v.attribute));
  return line.values.filter((v) => product.values.includes(v.id)).length === attributes.size;
};

/** Odoo's `float_round(x, precision_rounding=r, rounding_method='UP')`. */
const roundUp = (x: number, rounding: number): number => (rounding > 0 ? Math.ceil(Number((x / rounding).toFixed(9))) * rounding : x);

export type KitResult = { kind: "kit"; components: Array<{ sku: string; qty: number }> } | { kind: "plain" } | { kind: "error"; code: string; message: string };

/**
 * One kit's components per kit, in whole stock units, exploded as Odoo explodes it. `plain` when
 * no storable component remains (Odoo's kit quantity is then 0; the edge's product has no stock).
 */
export function explodeKit(product: KitProduct, bom: Bom, boms: readonly Bom[], products: ReadonlyMap<number, Component & KitProduct>, uoms: Uoms): KitResult {
  const perKit = new Map<number, number>();
  const walk = (b: Bom, qty: number, variant: KitProduct, depth: number): string | undefined => {
    if (depth > 10) return "The BoM nests kits more than 10 deep (or in a loop)";
    for (const line of b.lines) {
      if (!lineApplies(line, variant)) continue;
      const component = products.get(line.productId);
      if (!component) return `Component product ${line.productId} was not read`;
      const lineQty = qty * line.qty;
      const sub = bomFor(component, boms);
      if (sub) {
        const converted = toUom(lineQty / sub.qty, line.uom, sub.uom, uoms);
        if (converted === undefined) return `Line unit ${line.uom} does not convert into the sub-kit's unit`;
        const err = walk(sub, converted, component, depth + 1);
        if (err) return err;
        continue;
      }
      const rounded = roundUp(lineQty, uoms.get(line.uom)?.rounding ?? 0);
      if (!component.storable || rounded === 0) continue;
      const inComponentUnit = toUom(rounded, line.uom, component.uom, uoms);
      if (inComponentUnit === undefined) return `Line unit ${line.uom} is not in the category of ${component.sku ?? component.id}'s unit`;
      perKit.set(component.id, (perKit.get(component.id) ?? 0) + inComponentUnit);
    }
    return undefined;
  };
  const err = walk(bom, 1, product, 0);
  if (err) return { kind: "error", code: "kit_bom_unreadable", message: err };
  const components: Array<{ sku: string; qty: number }> = [];
  for (const [id, qty] of perKit) {
    const c = products.get(id);
    const sku = c?.sku;
    if (!sku) return { kind: "error", code: "kit_component_no_sku", message: `Component product ${id} has no Internal Reference (default_code)` };
    const each = Number((qty / bom.qty).toFixed(6));
    if (!Number.isInteger(each) || each < 1)
      return {
        kind: "error",
        code: "kit_component_fraction",
        message: `One kit takes ${each} of ${sku} (BoM makes ${bom.qty}): the edge counts components in whole units`,
      };
    components.push({ sku, qty: each });
  }
  return components.length === 0 ? { kind: "plain" } : { kind: "kit", components };
}

const idsOf = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === "number") : []);

/** Whether `mrp` is installed (its models exist), asked once per run: without it there are no kits. */
export async function hasMrp(client: OdooClient): Promise<boolean> {
  const found = await client.searchRead("ir.model", [["model", "=", "mrp.bom"]], { fields: ["model"] });
  return found.length > 0;
}

export const isStorable = (p: OdooRecord, major: number): boolean => (major >= 18 ? p.is_storable === true : p.type === "product");

/** The fields a kit's products (the kit and every component) are read with. */
export const kitProductFields = (major: number): string[] => [
  "default_code",
  "product_tmpl_id",
  "product_template_attribute_value_ids",
  "uom_id",
  "type",
  ...(major >= 18 ? ["is_storable"] : []),
];

/**
 * The kits among `products` (records read with `kitProductFields`): product id → its components,
 * `plain` (no storable component), or why it cannot be mapped (with the BoM's id). Products
 * without a phantom BoM are not in the answer.
 */
export async function kitsOf(
  client: OdooClient,
  major: number,
  products: readonly OdooRecord[],
  uoms: Uoms,
): Promise<Map<number, KitResult & { bom: number }>> {
  const kits = new Map<number, KitResult & { bom: number }>();
  if (products.length === 0) return kits;
  const known = new Map<number, Component & KitProduct>();
  const remember = (p: OdooRecord) =>
    known.set(p.id, {
      id: p.id,
      sku: text(p.default_code),
      storable: isStorable(p, major),
      uom: m2o(p.uom_id)?.id ?? 0,
      tmplId: m2o(p.product_tmpl_id)?.id ?? -1,
      values: idsOf(p.product_template_attribute_value_ids),
    });
  for (const p of products) remember(p);
  const boms: Bom[] = [];
  const readBoms = async (ids: number[], tmpls: number[]) => {
    const found = await client.searchRead(
      "mrp.bom",
      [["type", "=", "phantom"], "|", ["product_id", "in", ids], "&", ["product_id", "=", false], ["product_tmpl_id", "in", tmpls]],
      { fields: BOM_FIELDS, order: "sequence, product_id, id" },
    );
    const fresh = found.filter((b) => !boms.some((x) => x.id === b.id));
    const lines = fresh.length
      ? await client.searchRead("mrp.bom.line", [["bom_id", "in", fresh.map((b) => b.id)]], { fields: BOM_LINE_FIELDS, order: "id" })
      : [];
    const valueIds = [...new Set(lines.flatMap((l) => idsOf(l.bom_product_template_attribute_value_ids)))];
    const attribute = new Map<number, number>();
    if (valueIds.length)
      for (const v of await client.read("product.template.attribute.value", valueIds, ["attribute_id"])) attribute.set(v.id, m2o(v.attribute_id)?.id ?? -1);
    for (const b of fresh) {
      const bom: Bom = {
        id: b.id,
        tmplId: m2o(b.product_tmpl_id)?.id ?? -1,
        productId: m2o(b.product_id)?.id,
        qty: num(b.product_qty) || 1,
        uom: m2o(b.product_uom_id)?.id ?? 0,
        sequence: num(b.sequence) ?? 0,
        lines: lines
          .filter((l) => m2o(l.bom_id)?.id === b.id)
          .flatMap((l) => {
            const product = m2o(l.product_id)?.id;
            if (product === undefined) return [];
            return [
              {
                productId: product,
                qty: num(l.product_qty) ?? 0,
                uom: m2o(l.product_uom_id)?.id ?? 0,
                values: idsOf(l.bom_product_template_attribute_value_ids).map((id) => ({ id, attribute: attribute.get(id) ?? -1 })),
              },
            ];
          }),
      };
      boms.push(bom);
    }
    return fresh;
  };
  let fresh = await readBoms(
    products.map((p) => p.id),
    [...new Set(products.map((p) => m2o(p.product_tmpl_id)?.id ?? -1))],
  );
  // Components (and nested kits' components) the page did not bring: read them, then their own BoMs.
  for (let depth = 0; fresh.length > 0 && depth < 10; depth++) {
    const missing = [...new Set(boms.flatMap((b) => b.lines.map((l) => l.productId)))].filter((id) => !known.has(id));
    if (missing.length === 0) break;
    const read = await client.read("product.product", missing, kitProductFields(major));
    for (const p of read) remember(p);
    fresh = await readBoms(
      read.map((p) => p.id),
      [...new Set(read.map((p) => m2o(p.product_tmpl_id)?.id ?? -1))],
    );
  }
  for (const p of products) {
    const product = known.get(p.id);
    const bom = product && bomFor(product, boms);
    if (!product || !bom) continue;
    kits.set(p.id, { ...explodeKit(product, bom, boms, known, uoms), bom: bom.id });
  }
  return kits;
}
