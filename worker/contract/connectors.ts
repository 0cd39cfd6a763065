import { z } from "zod";

/**
 * Connector settings and the staff sync view of connector runs. Credentials go in, never come
 * back out: reads answer the settings with every secret replaced by `"***"`.
 */

const HttpUrl = z.url({ protocol: /^https?$/ }).max(500);

/** ERP warehouse (Odoo `stock.warehouse.code`, ERPNext `Warehouse.name`) → the edge's warehouse code. */
const WarehouseMap = z.record(z.string().min(1).max(140), z.string().min(1).max(64));

export const OdooSettings = z.strictObject({
  kind: z.literal("odoo"),
  url: HttpUrl,
  db: z.string().min(1).max(100),
  /** `json2` for Odoo 19+ (`/json/2/<model>/<method>`, bearer API key); `jsonrpc` for 16–18 (`execute_kw`). */
  protocol: z.enum(["json2", "jsonrpc"]),
  login: z.string().min(1).max(200).optional(),
  apiKey: z.string().min(1).max(500),
  /** The partner that shop orders are booked on when the order's customer is unknown to Odoo. */
  defaultPartnerId: z.number().int().positive().optional(),
  warehouses: WarehouseMap.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  /**
   * What "available" means at the edge: `free` (default) = on hand − reserved, Odoo's `free_qty`;
   * `forecast` = on hand − every confirmed delivery, reserved or not (Odoo's `virtual_available`
   * without the receipts, which the edge shows as incoming).
   */
  availability: z.enum(["free", "forecast"]).optional(),
  /** A service product (e.g. "Shipping") the shop's shipping charge is booked on as a sale order line; without it the charge is in the order's note. */
  shippingProductId: z.number().int().positive().optional(),
  /** Minutes between full snapshots (stock, price-list items, customers) that catch what Odoo deleted. */
  snapshotMinutes: z.number().int().min(1).max(1440).optional(),
});

export const ErpNextSettings = z.strictObject({
  kind: z.literal("erpnext"),
  url: HttpUrl,
  apiKey: z.string().min(1).max(200),
  apiSecret: z.string().min(1).max(200),
  /**
   * The secret of ERPNext's own Webhook documents (`X-Frappe-Webhook-Signature`). It authorises ERP
   * data, so only the operator sets it or has the edge generate it
   * (POST /v1/admin/shops/:shop/connectors/erp/webhook-secret); connector saves keep it as it is.
   */
  webhookSecret: z.string().min(8).max(200).optional(),
  company: z.string().min(1).max(140).optional(),
  defaultCustomer: z.string().min(1).max(140).optional(),
  warehouses: WarehouseMap.optional(),
  /** Minutes between full snapshots (Bins, Item Prices) that catch what ERPNext deleted. */
  snapshotMinutes: z.number().int().min(1).max(1440).optional(),
});

/**
 * The `platform` slot: the shop platform's API credentials, the one place the edge reads them from
 * (stock push, fulfilments with tracking, order reconciliation).
 */
export const ShopifyStockSettings = z.strictObject({
  kind: z.literal("shopify"),
  /** e.g. `acme.myshopify.com` (a full URL is accepted for local fakes). */
  shopDomain: z.string().min(1).max(300),
  accessToken: z.string().min(1).max(300),
  /** The Admin API version every call (stock, fulfilments, reconciliation) is made with. */
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .default("2026-10"),
  /** Edge warehouse code → Shopify location gid. Warehouses without a location are not pushed. */
  locations: z.record(z.string().min(1).max(64), z.string().regex(/^gid:\/\/shopify\/Location\/\d+$/)).default({}),
});

export const WooStockSettings = z.strictObject({
  kind: z.literal("woocommerce"),
  url: HttpUrl,
  consumerKey: z.string().min(1).max(200),
  consumerSecret: z.string().min(1).max(200),
});

