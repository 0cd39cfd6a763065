import { z } from "zod";
import { ALL_STAFF_SCOPES, StaffScope } from "../contract";

/**
 * Staff keys: one per person (or the shop-wide key `shop`, minted with the shop), each with its
 * scopes. Only the key's SHA-256 is stored; a presented key is found by its hash.
 */
export interface StaffKey {
  id: string;
  name: string;
  scopes: StaffScope[];
  createdAt: number;
  lastUsedAt: number | undefined;
  revokedAt: number | undefined;
}

/** The id of the shop-wide key every shop is created with (all scopes). */
export const SHOP_KEY_ID = "shop";

const Row = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.string().transform((s) => z.array(StaffScope).parse(JSON.parse(s))),
  created_at: z.number(),
  last_used_at: z.number().nullable(),
  revoked_at: z.number().nullable(),
});

const toKey = (raw: unknown): StaffKey => {
  const r = Row.parse(raw);
  return { id: r.id, name: r.name, scopes: r.scopes, createdAt: r.created_at, lastUsedAt: r.last_used_at ?? undefined, revokedAt: r.revoked_at ?? undefined };
};

const COLUMNS = "id, name, scopes, created_at, last_used_at, revoked_at";

/** The shop's active key with this hash, if any. */
export async function findActiveKey(db: D1Database, shop: string, keyHash: string): Promise<StaffKey | undefined> {
  const raw = await db.prepare(`SELECT ${COLUMNS} FROM staff_keys WHERE shop_id = ? AND key_hash = ? AND revoked_at IS NULL`).bind(shop, keyHash).first();
  return raw ? toKey(raw) : undefined;
}

/** Notes a key's use, at most once a minute per key (a staff view polls; the log need not). */
export const touchKey = (db: D1Database, shop: string, id: string, now: number): D1PreparedStatement =>
  db
    .prepare("UPDATE staff_keys SET last_used_at = ?1 WHERE shop_id = ?2 AND id = ?3 AND (last_used_at IS NULL OR last_used_at < ?1 - 60000)")
    .bind(now, shop, id);

export const insertKey = (
  db: D1Database,
  shop: string,
  key: { id: string; name: string; scopes: readonly StaffScope[]; keyHash: string },
  now: number,
): D1PreparedStatement =>
  db
    .prepare("INSERT INTO staff_keys (shop_id, id, name, scopes, key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(shop, key.id, key.name, JSON.stringify(key.scopes), key.keyHash, now);

/** The shop-wide key with a new hash (a rotation): the old key stops working at once. */
export const replaceShopKey = (db: D1Database, shop: string, keyHash: string, now: number): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO staff_keys (shop_id, id, name, scopes, key_hash, created_at) VALUES (?1, ?2, 'shop key', ?3, ?4, ?5)
       ON CONFLICT (shop_id, id) DO UPDATE SET key_hash = excluded.key_hash, scopes = excluded.scopes, created_at = excluded.created_at,
         last_used_at = NULL, revoked_at = NULL`,
    )
    .bind(shop, SHOP_KEY_ID, JSON.stringify(ALL_STAFF_SCOPES), keyHash, now);

export async function listKeys(db: D1Database, shop: string): Promise<StaffKey[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM staff_keys WHERE shop_id = ? ORDER BY created_at, id`).bind(shop).all();
  return results.map(toKey);
}

export async function getKey(db: D1Database, shop: string, id: string): Promise<StaffKey | undefined> {
  const raw = await db.prepare(`SELECT ${COLUMNS} FROM staff_keys WHERE shop_id = ? AND id = ?`).bind(shop, id).first();
  return raw ? toKey(raw) : undefined;
}

/** Revokes a key; a key revoked before keeps its first revocation time. */
export const revokeKey = (db: D1Database, shop: string, id: string, now: number): D1PreparedStatement =>
  db.prepare("UPDATE staff_keys SET revoked_at = coalesce(revoked_at, ?) WHERE shop_id = ? AND id = ?").bind(now, shop, id);
