import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { ChannelRules, ChannelView, ErrorBody, JoinPool, PoolChannelParam, PoolParam, PoolView, ShopParam } from "../contract";
import { OPERATOR } from "../db/audit";
import { loadPoolChannels } from "../db/channels";
import type { AppEnv } from "../http/app-env";
import { requireAdmin, requireScope } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { joinPool, leavePool } from "../pools/membership";
import { changeRules, channelView } from "../pools/rules";

/**
 * Stock pools: several storefronts (channels) selling one ERP stock. The operator groups shops into
 * a pool named by its root shop and sets each channel's allocation rules; staff read their own
 * channel's rules (`read`) and may change them (`configure`): rules only ever restrict their own channel.
 */

const json = <T>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

const getPool = createRoute({
  method: "get",
  path: "/v1/admin/pools/{pool}",
  summary: "A stock pool: its root shop and every channel selling from it, with their rules",
  security: [{ operator: [] }],
  request: { params: PoolParam },
  responses: { 200: jsonResponse(PoolView, "The pool"), 404: jsonResponse(ErrorBody, "No shop is that pool's root") },
});

const join = createRoute({
  method: "put",
  path: "/v1/admin/pools/{pool}/channels/{shop}",
  summary: "Add a shop to a stock pool as a channel (its own replica must be empty, or dropReplica: true deletes it)",
  security: [{ operator: [] }],
  request: { params: PoolChannelParam, body: json(JoinPool) },
  responses: {
    200: jsonResponse(ChannelView, "The channel as it now sells"),
    404: jsonResponse(ErrorBody, "No such pool or shop"),
    409: jsonResponse(ErrorBody, "replica_not_empty, reservations_held, in_another_pool, pool_has_channels, erp_connector_set or pool_is_channel"),
    422: jsonResponse(ErrorBody, "The rules name a warehouse the pool does not have"),
  },
});

const leave = createRoute({
  method: "delete",
  path: "/v1/admin/pools/{pool}/channels/{shop}",
  summary: "Remove a channel from its pool: it becomes a pool of one with an empty replica",
  security: [{ operator: [] }],
  request: { params: PoolChannelParam },
  responses: {
    200: jsonResponse(ChannelView, "The shop, now its own pool"),
    404: jsonResponse(ErrorBody, "No such pool, or the shop does not sell from it"),
    409: jsonResponse(ErrorBody, "pool_root, or reservations_held"),
  },
});

const adminRules = createRoute({
  method: "put",
  path: "/v1/admin/shops/{shop}/channel-rules",
  summary: "Set a channel's allocation rules: its warehouses, a buffer (units or percent held back), a cap",
  security: [{ operator: [] }],
  request: { params: ShopParam, body: json(ChannelRules) },
  responses: {
    200: jsonResponse(ChannelView, "The rules now in force"),
    404: jsonResponse(ErrorBody, "No such shop"),
    422: jsonResponse(ErrorBody, "unknown_warehouse"),
  },
});

const adminRulesView = createRoute({
  method: "get",
  path: "/v1/admin/shops/{shop}/channel-rules",
  summary: "A channel's pool and allocation rules",
  security: [{ operator: [] }],
  request: { params: ShopParam },
  responses: { 200: jsonResponse(ChannelView, "The rules in force"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const staffRulesView = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/channel-rules",
  summary: "This shop's stock pool and allocation rules (scope read)",
  security: [{ staff: [] }],
  request: { params: ShopParam },
  responses: { 200: jsonResponse(ChannelView, "The rules in force"), 401: jsonResponse(ErrorBody, "No valid staff key of this shop") },
});

const staffRules = createRoute({
  method: "put",
  path: "/v1/staff/{shop}/channel-rules",
  summary: "Set this shop's own allocation rules (scope configure); they restrict this channel only",
  security: [{ staff: [] }],
  request: { params: ShopParam, body: json(ChannelRules) },
  responses: {
    200: jsonResponse(ChannelView, "The rules now in force"),
    401: jsonResponse(ErrorBody, "No valid staff key of this shop"),
    403: jsonResponse(ErrorBody, "The key lacks the configure scope"),
    422: jsonResponse(ErrorBody, "unknown_warehouse"),
  },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/admin/pools/*", requireAdmin);
base.use("/v1/admin/shops/:shop/channel-rules", requireAdmin, loadShop);
base.on("GET", "/v1/staff/:shop/channel-rules", loadShop, requireScope("read"));
base.on("PUT", "/v1/staff/:shop/channel-rules", loadShop, requireScope("configure"));

export const poolRoutes = base
  .openapi(getPool, async (c) => {
    const { pool } = c.req.valid("param");
    const channels = await loadPoolChannels(c.env.DB, pool);
    if (channels.length === 0) throw new ApiError(404, "pool_not_found", `"${pool}" is no stock pool's root`);
    return c.json({ pool, channels: channels.map((ch) => ({ shop: ch.shop, pool: ch.pool, platform: ch.platform, rules: ch.rules })) }, 200);
  })
  .openapi(join, async (c) => {
    const { pool, shop } = c.req.valid("param");
    return c.json(await joinPool(c.env, pool, shop, c.req.valid("json")), 200);
  })
  .openapi(leave, async (c) => {
    const { pool, shop } = c.req.valid("param");
    return c.json(await leavePool(c.env, pool, shop), 200);
  })
  .openapi(adminRulesView, async (c) => c.json(await channelView(c.env.DB, c.var.shop), 200))
  .openapi(adminRules, async (c) => c.json(await changeRules(c.env, c.var.shop, c.req.valid("json"), OPERATOR), 200))
  .openapi(staffRulesView, async (c) => c.json(await channelView(c.env.DB, c.var.shop), 200))
  .openapi(staffRules, async (c) => c.json(await changeRules(c.env, c.var.shop, c.req.valid("json"), c.var.staff), 200));
