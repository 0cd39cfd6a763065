import { Hono } from "hono";
import { type AccountFake, accountFake, NOT_MINE } from "./account";
import { capturedFor } from "./captured";
import { currencyRate } from "./currency";
import { matches, type Rec, scalarOf, sortable } from "./domain";
import { kitCreate } from "./kits";
import { BASE_WRITE_DATE, type Db, knownFields, seed, type Version } from "./seed";

/**
 * A fake Odoo speaking `/jsonrpc` (`common.version/login/authenticate`, `object.execute_kw`) for
 * 16–18 and JSON-2 (`/json/2/<model>/<method>`, `/web/version`) for 19, seeded from the captured
 * answers of real servers and answering errors the way they do (HTTP 200 + `error` in JSON-RPC,
 * 4xx + JSON body in JSON-2). Tests can queue faults (429 with Retry-After, 500) and read calls.
 */
export interface OdooFake {
  app: Hono;
  fetch(request: Request): Promise<Response>;
  db: Db;
  version: Version;
  /** Invoices, their PDFs and the return wizard (account.ts). */
  account: AccountFake;
  /** Each call as "model.method" (or "common.method"). */
  calls: string[];
  /** Answers the next requests with these HTTP faults, one each, before serving normally again. */
  faults: Array<{ status: number; retryAfter?: string }>;
  /** One `execute_kw` as a real client sends it over `/jsonrpc` (16–18); answers `result`, throws Odoo's error. */
  rpc(model: string, method: string, args: unknown[], kw?: Record<string, unknown>): Promise<unknown>;
  /** Advances the fake's clock (write_date of what it creates or changes next) by seconds. */
  tick(seconds?: number): string;
  now(): string;
}

/** The credentials of the captured servers: database "probe" (16), "probe17", "probe18"; admin/admin. */
export const fakeDb = (version: Version): string => (version === 16 ? "probe" : `probe${version}`);
export const FAKE_LOGIN = "admin";
export const FAKE_KEY = "admin";

class OdooException extends Error {
  constructor(
    readonly odooName: string,
    message: string,
  ) {
    super(message);
  }
}

const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
/** PostgreSQL's `timestamp` as Odoo stores it: microseconds, e.g. "2026-11-23 01:00:01.123457". */
const fmtMicro = (us: number) => `${fmt(Math.floor(us / 1000))}.${String(us % 1_000_000).padStart(6, "0")}`;

/**
 * Each model's `_order` in Odoo 16–18: what `search_read` sorts by when no `order` is given, so a
 * caller that pages without an order sees what real Odoo returns.
 */
const DEFAULT_ORDER: Record<string, string> = {
  "product.product": "default_code asc, name asc, id asc",
  "product.pricelist": "sequence asc, id asc",
  "product.pricelist.item": "applied_on asc, min_quantity desc, categ_id desc, id desc",
  "res.partner": "name asc, id desc",
  "sale.order": "date_order desc, id desc",
  "stock.picking": "priority desc, scheduled_date asc, id desc",
  "stock.move": "sequence asc, id asc",
  "stock.warehouse": "sequence asc, id asc",
};

/** Fields Odoo reads back as whole seconds (the ORM drops the microseconds PostgreSQL keeps). */
const DATETIME_FIELDS = new Set(["write_date", "create_date", "date_done", "date", "date_order", "scheduled_date"]);

