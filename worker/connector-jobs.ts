import { getShop } from "./db/shops";
import { syncPlatformStock } from "./platform-stock/sync";
import { erpNextClient } from "./connectors/erpnext/client";
import { erpNextSource } from "./connectors/erpnext/pull";
import { defaultPatience, type Patience } from "./connectors/http";
import { odooClient } from "./connectors/odoo/client";
import { odooSource } from "./connectors/odoo/pull";
import { type PullOutcome, runPull } from "./connectors/pull";
import { loadErpSettings, shopsWithConnector } from "./connectors/settings";

/** Pulls one shop's ERP through its configured connector; undefined when it has none enabled. */
export async function pullErp(env: Env, shopId: string, patience: Patience = defaultPatience()): Promise<PullOutcome | undefined> {
  const shop = await getShop(env.DB, shopId);
  const stored = await loadErpSettings(env, shopId);
  if (!shop || !stored?.enabled) return undefined;
  const s = stored.settings;
  const source = s.kind === "odoo" ? odooSource(odooClient(s, patience), s) : erpNextSource(erpNextClient(s, patience), s);
  return runPull(env, shop, source);
}

/**
 * The scheduled connector job: every shop with an ERP connector is pulled, then every shop with
 * a platform connector gets its changed stock. One shop's failure is recorded in its runs and
 * never stops the others.
 */
export async function runConnectorJobs(env: Env): Promise<number> {
  let runs = 0;
  for (const shop of await shopsWithConnector(env.DB, "erp")) {
    try {
      if (await pullErp(env, shop)) runs++;
    } catch (e) {
      console.error("connector pull", shop, e);
    }
  }
  for (const shop of await shopsWithConnector(env.DB, "platform")) {
    try {
      if (await syncPlatformStock(env, shop)) runs++;
    } catch (e) {
      console.error("platform stock", shop, e);
    }
  }
  return runs;
}
