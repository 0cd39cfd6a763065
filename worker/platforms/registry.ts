import type { Patience } from "../connectors/http";
import type { PlatformStockSettings } from "../contract/connectors";
import type { OrderPlatform } from "../contract/orders";
import { bigcommerce } from "./bigcommerce";
import type { CatalogueReader } from "./catalogue";
import { magento } from "./magento";
import type { CredentialsOf, Platform, PlatformApi } from "./platform";
import { shopify } from "./shopify";
import type { StockTarget } from "./stock-target";
import { woocommerce } from "./woocommerce";

/**
 * Platform name → implementation: the one place that lists them. The hooks route, the inbox, the
 * queue's fulfilments, the reconciliation cron and the stock push all come through here; adding a
 * platform is adding its folder and one line below (and its name to `OrderPlatform`).
 */
const PLATFORMS: { [K in OrderPlatform]: Platform<K> } = { shopify, woocommerce, bigcommerce, magento };

export function platformNamed<K extends OrderPlatform>(name: K): Platform<K> {
  return PLATFORMS[name];
}

function bindApi<K extends OrderPlatform>(kind: K, creds: CredentialsOf<K>, doFetch: typeof fetch): PlatformApi {
  return PLATFORMS[kind].api(creds, doFetch);
}

function bindStock<K extends OrderPlatform>(kind: K, creds: CredentialsOf<K>, patience: Patience): StockTarget {
  return PLATFORMS[kind].stock(creds, patience);
}

/** The order API of the platform the connector's credentials are for. */
export const platformApiFor = (creds: PlatformStockSettings, doFetch: typeof fetch): PlatformApi => bindApi(creds.kind, creds, doFetch);

/** The inventory of the platform the connector's credentials are for. */
export const stockTargetFor = (creds: PlatformStockSettings, patience: Patience): StockTarget => bindStock(creds.kind, creds, patience);

function bindCatalogue<K extends OrderPlatform>(kind: K, creds: CredentialsOf<K>, patience: Patience): CatalogueReader | undefined {
  return PLATFORMS[kind].catalogue?.(creds, patience);
}

/** The catalogue of the platform the connector's credentials are for; undefined where the edge cannot read it. */
export const catalogueFor = (creds: PlatformStockSettings, patience: Patience): CatalogueReader | undefined => bindCatalogue(creds.kind, creds, patience);
