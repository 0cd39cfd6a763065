import { z } from "zod";
import type { OdooSettings } from "../../contract/connectors";
import type { PulledRow } from "../apply";
import { split } from "../mapped";
import type { PullPage, PullSource } from "../pull";
import { joinCursor, priceKey, type SnapshotState, splitCursor } from "../snapshot";
import type { OdooClient, OdooRecord } from "./client";
import { changedSince, startingNow, toAt } from "./cursor";
import { kitChanges, kitSlots } from "./kit-streams";
import { aggregateStock, m2o, mapCustomer, mapOrder, mapPriceList, mapProduct, mapWarehouse, num, PUBLIC_LIST, text } from "./map";
import { invoicePages } from "./invoices";
import { SHOP_ORDERS, shopOrderRef } from "./order-ref";
import { ownPricelistPartners } from "./partners";
import { returnPages } from "./returns";
import { categoryParents, currenciesOf, itemTargets, type PriceContext, priceRowsOf } from "./prices";
import { productSalesReader } from "./product-sales";

const PAGE = 200;
const PriceKey = z.object({ list: z.string(), sku: z.string(), minQty: z.number() });
/** Products per page of a full stock snapshot (quants and receipts of that many products per read). */
const SNAPSHOT_PAGE = 500;
/** What has stock: storable products (Odoo 16/17 `type = product`, 18 `is_storable`) and consumables. */
const STOCKED: unknown[] = [["type", "!=", "service"]];

