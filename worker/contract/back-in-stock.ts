import { z } from "zod";
import { Sku } from "./common";

/**
 * Back-in-stock "notify me": a shopper leaves an email for a sold-out SKU, confirms it through a
 * signed link (double opt-in), and when the ERP's stock returns the shop gets one signed
 * `stock.back_in_stock` webhook listing the confirmed subscribers. The edge sends no email itself:
 * the confirmation email is the shop's to send, handed over as a signed
 * `back_in_stock.confirmation_requested` webhook.
 */

/** The consent sentence a shopper ticks; stored verbatim with the time it was given. */
const ConsentText = z.string().trim().min(10).max(500);

/** The operator turns notify-me on for a shop and says where its webhooks go (`PUT /v1/admin/shops/:shop/back-in-stock`). */
export const BackInStockSettings = z.strictObject({
  enabled: z.boolean(),
  /** Where the edge POSTs its signed webhooks (a public https URL; loopback only in local mode). */
  webhookUrl: z.url().max(2048),
  consentText: ConsentText,
  /** Mint a new signing secret (answered once), replacing the old one. */
  rotateSecret: z.boolean().optional(),
});
export type BackInStockSettings = z.infer<typeof BackInStockSettings>;

export const BackInStockSettingsView = z.object({
  enabled: z.boolean(),
  webhookUrl: z.string(),
  consentText: z.string(),
  /** The `whsec_…` secret the webhooks are signed with: answered only when it was just minted. */
  secret: z.string().optional(),
});
export type BackInStockSettingsView = z.infer<typeof BackInStockSettingsView>;

/** What the widget reads before offering the form: `GET /v1/shops/:shop/back-in-stock`. */
export const BackInStockOffer = z.object({ enabled: z.boolean(), consentText: z.string().optional() });
export type BackInStockOffer = z.infer<typeof BackInStockOffer>;

/** A shopper's request: `POST /v1/shops/:shop/back-in-stock/subscriptions`. */
export const BackInStockSubscribe = z.strictObject({
  sku: Sku,
  email: z.email().max(254),
  /** The ticked checkbox: anything but `true` is no consent. */
  consent: z.literal(true),
  /** The consent sentence the shopper saw; must be the shop's current one. */
  consentText: z.string().max(500),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP 47 tag like de-DE")
    .max(35)
    .optional(),
});
export type BackInStockSubscribe = z.infer<typeof BackInStockSubscribe>;

export const BackInStockSubscribed = z.object({ status: z.literal("confirmation_sent") });

/** `?token=` of the confirm and unsubscribe links. */
export const BackInStockTokenQuery = z.object({ token: z.string().min(1).max(300) });

/** The body of every webhook the edge sends a shop (Standard Webhooks signed, `webhook-id` stable across retries). */
export const BackInStockWebhook = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("back_in_stock.confirmation_requested"),
    timestamp: z.string(),
    data: z.object({
      shop: z.string(),
      sku: z.string(),
      email: z.string(),
      locale: z.string().nullable(),
      consentText: z.string(),
      consentedAt: z.string(),
      confirmUrl: z.string(),
      unsubscribeUrl: z.string(),
      expiresAt: z.string(),
    }),
  }),
  z.object({
    type: z.literal("stock.back_in_stock"),
    timestamp: z.string(),
    data: z.object({
      shop: z.string(),
      sku: z.string(),
      available: z.number().int(),
      subscribers: z.array(
        z.object({ email: z.string(), locale: z.string().nullable(), consentedAt: z.string(), confirmedAt: z.string(), unsubscribeUrl: z.string() }),
      ),
    }),
  }),
]);
export type BackInStockWebhook = z.infer<typeof BackInStockWebhook>;
