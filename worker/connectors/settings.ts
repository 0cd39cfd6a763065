import { z } from "zod";
import { type ConnectorSlot, ErpConnectorSettings, PlatformStockSettings } from "../contract/connectors";
import { textColumn } from "../db/columns";
import { seal, unseal } from "../domain/secrets";

/**
 * A shop's connector settings, sealed at rest with BACKROOM_MASTER_KEY under "{shop}/connector".
 * Settings are validated again when read back: stored JSON is a trust boundary too.
 */

const context = (shop: string) => `${shop}/connector`;

const Row = z.object({ slot: z.string(), kind: z.string(), sealed: z.string(), enabled: z.number(), updated_at: z.number() });

export async function saveSettings(
  env: Pick<Env, "DB" | "BACKROOM_MASTER_KEY">,
  shop: string,
  slot: ConnectorSlot,
  settings: ErpConnectorSettings | PlatformStockSettings,
  enabled: boolean,
  now: number,
  /** Statements written in the same batch (the audit entry of the change). */
  also: D1PreparedStatement[] = [],
): Promise<void> {
  const sealed = await seal(env.BACKROOM_MASTER_KEY, context(shop), JSON.stringify(settings));
  const save = env.DB.prepare(
    `INSERT INTO connector_settings (shop_id, slot, kind, sealed, enabled, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (shop_id, slot) DO UPDATE SET kind = excluded.kind, sealed = excluded.sealed, enabled = excluded.enabled, updated_at = excluded.updated_at`,
  ).bind(shop, slot, settings.kind, sealed, enabled ? 1 : 0, now);
  await env.DB.batch([save, ...also]);
}

export interface StoredConnector<T> {
  slot: ConnectorSlot;
  enabled: boolean;
  updatedAt: number;
  settings: T;
}

async function load<T>(env: Pick<Env, "DB" | "BACKROOM_MASTER_KEY">, shop: string, slot: ConnectorSlot, schema: z.ZodType<T>) {
  const raw = await env.DB.prepare("SELECT slot, kind, sealed, enabled, updated_at FROM connector_settings WHERE shop_id = ? AND slot = ?")
    .bind(shop, slot)
    .first();
  if (!raw) return undefined;
  const row = Row.parse(raw);
  const settings = schema.parse(JSON.parse(await unseal(env.BACKROOM_MASTER_KEY, context(shop), row.sealed)));
  return { slot, enabled: row.enabled === 1, updatedAt: row.updated_at, settings } satisfies StoredConnector<T>;
}

export const loadErpSettings = (env: Pick<Env, "DB" | "BACKROOM_MASTER_KEY">, shop: string) => load(env, shop, "erp", ErpConnectorSettings);
export const loadPlatformSettings = (env: Pick<Env, "DB" | "BACKROOM_MASTER_KEY">, shop: string) => load(env, shop, "platform", PlatformStockSettings);

/** What the shop's public availability subtracts: the ERP connector's availability mode (Odoo's `availability`), `free` otherwise. */
export async function availabilityMode(env: Pick<Env, "DB" | "BACKROOM_MASTER_KEY">, shop: string): Promise<"free" | "forecast"> {
  const stored = await loadErpSettings(env, shop);
  return stored?.settings.kind === "odoo" && stored.settings.availability === "forecast" ? "forecast" : "free";
}

/**
 * The shop platform's API credentials: the platform connector's settings while it is enabled. The
 * one source for everything the edge asks of the platform (fulfilments, reconciliation, stock push).
 */
export async function platformApi(env: Pick<Env, "DB" | "BACKROOM_MASTER_KEY">, shop: string): Promise<PlatformStockSettings | undefined> {
  const stored = await loadPlatformSettings(env, shop);
  return stored?.enabled ? stored.settings : undefined;
}

/** Shops with an enabled connector in `slot`, for the scheduled jobs. */
export async function shopsWithConnector(db: D1Database, slot: ConnectorSlot): Promise<string[]> {
  return textColumn(db.prepare("SELECT shop_id FROM connector_settings WHERE slot = ? AND enabled = 1 ORDER BY shop_id").bind(slot));
}

export const SECRET_KEYS: ReadonlySet<string> = new Set(["apiKey", "apiSecret", "webhookSecret", "accessToken", "consumerKey", "consumerSecret"]);

/** The settings as staff may see them: every credential replaced by "***". */
export function redact(settings: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, SECRET_KEYS.has(k) ? "***" : v]));
}
