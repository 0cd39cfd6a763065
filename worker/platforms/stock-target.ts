/** One quantity to set on the platform: its item, location ('' for a single stock) and the new available quantity. */
export interface StockUpdate {
  sku: string;
  itemId: string;
  location: string;
  qty: number;
}

/** Updates the platform refused, by their index in the batch, with the platform's reason. */
export interface TargetResult {
  failed: ReadonlyMap<number, string>;
}

/** A shop platform's inventory as the stock sync sees it. */
export interface StockTarget {
  /** The platform location of an edge warehouse; undefined when that warehouse is not pushed. For a single-stock platform, "" for every warehouse. */
  locationOf(warehouse: string): string | undefined;
  batchSize: number;
  /** The platform's item ids of these SKUs; SKUs it does not know are left out. */
  resolve(skus: readonly string[]): Promise<Map<string, string>>;
  push(updates: readonly StockUpdate[]): Promise<TargetResult>;
}