/** The Odoo pull: warehouses, products, price lists and items, B2B customers, stock, order status, invoices, returns. */
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

  const sales = productSalesReader(client);
  /** Product rows with their kit components and sales unit (`product-sales.ts`). */
  const productRows = async (records: OdooRecord[]) => {
    const readAt = Date.now();
    const mapped = await sales.apply(
      records,
      records.map((r) => mapProduct(r, settings.currency, readAt)),
    );
    return split("products", mapped, (i) => `product.product/${records[i]?.id}`);
  };

  /** Products, and the products whose kit BoM or sales packaging changed: "products;boms;bom lines;packagings" (`kit-streams.ts`). */
  async function* products(cursor: string | undefined): AsyncGenerator<PullPage> {
    const fields = [...new Set(["default_code", "name", "barcode", "standard_price", ...(await sales.fields())])];
    const slots = kitSlots(cursor, () => startingNow(client));
    for await (const page of changedSince(client, "product.product", STOCKED, fields, slots.products)) {
      slots.products = page.cursor;
      yield { ...(await productRows(page.records)), fetched: page.records.length, cursor: slots.save() };
    }
    yield* kitChanges(client, slots, await sales.mrp(), STOCKED, fields, productRows);
  }

  /** The public list (Odoo's sales price), in the shop's currency setting, else the company's. */
  const publicListRow = async (): Promise<PulledRow> => {
    const currency =
      settings.currency ?? m2o((await client.searchRead("res.company", [], { fields: ["currency_id"], limit: 1, order: "id asc" }))[0]?.currency_id)?.name;
    return { ref: "product.pricelist/public", row: { id: PUBLIC_LIST, name: "Sales price (no Odoo pricelist)", currency } };
  };

  async function* priceLists(cursor: string | undefined): AsyncGenerator<PullPage> {
    if (cursor === undefined) yield { rows: [await publicListRow()], errors: [], fetched: 0 };
    for await (const page of changedSince(client, "product.pricelist", [], ["name", "currency_id"], cursor)) {
      yield {
        ...split("priceLists", page.records.map(mapPriceList), (i) => `product.pricelist/${page.records[i]?.id}`),
        fetched: page.records.length,
        cursor: page.cursor,
      };
    }
  }

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

  /** What prices are computed with, once per run: the version, the category tree, whether Odoo has a pricelist. */
  let pricing: Promise<PriceContext> | undefined;
  const priceContext = () => {
    pricing ??= (async () => ({
      client,
      major: await client.version(),
      parents: await categoryParents(client),
      currencies: await currenciesOf(client),
    }))();
    return pricing;
  };

  /** Pages of price rows for the stocked products matching `domain`, SNAPSHOT_PAGE at a time by id. */
  async function* priceRowsWhere(domain: unknown[], from: number, cursorAt: (after: number, done: boolean) => string | undefined): AsyncGenerator<PullPage> {
    const ctx = await priceContext();
    let after = from;
    for (;;) {
      const products = await client.searchRead("product.product", [...STOCKED, ...domain, ["id", ">", after]], {
        fields: ["id"],
        limit: SNAPSHOT_PAGE,
        order: "id asc",
      });
      const last = products.at(-1);
      const done = products.length < SNAPSHOT_PAGE;
      if (last) after = last.id;
      const out = await priceRowsOf(
        ctx,
        products.map((p) => p.id),
        Date.now(),
      );
      const cursor = cursorAt(after, done);
      yield { ...out, fetched: products.length, ...(cursor !== undefined ? { cursor } : {}) };
      if (done) return;
    }
  }

  /**
   * Price rows per list, product and quantity break, computed from Odoo's rules (`prices.ts`).
   * Three change streams (pricelist items, products, product templates) re-price the products they
   * concern. A full pass over every product re-prices them all (`rows` mode: the first run, a
   * changed global rule, a new currency rate) or, as the periodic snapshot, only collects the keys,
   * so that the price rows Odoo no longer gives (a deleted rule, a break moved) are removed at the edge.
   * A rule whose date window opened or closed since the last run re-prices what it concerns, though
   * nothing was written in Odoo.
   * Cursor: "items;products;templates;rows|;rates;windows;packagings;snap:due:after" (a missing slot starts now;
   * a missing packagings slot reads every packaging once).
   */
  async function* prices(cursor: string | undefined): AsyncGenerator<PullPage> {
    const { changes, snap } = splitCursor(cursor, 7);
    let [items, variants, templates, mode, rates, windows, packagings] = changes;
    let state = snap;
    const save = () => joinCursor([items, variants, templates, mode, rates, windows, packagings], state);
    // 4 change slots + the snapshot; an older cursor (items only) was written by per-item pricing.
    if (items === undefined || (cursor ?? "").split(";").length < 5) {
      // The first run prices everything in one full pass; the streams start at Odoo's clock.
      items = startingNow(client);
      packagings = startingNow(client);
      mode = "rows";
      state = { due: 0, after: 0 };
    }
    variants ??= startingNow(client);
    templates ??= startingNow(client);
    rates ??= startingNow(client);
    const ctx = await priceContext();
    /** A full pass re-prices every product, starting now (the page that asked for it only moves the cursor). */
    const repriceAll = (fetched: number): PullPage => {
      if (mode !== "rows") state = { due: 0, after: 0 };
      mode = "rows";
      return { rows: [], errors: [], fetched, cursor: save() };
    };
    // A new or changed currency rate changes every converted price.
    for await (const page of changedSince(client, "res.currency.rate", [], ["currency_id"], rates)) {
      rates = page.cursor;
      yield repriceAll(page.records.length);
    }
    for await (const page of changedSince(client, "product.pricelist.item", [], ["applied_on", "product_id", "product_tmpl_id", "categ_id"], items)) {
      const target = itemTargets(page.records, ctx.parents);
      items = page.cursor;
      if (target.all) {
        // A rule for every product.
        yield repriceAll(page.records.length);
        continue;
      }
      yield* priceRowsWhere(target.domain, 0, (_after, done) => (done ? save() : undefined));
    }
    // Rules that started (date_start passed) or ended (date_end passed) between the last run and now.
    const now = toAt(client.serverTime());
    const since = windows;
    windows = now;
    if (since !== undefined && since < now) {
      const crossed = await client.searchRead(
        "product.pricelist.item",
        ["|", "&", ["date_start", ">", since], ["date_start", "<=", now], "&", ["date_end", ">=", since], ["date_end", "<", now]],
        { fields: ["applied_on", "product_id", "product_tmpl_id", "categ_id"] },
      );
      const target = itemTargets(crossed, ctx.parents);
      if (target.all) yield repriceAll(crossed.length);
      else if (crossed.length > 0) yield* priceRowsWhere(target.domain, 0, (_a, done) => (done ? save() : undefined));
    }
    for await (const page of changedSince(client, "product.product", STOCKED, ["id"], variants)) {
      variants = page.cursor;
      const out = await priceRowsOf(
        ctx,
        page.records.map((r) => r.id),
        Date.now(),
      );
      yield { ...out, fetched: page.records.length, cursor: save() };
    }
    // A changed sales packaging re-prices its product per case (a cursor from before it reads every packaging once).
    for await (const page of changedSince(client, "product.packaging", [], ["product_id"], packagings)) {
      packagings = page.cursor;
      const ids = [...new Set(page.records.map((r) => m2o(r.product_id)?.id).filter((id): id is number => id !== undefined))];
      yield { ...(await priceRowsOf(ctx, ids, Date.now())), fetched: page.records.length, cursor: save() };
    }
    for await (const page of changedSince(client, "product.template", [], ["id"], templates)) {
      templates = page.cursor;
      yield* priceRowsWhere([["product_tmpl_id", "in", page.records.map((r) => r.id)]], 0, (_a, done) => (done ? save() : undefined));
    }
    if (Date.now() < state.due) return;
    // The full pass, resumable by product id; complete (stale rows removed) when read in one run.
    const whole = state.after === 0;
    const withRows = mode === "rows";
    const keys: string[] = [];
    for await (const page of priceRowsWhere([], state.after, (after, done) => {
      state = done ? { due: Date.now() + snapshotEvery, after: 0 } : { due: state.due, after };
      if (done) mode = undefined;
      return save();
    })) {
      for (const r of page.rows) {
        const k = PriceKey.safeParse(r.row);
        if (k.success) keys.push(priceKey(k.data.list, k.data.sku, k.data.minQty));
      }
      const complete = whole && state.after === 0;
      yield {
        rows: withRows ? page.rows : [],
        errors: withRows ? page.errors : [],
        fetched: page.fetched,
        ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
        ...(complete ? { snapshot: { complete: { resource: "prices" as const, keys } } } : {}),
      };
    }
  }

  const CUSTOMER_FIELDS = ["name", "email", "commercial_company_name", "property_product_pricelist", "credit_limit", "property_payment_term_id"];
  /**
   * Who is a B2B customer: anyone who has bought (customer_rank > 0: Odoo raises it when an
   * invoice is posted), every company, and anyone given a pricelist of their own before a sale.
   */
  let customerDomain: Promise<unknown[]> | undefined;
  const customersWhere = () => {
    customerDomain ??= ownPricelistPartners(client).then((ids) => ["|", "|", ["customer_rank", ">", 0], ["is_company", "=", true], ["id", "in", ids]]);
    return customerDomain;
  };
  const customerRows = async (records: OdooRecord[]) => {
    const readAt = Date.now();
    return split(
      "customers",
      records.map((r) => mapCustomer(r, readAt)),
      (i) => `res.partner/${records[i]?.id}`,
    );
  };

  async function* customers(cursor: string | undefined): AsyncGenerator<PullPage> {
    const { changes, snap } = splitCursor(cursor, 1);
    let [c] = changes;
    const where = await customersWhere();
    for await (const page of changedSince(client, "res.partner", where, CUSTOMER_FIELDS, c)) {
      c = page.cursor;
      yield { ...(await customerRows(page.records)), fetched: page.records.length, cursor: joinCursor([c], snap) };
    }
    const keysOf = async (records: OdooRecord[]) => (await customerRows(records)).rows.map((r) => r.ref.replace("res.partner/", ""));
    yield* keySnapshot("customers", "res.partner", where, CUSTOMER_FIELDS, keysOf, snap, (next) => joinCursor([c], next));
  }

  /** Re-reads the whole stock of the given products: quants in internal locations, open receipts and open deliveries. */
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
    const demand = ids.length
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
      availability: settings.availability ?? "free",
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
    resources: ["warehouses", "products", "priceLists", "prices", "customers", "stock", "orders", "invoices", "returns"],
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
        case "invoices":
          return invoicePages(client, cursor);
        case "returns":
          return returnPages(client, cursor);
      }
    },
  };
}
