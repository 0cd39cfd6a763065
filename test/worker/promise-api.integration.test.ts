import { beforeAll, describe, expect, it } from "vitest";
import { Availability, ErrorBody, LiveMessage, PromiseAnswer } from "../../worker/contract";
import { releaseReservations, reserveLines } from "../../worker/orders/reserve";
import { ADMIN, call, createShop, ORIGIN, poolDb, push, pushOk, snapshotTables } from "./helpers";

const SHOP = "promise";
const B2B = "promise-b2b";
let erpSecret = "";
let staffKey = "";
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const get = async (path: string, shop = SHOP) => {
  const res = await call(`/v1/shops/${shop}/promise?${path}`, { headers: { origin: ORIGIN } });
  return { status: res.status, body: await res.json() };
};
const promise = async (path: string, shop = SHOP) => {
  const r = await get(path, shop);
  expect(r.status).toBe(200);
  return PromiseAnswer.parse(r.body);
};
const post = (body: unknown, shop = SHOP) =>
  call(`/v1/shops/${shop}/promise`, { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify(body) });
const stock = async (sku: string) =>
  (await poolDb(SHOP).prepare("SELECT warehouse, reserved FROM stock WHERE shop_id = ? AND sku = ? ORDER BY warehouse").bind(SHOP, sku).all()).results;

beforeAll(async () => {
  const secrets = await createShop(SHOP);
  erpSecret = secrets.erpSecret;
  staffKey = secrets.staffKey;
  await pushOk(SHOP, erpSecret, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin", leadTimeDays: 1 },
      { code: "HAM", name: "Hamburg", leadTimeDays: 2 },
    ],
  });
  await pushOk(SHOP, erpSecret, "products", {
    products: [
      { sku: "TEE", name: "Tee", backorder: true, version: 1 },
      { sku: "CUP", name: "Cup", version: 1 },
      { sku: "LID", name: "Lid", version: 1 },
      {
        sku: "CUP-SET",
        name: "Cup set",
        components: [
          { sku: "CUP", qty: 2 },
          { sku: "LID", qty: 1 },
        ],
        version: 1,
      },
      { sku: "OIL", name: "Oil (case of 12)", salesUnit: { name: "case", factor: "12" }, quantityRule: { min: 2, increment: 1 }, version: 1 },
    ],
  });
  await pushOk(SHOP, erpSecret, "stock", {
    items: [
      {
        sku: "TEE",
        warehouse: "BER",
        onHand: 12,
        incoming: [
          { qty: 30, eta: inDays(14), ref: "PO-4711" },
          { qty: 20, eta: inDays(33), ref: "PO-4800" },
        ],
        version: 1,
      },
      { sku: "CUP", warehouse: "BER", onHand: 5, version: 1 },
      { sku: "CUP", warehouse: "HAM", onHand: 10, version: 1 },
      { sku: "LID", warehouse: "BER", onHand: 10, version: 1 },
      { sku: "LID", warehouse: "HAM", onHand: 1, incoming: [{ qty: 5, eta: inDays(5), ref: "PO-L" }], version: 1 },
      { sku: "OIL", warehouse: "BER", onHand: 30, version: 1 },
    ],
  });
  // A B2B channel of the same pool that sells from Hamburg only.
  await createShop(B2B);
  const join = await call(`/v1/admin/pools/${SHOP}/channels/${B2B}`, {
    method: "PUT",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ rules: { warehouses: ["HAM"] } }),
  });
  expect(join.status).toBe(200);
});

