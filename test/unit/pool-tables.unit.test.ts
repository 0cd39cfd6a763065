import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KNOWN, MIRRORED_TABLES, REGISTRY_TABLES, sidesOf, tablesOf, targetOf } from "../../worker/pool/tables";

const migrations = readdirSync("worker/migrations").filter((f) => f.endsWith(".sql"));

describe("which database a statement runs in (issue 17)", () => {
  it("registry statements: shops, channels, staff keys, alone or joined together", () => {
    expect(targetOf("SELECT s.*, c.pool_id FROM shops s LEFT JOIN channels c ON c.shop_id = s.id WHERE s.id = ?")).toBe("registry");
    expect(targetOf("INSERT INTO staff_keys (shop_id, id) VALUES (?, ?) ON CONFLICT (shop_id, id) DO UPDATE SET key_hash = excluded.key_hash")).toBe(
      "registry",
    );
    expect(targetOf("UPDATE channels SET pool_id = shop_id WHERE shop_id = ?1")).toBe("registry");
    expect(targetOf("SELECT 1")).toBe("registry");
    expect(targetOf("SELECT id FROM shops WHERE id IN (SELECT value FROM json_each(?))")).toBe("registry");
  });

  it("pool statements: any pool table, also when a mirrored registry table is joined for reading", () => {
    expect(targetOf("SELECT * FROM stock WHERE shop_id = ?")).toBe("pool");
    expect(targetOf("SELECT c.cap FROM (SELECT 1) LEFT JOIN channels c ON c.shop_id = ?1 JOIN stock s ON s.shop_id = ?2")).toBe("pool");
    expect(targetOf("WITH picks AS (SELECT sku FROM reservations WHERE shop_id = ?) UPDATE stock SET reserved = 0 WHERE sku IN picks")).toBe("pool");
    expect(targetOf("INSERT INTO audit_log (shop_id, actor) VALUES (?, ?)")).toBe("pool");
    expect(targetOf("CREATE TABLE test_takes (shop_id TEXT)")).toBe("pool");
    expect(targetOf("CREATE TRIGGER t AFTER INSERT ON reservations BEGIN INSERT INTO test_takes SELECT NEW.shop_id; END")).toBe("pool");
  });

  it("refuses a statement that cannot run whole in either: staff keys with pool data, a registry write from pool data", () => {
    expect(() => targetOf("SELECT * FROM staff_keys k JOIN audit_log a ON a.shop_id = k.shop_id")).toThrow(/registry and pool/);
    expect(() => targetOf("INSERT INTO channels (shop_id) SELECT shop_id FROM stock")).toThrow(/writes a registry table/);
  });

  it("every table every migration creates is either a registry table or a pool's, and the pool's schema lists every migration", () => {
    const created = migrations.flatMap((f) =>
      [...readFileSync(`worker/migrations/${f}`, "utf8").matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/gi)].map((m) => m[1] ?? ""),
    );
    expect(created.length).toBeGreaterThan(40);
    for (const t of created) expect(tablesOf(`SELECT * FROM ${t}`)).toEqual([t]);
    // A table missing here would be left behind when a shop moves between pools or a pool leaves D1.
    expect([...KNOWN].filter((t) => t !== "d1_migrations").sort()).toEqual([...new Set(created)].sort());
    for (const t of MIRRORED_TABLES) expect(REGISTRY_TABLES.has(t)).toBe(true);
    const schema = readFileSync("worker/pool/schema.ts", "utf8");
    for (const f of migrations) expect(schema).toContain(`"${f}"`);
  });

  it("in a batch: a statement naming no table runs beside the one before it; the pool's copy answers registry reads of a batch that touches the pool", () => {
    // ingest's chunked upserts count their changes with SELECT changes(): on the side that made them.
    expect(sidesOf(["INSERT INTO stock (shop_id) VALUES (?)", "SELECT changes() AS n"])).toEqual(["pool", "pool"]);
    expect(sidesOf(["UPDATE shops SET name = ? WHERE id = ?", "SELECT changes() AS n"])).toEqual(["registry", "registry"]);
    expect(sidesOf(["PRAGMA optimize"])).toEqual(["pool"]);
    // A reservation reads its channel's rules with the stock: one call into the pool, none to D1.
    expect(sidesOf(["SELECT * FROM channels WHERE shop_id = ?", "SELECT * FROM stock WHERE shop_id = ?"])).toEqual(["pool", "pool"]);
    // Writes to the registry never go to the copy; staff keys are never copied.
    expect(sidesOf(["UPDATE channels SET cap = 1 WHERE shop_id = ?", "INSERT INTO audit_log (shop_id) VALUES (?)"])).toEqual(["registry", "pool"]);
    expect(sidesOf(["SELECT * FROM staff_keys WHERE shop_id = ?", "SELECT * FROM stock"])).toEqual(["registry", "pool"]);
    expect(sidesOf(["SELECT * FROM shops WHERE id = ?"])).toEqual(["registry"]);
  });
});
