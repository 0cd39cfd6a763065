import type { ErpNextSettings } from "../../contract/connectors";
import type { PullResource } from "../apply";
import { type Mapped, split } from "../mapped";
import type { PullPage, PullSource } from "../pull";
import { joinCursor, priceKey, type SnapshotState, splitCursor, stockKey } from "../snapshot";
import { itemUnits, withSales } from "./bundles";
import type { ErpDoc, ErpNextClient } from "./client";
import { mapReturnNote } from "./returns";
import { mapSalesInvoice, SALES_INVOICE_FIELDS } from "./invoices";
import { mapBin, mapCustomer, mapItem, mapItemPrice, mapPriceList, mapSalesOrder, mapWarehouse, str, warehouseCode } from "./map";

const PAGE = 100;
/** Documents per list call of a full snapshot (keys only). */
const SNAPSHOT_PAGE = 1000;

const parseCursor = (c: string | undefined): { at: string; name: string } | undefined => {
  const i = c?.indexOf("|") ?? -1;
  return c && i > 0 ? { at: c.slice(0, i), name: c.slice(i + 1) } : undefined;
};

/**
 * Pages of documents modified since the cursor ("modified|name"), oldest first. Frappe filters
 * are AND-only, so the page asks `modified >= cursor` and drops the ties already seen.
 */
async function* changedSince(
  client: ErpNextClient,
  doctype: string,
  base: unknown[],
  fields: string[],
  cursor: string | undefined,
): AsyncGenerator<{ docs: ErpDoc[]; fetched: number; cursor: string }> {
  const from = parseCursor(cursor);
  const filters = from ? [...base, ["modified", ">=", from.at]] : base;
  for (let start = 0; ; start += PAGE) {
    const docs = await client.list(doctype, {
      fields: [...new Set(["name", "modified", ...fields])],
      filters,
      orderBy: "modified asc, name asc",
      start,
      pageLength: PAGE,
    });
    const fresh = from ? docs.filter((d) => !(d.modified === from.at && String(d.name) <= from.name)) : docs;
    const last = docs.at(-1);
    if (!last) return;
    yield { docs: fresh, fetched: docs.length, cursor: `${String(last.modified)}|${String(last.name)}` };
    if (docs.length < PAGE) return;
  }
}

