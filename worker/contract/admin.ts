import { z } from "zod";
import { Currency, ShopId } from "./common";

export const Platform = z.enum(["shopify", "woocommerce", "bigcommerce", "magento", "custom"]);
export type Platform = z.infer<typeof Platform>;

/** A storefront origin: scheme, host and port only (`https://shop.example`). */
const Origin = z
  .string()
  .max(300)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol) && new URL(u).origin === u.replace(/\/$/, ""), "an origin like https://shop.example")
  .transform((u) => u.replace(/\/$/, ""));

export const CreateShop = z.strictObject({
  id: ShopId,
  name: z.string().min(1).max(200),
  platform: Platform,
  origins: z.array(Origin).max(20),
  currency: Currency,
  locale: z.string().min(2).max(35),
  lowStockThreshold: z.number().int().min(0).max(100_000).optional(),
  /** The platform's webhook signing secret (Shopify app secret, WooCommerce webhook secret); generated when absent. */
  platformWebhookSecret: z.string().min(8).max(256).optional(),
});
export type CreateShop = z.infer<typeof CreateShop>;

/** Secrets are answered once, at creation or rotation; the edge keeps only ciphertext and hashes. */
export const ShopSecrets = z.object({
  shop: ShopId,
  erpSecret: z.string(),
  staffKey: z.string(),
  customerSecret: z.string(),
  platformWebhookSecret: z.string().optional(),
});
export type ShopSecrets = z.infer<typeof ShopSecrets>;
