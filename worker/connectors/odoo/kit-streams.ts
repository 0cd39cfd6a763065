import type { PulledRow } from "../apply";
import type { PullPage } from "../pull";
import type { RecordError } from "../runs";
import type { OdooClient, OdooRecord } from "./client";
import { changedSince } from "./cursor";
import { m2o } from "./map";

/**
 * The products stream's change streams for how products sell: a changed BoM (`mrp.bom`, archived
 * ones included, any type: a kit that stops being one is re-mapped too), a changed BoM line
 * (`mrp.bom.line`: a line written on its own leaves its BoM's write_date alone) and a changed
 * packaging (`product.packaging`) re-map the products they are for at the next pull. Deleting a
 * BoM or a packaging leaves no write_date: that is seen at the product's next change.
 *
 * Cursor: "products;boms;lines;packagings". An older cursor (products only) reads every BoM and
 * packaging once, so kits are mapped without waiting for a change; a first run starts them now
 * (the products themselves are all read). Without `mrp` the BoM slots stay empty until it is there.
 */
export interface KitSlots {
  products: string | undefined;
  boms: string | undefined;
  lines: string | undefined;
  packagings: string | undefined;
  save(): string;
}

export function kitSlots(cursor: string | undefined, now: () => string): KitSlots {
  const [products, boms, lines, packagings] = (cursor ?? "").split(";").map((c) => c || undefined);
  const start = cursor === undefined ? now : () => undefined;
  const slots: KitSlots = {
    products,
    boms: boms ?? start(),
    lines: lines ?? start(),
    packagings: packagings ?? start(),
    save: () => [slots.products, slots.boms, slots.lines, slots.packagings].map((c) => c ?? "").join(";"),
  };
  return slots;
}

const ids = (records: readonly OdooRecord[], field: string): number[] => [
  ...new Set(records.map((r) => m2o(r[field])?.id).filter((id): id is number => id !== undefined)),
];

export async function* kitChanges(
  client: OdooClient,
  slots: KitSlots,
  mrp: boolean,
  stocked: unknown[],
  fields: string[],
  rowsOf: (records: OdooRecord[]) => Promise<{ rows: PulledRow[]; errors: RecordError[] }>,
): AsyncGenerator<PullPage> {
  /** Re-maps the variants `variantIds` and every variant of `templateIds`. */
  const remap = async (variantIds: number[], templateIds: number[], fetched: number): Promise<PullPage> => {
    const records =
      variantIds.length + templateIds.length > 0
        ? await client.searchRead("product.product", [...stocked, "|", ["id", "in", variantIds], ["product_tmpl_id", "in", templateIds]], { fields })
        : [];
    return { ...(await rowsOf(records)), fetched: fetched + records.length, cursor: slots.save() };
  };
  const everyBom: unknown[] = [["active", "in", [true, false]]];
  if (mrp) {
    for await (const page of changedSince(client, "mrp.bom", everyBom, ["product_id", "product_tmpl_id"], slots.boms)) {
      slots.boms = page.cursor;
      // A BoM for one variant concerns that variant; one for the template, all its variants.
      const variants = ids(page.records, "product_id");
      const templates = ids(
        page.records.filter((b) => m2o(b.product_id) === undefined),
        "product_tmpl_id",
      );
      yield await remap(variants, templates, page.records.length);
    }
    for await (const page of changedSince(client, "mrp.bom.line", [], ["bom_id"], slots.lines)) {
      slots.lines = page.cursor;
      const boms = ids(page.records, "bom_id");
      const owners = boms.length ? await client.searchRead("mrp.bom", [...everyBom, ["id", "in", boms]], { fields: ["product_id", "product_tmpl_id"] }) : [];
      const templates = ids(
        owners.filter((b) => m2o(b.product_id) === undefined),
        "product_tmpl_id",
      );
      yield await remap(ids(owners, "product_id"), templates, page.records.length + owners.length);
    }
  }
  for await (const page of changedSince(client, "product.packaging", [], ["product_id"], slots.packagings)) {
    slots.packagings = page.cursor;
    yield await remap(ids(page.records, "product_id"), [], page.records.length);
  }
}
