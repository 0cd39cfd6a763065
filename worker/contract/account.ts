import { z } from "zod";
import { Currency, IsoDate, Money, Sku, Version } from "./common";
import { OrderStatus, Shipment } from "./erp";

/**
 * B2B buyer self-service (issue 13): the ERP's invoices and returns (signed pushes, versioned like
 * every other kind) and what the signed-in buyer reads and files through the public API. The
 * customer record's `balance` / `creditLimit` stay the source of "what we owe".
 */

export const InvoiceKind = z.enum(["invoice", "credit_note"]);
/** `partial`: part paid. Overdue is not a status: it is an open amount past its due date. */
export const InvoiceStatus = z.enum(["open", "partial", "paid", "cancelled"]);
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;

const Ref = z.string().min(1).max(64);

export const InvoiceRow = z.strictObject({
  number: Ref,
  /** The customer's id, as in the customers push: only that buyer's token opens the invoice. */
  customer: z.string().min(1).max(128),
  kind: InvoiceKind.optional(),
  /** The orders (`orderRef`) the invoice bills. */
  orderRefs: z.array(Ref).max(50).optional(),
  issuedAt: IsoDate,
  dueAt: IsoDate.optional(),
  currency: Currency,
  total: Money,
  /** What is still to be paid (Odoo's `amount_residual`, ERPNext's `outstanding_amount`). */
  openAmount: Money,
  status: InvoiceStatus,
  /** The ERP renders a PDF of it: the edge fetches it on the first request (or the ERP PUTs it). */
  pdf: z.boolean().optional(),
  erpId: z.string().min(1).max(64).optional(),
  version: Version,
});
export type InvoiceRow = z.infer<typeof InvoiceRow>;

export const ReturnStatus = z.enum(["requested", "approved", "rejected", "received", "refunded", "cancelled"]);
export type ReturnStatus = z.infer<typeof ReturnStatus>;

/** The most units one return line may carry. */
export const RETURN_LIMITS = { lines: 200, qty: 100_000, reason: 500, photoBytes: 5 * 1024 * 1024 } as const;

export const ReturnLine = z.strictObject({ sku: Sku, qty: z.number().int().positive().max(RETURN_LIMITS.qty) });
export type ReturnLine = z.infer<typeof ReturnLine>;

export const ReturnRow = z.strictObject({
  /** The edge's request id (`ret_…`, for a return the buyer filed) or the ERP's own return id. */
  returnRef: Ref,
  /** The ERP's RMA or return document number, what the buyer sees. */
  rmaNumber: Ref.optional(),
  customer: z.string().min(1).max(128),
  orderRef: Ref,
  lines: z.array(ReturnLine).min(1).max(RETURN_LIMITS.lines),
  reason: z.string().max(RETURN_LIMITS.reason).optional(),
  status: ReturnStatus,
  /** When the current status was reached. */
  at: IsoDate,
  version: Version,
});
export type ReturnRow = z.infer<typeof ReturnRow>;

export const ACCOUNT_ERP_LIMITS = { invoices: 1_000, returns: 1_000 } as const;
export const InvoicesPush = z.strictObject({ invoices: z.array(InvoiceRow).min(1).max(ACCOUNT_ERP_LIMITS.invoices) });
export const ReturnsPush = z.strictObject({ returns: z.array(ReturnRow).min(1).max(ACCOUNT_ERP_LIMITS.returns) });

// ——— the signed-in buyer's view (public API, `x-backroom-customer` token) ———

export const AccountSummary = z.object({
  company: z.string(),
  currency: Currency,
  paymentTerms: z.string().optional(),
  creditLimit: z.string().optional(),
  /** What the buyer owes, as the ERP's customer record says. */
  balance: z.string(),
  creditAvailable: z.string().optional(),
  /** The open amount of invoices past their due date. */
  overdue: z.string(),
  openInvoices: z.number().int(),
});
export type AccountSummary = z.infer<typeof AccountSummary>;

export const AccountOrderLine = z.object({ sku: z.string(), qty: z.number().int(), title: z.string().optional() });

export const AccountOrder = z.object({
  orderRef: z.string(),
  orderNumber: z.string().optional(),
  status: OrderStatus,
  at: z.string(),
  shipments: z.array(Shipment),
  /** What the order holds (the shop's lines, else what the ERP shipped). */
  lines: z.array(AccountOrderLine),
  /** Per SKU: delivered units less those already in a return (what a new return may ask for). */
  returnable: z.array(AccountOrderLine),
  invoices: z.array(z.string()),
  returns: z.array(z.object({ returnRef: z.string(), rmaNumber: z.string().optional(), status: ReturnStatus })),
});
export type AccountOrder = z.infer<typeof AccountOrder>;

