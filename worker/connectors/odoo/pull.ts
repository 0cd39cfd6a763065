import { z } from "zod";
import type { OdooSettings } from "../../contract/connectors";
import type { PulledRow } from "../apply";
import { split } from "../mapped";
import type { PullPage, PullSource } from "../pull";
import type { RecordError } from "../runs";
import { joinCursor, priceKey, type SnapshotState, splitCursor } from "../snapshot";
import type { OdooClient, OdooRecord } from "./client";
import { changedSince, startingNow } from "./cursor";
import { aggregateStock, m2o, mapCustomer, mapOrder, mapPriceItem, mapPriceList, mapProduct, mapWarehouse, num, type PricedProduct, text } from "./map";
import { SHOP_ORDERS, shopOrderRef } from "./order-ref";

const PAGE = 200;
const PriceKey = z.object({ list: z.string(), sku: z.string(), minQty: z.number() });
/** Products per page of a full stock snapshot (quants and receipts of that many products per read). */
const SNAPSHOT_PAGE = 500;
/** What has stock: storable products (Odoo 16/17 `type = product`, 18 `is_storable`) and consumables. */
const STOCKED: unknown[] = [["type", "!=", "service"]];

/** The Odoo pull: warehouses, products, price lists and items, B2B customers, stock, order status. */
export function odooSource(client: OdooClient, settings: OdooSettings): PullSource {
  let warehouseCodes: Set<string> | undefined;
  const odooWarehouses = async (): Promise<Set<string>> => {
    if (!warehouseCodes) {
      const whs = await client.searchRead("stock.warehouse", [], { fields: ["code"] });
      warehouseCodes = new Set(whs.map((w) => text(w.code)).filter((c): c is string => c !== undefined));
    }
    return warehouseCodes;
  };
  const skusOf = async (ids: number[]): Promise<Map<number, string>> => {
    const out = new Map<number, string>();
    for (let i = 0; i < ids.length; i += PAGE) {
      for (const p of await client.read("product.product", ids.slice(i, i + PAGE), ["default_code"])) {
        const sku = text(p.default_code);
        if (sku) out.set(p.id, sku);
      }
    }
    return out;
  };

  async function* warehouses(): AsyncGenerator<PullPage> {
    const records = await client.searchRead("stock.warehouse", [], { fields: ["name", "code"] });
    yield {
      ...split(
        "warehouses",
        records.map((r) => mapWarehouse(r, settings.warehouses)),
        (i) => `stock.warehouse/${records[i]?.id}`,
      ),
      fetched: records.length,
    };
  }

  async function* products(cursor: string | undefined): AsyncGenerator<PullPage> {
    for await (const page of changedSince(client, "product.product", STOCKED, ["default_code", "name", "barcode", "standard_price"], cursor)) {
      const readAt = Date.now();
      const mapped = page.records.map((r) => mapProduct(r, settings.currency, readAt));
      yield { ...split("products", mapped, (i) => `product.product/${page.records[i]?.id}`), fetched: page.records.length, cursor: page.cursor };
    }
  }

  async function* priceLists(cursor: string | undefined): AsyncGenerator<PullPage> {
    for await (const page of changedSince(client, "product.pricelist", [], ["name", "currency_id"], cursor)) {
      yield {
        ...split("priceLists", page.records.map(mapPriceList), (i) => `product.pricelist/${page.records[i]?.id}`),
        fetched: page.records.length,
        cursor: page.cursor,
      };
    }
  }

  const ITEM_FIELDS = [
    "pricelist_id",
    "applied_on",
    "product_tmpl_id",
    "product_id",
    "compute_price",
    "fixed_price",
    "percent_price",
    "base",
    "price_discount",
    "price_surcharge",
    "price_round",
    "price_min_margin",
    "price_max_margin",
    "min_quantity",
  ];
  const PRICED = ["default_code", "product_tmpl_id", "lst_price", "standard_price"];

  /** Pricelist items → price rows for every SKU each applies to, from the products' sales price and cost. */
  const priceRowsOf = async (records: OdooRecord[], readAt: number): Promise<{ rows: PulledRow[]; errors: RecordError[] }> => {
    const variantIds = [...new Set(records.map((r) => m2o(r.product_id)?.id).filter((id): id is number => id !== undefined))];
    const templateIds = [...new Set(records.filter((r) => r.applied_on === "1_product").map((r) => m2o(r.product_tmpl_id)?.id))].filter(
      (id): id is number => id !== undefined,
    );
    const priced = (p: OdooRecord): PricedProduct | undefined => {
      const sku = text(p.default_code);
      return sku ? { sku, listPrice: num(p.lst_price) ?? 0, cost: num(p.standard_price) ?? 0 } : undefined;
    };
    const byVariant = new Map<number, PricedProduct>();
    for (let i = 0; i < variantIds.length; i += PAGE) {
      for (const p of await client.read("product.product", variantIds.slice(i, i + PAGE), PRICED)) {
        const pp = priced(p);
        if (pp) byVariant.set(p.id, pp);
      }
    }
    const byTemplate = new Map<number, PricedProduct[]>();
    if (templateIds.length > 0) {
      for (const v of await client.searchRead("product.product", [["product_tmpl_id", "in", templateIds]], { fields: PRICED })) {
        const t = m2o(v.product_tmpl_id)?.id;
        const pp = priced(v);
        if (t !== undefined && pp) byTemplate.set(t, [...(byTemplate.get(t) ?? []), pp]);
      }
    }
    const rows: PulledRow[] = [];
    const errors: RecordError[] = [];
    for (const item of records) {
      const productsOf = (r: OdooRecord): PricedProduct[] => {
        if (r.applied_on === "1_product") return byTemplate.get(m2o(r.product_tmpl_id)?.id ?? -1) ?? [];
        const p = byVariant.get(m2o(r.product_id)?.id ?? -1);
        return p ? [p] : [];
      };
      const part = split("prices", mapPriceItem(item, productsOf, readAt), () => `product.pricelist.item/${item.id}`);
      rows.push(...part.rows);
      errors.push(...part.errors);
    }
    return { rows, errors };
  };

  /**
   * A full read of `model` by id, when due, for its keys only: once complete, the driver removes
   * what the edge has and Odoo no longer had (a deleted pricelist item, an archived customer).
   */
  async function* keySnapshot(
    resource: "prices" | "customers",
    model: string,
    domain: unknown[],
    fields: string[],
    keysOf: (records: OdooRecord[]) => Promise<string[]>,
    snap: SnapshotState,
    save: (s: SnapshotState) => string,
  ): AsyncGenerator<PullPage> {
    if (Date.now() < snap.due) return;
    const keys: string[] = [];
    let after = 0;
    let fetched = 0;
    for (;;) {
      const records = await client.searchRead(model, [...domain, ["id", ">", after]], { fields, limit: SNAPSHOT_PAGE, order: "id asc" });
      fetched += records.length;
      keys.push(...(await keysOf(records)));
      const last = records.at(-1);
      if (!last || records.length < SNAPSHOT_PAGE) break;
      after = last.id;
    }
    yield { rows: [], errors: [], fetched, snapshot: { complete: { resource, keys } }, cursor: save({ due: Date.now() + snapshotEvery, after: 0 }) };
  }

  async function* prices(cursor: string | undefined): AsyncGenerator<PullPage> {
    const { changes, snap } = splitCursor(cursor, 1);
    let [c] = changes;
    for await (const page of changedSince(client, "product.pricelist.item", [], ITEM_FIELDS, c)) {
      c = page.cursor;
      yield { ...(await priceRowsOf(page.records, Date.now())), fetched: page.records.length, cursor: joinCursor([c], snap) };
    }
    const keysOf = async (records: OdooRecord[]) =>
      (await priceRowsOf(records, Date.now())).rows.flatMap((r) => {
        const p = PriceKey.safeParse(r.row);
        return p.success ? [priceKey(p.data.list, p.data.sku, p.data.minQty)] : [];
      });
    yield* keySnapshot("prices", "product.pricelist.item", [], ITEM_FIELDS, keysOf, snap, (next) => joinCursor([c], next));
  }

  /** Odoo's default pricelist (the first by sequence): what a partner without its own list buys at. */
  let publicList: Promise<number | undefined> | undefined;
  const defaultPriceList = () => {
    publicList ??= client.searchRead("product.pricelist", [], { fields: ["id"], limit: 1, order: "sequence asc, id asc" }).then((r) => r[0]?.id);
    return publicList;
  };

  const CUSTOMER_FIELDS = ["name", "email", "commercial_company_name", "property_product_pricelist", "credit_limit", "property_payment_term_id"];
  // Companies are customers before their first sale (customer_rank 0); so is anyone who has bought.
  const CUSTOMERS = ["|", ["customer_rank", ">", 0], ["is_company", "=", true]];
  const customerRows = async (records: OdooRecord[]) => {
    const readAt = Date.now();
    const publicId = await defaultPriceList();
    return split(
      "customers",
      records.map((r) => mapCustomer(r, publicId, readAt)),
      (i) => `res.partner/${records[i]?.id}`,
    );
  };

  async function* customers(cursor: string | undefined): AsyncGenerator<PullPage> {
    const { changes, snap } = splitCursor(cursor, 1);
    let [c] = changes;
    for await (const page of changedSince(client, "res.partner", CUSTOMERS, CUSTOMER_FIELDS, c)) {
      c = page.cursor;
      yield { ...(await customerRows(page.records)), fetched: page.records.length, cursor: joinCursor([c], snap) };
    }
    const keysOf = async (records: OdooRecord[]) => (await customerRows(records)).rows.map((r) => r.ref.replace("res.partner/", ""));
    yield* keySnapshot("customers", "res.partner", CUSTOMERS, CUSTOMER_FIELDS, keysOf, snap, (next) => joinCursor([c], next));
  }

  /** Re-reads the whole stock of the given products: quants in internal locations and open receipts. */
  const stockOf = async (productIds: number[]): Promise<PullPage> => {
    const skus = await skusOf(productIds);
    const ids = [...skus.keys()];
    const quants = ids.length
      ? await client.searchRead(
          "stock.quant",
          [
            ["product_id", "in", ids],
            ["location_id.usage", "=", "internal"],
          ],
          {
            fields: ["product_id", "location_id", "quantity", "reserved_quantity"],
          },
        )
      : [];
    const moves = ids.length
      ? await client.searchRead(
          "stock.move",
          [
            ["product_id", "in", ids],
            ["picking_code", "=", "incoming"],
            ["state", "not in", ["draft", "done", "cancel"]],
          ],
          { fields: ["product_id", "product_uom_qty", "date", "location_dest_id", "reference", "picking_id"] },
        )
      : [];
    const demand =
      ids.length && settings.availability === "forecast"
        ? await client.searchRead(
            "stock.move",
            [
              ["product_id", "in", ids],
              ["picking_code", "=", "outgoing"],
              ["state", "in", ["waiting", "confirmed", "partially_available", "assigned"]],
            ],
            { fields: ["product_id", "product_uom_qty", "location_id"] },
          )
        : [];
    const out = aggregateStock({
      skus,
      quants,
      moves,
      demand,
      warehouses: await odooWarehouses(),
      map: settings.warehouses,
      version: Date.now(),
      today: new Date().toISOString().slice(0, 10),
    });
    // Every row of these SKUs is here: the driver writes only those that differ from the edge's.
    return {
      rows: out.rows,
      errors: out.errors.map((e) => ({ resource: "stock", ...e })),
      fetched: quants.length + moves.length + demand.length,
      snapshot: { stockOf: [...skus.values()] },
    };
  };

  const snapshotEvery = (settings.snapshotMinutes ?? 15) * 60_000;

  /**
   * The full stock snapshot, when due: every stocked product, SNAPSHOT_PAGE at a time by id, with
   * all its quants and open receipts. Rows equal to the edge's are skipped by the driver; once the
   * snapshot went through in one run, SKUs the edge still has stock for and Odoo has no product
   * for any more (archived, deleted, reference changed) drop to zero.
   */
  async function* stockSnapshot(snap: SnapshotState, save: (s: SnapshotState) => string): AsyncGenerator<PullPage> {
    if (Date.now() < snap.due) return;
    const whole = snap.after === 0;
    const seen: string[] = [];
    let after = snap.after;
    for (;;) {
      const products = await client.searchRead("product.product", [...STOCKED, ["id", ">", after]], {
        fields: ["default_code"],
        limit: SNAPSHOT_PAGE,
        order: "id asc",
      });
      const last = products.at(-1);
      if (!last) break;
      after = last.id;
      const page = await stockOf(products.map((p) => p.id));
      const skus = products.map((p) => text(p.default_code)).filter((sku): sku is string => sku !== undefined);
      seen.push(...skus);
      const done = products.length < SNAPSHOT_PAGE;
      yield {
        ...page,
        fetched: page.fetched + products.length,
        snapshot: { stockOf: skus, ...(done && whole ? { complete: { resource: "stock" as const, keys: seen } } : {}) },
        cursor: save(done ? { due: Date.now() + snapshotEvery, after: 0 } : { due: snap.due, after }),
      };
      if (done) return;
    }
    yield {
      rows: [],
      errors: [],
      fetched: 0,
      ...(whole ? { snapshot: { complete: { resource: "stock", keys: seen } } } : {}),
      cursor: save({ due: Date.now() + snapshotEvery, after: 0 }),
    };
  }

  async function* stock(cursor: string | undefined): AsyncGenerator<PullPage> {
    // Two change streams (quants, moves) and the snapshot share one cursor: "quants;moves;snap:…".
    const { changes, snap } = splitCursor(cursor, 2);
    let [q, m] = changes;
    let state = snap;
    const save = () => joinCursor([q, m], state);
    for await (const page of changedSince(client, "stock.quant", [["location_id.usage", "=", "internal"]], ["product_id"], q)) {
      q = page.cursor;
      const ids = [...new Set(page.records.map((r) => m2o(r.product_id)?.id).filter((id): id is number => id !== undefined))];
      yield { ...(await stockOf(ids)), cursor: save() };
    }
    // Every move that changes state (receipts, deliveries, inventory adjustments) re-reads its
    // products' stock: a quant that reached zero is deleted by Odoo, so no quant change says so.
    // The first run starts the moves where Odoo's clock is: years of done moves say nothing the
    // quants (read whole just now) and the snapshot do not.
    m ??= startingNow(client);
    for await (const page of changedSince(client, "stock.move", [["state", "!=", "draft"]], ["product_id"], m)) {
      m = page.cursor;
      const ids = [...new Set(page.records.map((r) => m2o(r.product_id)?.id).filter((id): id is number => id !== undefined))];
      yield { ...(await stockOf(ids)), cursor: save() };
    }
    yield* stockSnapshot(state, (next) => {
      state = next;
      return save();
    });
  }

  /** Order status: sale orders with a shop reference, and outgoing pickings, changed since the cursors. */
  const ordersOf = async (saleIds: number[]): Promise<PullPage> => {
    const major = await client.version();
    const readAt = Date.now();
    const orders = (await client.read("sale.order", saleIds, ["name", "state", "client_order_ref", "origin", "write_date"])).filter(
      (o) => shopOrderRef(o) !== undefined,
    );
    const pickings = orders.length
      ? await client.searchRead("stock.picking", [["sale_id", "in", orders.map((o) => o.id)]], {
          fields: ["name", "state", "carrier_id", "carrier_tracking_ref", "date_done", "sale_id", "picking_type_code", "write_date"],
        })
      : [];
    const done = pickings.filter((p) => p.state === "done").map((p) => p.id);
    // Odoo 16 counts what left in `quantity_done`; 17 and 18 in `quantity` (with `picked`).
    const qtyField = major <= 16 ? "quantity_done" : "quantity";
    const moves = done.length ? await client.searchRead("stock.move", [["picking_id", "in", done]], { fields: ["picking_id", "product_id", qtyField] }) : [];
    const skus = await skusOf([...new Set(moves.map((mv) => m2o(mv.product_id)?.id).filter((id): id is number => id !== undefined))]);
    const byPicking = new Map<number, Array<{ sku: string; qty: number }>>();
    for (const mv of moves) {
      const p = m2o(mv.picking_id)?.id;
      const sku = skus.get(m2o(mv.product_id)?.id ?? -1);
      const qty = Math.round(num(mv[qtyField]) ?? 0);
      if (p !== undefined && sku && qty > 0) byPicking.set(p, [...(byPicking.get(p) ?? []), { sku, qty }]);
    }
    const mapped = orders.map((o) =>
      mapOrder(
        o,
        pickings.filter((p) => m2o(p.sale_id)?.id === o.id),
        byPicking,
        readAt,
      ),
    );
    return { ...split("orders", mapped, (i) => `sale.order/${orders[i]?.id}`), fetched: orders.length + pickings.length };
  };

  async function* orders(cursor: string | undefined): AsyncGenerator<PullPage> {
    const [soCursor, pkCursor] = (cursor ?? ";").split(";");
    let so = soCursor || undefined;
    let pk = pkCursor || undefined;
    for await (const page of changedSince(client, "sale.order", SHOP_ORDERS, [], so)) {
      so = page.cursor;
      yield { ...(await ordersOf(page.records.map((r) => r.id))), cursor: `${so};${pk ?? ""}` };
    }
    for await (const page of changedSince(
      client,
      "stock.picking",
      [
        ["picking_type_code", "=", "outgoing"],
        ["sale_id", "!=", false],
      ],
      ["sale_id"],
      pk,
    )) {
      pk = page.cursor;
      const ids = [...new Set(page.records.map((r) => m2o(r.sale_id)?.id).filter((id): id is number => id !== undefined))];
      yield { ...(await ordersOf(ids)), cursor: `${so ?? ""};${pk}` };
    }
  }

  return {
    connector: "odoo",
    resources: ["warehouses", "products", "priceLists", "prices", "customers", "stock", "orders"],
    pages(resource, cursor) {
      switch (resource) {
        case "warehouses":
          return warehouses();
        case "products":
          return products(cursor);
        case "priceLists":
          return priceLists(cursor);
        case "prices":
          return prices(cursor);
        case "customers":
          return customers(cursor);
        case "stock":
          return stock(cursor);
        case "orders":
          return orders(cursor);
      }
    },
  };
}
