import { z } from "zod";
import type { ErpReturnRequest, ReturnRow, ReturnStatus } from "../../contract/account";
import type { ReturnPushResult } from "../connector";
import { RemoteError } from "../errors";
import { fail, type Mapped } from "../mapped";
import type { ErpDoc, ErpNextClient } from "./client";
import { frappeTime, str } from "./map";

/**
 * Returns as ERPNext records them: a return Delivery Note (`is_return` = 1, `return_against` the
 * delivery, negative quantities), made the way the "Return / Credit Note" button makes it
 * (`make_sales_return` maps the delivery) and saved as a draft for staff to receive. Its name is
 * the RMA number; draft = approved, submitted = received (the goods are back in stock), cancelled
 * = rejected. A return the buyer filed is marked in the note's `instructions` as
 * "[backroom-return:<returnRef>]", so a retried delivery finds it and the pull hands its status back.
 */
const MAKE_SALES_RETURN = "erpnext.stock.doctype.delivery_note.delivery_note.make_sales_return";
const markOf = (returnRef: string) => `[backroom-return:${returnRef}]`;
const MARKED = /\[backroom-return:([^\]]+)\]/;

export const returnStatusOf = (docstatus: unknown): ReturnStatus => (docstatus === 1 ? "received" : docstatus === 2 ? "rejected" : "approved");

const Item = z.looseObject({ item_code: z.string(), qty: z.number() });
const SalesReturnDoc = z.looseObject({ items: z.array(Item) });

export async function pushErpNextReturn(client: ErpNextClient, ret: ErpReturnRequest): Promise<ReturnPushResult> {
  const [existing] = await client.list("Delivery Note", {
    fields: ["name", "docstatus"],
    filters: [
      ["is_return", "=", 1],
      ["instructions", "like", `%${markOf(ret.returnRef)}%`],
    ],
    pageLength: 1,
  });
  if (existing) return { ...(str(existing.name) ? { rmaNumber: str(existing.name) } : {}), status: returnStatusOf(existing.docstatus) };
  const deliveries = await client.list("Delivery Note", {
    fields: ["name"],
    filters: [
      ["po_no", "=", ret.orderRef],
      ["is_return", "=", 0],
      ["docstatus", "=", 1],
    ],
    orderBy: "posting_date asc, name asc",
    pageLength: 20,
  });
  for (const dn of deliveries) {
    // What is left to return of each line, as ERPNext maps it (negative quantities).
    const mapped = SalesReturnDoc.safeParse(await client.call(MAKE_SALES_RETURN, { source_name: dn.name }));
    if (!mapped.success) throw new RemoteError("erpnext_bad_answer", "make_sales_return answered no document with items", true);
    const left = (sku: string) => -mapped.data.items.filter((i) => i.item_code === sku).reduce((sum, i) => sum + i.qty, 0);
    if (!ret.lines.every((l) => left(l.sku) >= l.qty)) continue;
    const items = ret.lines.map((l) => {
      const item = mapped.data.items.find((i) => i.item_code === l.sku);
      return { ...item, qty: -l.qty };
    });
    // The mapped document as ERPNext's form would save it: without the client-side markers (`__islocal`, …).
    const fields = Object.fromEntries(Object.entries(mapped.data).filter(([k]) => !k.startsWith("__") && k !== "name"));
    const doc = await client.insert("Delivery Note", {
      ...fields,
      items,
      instructions: `${markOf(ret.returnRef)}${ret.reason ? ` ${ret.reason}` : ""}`,
      docstatus: 0,
    });
    return { ...(str(doc.name) ? { rmaNumber: str(doc.name) } : {}), status: returnStatusOf(doc.docstatus) };
  }
  throw new RemoteError(
    "erpnext_return_refused",
    `No submitted Delivery Note of the shop order ${ret.orderNumber ?? ret.orderRef} has ${ret.lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")} left to return`,
    false,
  );
}

/** A return Delivery Note (the whole document, with its items) as the `returns` kind. */
export function mapReturnNote(d: ErpDoc): Mapped<ReturnRow> {
  const name = str(d.name);
  const ref = `Delivery Note/${name ?? "?"}`;
  const orderRef = str(d.po_no);
  const customer = str(d.customer);
  const version = frappeTime(d.modified);
  if (!name || !customer || version === undefined) return fail(ref, "invalid_record", "The return has no name, customer or modified time");
  if (!orderRef) return fail(ref, "no_order_ref", "The return is not of a shop order (no po_no)");
  const lines = new Map<string, number>();
  for (const i of Array.isArray(d.items) ? d.items : []) {
    const item = Item.safeParse(i);
    if (item.success && item.data.qty !== 0) lines.set(item.data.item_code, (lines.get(item.data.item_code) ?? 0) + Math.abs(Math.round(item.data.qty)));
  }
  if (lines.size === 0) return fail(ref, "no_lines", "The return has no items");
  return {
    ok: true,
    row: {
      returnRef: MARKED.exec(str(d.instructions) ?? "")?.[1] ?? `erpnext-${name}`,
      rmaNumber: name,
      customer,
      orderRef,
      lines: [...lines].map(([sku, qty]) => ({ sku, qty })),
      status: returnStatusOf(d.docstatus),
      at: new Date(version).toISOString(),
      version,
    },
  };
}