/** The ERPNext pull: Warehouse, Item, Price List, Item Price, Customer, Bin, Sales Order + Delivery Note, Sales Invoice, return Delivery Note. */
export function erpNextSource(client: ErpNextClient, settings: ErpNextSettings): PullSource {
  async function* warehouses(): AsyncGenerator<PullPage> {
    const docs = await client.list("Warehouse", { fields: ["name", "warehouse_name", "is_group"], filters: [["is_group", "=", 0]], pageLength: 1000 });
    yield {
      ...split(
        "warehouses",
        docs.map((d) => mapWarehouse(d, settings.warehouses)),
        (i) => `Warehouse/${docs[i]?.name}`,
      ),
      fetched: docs.length,
    };
  }

  async function* simple(
    resource: PullResource,
    doctype: string,
    fields: string[],
    base: unknown[],
    map: (d: ErpDoc) => Mapped<unknown>,
    cursor: string | undefined,
  ): AsyncGenerator<PullPage & { cursor: string }> {
    for await (const page of changedSince(client, doctype, base, fields, cursor)) {
      yield {
        ...split(resource, page.docs.map(map), (i) => `${doctype}/${page.docs[i]?.name}`),
        fetched: page.fetched,
        cursor: page.cursor,
      } satisfies PullPage;
    }
  }

  const ITEM_FIELDS = ["item_code", "item_name", "valuation_rate"];
  const itemRows = async (docs: ErpDoc[]) => split("products", await withSales(client, docs.map(mapItem)), (i) => `Item/${docs[i]?.name}`);

  /**
   * Items with their bundle's components and sales unit; a changed Product Bundle re-maps its
   * parent item. Cursor "items\tbundles" (an older one, items only, reads every bundle once).
   */
  async function* products(cursor: string | undefined): AsyncGenerator<PullPage> {
    const [itemCursor, bundleCursor] = (cursor ?? "").split("\t");
    let items = itemCursor || undefined;
    let bundles = bundleCursor || undefined;
    const save = () => `${items ?? ""}\t${bundles ?? ""}`;
    for await (const page of changedSince(client, "Item", [["disabled", "=", 0]], ITEM_FIELDS, items)) {
      items = page.cursor;
      yield { ...(await itemRows(page.docs)), fetched: page.fetched, cursor: save() };
    }
    for await (const page of changedSince(client, "Product Bundle", [], ["new_item_code"], bundles)) {
      bundles = page.cursor;
      const parents = [...new Set(page.docs.map((d) => str(d.new_item_code)).filter((x): x is string => x !== undefined))];
      const docs = parents.length
        ? await client.list("Item", { fields: ["name", "modified", ...ITEM_FIELDS], filters: [["name", "in", parents]], pageLength: parents.length })
        : [];
      yield { ...(await itemRows(docs)), fetched: page.fetched + docs.length, cursor: save() };
    }
  }

  async function* customers(cursor: string | undefined): AsyncGenerator<PullPage> {
    for await (const page of changedSince(client, "Customer", [["disabled", "=", 0]], [], cursor)) {
      // Credit limits are a child table: only the whole document carries them.
      const docs: ErpDoc[] = [];
      for (const d of page.docs) docs.push(await client.get("Customer", String(d.name)));
      yield {
        ...split(
          "customers",
          docs.map((d) => mapCustomer(d, settings.company)),
          (i) => `Customer/${docs[i]?.name}`,
        ),
        fetched: page.fetched,
        cursor: page.cursor,
      };
    }
  }

  const snapshotEvery = (settings.snapshotMinutes ?? 15) * 60_000;

  /**
   * When due, every document of `doctype` is listed for its keys only: once complete, the driver
   * zeroes the stock rows (deleted Bins) or removes the prices (deleted Item Prices) the edge still
   * has and ERPNext no longer had.
   */
  async function* keySnapshot(
    resource: "stockRows" | "prices",
    doctype: string,
    base: unknown[],
    fields: string[],
    keyOf: (d: ErpDoc) => string | undefined,
    snap: SnapshotState,
    save: (s: SnapshotState) => string,
  ): AsyncGenerator<PullPage> {
    if (Date.now() < snap.due) return;
    const keys: string[] = [];
    let fetched = 0;
    for (let start = 0; ; start += SNAPSHOT_PAGE) {
      const docs = await client.list(doctype, { fields: ["name", ...fields], filters: base, orderBy: "name asc", start, pageLength: SNAPSHOT_PAGE });
      fetched += docs.length;
      for (const d of docs) {
        const k = keyOf(d);
        if (k !== undefined) keys.push(k);
      }
      if (docs.length < SNAPSHOT_PAGE) break;
    }
    yield { rows: [], errors: [], fetched, snapshot: { complete: { resource, keys } }, cursor: save({ due: Date.now() + snapshotEvery, after: 0 }) };
  }

  async function* prices(cursor: string | undefined): AsyncGenerator<PullPage> {
    const { changes, snap } = splitCursor(cursor, 1);
    let [c] = changes;
    const fields = ["item_code", "price_list", "price_list_rate", "customer", "uom"];
    for await (const page of changedSince(client, "Item Price", [["selling", "=", 1]], fields, c)) {
      c = page.cursor;
      // Issue 12: prices per the item's sales unit (bundles.ts).
      const units = await itemUnits(client, [...new Set(page.docs.map((d) => str(d.item_code)).filter((x): x is string => x !== undefined))]);
      const mapped = page.docs.map((d) => mapItemPrice(d, units.get(str(d.item_code) ?? "")));
      yield { ...split("prices", mapped, (i) => `Item Price/${page.docs[i]?.name}`), fetched: page.fetched, cursor: joinCursor([c], snap) };
    }
    const keyOf = (d: ErpDoc) => {
      const m = mapItemPrice(d);
      return m.ok ? priceKey(m.row.list, m.row.sku, m.row.minQty) : undefined;
    };
    yield* keySnapshot("prices", "Item Price", [["selling", "=", 1]], [...fields, "modified"], keyOf, snap, (next) => joinCursor([c], next));
  }

  async function* bins(cursor: string | undefined): AsyncGenerator<PullPage> {
    const { changes, snap } = splitCursor(cursor, 1);
    let [c] = changes;
    for await (const page of binsSince(c)) {
      c = page.cursor;
      yield { ...page, cursor: joinCursor([c], snap) };
    }
    const keyOf = (d: ErpDoc) => {
      const sku = str(d.item_code);
      const wh = str(d.warehouse);
      return sku && wh ? stockKey(sku, warehouseCode(wh, settings.warehouses)) : undefined;
    };
    yield* keySnapshot("stockRows", "Bin", [], ["item_code", "warehouse"], keyOf, snap, (next) => joinCursor([c], next));
  }

  async function* binsSince(cursor: string | undefined): AsyncGenerator<PullPage & { cursor: string }> {
    const fields = ["item_code", "warehouse", "actual_qty", "reserved_qty", "ordered_qty", "projected_qty"];
    for await (const page of changedSince(client, "Bin", [], fields, cursor)) {
      const ordered = [...new Set(page.docs.filter((d) => (Number(d.ordered_qty) || 0) > 0).map((d) => String(d.item_code)))];
      const eta = new Map<string, string>();
      if (ordered.length > 0) {
        // Open purchase orders of these items, one row per matching PO line (a child-table join).
        const lines = await client.list("Purchase Order", {
          fields: ["name", "`tabPurchase Order Item`.item_code as item_code", "`tabPurchase Order Item`.schedule_date as item_schedule_date"],
          filters: [
            ["Purchase Order Item", "item_code", "in", ordered],
            ["docstatus", "=", 1],
            ["per_received", "<", 100],
          ],
          pageLength: 1000,
        });
        for (const l of lines) {
          const sku = str(l.item_code);
          const date = str(l.item_schedule_date)?.slice(0, 10);
          if (sku && date && (!eta.has(sku) || date < (eta.get(sku) ?? ""))) eta.set(sku, date);
        }
      }
      const mapped = page.docs.map((d) => mapBin(d, settings.warehouses, eta.get(String(d.item_code))));
      yield { ...split("stock", mapped, (i) => `Bin/${page.docs[i]?.name}`), fetched: page.fetched, cursor: page.cursor };
    }
  }

  const ordersOf = async (poNos: string[]): Promise<PullPage> => {
    if (poNos.length === 0) return { rows: [], errors: [], fetched: 0 };
    const sos = await client.list("Sales Order", {
      fields: ["name", "po_no", "status", "docstatus", "modified"],
      filters: [["po_no", "in", poNos]],
      pageLength: 1000,
    });
    const notes = await client.list("Delivery Note", {
      fields: ["name", "po_no", "docstatus", "lr_no", "lr_date", "transporter_name", "posting_date", "modified"],
      filters: [
        ["po_no", "in", poNos],
        ["is_return", "=", 0],
      ],
      pageLength: 1000,
    });
    const mapped = sos.map((so) =>
      mapSalesOrder(
        so,
        notes.filter((n) => n.po_no === so.po_no),
      ),
    );
    return { ...split("orders", mapped, (i) => `Sales Order/${sos[i]?.name}`), fetched: sos.length + notes.length };
  };

  async function* orders(cursor: string | undefined): AsyncGenerator<PullPage> {
    const [soCursor, dnCursor] = (cursor ?? "\t").split("\t");
    let so = soCursor || undefined;
    let dn = dnCursor || undefined;
    for await (const page of changedSince(client, "Sales Order", [["po_no", "is", "set"]], ["po_no"], so)) {
      so = page.cursor;
      yield { ...(await ordersOf(page.docs.map((d) => String(d.po_no)))), cursor: `${so}\t${dn ?? ""}` };
    }
    for await (const page of changedSince(client, "Delivery Note", [["po_no", "is", "set"]], ["po_no"], dn)) {
      dn = page.cursor;
      yield { ...(await ordersOf([...new Set(page.docs.map((d) => String(d.po_no)))])), cursor: `${so ?? ""}\t${dn}` };
    }
  }

  /** Return Delivery Notes of shop orders; the whole document, for its items. */
  async function* returns(cursor: string | undefined): AsyncGenerator<PullPage> {
    for await (const page of changedSince(
      client,
      "Delivery Note",
      [
        ["is_return", "=", 1],
        ["po_no", "is", "set"],
      ],
      [],
      cursor,
    )) {
      const docs: ErpDoc[] = [];
      for (const d of page.docs) docs.push(await client.get("Delivery Note", String(d.name)));
      yield { ...split("returns", docs.map(mapReturnNote), (i) => `Delivery Note/${docs[i]?.name}`), fetched: page.fetched, cursor: page.cursor };
    }
  }

  return {
    connector: "erpnext",
    resources: ["warehouses", "products", "priceLists", "prices", "customers", "stock", "orders", "invoices", "returns"],
    pages(resource, cursor) {
      switch (resource) {
        case "warehouses":
          return warehouses();
        case "products":
          return products(cursor);
        case "priceLists":
          return simple(resource, "Price List", ["price_list_name", "currency"], [["selling", "=", 1]], mapPriceList, cursor);
        case "prices":
          return prices(cursor);
        case "customers":
          return customers(cursor);
        case "stock":
          return bins(cursor);
        case "orders":
          return orders(cursor);
        case "invoices":
          return simple(resource, "Sales Invoice", SALES_INVOICE_FIELDS, [["docstatus", "in", [1, 2]]], mapSalesInvoice, cursor);
        case "returns":
          return returns(cursor);
      }
    },
  };
}
