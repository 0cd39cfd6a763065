import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { MigrateQuery, MigrationProgress } from "../contract";
import type { AppEnv } from "../http/app-env";
import { requireAdmin } from "../http/auth";
import { jsonResponse } from "../http/openapi";
import { validationHook } from "../http/validation";
import { migrateStep } from "../pool/migrate";

const status = createRoute({
  method: "get",
  path: "/v1/admin/data-plane",
  summary: "How many pools keep their data in D1, are being moved, or live in their own object",
  security: [{ operator: [] }],
  responses: { 200: jsonResponse(MigrationProgress, "Where the move stands") },
});

const migrate = createRoute({
  method: "post",
  path: "/v1/admin/data-plane/migrate",
  summary: "One bounded step of moving pools' data from D1 into their objects; repeat until done (npm run migrate-pools)",
  security: [{ operator: [] }],
  request: { query: MigrateQuery },
  responses: { 200: jsonResponse(MigrationProgress, "Where the move stands after this step") },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/admin/data-plane", requireAdmin);
base.use("/v1/admin/data-plane/*", requireAdmin);

export const dataPlaneRoutes = base
  .openapi(status, async (c) => c.json(await migrateStep(c.env, 0), 200))
  .openapi(migrate, async (c) => c.json(await migrateStep(c.env, c.req.valid("query").pages), 200));