export function createOdooFake(version: Version): OdooFake {
  const db = seed(version);
  const FAKE_DB = fakeDb(version);
  const calls: string[] = [];
  const faults: OdooFake["faults"] = [];
  // The clock in microseconds: Odoo's write_date is the transaction's start (`cr.now()`), so every
  // record one call writes shares one stamp, microseconds included.
  let clock = (Date.parse(`${BASE_WRITE_DATE.replace(" ", "T")}Z`) + 3600_000) * 1000;
  let txStamp: string | undefined;
  const errorTemplate = capturedFor(version === 19 ? 18 : version).find((c) => c.file.startsWith("15_"))?.response.error;
  const table = (model: string): Map<number, Rec> => {
    const t = db.get(model);
    if (!t) throw new OdooException("odoo.exceptions.UserError", `Object ${model} doesn't exist`);
    return t;
  };
  const nextId = (model: string) => Math.max(0, ...table(model).keys()) + 1;
  const stamp = () => {
    if (txStamp === undefined) {
      clock += 1_000_000 + 123_457;
      txStamp = fmtMicro(clock);
    }
    return txStamp;
  };
  const resolve = (_model: string, field: string, value: unknown) => {
    const target: Record<string, string> = {
      location_id: "stock.location",
      location_dest_id: "stock.location",
      product_id: "product.product",
      picking_id: "stock.picking",
      sale_id: "sale.order",
      move_ids: "stock.move",
    };
    const m = target[field];
    const id = Array.isArray(value) ? value[0] : value;
    const record = m && typeof id === "number" ? db.get(m)?.get(id) : undefined;
    return record ? { model: m, record } : undefined;
  };
  const project = (model: string, recs: Rec[], fields: unknown): Rec[] => {
    const known = knownFields(version, model, db);
    const wanted = Array.isArray(fields) && fields.length > 0 ? fields.map(String) : [...known];
    for (const f of wanted) if (!known.has(f)) throw new OdooException("builtins.ValueError", `Invalid field '${f}' on model '${model}'`);
    const readBack = (f: string, v: unknown) => (DATETIME_FIELDS.has(f) && typeof v === "string" ? v.slice(0, 19) : (v ?? false));
    // `res.currency.rate` is computed on read, for today (the fake's clock).
    if (model === "res.currency") recs = recs.map((r) => ({ ...r, rate: currencyRate(db, r.id, fmt(Math.floor(clock / 1000)).slice(0, 10)) }));
    return recs.map((r) => Object.fromEntries([["id", r.id], ...wanted.filter((f) => f !== "id").map((f) => [f, readBack(f, r[f])])]) as Rec);
  };
  const order = (model: string, recs: Rec[], spec: unknown): Rec[] => {
    const keys = (typeof spec === "string" && spec.trim() !== "" ? spec : (DEFAULT_ORDER[model] ?? "id")).split(",").map((s) => s.trim().split(/\s+/));
    const known = knownFields(version, model, db);
    for (const [k = ""] of keys)
      if (typeof spec === "string" && !known.has(k)) throw new OdooException("builtins.ValueError", `Invalid field '${k}' on model '${model}'`);
    const key = (v: unknown) => sortable(scalarOf(v));
    return [...recs].sort((a, b) => {
      for (const [k = "id", dir] of keys) {
        const x = key(a[k]);
        const y = key(b[k]);
        // PostgreSQL puts NULL (Odoo's false) last ascending, first descending.
        if (x !== y) return (x === undefined ? 1 : y === undefined ? -1 : x < y ? -1 : 1) * (dir?.toLowerCase() === "desc" ? -1 : 1);
      }
      return 0;
    });
  };
  const search = (model: string, domain: unknown, kw: Record<string, unknown>): Rec[] => {
    const all = [...table(model).values()].filter((r) => matches(model, r, Array.isArray(domain) ? domain : [], resolve));
    const offset = typeof kw.offset === "number" ? kw.offset : 0;
    const sorted = order(model, all, kw.order);
    return typeof kw.limit === "number" ? sorted.slice(offset, offset + kw.limit) : sorted.slice(offset);
  };
  const ids = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === "number") : typeof v === "number" ? [v] : []);

  const account = accountFake({
    db,
    version,
    table,
    nextId,
    stamp,
    raise: (name, message) => {
      throw new OdooException(name, message);
    },
  });

  function create(model: string, vals: Record<string, unknown>): number {
    const id = nextId(model);
    const rec: Rec = { id, ...vals, write_date: stamp() };
    if (model === "sale.order") {
      const partner = db.get("res.partner")?.get(Number(vals.partner_id));
      if (!partner) throw new OdooException("odoo.exceptions.ValidationError", "The partner does not exist");
      rec.partner_id = [partner.id, String(partner.name)];
      rec.name = `S${String(id).padStart(5, "0")}`;
      rec.state = "draft";
      rec.client_order_ref = vals.client_order_ref ?? false;
      rec.picking_ids = [];
      rec.order_line = [];
      table(model).set(id, rec);
      orderLines(rec, vals.order_line);
      return id;
    }
    kitCreate(model, rec, productName);
    table(model).set(id, rec);
    return id;
  }

  const productName = (id: number) => {
    const p = table("product.product").get(id);
    if (!p) throw new OdooException("odoo.exceptions.ValidationError", `Product ${id} does not exist`);
    return `[${p.default_code}] ${p.name}`;
  };
  const lineOf = (so: Rec): Array<{ product_id: number; product_uom_qty: number }> =>
    (so.order_line as unknown[]).flatMap((l) => {
      const line = typeof l === "number" ? db.get("sale.order.line")?.get(l) : undefined;
      return line ? [{ product_id: (line.product_id as [number])[0], product_uom_qty: Number(line.product_uom_qty) }] : [];
    });

  /**
   * `order_line` x2many commands on a sale order, with Odoo's rules: (0, 0, vals) adds a line,
   * (1, id, vals) changes one, (2, id) removes one, only before confirmation ("set the quantity
   * to 0 instead" after); a cancelled or locked order takes no edit. On a confirmed order a
   * quantity change follows through to the open delivery's move.
   */
  function orderLines(so: Rec, commands: unknown): void {
    if (!Array.isArray(commands)) return;
    const lines = db.get("sale.order.line") ?? db.set("sale.order.line", new Map()).get("sale.order.line") ?? new Map<number, Rec>();
    // As captured (99b_): a locked order (16: state "done", 17/18: `locked`) refuses line changes.
    if (so.state === "done" || so.locked === true)
      throw new OdooException("odoo.exceptions.UserError", "It is forbidden to modify the following fields in a locked order:\nQuantity");
    if (so.state === "cancel") throw new OdooException("odoo.exceptions.UserError", "You cannot modify the lines of a cancelled order.");
    for (const cmd of commands) {
      if (!Array.isArray(cmd)) continue;
      const [op, lineId, vals] = cmd as [number, number, Record<string, unknown> | undefined];
      if (op === 0 && vals) {
        const id = Math.max(0, ...lines.keys()) + 1;
        const productId = Number(vals.product_id);
        lines.set(id, {
          id,
          order_id: [so.id, String(so.name)],
          product_id: [productId, productName(productId)],
          name: vals.name ?? productName(productId),
          product_uom_qty: Number(vals.product_uom_qty ?? 1),
          price_unit: vals.price_unit ?? table("product.product").get(productId)?.list_price ?? 0,
          qty_delivered: 0,
          write_date: stamp(),
        });
        so.order_line = [...(so.order_line as number[]), id];
      } else if (op === 1 && vals) {
        const line = lines.get(lineId);
        if (!line) throw new OdooException("odoo.exceptions.MissingError", "Record does not exist or has been deleted.");
        if (vals.product_uom_qty !== undefined && Number(vals.product_uom_qty) < Number(line.qty_delivered))
          throw new OdooException(
            "odoo.exceptions.UserError",
            "The ordered quantity of a sale order line cannot be decreased below the amount already delivered.",
          );
        const diff = Number(vals.product_uom_qty ?? line.product_uom_qty) - Number(line.product_uom_qty);
        Object.assign(line, vals, { write_date: stamp() });
        if (so.state === "sale" && diff !== 0) followOnDelivery(so, (line.product_id as [number])[0], diff);
      } else if (op === 2) {
        if (so.state === "sale")
          throw new OdooException(
            "odoo.exceptions.UserError",
            "Once a sales order is confirmed, you can't remove one of its lines (we need to track if something gets invoiced or delivered).\n                Set the quantity to 0 instead.",
          );
        lines.delete(lineId);
        so.order_line = (so.order_line as number[]).filter((l) => l !== lineId);
      }
    }
    so.write_date = stamp();
  }

  /** A confirmed order's line quantity changed: its open delivery move and the quant's reservation follow. */
  function followOnDelivery(so: Rec, productId: number, diff: number): void {
    for (const pickId of so.picking_ids as number[]) {
      const pk = table("stock.picking").get(pickId);
      if (!pk || pk.state === "done" || pk.state === "cancel") continue;
      const mv = (pk.move_ids as number[]).map((m) => table("stock.move").get(m)).find((m) => m && (m.product_id as [number])[0] === productId);
      if (!mv) continue;
      mv.product_uom_qty = Number(mv.product_uom_qty) + diff;
      mv.write_date = stamp();
      const quant = [...table("stock.quant").values()].find((q) => (q.product_id as [number])[0] === productId);
      if (quant) Object.assign(quant, { reserved_quantity: Math.max(0, Number(quant.reserved_quantity) + diff), write_date: stamp() });
      return;
    }
  }

  /**
   * `action_cancel` as 16–18 answer it over RPC: on an order past draft it returns the "Cancel
   * Sales Order" wizard and cancels nothing, unless the context says `disable_cancel_warning`.
   */
  function cancel(soId: number, context: Record<string, unknown> | undefined): unknown {
    const so = table("sale.order").get(soId);
    if (!so) throw new OdooException("odoo.exceptions.MissingError", "Record does not exist or has been deleted.");
    // 17/18 refuse to cancel a locked order (99c_); 16 cancels a "done" one.
    if (so.locked === true) throw new OdooException("odoo.exceptions.UserError", "You cannot cancel a locked order. Please unlock it first.");
    if (so.state !== "draft" && !context?.disable_cancel_warning)
      return { name: "Cancel Sales Order", res_model: "sale.order.cancel", type: "ir.actions.act_window", view_mode: "form", target: "new" };
    for (const pickId of so.picking_ids as number[]) {
      const pk = table("stock.picking").get(pickId);
      if (!pk || pk.state === "done") continue;
      pk.state = "cancel";
      pk.write_date = stamp();
      for (const moveId of pk.move_ids as number[]) {
        const mv = table("stock.move").get(moveId);
        if (!mv) continue;
        Object.assign(mv, { state: "cancel", write_date: stamp() });
        const quant = [...table("stock.quant").values()].find((q) => (q.product_id as [number])[0] === (mv.product_id as [number])[0]);
        if (quant) Object.assign(quant, { reserved_quantity: Math.max(0, Number(quant.reserved_quantity) - Number(mv.product_uom_qty)), write_date: stamp() });
      }
    }
    so.state = "cancel";
    so.write_date = stamp();
    return true;
  }

  /** Locking as 16 does it (`action_done`: state "done") and 17/18 (`action_lock`: `locked`); `action_unlock` undoes either. */
  function lock(soId: number, method: string): void {
    const so = table("sale.order").get(soId);
    if (!so) throw new OdooException("odoo.exceptions.MissingError", "Record does not exist or has been deleted.");
    if ((method === "action_lock") !== version >= 17 && method !== "action_unlock")
      throw new OdooException("builtins.AttributeError", `The method '${method}' does not exist on the model 'sale.order'`);
    if (method === "action_done") so.state = "done";
    else if (method === "action_lock") so.locked = true;
    else {
      if (so.state === "done") so.state = "sale";
      so.locked = false;
    }
    so.write_date = stamp();
  }

  function confirm(soId: number): void {
    const so = table("sale.order").get(soId);
    if (!so) throw new OdooException("odoo.exceptions.MissingError", "Record does not exist or has been deleted.");
    if (so.state !== "draft" && so.state !== "sent")
      throw new OdooException("odoo.exceptions.UserError", `The following orders are not in a state requiring confirmation: ${so.name}`);
    so.state = "sale";
    so.write_date = stamp();
    const pickId = nextId("stock.picking");
    const moveIds: number[] = [];
    for (const l of lineOf(so)) {
      const product = table("product.product").get(l.product_id);
      const moveId = nextId("stock.move");
      moveIds.push(moveId);
      table("stock.move").set(moveId, {
        id: moveId,
        picking_id: [pickId, `WH/OUT/${String(pickId).padStart(5, "0")}`],
        product_id: [l.product_id, `[${product?.default_code}] ${product?.name}`],
        product_uom_qty: l.product_uom_qty,
        state: "assigned",
        picking_code: "outgoing",
        location_dest_id: [5, "Partners/Customers"],
        date: so.write_date,
        reference: `WH/OUT/${String(pickId).padStart(5, "0")}`,
        ...(version <= 16 ? { quantity_done: 0 } : { quantity: l.product_uom_qty, picked: false }),
        write_date: so.write_date,
      });
      const quant = [...table("stock.quant").values()].find((q) => (q.product_id as [number])[0] === l.product_id);
      if (quant) {
        quant.reserved_quantity = Number(quant.reserved_quantity) + l.product_uom_qty;
        quant.write_date = so.write_date;
      }
    }
    table("stock.picking").set(pickId, {
      id: pickId,
      name: `WH/OUT/${String(pickId).padStart(5, "0")}`,
      state: "assigned",
      carrier_id: false,
      carrier_tracking_ref: false,
      date_done: false,
      origin: version >= 18 && so.client_order_ref ? `${so.name} - ${so.client_order_ref}` : so.name,
      sale_id: [so.id, String(so.name)],
      picking_type_code: "outgoing",
      move_ids: moveIds,
      write_date: so.write_date,
    });
    so.picking_ids = [...(so.picking_ids as number[]), pickId];
  }

  function validate(pickId: number, context: Record<string, unknown> | undefined): unknown {
    const pk = table("stock.picking").get(pickId);
    if (!pk) throw new OdooException("odoo.exceptions.MissingError", "Record does not exist or has been deleted.");
    if (version <= 16 && !context?.skip_sms) {
      // As captured from Odoo 16: the SMS confirmation wizard unless skip_sms is in the context.
      return capturedFor(16).find((c) => c.file.startsWith("24_"))?.response.result;
    }
    pk.state = "done";
    pk.date_done = pk.write_date = stamp();
    for (const moveId of pk.move_ids as number[]) {
      const mv = table("stock.move").get(moveId);
      if (!mv) continue;
      mv.state = "done";
      mv.write_date = pk.write_date;
      if (version <= 16) mv.quantity_done = mv.product_uom_qty;
      else mv.picked = true;
      const quant = [...table("stock.quant").values()].find((q) => (q.product_id as [number])[0] === (mv.product_id as [number])[0]);
      // A return (incoming) brings the units back.
      const sign = mv.picking_code === "incoming" ? -1 : 1;
      if (quant && sign < 0) {
        quant.quantity = Number(quant.quantity) + Number(mv.product_uom_qty);
        quant.write_date = pk.write_date;
      } else if (quant) {
        quant.quantity = Number(quant.quantity) - Number(mv.product_uom_qty);
        quant.reserved_quantity = Math.max(0, Number(quant.reserved_quantity) - Number(mv.product_uom_qty));
        quant.write_date = pk.write_date;
      }
    }
    return true;
  }

  /**
   * `stock.quant.action_apply_inventory` as Odoo 16–18 do it: the counted quantity becomes the
   * quant's, through a done inventory move (no picking) from or to "Inventory adjustment". A quant
   * counted to zero stays at zero until the scheduler deletes it.
   */
  function applyInventory(quantId: number): void {
    const q = table("stock.quant").get(quantId);
    if (!q) throw new OdooException("odoo.exceptions.MissingError", "Record does not exist or has been deleted.");
    const counted = Number(q.inventory_quantity ?? 0);
    const diff = counted - Number(q.quantity);
    const moveId = nextId("stock.move");
    const adjust = [14, "Virtual Locations/Inventory adjustment"];
    table("stock.move").set(moveId, {
      id: moveId,
      picking_id: false,
      product_id: q.product_id,
      product_uom_qty: Math.abs(diff),
      state: "done",
      picking_code: false,
      is_inventory: true,
      location_id: diff < 0 ? q.location_id : adjust,
      location_dest_id: diff < 0 ? adjust : q.location_id,
      date: stamp(),
      reference: "Product Quantity Updated",
      ...(version <= 16 ? { quantity_done: Math.abs(diff) } : { quantity: Math.abs(diff), picked: true }),
      write_date: stamp(),
    });
    Object.assign(q, { quantity: counted, inventory_quantity: 0, write_date: stamp() });
  }

  /** `procurement.group.run_scheduler`: among its quant tasks, Odoo deletes every quant at zero. */
  function runScheduler(): Record<string, never> {
    const quants = table("stock.quant");
    for (const [id, q] of quants) if (Number(q.quantity) === 0 && Number(q.reserved_quantity) === 0) quants.delete(id);
    return {};
  }

  /** One ORM call with positional args (as execute_kw passes them) and keyword args. */
  function orm(model: string, method: string, args: unknown[], kw: Record<string, unknown>): unknown {
    calls.push(`${model}.${method}`);
    txStamp = undefined;
    if (model === "procurement.group" && method === "run_scheduler") return runScheduler();
    table(model);
    switch (method) {
      case "search_read":
        return project(model, search(model, args[0] ?? kw.domain, kw), kw.fields);
      case "search":
        return search(model, args[0] ?? kw.domain, kw).map((r) => r.id);
      case "search_count":
        return search(model, args[0] ?? kw.domain, {}).length;
      case "read":
        return project(
          model,
          ids(args[0] ?? kw.ids)
            .map((id) => table(model).get(id))
            .filter((r): r is Rec => r !== undefined),
          args[1] ?? kw.fields,
        );
      case "create": {
        const v = args[0] ?? kw.vals_list;
        return Array.isArray(v) ? v.map((x) => create(model, x as Record<string, unknown>)) : create(model, v as Record<string, unknown>);
      }
      case "write": {
        const vals = (args[1] ?? kw.vals) as Record<string, unknown>;
        const known = knownFields(version, model, db);
        for (const f of Object.keys(vals)) if (!known.has(f)) throw new OdooException("builtins.ValueError", `Invalid field '${f}' on model '${model}'`);
        for (const id of ids(args[0] ?? kw.ids)) {
          const r = table(model).get(id);
          if (!r) continue;
          const { order_line: commands, ...rest } = vals;
          if (model === "sale.order" && commands !== undefined) orderLines(r, commands);
          Object.assign(r, model === "sale.order" ? rest : vals, { write_date: stamp() });
        }
        return true;
      }
      case "action_cancel": {
        let result: unknown = true;
        for (const id of ids(args[0] ?? kw.ids)) result = cancel(id, (kw.context as Record<string, unknown>) ?? undefined);
        return result;
      }
      case "action_confirm":
        for (const id of ids(args[0] ?? kw.ids)) confirm(id);
        return true;
      case "action_lock":
      case "action_done":
      case "action_unlock":
        for (const id of ids(args[0] ?? kw.ids)) lock(id, method);
        // They return None: Odoo's answer has no `result` (as captured, 99d_ and `action_unlock` over curl).
        return null;
      case "button_validate": {
        let result: unknown = true;
        for (const id of ids(args[0] ?? kw.ids)) result = validate(id, (kw.context as Record<string, unknown>) ?? undefined);
        return result;
      }
      case "action_apply_inventory":
        for (const id of ids(args[0] ?? kw.ids)) applyInventory(id);
        return null;
      case "fields_get":
        return capturedFor(version === 19 ? 18 : version).find((c) => c.file.startsWith("27_"))?.response.result;
      default: {
        const answer = account.orm(model, method, args);
        if (answer !== NOT_MINE) return answer;
        throw new OdooException("builtins.AttributeError", `The method '${method}' does not exist on the model '${model}'`);
      }
    }
  }

  const rpcError = (e: OdooException) => ({
    code: 200,
    message: "Odoo Server Error",
    data: {
      name: e.odooName,
      debug: `${String(errorTemplate?.data.debug ?? "Traceback (most recent call last):\n")
        .split("\n")
        .slice(0, -2)
        .join("\n")}\n${e.odooName}: ${e.message}\n`,
      message: e.message,
      arguments: [e.message],
      context: {},
    },
  });

  const app = new Hono();
  // Werkzeug dates every answer: the connector reads Odoo's clock from it.
  app.use("*", async (c, next) => {
    await next();
    c.res.headers.set("date", new Date(Math.floor(clock / 1000)).toUTCString());
  });
  app.use("*", async (c, next) => {
    const fault = faults.shift();
    if (fault) return c.json({ error: "fault" }, fault.status as 429, fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
    await next();
  });
  app.post("/jsonrpc", async (c) => {
    const body = await c.req.json<{ id: number; params: { service: string; method: string; args: unknown[] } }>();
    const { service, method, args } = body.params;
    try {
      if (version === 19) throw new OdooException("werkzeug.exceptions.NotFound", "use /json/2");
      if (service === "common") {
        calls.push(`common.${method}`);
        if (method === "version")
          return c.json({ jsonrpc: "2.0", id: body.id, result: capturedFor(version).find((x) => x.file.startsWith("01_"))?.response.result });
        const ok = args[0] === FAKE_DB && args[1] === FAKE_LOGIN && args[2] === FAKE_KEY;
        return c.json({ jsonrpc: "2.0", id: body.id, result: ok ? 2 : false });
      }
      const [dbName, uid, key, model, call, posArgs, kw] = args as [string, number, string, string, string, unknown[], Record<string, unknown>?];
      if (dbName !== FAKE_DB || uid !== 2 || key !== FAKE_KEY) throw new OdooException("odoo.exceptions.AccessDenied", "Access Denied");
      const result = orm(model, call, posArgs ?? [], kw ?? {});
      // Odoo leaves `result` out when the method answered None.
      return c.json(result === null || result === undefined ? { jsonrpc: "2.0", id: body.id } : { jsonrpc: "2.0", id: body.id, result });
    } catch (e) {
      if (e instanceof OdooException) return c.json({ jsonrpc: "2.0", id: body.id, error: rpcError(e) });
      throw e;
    }
  });
  account.routes(app);
  app.get("/web/version", (c) => c.json({ version_info: [version, 0, 0, "final", 0, ""], version: `${version}.0` }));
  // Odoo ≤ 18 has no JSON-2: werkzeug's HTML 404 page, as for any unknown route.
  app.notFound((c) =>
    c.html(
      "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n",
      404,
    ),
  );
  app.post("/json/2/:model/:method", async (c, next) => {
    if (version < 19) return next();
    if (c.req.header("authorization")?.toLowerCase() !== `bearer ${FAKE_KEY}`) return c.json("Invalid apikey", 401);
    if (c.req.header("x-odoo-database") !== FAKE_DB) return c.json({ name: "werkzeug.exceptions.NotFound", message: "database not found" }, 404);
    const kw = await c.req.json<Record<string, unknown>>();
    try {
      return c.json(orm(c.req.param("model"), c.req.param("method"), [], kw));
    } catch (e) {
      if (!(e instanceof OdooException)) throw e;
      const status = /AccessError|AccessDenied/.test(e.odooName) ? 403 : /MissingError/.test(e.odooName) ? 404 : 422;
      return c.json({ name: e.odooName, message: e.message, arguments: [e.message], context: {}, debug: "" }, status);
    }
  });

  return {
    app,
    fetch: async (request) => app.fetch(request),
    db,
    version,
    account,
    calls,
    faults,
    async rpc(model, method, args, kw = {}) {
      const body = {
        jsonrpc: "2.0",
        method: "call",
        id: 1,
        params: { service: "object", method: "execute_kw", args: [FAKE_DB, 2, FAKE_KEY, model, method, args, kw] },
      };
      const res = await app.fetch(new Request("http://odoo.fake/jsonrpc", { method: "POST", body: JSON.stringify(body) }));
      const answer = await res.json<{ result?: unknown; error?: { data: { name: string; message: string } } }>();
      if (answer.error) throw new Error(`${answer.error.data.name}: ${answer.error.data.message}`);
      return answer.result;
    },
    tick(seconds = 1) {
      clock += seconds * 1_000_000;
      return fmt(Math.floor(clock / 1000));
    },
    now: () => fmt(Math.floor(clock / 1000)),
  };
}