describe("GET /v1/shops/:shop/promise", () => {
  it("12 ship now from Berlin, 30 with PO-4711, 8 with PO-4800; the whole line on the last date (lead time added)", async () => {
    const { lines, completeDate } = await promise("sku=TEE&qty=50");
    expect(lines[0]).toMatchObject({
      sku: "TEE",
      qty: "50",
      available: "12",
      now: [{ warehouse: "BER", qty: "12", date: inDays(1) }],
      dated: [
        { warehouse: "BER", qty: "30", date: inDays(15), refs: ["PO-4711"] },
        { warehouse: "BER", qty: "8", date: inDays(34), refs: ["PO-4800"] },
      ],
      unscheduled: "0",
      orderable: "50",
      backorder: true,
    });
    expect(completeDate).toBe(inDays(34));
  });

  it("a kit: per warehouse the fewest its components make (Berlin 2, Hamburg 1), then Hamburg's lids on order", async () => {
    const { lines } = await promise("sku=CUP-SET&qty=5");
    expect(lines[0]?.available).toBe("3");
    expect(lines[0]?.now).toEqual([
      { warehouse: "BER", qty: "2", date: inDays(1) },
      { warehouse: "HAM", qty: "1", date: inDays(2) },
    ]);
    // The rest would wait at the first warehouse (Berlin), which has no receipts: no date.
    expect(lines[0]?.unscheduled).toBe("2");
    expect(lines[0]?.completeDate).toBeNull();
    expect(lines[0]?.components).toEqual([
      { sku: "CUP", qty: 2 },
      { sku: "LID", qty: 1 },
    ]);
  });

  it("a case pack is promised in cases, in whole cases, and its quantity rules are enforced", async () => {
    const ok = await promise("sku=OIL&qty=3");
    expect(ok.lines[0]).toMatchObject({
      unit: "case",
      rule: { min: "2", increment: "1" },
      available: "2",
      now: [{ warehouse: "BER", qty: "2" }],
      unscheduled: "1",
    });
    const below = await promise("sku=OIL&qty=1");
    expect(below.lines[0]?.violation?.code).toBe("below_minimum");
    expect(below.lines[0]?.now).toEqual([]);
    const half = await promise("sku=OIL&qty=2.5");
    expect(half.lines[0]?.violation?.code).toBe("not_a_multiple");
  });

  it("a channel answers from the pool's stock within its rules: Hamburg only", async () => {
    const { lines } = await promise("sku=CUP&qty=12", B2B);
    expect(lines[0]?.now).toEqual([{ warehouse: "HAM", qty: "10", date: inDays(2) }]);
  });

  it("bad input is a 4xx in the one error shape", async () => {
    for (const q of ["sku=TEE&qty=abc", "sku=TEE&qty=-1", "sku=TEE&qty=1.1234567", "qty=1", "sku=has%20space"]) {
      const r = await get(q);
      expect(r.status, q).toBe(400);
      expect(ErrorBody.parse(r.body).error.code).toBe("validation_failed");
    }
    const unknown = await get("sku=NOPE&qty=1");
    expect(unknown.status).toBe(404);
    expect(ErrorBody.parse(unknown.body).error.code).toBe("unknown_sku");
  });
});

describe("public availability in the sales unit", () => {
  it("a kit shows what its components make per warehouse, a case pack whole cases; a plain product is unchanged", async () => {
    const res = await call(`/v1/shops/${SHOP}/availability?sku=CUP-SET&sku=OIL&sku=CUP`, { headers: { origin: ORIGIN } });
    const items = Availability.parse(await res.json()).items;
    const by = (sku: string) => items.find((i) => i.sku === sku);
    expect(by("CUP-SET")).toMatchObject({
      available: 3,
      status: "low_stock",
      warehouses: [
        { code: "BER", name: "Berlin", available: 2 },
        { code: "HAM", name: "Hamburg", available: 1 },
      ],
    });
    expect(by("OIL")).toMatchObject({ available: 2, warehouses: [{ code: "BER", available: 2 }] });
    expect(by("CUP")?.available).toBe(15);
  });

  it("names the sales unit and quantity rule of a product that has them, so the widget knows to show them", async () => {
    const res = await call(`/v1/shops/${SHOP}/availability?sku=CUP-SET&sku=OIL&sku=CUP`, { headers: { origin: ORIGIN } });
    const items = Availability.parse(await res.json()).items;
    const by = (sku: string) => items.find((i) => i.sku === sku);
    expect(by("OIL")).toMatchObject({ unit: { name: "case", factor: "12" }, rule: { min: "2", increment: "1" } });
    // A kit sold loose and a plain product carry neither.
    expect(by("CUP-SET")?.rule).toBeUndefined();
    expect(by("CUP")?.unit).toBeUndefined();
  });
});

describe("live updates", () => {
  it("a component's stock change reaches the open widgets of the kits it is in", async () => {
    const res = await call(`/v1/shops/${SHOP}/live?sku=CUP-SET`, { headers: { upgrade: "websocket" } });
    const ws = res.webSocket;
    if (!ws) throw new Error("no socket");
    const frames: LiveMessage[] = [];
    ws.addEventListener("message", (e) => frames.push(LiveMessage.parse(JSON.parse(String(e.data)))));
    ws.accept();
    try {
      await pushOk(SHOP, erpSecret, "stock", {
        items: [{ sku: "LID", warehouse: "HAM", onHand: 0, incoming: [{ qty: 5, eta: inDays(5), ref: "PO-L" }], version: 2 }],
      });
      for (let i = 0; i < 100 && !frames.some((f) => f.type === "stock"); i++) await new Promise((r) => setTimeout(r, 20));
      expect(frames.find((f) => f.type === "stock")).toMatchObject({ item: { sku: "CUP-SET", available: 2 } });
    } finally {
      await pushOk(SHOP, erpSecret, "stock", {
        items: [{ sku: "LID", warehouse: "HAM", onHand: 1, incoming: [{ qty: 5, eta: inDays(5), ref: "PO-L" }], version: 3 }],
      });
      ws.close();
    }
  });
});

