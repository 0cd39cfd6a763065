import { z } from "zod";
import { Platform } from "../contract";

/** A shop as the edge holds it; secrets stay sealed until a route needs one. */
export interface Shop {
  id: string;
  /** The stock pool it sells from: the root shop whose replica and ERP secret are the pool's (its own id when alone). */
  poolId: string;
  /** When its channel rules last changed (undefined: it never had any). */
  rulesVersion: number | undefined;
  name: string;
  platform: Platform;
  origins: string[];
  currency: string;
  locale: string;
  lowStockThreshold: number;
  erpSecretSealed: string;
  customerSecretSealed: string;
  platformSecretSealed: string | undefined;
  /** The longest lifetime a customer token may claim (its expiry minus now), in seconds. */
  customerTokenMaxSeconds: number;
}

/** Built once: building it inside the transform cost every shop row read a new schema (measured in the scale bench's profile). */
const Origins = z.array(z.string());

const ShopRow = z.object({
  id: z.string(),
  name: z.string(),
  platform: Platform,
  origins: z.string().transform((s) => Origins.parse(JSON.parse(s))),
  currency: z.string(),
  locale: z.string(),
  low_stock_threshold: z.number(),
  erp_secret_enc: z.string(),
  customer_secret_enc: z.string(),
  platform_secret_enc: z.string().nullable(),
  customer_token_max_seconds: z.number(),
  pool_id: z.string().nullable(),
  rules_version: z.number().nullable(),
});

const toShop = (row: unknown): Shop => {
  const r = ShopRow.parse(row);
  return {
    id: r.id,
    poolId: r.pool_id ?? r.id,
    rulesVersion: r.rules_version ?? undefined,
    name: r.name,
    platform: r.platform,
    origins: r.origins,
    currency: r.currency,
    locale: r.locale,
    lowStockThreshold: r.low_stock_threshold,
    erpSecretSealed: r.erp_secret_enc,
    customerSecretSealed: r.customer_secret_enc,
    platformSecretSealed: r.platform_secret_enc ?? undefined,
    customerTokenMaxSeconds: r.customer_token_max_seconds,
  };
};

export async function getShop(db: D1Database, id: string): Promise<Shop | undefined> {
  const row = await db
    .prepare("SELECT s.*, c.pool_id, c.updated_at AS rules_version FROM shops s LEFT JOIN channels c ON c.shop_id = s.id WHERE s.id = ?")
    .bind(id)
    .first();
  return row ? toShop(row) : undefined;
}

export interface NewShop extends Omit<Shop, "platformSecretSealed" | "poolId" | "rulesVersion"> {
  platformSecretSealed: string | undefined;
}

/** Inserts a shop; false when the id is taken. */
export async function insertShop(db: D1Database, s: NewShop, now: number): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO shops (id, name, platform, origins, currency, locale, low_stock_threshold, erp_secret_enc, customer_secret_enc, platform_secret_enc, customer_token_max_seconds, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      s.id,
      s.name,
      s.platform,
      JSON.stringify(s.origins),
      s.currency,
      s.locale,
      s.lowStockThreshold,
      s.erpSecretSealed,
      s.customerSecretSealed,
      s.platformSecretSealed ?? null,
      s.customerTokenMaxSeconds,
      now,
    )
    .run();
  return res.meta.changes === 1;
}

/** Replaces the sealed secrets, as a statement for the caller's batch (with the new shop key). */
export function replaceSecrets(
  db: D1Database,
  id: string,
  s: Pick<Shop, "erpSecretSealed" | "customerSecretSealed"> & { platformSecretSealed: string | undefined },
): D1PreparedStatement {
  return db
    .prepare("UPDATE shops SET erp_secret_enc = ?, customer_secret_enc = ?, platform_secret_enc = ? WHERE id = ?")
    .bind(s.erpSecretSealed, s.customerSecretSealed, s.platformSecretSealed ?? null, id);
}

export const setCustomerTokenMaxSeconds = (db: D1Database, id: string, seconds: number): D1PreparedStatement =>
  db.prepare("UPDATE shops SET customer_token_max_seconds = ? WHERE id = ?").bind(seconds, id);