export const BigCommerceStockSettings = z.strictObject({
  kind: z.literal("bigcommerce"),
  /** The store's permanent id (the `{store_hash}` in `api.bigcommerce.com/stores/{store_hash}`). */
  storeHash: z.string().regex(/^[a-z0-9]{1,64}$/i),
  /** A store-level API account token (`X-Auth-Token`) with Orders and Products/Inventory modify scopes. */
  accessToken: z.string().min(1).max(300),
  /** The API origin; BigCommerce's own unless a proxy or a local fake stands in. */
  apiUrl: HttpUrl.default("https://api.bigcommerce.com"),
  /** Edge warehouse code → BigCommerce inventory location id. Without any, every warehouse counts toward location 1 (the default location). */
  locations: z.record(z.string().min(1).max(64), z.number().int().positive()).default({}),
});

export const MagentoStockSettings = z.strictObject({
  kind: z.literal("magento"),
  /** The store's base URL (REST lives under `/rest/<storeCode>/V1`). */
  url: HttpUrl,
  /** An integration's access token (Bearer) with Sales and Inventory resources. */
  accessToken: z.string().min(1).max(300),
  storeCode: z
    .string()
    .regex(/^[a-z0-9_]{1,64}$/)
    .default("default"),
  /** Edge warehouse code → MSI source code. Without any, every warehouse counts toward the `default` source. */
  sources: z.record(z.string().min(1).max(64), z.string().min(1).max(64)).default({}),
});

export const ErpConnectorSettings = z.discriminatedUnion("kind", [OdooSettings, ErpNextSettings]);
export const PlatformStockSettings = z.discriminatedUnion("kind", [ShopifyStockSettings, WooStockSettings, BigCommerceStockSettings, MagentoStockSettings]);
export type OdooSettings = z.infer<typeof OdooSettings>;
export type ErpNextSettings = z.infer<typeof ErpNextSettings>;
export type ShopifyStockSettings = z.infer<typeof ShopifyStockSettings>;
export type WooStockSettings = z.infer<typeof WooStockSettings>;
export type BigCommerceStockSettings = z.infer<typeof BigCommerceStockSettings>;
export type MagentoStockSettings = z.infer<typeof MagentoStockSettings>;
export type ErpConnectorSettings = z.infer<typeof ErpConnectorSettings>;
export type PlatformStockSettings = z.infer<typeof PlatformStockSettings>;

export const ConnectorSlot = z.enum(["erp", "platform"]);
export type ConnectorSlot = z.infer<typeof ConnectorSlot>;

/** The ERPNext settings a connector save carries: everything but the webhook secret, which has its own operator route. */
export const StaffErpNextSettings = ErpNextSettings.omit({ webhookSecret: true });

export const PutConnector = z.strictObject({
  // One discriminated union over every kind, so an error names the setting ("settings.protocol").
  settings: z.discriminatedUnion("kind", [
    OdooSettings,
    StaffErpNextSettings,
    ShopifyStockSettings,
    WooStockSettings,
    BigCommerceStockSettings,
    MagentoStockSettings,
  ]),
  enabled: z.boolean().default(true),
});
export type PutConnector = z.infer<typeof PutConnector>;

/** The operator's ERP connector: where the edge pulls ERP truth from, with whose credentials (the webhook secret has its own route). */
export const PutErpConnector = z.strictObject({
  settings: z.discriminatedUnion("kind", [OdooSettings, StaffErpNextSettings]),
  enabled: z.boolean().default(true),
});

export const ConnectorRun = z.object({
  id: z.string(),
  connector: z.string(),
  kind: z.string(),
  status: z.enum(["running", "ok", "partial", "failed", "throttled"]),
  fetched: z.number().int(),
  applied: z.number().int(),
  stale: z.number().int(),
  rejected: z.number().int(),
  message: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  errors: z.array(
    z.object({ resource: z.string(), record: z.string().optional(), code: z.string(), message: z.string(), retryable: z.boolean(), at: z.string() }),
  ),
});
export type ConnectorRun = z.infer<typeof ConnectorRun>;

export const ConnectorsView = z.object({
  connectors: z.array(
    z.object({ slot: ConnectorSlot, kind: z.string(), enabled: z.boolean(), updatedAt: z.string(), settings: z.record(z.string(), z.unknown()) }),
  ),
  cursors: z.array(z.object({ connector: z.string(), resource: z.string(), cursor: z.string(), updatedAt: z.string() })),
  runs: z.array(ConnectorRun),
});
export type ConnectorsView = z.infer<typeof ConnectorsView>;