describe("POST /v1/shops/:shop/promise (a cart)", () => {
  it("lines take from the same stock: a shared component is counted once", async () => {
    const res = await post({
      lines: [
        { sku: "CUP-SET", qty: "3" },
        { sku: "CUP", qty: 12 },
      ],
    });
    expect(res.status).toBe(200);
    const { lines, completeDate } = PromiseAnswer.parse(await res.json());
    // 3 kits take 6 cups (4 in Berlin, 2 in Hamburg); 9 loose cups are left of 15.
    expect(lines[1]?.now.reduce((n, p) => n + Number(p.qty), 0)).toBe(9);
    expect(lines[1]?.available).toBe("15"); // on its own
    expect(completeDate).toBeNull();
  });

  it("a cart with an unknown SKU is 422 naming it; a malformed cart 400; neither changes anything", async () => {
    const before = await snapshotTables();
    const unknown = await post({
      lines: [
        { sku: "TEE", qty: 1 },
        { sku: "NOPE", qty: 1 },
      ],
    });
    expect(unknown.status).toBe(422);
    expect(ErrorBody.parse(await unknown.json()).error).toMatchObject({ code: "unknown_sku", details: { skus: ["NOPE"] } });
    for (const body of [
      {},
      { lines: [] },
      { lines: [{ sku: "TEE" }] },
      { lines: [{ sku: "TEE", qty: 1, extra: 1 }] },
      { lines: Array(101).fill({ sku: "TEE", qty: 1 }) },
    ]) {
      expect((await post(body)).status).toBe(400);
    }
    expect(await snapshotTables()).toEqual(before);
  });
});

describe("kits and case packs in orders", () => {
  it("an order for a kit reserves its components, each kit from one warehouse; releasing frees them", async () => {
    const [cup, lid] = await reserveLines(poolDb(SHOP), SHOP, "kit-1", [{ lineId: "1", sku: "CUP-SET", qty: 3 }], [], Date.now());
    expect(cup).toMatchObject({
      lineId: "1#CUP",
      sku: "CUP",
      allocations: [
        { warehouse: "BER", qty: 4 },
        { warehouse: "HAM", qty: 2 },
      ],
      short: 0,
    });
    expect(lid).toMatchObject({
      lineId: "1#LID",
      sku: "LID",
      allocations: [
        { warehouse: "BER", qty: 2 },
        { warehouse: "HAM", qty: 1 },
      ],
      short: 0,
    });
    expect((await promise("sku=CUP-SET&qty=1")).lines[0]?.available).toBe("0");
    await releaseReservations(poolDb(SHOP), SHOP, "kit-1", Date.now());
    expect(await stock("CUP")).toEqual([
      { warehouse: "BER", reserved: 0 },
      { warehouse: "HAM", reserved: 0 },
    ]);
    expect((await promise("sku=CUP-SET&qty=1")).lines[0]?.available).toBe("3");
  });

  it("an order line of 2 cases reserves 24 stock units", async () => {
    const [line] = await reserveLines(poolDb(SHOP), SHOP, "oil-1", [{ lineId: "1", sku: "OIL", qty: 2 }], [], Date.now());
    expect(line?.allocations).toEqual([{ warehouse: "BER", qty: 24 }]);
    expect((await promise("sku=OIL&qty=2")).lines[0]?.available).toBe("0");
    await releaseReservations(poolDb(SHOP), SHOP, "oil-1", Date.now());
  });
});

describe("components, units and rules through the signed ERP API", () => {
  it("a newer product row without them makes the product plain again; an older one changes nothing; bad ones are rejected", async () => {
    await pushOk(SHOP, erpSecret, "products", { products: [{ sku: "LID", name: "Lid", salesUnit: { name: "pack", factor: "4" }, version: 5 }] });
    expect((await promise("sku=LID&qty=1")).lines[0]?.unit).toBe("pack");
    await pushOk(SHOP, erpSecret, "products", { products: [{ sku: "LID", name: "Lid", version: 4 }] });
    expect((await promise("sku=LID&qty=1")).lines[0]?.unit).toBe("pack");
    await pushOk(SHOP, erpSecret, "products", { products: [{ sku: "LID", name: "Lid", version: 6 }] });
    expect((await promise("sku=LID&qty=1")).lines[0]?.unit).toBeUndefined();
    for (const bad of [
      { components: [] },
      { components: [{ sku: "CUP", qty: 0 }] },
      { salesUnit: { name: "case", factor: "0" } },
      { quantityRule: { increment: "-1" } },
    ]) {
      const res = await push(SHOP, erpSecret, "products", { products: [{ sku: "BAD", name: "Bad", version: 1, ...bad }] });
      expect(res.status, JSON.stringify(bad)).toBe(422);
    }
  });
});

describe("GET /v1/staff/:shop/promise (the extension's product panel)", () => {
  it("answers a staff key with the same promise as the public route; no key is 401", async () => {
    const res = await call(`/v1/staff/${SHOP}/promise?sku=TEE&qty=50`, { headers: { authorization: `Bearer ${staffKey}` } });
    expect(res.status).toBe(200);
    const staff = PromiseAnswer.parse(await res.json());
    expect(staff).toEqual(await promise("sku=TEE&qty=50"));
    expect(staff.lines[0]?.dated.map((d) => d.refs)).toEqual([["PO-4711"], ["PO-4800"]]);
    const anonymous = await call(`/v1/staff/${SHOP}/promise?sku=TEE&qty=50`);
    expect(anonymous.status).toBe(401);
    expect(ErrorBody.parse(await anonymous.json()).error.code).toBeTruthy();
  });
});
