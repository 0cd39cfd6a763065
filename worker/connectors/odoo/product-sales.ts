import type { ProductRow } from "../../contract";
import { fail, type Mapped } from "../mapped";
import type { OdooClient, OdooRecord } from "./client";
import { hasMrp, type KitResult, kitProductFields, kitsOf } from "./kits";
import { readUoms, salesPackagings, type Uom } from "./units";

/**
 * How Odoo products sell, for the products stream: a kit's components (`kits.ts`, only when `mrp`
 * is installed) and the sales unit of a product with a sales packaging (`units.ts`), added to the
 * mapped product rows. What `mrp` and the units are is read once per run.
 */
export interface ProductSalesReader {
  /** The fields the products stream reads beside its own, so kits need no second read. */
  fields(): Promise<string[]>;
  /** `mapped[i]` is `records[i]` mapped: each row gets its components and sales unit. */
  apply(records: readonly OdooRecord[], mapped: ReadonlyArray<Mapped<ProductRow>>): Promise<Array<Mapped<ProductRow>>>;
  /** Whether the shop's Odoo has kits at all. */
  mrp(): Promise<boolean>;
}

export function productSalesReader(client: OdooClient): ProductSalesReader {
  let mrp: Promise<boolean> | undefined;
  let uoms: Promise<Map<number, Uom>> | undefined;
  const isMrp = () => {
    mrp ??= hasMrp(client);
    return mrp;
  };
  return {
    mrp: isMrp,
    fields: async () => kitProductFields(await client.version()),
    async apply(records, mapped) {
      const ids = records.map((r) => r.id);
      const units = await salesPackagings(client, ids);
      let kits = new Map<number, KitResult & { bom: number }>();
      if (await isMrp()) {
        uoms ??= readUoms(client);
        kits = await kitsOf(client, await client.version(), records, await uoms);
      }
      return mapped.map((m, i): Mapped<ProductRow> => {
        const id = records[i]?.id ?? -1;
        if (!m.ok) return m;
        const kit = kits.get(id);
        // A kit whose BoM cannot be mapped keeps what the edge had: never sold as a plain product by mistake.
        if (kit?.kind === "error") return fail(`mrp.bom/${kit.bom}`, kit.code, `${m.row.sku}: ${kit.message}`);
        const salesUnit = units.get(id);
        return { ok: true, row: { ...m.row, ...(kit?.kind === "kit" ? { components: kit.components } : {}), ...(salesUnit ? { salesUnit } : {}) } };
      });
    },
  };
}
