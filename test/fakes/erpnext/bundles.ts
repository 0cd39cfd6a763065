import type { Doc, ErpNextFake } from "./app";

/**
 * Issue 12 documents for the ERPNext fake, in the shapes Frappe's REST answers (doctype JSONs of
 * frappe/erpnext: `selling/doctype/product_bundle`, `product_bundle_item`, `stock/doctype/item`,
 * `uom_conversion_detail`): a Product Bundle (`new_item_code` "Parent Item", child `items` with
 * `item_code`, `qty` in the component's stock UOM, `uom`), an item sold in boxes of 12 (`stock_uom`
 * Nos, `sales_uom` Box, child `uoms` rows with `conversion_factor`), their stock (Bins) and prices:
 * one per Nos, one per Box. Child rows carry `parent`, `parentfield`, `parenttype` and `idx`, as
 * `GET /api/resource/<DocType>/<name>` returns them; list calls never include child tables.
 */
export function loadBundles(fake: ErpNextFake): void {
  const add = (doctype: string, d: Record<string, unknown> & { name: string }) => {
    const t = fake.docs.get(doctype) ?? new Map<string, Doc>();
    fake.docs.set(doctype, t);
    t.set(d.name, { doctype, docstatus: 0, ...d, modified: fake.tick() });
  };
  const child = (doctype: string, parenttype: string, parent: string, parentfield: string, rows: Array<Record<string, unknown>>) =>
    rows.map((r, i) => ({ doctype, name: `${parent}-${parentfield}-${i + 1}`, parent, parentfield, parenttype, idx: i + 1, docstatus: 0, ...r }));
  const item = (code: string, name: string, extra: Record<string, unknown> = {}) =>
    add("Item", {
      name: code,
      item_code: code,
      item_name: name,
      valuation_rate: 0,
      disabled: 0,
      is_stock_item: 1,
      stock_uom: "Nos",
      sales_uom: null,
      min_order_qty: 0,
      uoms: child("UOM Conversion Detail", "Item", code, "uoms", [{ uom: "Nos", conversion_factor: 1 }]),
      ...extra,
    });
  item("SKU-LAPTOP", "Laptop");
  item("SKU-BAG", "Laptop bag");
  item("SKU-BUNDLE", "Laptop + bag", { is_stock_item: 0 });
  item("SKU-PEN", "Pen", {
    sales_uom: "Box",
    // ERPNext's purchase minimum (Purchasing tab): not a sales rule.
    min_order_qty: 100,
    uoms: child("UOM Conversion Detail", "Item", "SKU-PEN", "uoms", [
      { uom: "Nos", conversion_factor: 1 },
      { uom: "Box", conversion_factor: 12 },
    ]),
  });
  add("Product Bundle", {
    name: "SKU-BUNDLE",
    new_item_code: "SKU-BUNDLE",
    description: "Laptop + bag",
    items: child("Product Bundle Item", "Product Bundle", "SKU-BUNDLE", "items", [
      { item_code: "SKU-LAPTOP", qty: 1, uom: "Nos", description: "Laptop", rate: 0 },
      { item_code: "SKU-BAG", qty: 2, uom: "Nos", description: "Laptop bag", rate: 0 },
    ]),
  });
  const bin = (name: string, code: string, actual: number) =>
    add("Bin", { name, item_code: code, warehouse: "Stores - BR", actual_qty: actual, reserved_qty: 0, ordered_qty: 0, projected_qty: actual });
  bin("BIN-0101", "SKU-LAPTOP", 7);
  bin("BIN-0102", "SKU-BAG", 9);
  bin("BIN-0103", "SKU-PEN", 100);
  add("Item Price", { name: "ITEM-PRICE-0101", item_code: "SKU-PEN", price_list: "Wholesale", price_list_rate: 0.45, uom: "Nos", selling: 1, customer: null });
  add("Item Price", {
    name: "ITEM-PRICE-0102",
    item_code: "SKU-PEN",
    price_list: "Standard Selling",
    price_list_rate: 6.5,
    uom: "Box",
    selling: 1,
    customer: null,
  });
  add("Item Price", {
    name: "ITEM-PRICE-0103",
    item_code: "SKU-BUNDLE",
    price_list: "Wholesale",
    price_list_rate: 899,
    uom: "Nos",
    selling: 1,
    customer: null,
  });
}
