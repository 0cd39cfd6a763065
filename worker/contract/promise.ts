import { z } from "zod";
import { Sku } from "./common";

/**
 * The promise (issue 12): kits, sales units and quantity rules the ERP sends with a product, and the
 * public answer to "can I get this many, and when?".
 */

/** A non-negative decimal quantity (`"2.5"`, or a JSON number turned into its shortest decimal string). */
export const DecimalQty = z
  .union([z.string(), z.number().finite().nonnegative()])
  .transform((v) => (typeof v === "number" ? String(v) : v))
  .pipe(z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, "a decimal quantity like 12 or 2.5 (at most 6 places)"));

const Positive = DecimalQty.refine((s) => /[1-9]/.test(s), "greater than zero");

/** Sent with a product row: one unit of a kit or bundle takes these components (in their stock units). */
export const KitComponents = z
  .array(z.strictObject({ sku: Sku, qty: z.number().int().min(1).max(1_000_000) }))
  .min(1)
  .max(50);

/** The unit the shop sells in: `factor` stock units each (a case of 12: 12). */
export const SalesUnit = z.strictObject({ name: z.string().min(1).max(32), factor: Positive });

/** The least a buyer may order and the step (pack size), in the sales unit. */
export const QuantityRule = z.strictObject({ min: Positive.optional(), increment: Positive.optional() });

export const PromiseQuery = z.object({ sku: Sku, qty: DecimalQty.default("1") });

export const PromiseCart = z.strictObject({
  lines: z
    .array(z.strictObject({ sku: Sku, qty: DecimalQty }))
    .min(1)
    .max(100),
});

const Part = z.object({ warehouse: z.string(), qty: z.string(), date: z.string() });

export const LinePromiseView = z.object({
  sku: z.string(),
  /** As asked, in the sales unit. */
  qty: z.string(),
  /** The sales unit's name; absent: the stock unit. */
  unit: z.string().optional(),
  rule: z.object({ min: z.string(), increment: z.string() }),
  /** Why the quantity cannot be ordered as asked (then nothing is promised). */
  violation: z.object({ code: z.enum(["below_minimum", "not_a_multiple"]), message: z.string() }).optional(),
  /** Orderable right now in the sales unit (whole increments), whatever was asked. */
  available: z.string(),
  now: z.array(Part),
  dated: z.array(Part.extend({ refs: z.array(z.string()) })),
  /** What no stock and no known receipt covers yet. */
  unscheduled: z.string(),
  /** What an order placed now would hold: what ships now, plus the rest when the product backorders. */
  orderable: z.string(),
  backorder: z.boolean(),
  /** When the whole line can ship; null while some of it has no date. */
  completeDate: z.string().nullable(),
  /** For a kit: its components, per kit. */
  components: z.array(z.object({ sku: z.string(), qty: z.number() })).optional(),
});
export type LinePromiseView = z.infer<typeof LinePromiseView>;

export const PromiseAnswer = z.object({
  lines: z.array(LinePromiseView),
  /** When the whole cart can ship; null while a line has no date. */
  completeDate: z.string().nullable(),
  today: z.string(),
});
export type PromiseAnswer = z.infer<typeof PromiseAnswer>;
