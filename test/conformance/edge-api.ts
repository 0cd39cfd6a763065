import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

/**
 * The conformance suite's view of the edge: only its public HTTP API (admin, staff, public, hooks),
 * as any client would use it. The answers are parsed with the few fields the suite reads.
 */

const Secrets = z.object({ erpSecret: z.string(), staffKey: z.string(), customerSecret: z.string() });
type Secrets = z.infer<typeof Secrets> & { platformWebhookSecret: string };

const RunAnswer = z.object({ runId: z.string().optional(), status: z.string() });
const ConnectorRun = z.object({
  id: z.string(),
  status: z.string(),
  fetched: z.number(),
  applied: z.number(),
  rejected: z.number(),
  message: z.string().optional(),
  errors: z.array(z.object({ resource: z.string(), record: z.string().optional(), code: z.string(), message: z.string() })),
});
const ConnectorsView = z.object({ runs: z.array(ConnectorRun) });
export type ConnectorRun = z.infer<typeof ConnectorRun>;

const StaffProduct = z.object({
  sku: z.string(),
  warehouses: z.array(z.object({ code: z.string(), onHand: z.number(), committed: z.number(), reserved: z.number(), available: z.number() })),
  priceLists: z.array(z.object({ id: z.string(), breaks: z.array(z.object({ minQty: z.number(), unitPrice: z.string() })) })),
});
export type StaffProduct = z.infer<typeof StaffProduct>;
const StaffProductList = z.object({ items: z.array(z.object({ sku: z.string(), onHand: z.number() })), unknown: z.array(z.string()) });
const CustomerPrices = z.object({
  items: z.array(
    z.object({ sku: z.string(), unitPrice: z.string(), breaks: z.array(z.object({ minQty: z.number(), unitPrice: z.string() })), unit: z.string().optional() }),
  ),
});
const PublicAvailability = z.object({
  items: z.array(z.object({ sku: z.string(), available: z.number(), warehouses: z.array(z.object({ code: z.string(), available: z.number() })) })),
});
export type PublicAvailability = z.infer<typeof PublicAvailability>;
export type CustomerPrices = z.infer<typeof CustomerPrices>;
const StaffOrder = z.object({
  orderRef: z.string(),
  erpRef: z.string().optional(),
  status: z.string(),
  shipments: z.array(z.object({ carrier: z.string(), trackingNumber: z.string() })),
  deliveries: z.array(z.object({ event: z.string(), status: z.string(), attempts: z.number(), lastError: z.string().optional() })).optional(),
});
export type StaffOrder = z.infer<typeof StaffOrder>;

const ROOT = resolve(import.meta.dirname, "../..");
const ShopifySample = z.object({ response: z.record(z.string(), z.unknown()) });

export class EdgeApi {
  readonly url: string;
  readonly shop: string;
  private secrets: Secrets | undefined;
  private adminToken = "";
  private deliveries = 0;

  constructor(url: string, shop: string) {
    this.url = url;
    this.shop = shop;
  }

  private get keys(): Secrets {
    if (!this.secrets) throw new Error("the shop is not created yet");
    return this.secrets;
  }

