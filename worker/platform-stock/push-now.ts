import { z } from "zod";
import { loadPlatformSettings } from "../connectors/settings";
import type { StaffStockPushResult } from "../contract";
import { markStockDirty } from "../db/stock-dirty";
import { syncPlatformStock } from "./sync";

const Told = z.object({ location: z.string(), qty: z.number(), pushed_at: z.number() });
const RunError = z.object({ code: z.string(), message: z.string() });

/**
 * Staff's "push ERP stock to the shop now" for one SKU: forgets what the platform was last told
 * of it (so the push is sent even when the edge thinks the platform agrees: it evidently does not),
 * marks it dirty and runs the platform stock sync now. Answers undefined when the shop has no
 * enabled platform connector.
 */
export async function pushSkuStockNow(env: Env, shop: string, sku: string): Promise<StaffStockPushResult | undefined> {
  if (!(await loadPlatformSettings(env, shop))?.enabled) return undefined;
  await env.DB.prepare("DELETE FROM platform_stock WHERE shop_id = ? AND sku = ?").bind(shop, sku).run();
  await markStockDirty(env.DB, shop, [sku], Date.now());
  const outcome = await syncPlatformStock(env, shop);
  if (!outcome) return undefined;
  const [told, errors] = await env.DB.batch([
    env.DB.prepare("SELECT location, qty, pushed_at FROM platform_stock WHERE shop_id = ? AND sku = ? ORDER BY location").bind(shop, sku),
    env.DB.prepare("SELECT code, message FROM connector_errors WHERE shop_id = ? AND run_id = ? AND (record = ? OR record IS NULL) ORDER BY id LIMIT 1").bind(
      shop,
      outcome.runId ?? "",
      sku,
    ),
  ]);
  const error = errors?.results[0] ? RunError.parse(errors.results[0]) : undefined;
  return {
    sku,
    status: outcome.status,
    ...(outcome.runId ? { runId: outcome.runId } : {}),
    told: (told?.results ?? []).map((r) => {
      const t = Told.parse(r);
      return { location: t.location, qty: t.qty, at: new Date(t.pushed_at).toISOString() };
    }),
    ...(error ? { error } : {}),
  };
}