export const AccountOrders = z.object({ orders: z.array(AccountOrder), nextCursor: z.string().optional() });
export type AccountOrders = z.infer<typeof AccountOrders>;

export const AccountOrdersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});

export const AccountInvoice = z.object({
  number: z.string(),
  kind: InvoiceKind,
  orderRefs: z.array(z.string()),
  issuedAt: z.string(),
  dueAt: z.string().optional(),
  currency: Currency,
  total: z.string(),
  openAmount: z.string(),
  status: InvoiceStatus,
  overdue: z.boolean(),
  pdf: z.boolean(),
});
export type AccountInvoice = z.infer<typeof AccountInvoice>;
export const AccountInvoices = z.object({ invoices: z.array(AccountInvoice) });
export type AccountInvoices = z.infer<typeof AccountInvoices>;

export const InvoiceParam = z.object({ shop: z.string(), number: Ref });

export const ReturnRequest = z.strictObject({
  orderRef: Ref,
  lines: z.array(ReturnLine).min(1).max(RETURN_LIMITS.lines),
  reason: z.string().trim().min(1).max(RETURN_LIMITS.reason),
});
export type ReturnRequest = z.infer<typeof ReturnRequest>;

export const AccountReturn = z.object({
  returnRef: z.string(),
  rmaNumber: z.string().optional(),
  orderRef: z.string(),
  lines: z.array(ReturnLine),
  reason: z.string().optional(),
  status: ReturnStatus,
  requestedAt: z.string(),
  at: z.string(),
  photo: z.boolean(),
});
export type AccountReturn = z.infer<typeof AccountReturn>;
export const AccountReturns = z.object({ returns: z.array(AccountReturn) });
export type AccountReturns = z.infer<typeof AccountReturns>;

/** What the edge sends the ERP for a return the buyer filed (generic connector: `{ type: "return.requested", return }`). */
export const ErpReturnRequest = z.object({
  returnRef: z.string(),
  customer: z.string(),
  orderRef: z.string(),
  orderNumber: z.string().optional(),
  erpRef: z.string().optional(),
  lines: z.array(ReturnLine),
  reason: z.string().optional(),
  /** The edge's URL of the buyer's photo is not sent; `photo` says one was attached. */
  photo: z.boolean(),
  requestedAt: z.string(),
});
export type ErpReturnRequest = z.infer<typeof ErpReturnRequest>;

/** The ERP's answer to a return request: its RMA number and, when it decides at once, the status. */
export const ErpReturnAck = z.object({ rmaNumber: Ref.optional(), status: ReturnStatus.optional() }).loose();

// ——— what staff see on an order (GET /v1/staff/:shop/orders/:ref) ———

export const OrderInvoice = z.object({
  number: z.string(),
  kind: InvoiceKind,
  status: InvoiceStatus,
  currency: Currency,
  total: z.string(),
  openAmount: z.string(),
  dueAt: z.string().optional(),
  overdue: z.boolean(),
});
export const OrderReturn = z.object({
  returnRef: z.string(),
  rmaNumber: z.string().optional(),
  status: ReturnStatus,
  lines: z.array(ReturnLine),
  requestedAt: z.string(),
});
export type OrderInvoice = z.infer<typeof OrderInvoice>;
export type OrderReturn = z.infer<typeof OrderReturn>;

/** `GET …/account/orders/:orderRef/reorder`: a past order's lines as they could be bought now. */
export const ReorderQuote = z.object({
  currency: Currency,
  lines: z.array(
    z.object({
      sku: z.string(),
      qty: z.number().int(),
      available: z.number().int(),
      status: z.string(),
      /** The buyer's current price for this quantity (their list's best break), when the list prices it. */
      unitPrice: z.string().optional(),
      /**
       * The shop platform's id for the cart (Shopify `/cart/add.js` `id`: the variant id; WooCommerce Store API
       * `id`: the variation id, or a simple product's id), when the edge has seen it on a shop order.
       */
      variantId: z.string().optional(),
    }),
  ),
  /** Lines whose SKU the ERP no longer has: listed, not silently dropped. */
  gone: z.array(z.object({ sku: z.string(), qty: z.number().int() })),
});
export type ReorderQuote = z.infer<typeof ReorderQuote>;
export const OrderParam = z.object({ shop: z.string(), orderRef: Ref });
