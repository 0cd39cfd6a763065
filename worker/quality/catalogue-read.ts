import { z } from "zod";
import type { Patience } from "../connectors/http";
import { platformApi } from "../connectors/settings";
import type { CatalogueVariant } from "../platforms/catalogue";
import { catalogueFor } from "../platforms/registry";

/** Pages one call reads at most: a staff click or a cron tick stays bounded; the next goes on from the cursor. */
export const PAGES_PER_CALL = 20;

export interface CatalogueReadState {
  readId: string;
  pages: number;
  variants: number;
  finished: boolean;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

const ReadRow = z.object({
  read_id: z.string(),
  cursor: z.string().nullable(),
  pages: z.number(),
  started_at: z.number(),
  finished_at: z.number().nullable(),
  error: z.string().nullable(),
});

const loadRead = async (db: D1Database, shop: string) => {
  const row = await db
    .prepare("SELECT read_id, cursor, pages, started_at, finished_at, error FROM platform_catalogue_reads WHERE shop_id = ?")
    .bind(shop)
    .first();
  return row ? ReadRow.parse(row) : undefined;
};

/** Where the shop's catalogue read stands; undefined before the first. */
export async function catalogueReadState(db: D1Database, shop: string): Promise<CatalogueReadState | undefined> {
  const r = await loadRead(db, shop);
  if (!r) return undefined;
  const variants = z.number().parse(await db.prepare("SELECT count(*) AS n FROM platform_catalogue WHERE shop_id = ?").bind(shop).first("n"));
  return {
    readId: r.read_id,
    pages: r.pages,
    variants,
    finished: r.finished_at !== null,
    startedAt: new Date(r.started_at).toISOString(),
    ...(r.finished_at !== null ? { finishedAt: new Date(r.finished_at).toISOString() } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

const upsertVariants = (db: D1Database, shop: string, readId: string, items: readonly CatalogueVariant[]): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO platform_catalogue (shop_id, variant_id, product_id, sku, title, barcode, price, read_id)
       SELECT ?1, v.value ->> 0, v.value ->> 1, v.value ->> 2, v.value ->> 3, v.value ->> 4, v.value ->> 5, ?2 FROM json_each(?3) AS v WHERE true
       ON CONFLICT (shop_id, variant_id) DO UPDATE SET product_id = excluded.product_id, sku = excluded.sku, title = excluded.title,
         barcode = excluded.barcode, price = excluded.price, read_id = excluded.read_id`,
    )
    .bind(shop, readId, JSON.stringify(items.map((v) => [v.variantId, v.productId, v.sku ?? null, v.title, v.barcode ?? null, v.price ?? null])));

/**
 * Reads up to `maxPages` pages of the shop platform's catalogue into `platform_catalogue`, going on
 * from where the last call stopped (or starting a new read after a finished one). When the last page
 * is in, variants the read did not see are gone from the platform and are dropped. Throws
 * `no_platform_connector` when the shop has no enabled platform connector, or one the edge cannot read
 * a catalogue from; a platform failure is recorded on the read (and rethrown) and the next call retries
 * the same page.
 */
export async function readCatalogue(env: Pick<Env, "DB" | "BACKROOM_MASTER_KEY">, shop: string, patience: Patience, now: number, maxPages = PAGES_PER_CALL) {
  const creds = await platformApi(env, shop);
  const reader = creds ? catalogueFor(creds, patience) : undefined;
  if (!reader) return undefined;
  let read = await loadRead(env.DB, shop);
  if (!read || read.finished_at !== null) {
    read = { read_id: crypto.randomUUID(), cursor: null, pages: 0, started_at: now, finished_at: null, error: null };
    await env.DB.prepare(
      `INSERT INTO platform_catalogue_reads (shop_id, read_id, cursor, pages, started_at, finished_at, error) VALUES (?1, ?2, NULL, 0, ?3, NULL, NULL)
       ON CONFLICT (shop_id) DO UPDATE SET read_id = excluded.read_id, cursor = NULL, pages = 0, started_at = excluded.started_at, finished_at = NULL, error = NULL`,
    )
      .bind(shop, read.read_id, now)
      .run();
  }
  let cursor = read.cursor ?? undefined;
  for (let n = 0; n < maxPages; n++) {
    let page: Awaited<ReturnType<typeof reader.page>>;
    try {
      page = await reader.page(cursor);
    } catch (e) {
      await env.DB.prepare("UPDATE platform_catalogue_reads SET error = ? WHERE shop_id = ?")
        .bind(e instanceof Error ? e.message : String(e), shop)
        .run();
      throw e;
    }
    const done = page.next === undefined;
    await env.DB.batch([
      upsertVariants(env.DB, shop, read.read_id, page.items),
      env.DB.prepare("UPDATE platform_catalogue_reads SET cursor = ?, pages = pages + 1, error = NULL, finished_at = ? WHERE shop_id = ?").bind(
        page.next ?? null,
        done ? now : null,
        shop,
      ),
      ...(done ? [env.DB.prepare("DELETE FROM platform_catalogue WHERE shop_id = ? AND read_id <> ?").bind(shop, read.read_id)] : []),
    ]);
    if (done) break;
    cursor = page.next;
  }
  return catalogueReadState(env.DB, shop);
}
