/** The shop platform's ids (products, variants, orders) and what the edge knows them as. */
export type PlatformIdKind = "product" | "variant" | "order";

/** Statements remembering `platformId → value` pairs (SKU or order ref); run them in the caller's batch. */
export function rememberPlatformIds(
  db: D1Database,
  shop: string,
  kind: PlatformIdKind,
  pairs: ReadonlyArray<{ platformId: string; value: string }>,
  now: number,
): D1PreparedStatement[] {
  const stmt = db.prepare(
    `INSERT INTO platform_ids (shop_id, kind, platform_id, value, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (shop_id, kind, platform_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  return pairs.map((p) => stmt.bind(shop, kind, p.platformId, p.value, now));
}

export async function lookupPlatformId(db: D1Database, shop: string, kind: PlatformIdKind, platformId: string): Promise<string | undefined> {
  const row = await db.prepare("SELECT value FROM platform_ids WHERE shop_id = ? AND kind = ? AND platform_id = ?").bind(shop, kind, platformId).first();
  const value = row?.value;
  return typeof value === "string" ? value : undefined;
}