  private async json<T>(schema: z.ZodType<T>, path: string, init: RequestInit = {}, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${this.url}${path}`, { ...init, headers: { "content-type": "application/json", ...headers } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return schema.parse(JSON.parse(text));
  }

  private staff<T>(schema: z.ZodType<T>, path: string, init: RequestInit = {}): Promise<T> {
    return this.json(schema, `/v1/staff/${this.shop}${path}`, init, { authorization: `Bearer ${this.keys.staffKey}` });
  }

  async createShop(adminToken: string, currency: string): Promise<void> {
    this.adminToken = adminToken;
    const platformWebhookSecret = `conf-${Date.now()}-webhook-secret`;
    const answer = await this.json(
      Secrets,
      "/v1/admin/shops",
      {
        method: "POST",
        body: JSON.stringify({
          id: this.shop,
          name: "Conformance",
          platform: "shopify",
          origins: [this.url],
          currency,
          locale: "en-US",
          platformWebhookSecret,
        }),
      },
      { authorization: `Bearer ${adminToken}` },
    );
    this.secrets = { ...answer, platformWebhookSecret };
  }

  /** As the operator (the ERP connector and where orders go are the operator's to decide): pull from the ERP and send it the shop's orders. */
  async setErpConnector(settings: Record<string, unknown>): Promise<void> {
    const operator = { authorization: `Bearer ${this.adminToken}` };
    const put = (path: string, body: unknown) =>
      this.json(z.unknown(), `/v1/admin/shops/${this.shop}${path}`, { method: "PUT", body: JSON.stringify(body) }, operator);
    await put("/connectors/erp", { settings });
    await put("/orders-settings", { ordersTo: "erp-connector" });
  }

  /** One pull of the ERP connector, and that run as the staff view reports it. */
  async pull(): Promise<ConnectorRun & { ms: number }> {
    const started = performance.now();
    const answer = await this.staff(RunAnswer, "/connectors/erp/run", { method: "POST" });
    const ms = Math.round(performance.now() - started);
    const view = await this.staff(ConnectorsView, "/connectors?limit=5");
    const run = view.runs.find((r) => r.id === answer.runId) ?? view.runs[0];
    if (!run) throw new Error(`the pull answered ${answer.status} and left no run`);
    return { ...run, ms };
  }

  /** The staff view of one SKU, or undefined when the edge does not know it. */
  async product(sku: string): Promise<StaffProduct | undefined> {
    const res = await fetch(`${this.url}/v1/staff/${this.shop}/products/${encodeURIComponent(sku)}`, {
      headers: { authorization: `Bearer ${this.keys.staffKey}` },
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`staff product ${sku}: HTTP ${res.status}`);
    return StaffProduct.parse(await res.json());
  }

  /** Which of `skus` the edge knows (100 per request). */
  async known(skus: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < skus.length; i += 100) {
      const q = skus
        .slice(i, i + 100)
        .map((s) => `sku=${encodeURIComponent(s)}`)
        .join("&");
      for (const item of (await this.staff(StaffProductList, `/products?${q}`)).items) found.add(item.sku);
    }
    return found;
  }

  /** The storefront's availability (in each product's sales unit; a kit's from its components). */
  async availability(skus: readonly string[]): Promise<PublicAvailability> {
    const q = skus.map((s) => `sku=${encodeURIComponent(s)}`).join("&");
    return this.json(PublicAvailability, `/v1/shops/${this.shop}/availability?${q}`, {}, { origin: this.url });
  }

  /** A customer's prices, asked with a storefront-signed customer token. */
  async prices(customerId: string, skus: readonly string[]): Promise<CustomerPrices> {
    const expires = Math.floor(Date.now() / 1000) + 600;
    const mac = createHmac("sha256", this.keys.customerSecret).update(`${customerId}.${expires}`).digest("hex");
    const q = skus.map((s) => `sku=${encodeURIComponent(s)}`).join("&");
    return this.json(CustomerPrices, `/v1/shops/${this.shop}/prices?${q}`, {}, { "x-backroom-customer": `${customerId}.${expires}.${mac}`, origin: this.url });
  }

  /** The storefront-signed token of a buyer (`x-backroom-customer`), valid 10 minutes. */
  customerToken(customerId: string): string {
    const expires = Math.floor(Date.now() / 1000) + 600;
    const mac = createHmac("sha256", this.keys.customerSecret).update(`${customerId}.${expires}`).digest("hex");
    return `${customerId}.${expires}.${mac}`;
  }

  /** A signed-in buyer's request to the account API (issue 13), answered as it comes. */
  account(customerId: string, path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}/v1/shops/${this.shop}/account${path}`, {
      ...init,
      headers: { origin: this.url, "x-backroom-customer": this.customerToken(customerId), ...(init.body ? { "content-type": "application/json" } : {}) },
    });
  }

  /** A signed ERP push (Standard Webhooks with the shop's ERP secret), as the ERP or a carrier integration sends it. */
  async erpPush(resource: string, body: unknown): Promise<void> {
    const raw = JSON.stringify(body);
    const id = `conf_${Date.now()}_${++this.deliveries}`;
    const ts = Math.floor(Date.now() / 1000);
    const secret = this.keys.erpSecret.startsWith("whsec_") ? Buffer.from(this.keys.erpSecret.slice(6), "base64") : Buffer.from(this.keys.erpSecret);
    const signature = createHmac("sha256", secret).update(`${id}.${ts}.${raw}`).digest("base64");
    const res = await fetch(`${this.url}/v1/erp/${this.shop}/${resource}`, {
      method: "POST",
      body: raw,
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${signature}` },
    });
    if (!res.ok) throw new Error(`push ${resource}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }

  async order(orderRef: string): Promise<StaffOrder | undefined> {
    const res = await fetch(`${this.url}/v1/staff/${this.shop}/orders/${encodeURIComponent(orderRef)}`, {
      headers: { authorization: `Bearer ${this.keys.staffKey}` },
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`staff order ${orderRef}: HTTP ${res.status}`);
    return StaffOrder.parse(await res.json());
  }

  /** Posts Shopify's documented order webhook, edited, signed with the shop's platform secret. */
  async shopifyOrder(topic: string, orderId: string, edit: (o: Record<string, unknown>) => void): Promise<void> {
    const sample = ShopifySample.parse(JSON.parse(readFileSync(`${ROOT}/test/fixtures/shopify/orders_create.json`, "utf8")));
    const o: Record<string, unknown> = structuredClone(sample.response);
    o.cancelled_at = null;
    o.cancel_reason = null;
    o.financial_status = "paid";
    edit(o);
    o.admin_graphql_api_id = `gid://shopify/Order/${orderId}`;
    o.id = 0;
    const body = JSON.stringify(o).replace('"id":0,', `"id":${orderId},`);
    const signature = createHmac("sha256", this.keys.platformWebhookSecret).update(body).digest("base64");
    const res = await fetch(`${this.url}/v1/hooks/shopify/${this.shop}`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-webhook-id": `conf-${orderId}-${++this.deliveries}`,
        "x-shopify-hmac-sha256": signature,
        "x-shopify-shop-domain": "conformance.myshopify.com",
      },
    });
    if (!res.ok) throw new Error(`shopify ${topic}: HTTP ${res.status} ${await res.text()}`);
  }
}

/** "HTTP 401 customer_unknown" from an edge error. */
export const edgeRefusal = (e: Error): string => {
  const m = /HTTP (\d+) .*"code":"([a-z_]+)"/.exec(e.message);
  return m ? `HTTP ${m[1]} ${m[2]}` : e.message.slice(0, 80);
};

/** Polls `probe` until it answers something truthy or `ms` pass; answers the last value. */
export async function waitFor<T>(probe: () => Promise<T>, ms: number, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
