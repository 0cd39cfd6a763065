import { z } from "zod";

/** A shop's id: a slug, part of every URL. */
export const ShopId = z.string().regex(/^[a-z0-9-]{1,64}$/, "a slug of a-z, 0-9 and -, at most 64 characters");

/** A stock-keeping unit as the ERP spells it. */
export const Sku = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s\p{Cc}]+$/u, "no whitespace or control characters");

/**
 * Money as a decimal string (`"12.50"`). A JSON number is accepted on ingest and turned into its
 * shortest decimal string, so no float ever reaches storage or arithmetic.
 */
export const Money = z
  .union([z.string(), z.number().finite()])
  .transform((v) => (typeof v === "number" ? String(v) : v))
  .pipe(z.string().regex(/^-?\d{1,13}(\.\d{1,6})?$/, "a decimal amount like 12.50"));

/** The ERP's monotonically increasing record version (e.g. its write time in ms). */
export const Version = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const Quantity = z.number().int().min(0).max(1_000_000_000);

/** ISO 4217 currency code. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code like EUR");

/** A calendar date or date-time in ISO 8601. */
export const IsoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The longest delivery id kept for dedupe (Standard Webhooks `webhook-id`, a platform's delivery id). */
export const MAX_WEBHOOK_ID_LENGTH = 256;

/** Path parameters of every per-shop route. */
export const ShopParam = z.object({ shop: ShopId });
