import { createMiddleware } from "hono/factory";
import { ShopId } from "../contract";
import { getShop, type Shop } from "../db/shops";
import type { AppEnv } from "./app-env";
import { ApiError } from "./error";
import { MicroCache } from "./micro-cache";

/** Loads the `:shop` of the path into `c.var.shop`; an unknown or malformed id is a 404 either way. A shop already loaded for this request is kept. */
export const loadShop = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("shop") === undefined) c.set("shop", await readShop(c.env.DB, c.req.param("shop")));
  await next();
});

async function readShop(db: D1Database, param: string | undefined): Promise<Shop> {
  const id = ShopId.safeParse(param);
  const shop = id.success ? await getShop(db, id.data) : undefined;
  if (!shop) throw new ApiError(404, "shop_not_found", "No such shop");
  return shop;
}

/**
 * Shop rows this isolate read in the last seconds, for the storefront's public, seconds-fresh reads
 * only (availability): their answers may already be AVAILABILITY_CACHE_SECONDS old, and the row may
 * be as old again. A change to a shop or its channel rules made through this isolate forgets them
 * at once (`forgetRecentShops`); routes that check a secret or a key never use them.
 */
const recentShops = new MicroCache<Shop>(1_000);

/** Called after any change to the registry's shop or channel rows. */
export const forgetRecentShops = (): void => recentShops.deletePrefix("");

/**
 * The shop's row for a public read, from its pool object's copy of the registry rows (refreshed after
 * every change to them): the call goes where the availability query goes next, and none goes to D1.
 * A row the copy lacks (an object whose copy was never written) is read from D1.
 */
export async function readPublicShop(db: D1Database, param: string | undefined): Promise<Shop> {
  const id = ShopId.safeParse(param);
  if (!id.success) throw new ApiError(404, "shop_not_found", "No such shop");
  return (await getShop(readsCopy(db) ? db.fromMirror() : db, id.data)) ?? readShop(db, id.data);
}

/** The pool data plane (`PlaneDatabase`, worker/pool/), which can read registry rows from its pool object's copy; D1 itself cannot. */
interface RegistryCopy {
  fromMirror(): D1Database;
}

/** Told by its shape: the pool folder builds on this one (`forgetRecentShops`), so this one does not import it. */
const readsCopy = (db: D1Database | RegistryCopy): db is RegistryCopy => "fromMirror" in db;

/** `loadShop` for the public availability read: the row from this isolate's memory when it is seconds-fresh, else from the pool's copy. */
export const loadRecentShop = createMiddleware<AppEnv>(async (c, next) => {
  const seconds = Number(c.env.AVAILABILITY_CACHE_SECONDS) || 0;
  const param = c.req.param("shop") ?? "";
  const known = seconds > 0 ? recentShops.get(param, Date.now()) : undefined;
  const shop = known ?? (await readPublicShop(c.env.DB, param));
  if (known === undefined) recentShops.set(param, shop, seconds * 1000, Date.now());
  c.set("shop", shop);
  await next();
});
