import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "./http/app-env";
import { dataPlane } from "./pool/request";
import { notFound, onError } from "./http/error";
import { accountRoutes } from "./routes/account";
import { adminRoutes } from "./routes/admin";
import { auditRoutes } from "./routes/audit";
import { backInStockRoutes } from "./routes/back-in-stock";
import { connectorRoutes } from "./routes/connectors";
import { dataPlaneRoutes } from "./routes/data-plane";
import { erpRoutes } from "./routes/erp";
import { erpAccountRoutes } from "./routes/erp-account";
import { erpSalesRoutes } from "./routes/erp-sales";
import { hookRoutes } from "./routes/hooks";
import { orderSettingsRoutes } from "./routes/order-settings";
import { poolRoutes } from "./routes/pools";
import { promiseRoutes, staffPromiseRoutes } from "./routes/promise";
import { publicRoutes } from "./routes/public";
import { staffRoutes } from "./routes/staff";
import { staffForecastRoutes } from "./routes/staff-forecast";
import { staffKeyRoutes } from "./routes/staff-keys";
import { staffLiveRoutes } from "./routes/staff-live";
import { staffQualityRoutes } from "./routes/staff-quality";
import { staffSearchRoutes } from "./routes/staff-search";
import { staffStockPushRoutes } from "./routes/staff-stock-push";
import { syncRoutes } from "./routes/sync";

/**
 * The whole HTTP surface. Each resource's routes live on their own sub-app; `AppType` types the
 * one `hc` client the widget and the extension share.
 */
export const app = new OpenAPIHono<AppEnv>();

// Every shop's request runs on its pool's data (issue 17).
app.use("/v1/*", dataPlane);

const routes = app
  .get("/healthz", (c) => c.json({ ok: true }))
  .route("/", adminRoutes)
  .route("/", erpRoutes)
  .route("/", publicRoutes)
  // After publicRoutes: its /v1/shops/:shop/* middleware (shop, CORS) serves these routes too.
  .route("/", backInStockRoutes)
  .route("/", promiseRoutes) // issue 12: under /v1/shops/:shop/ too
  .route("/", staffRoutes)
  .route("/", hookRoutes)
  .route("/", syncRoutes)
  .route("/", orderSettingsRoutes)
  .route("/", connectorRoutes)
  .route("/", staffKeyRoutes)
  .route("/", auditRoutes)
  .route("/", staffLiveRoutes)
  .route("/", staffSearchRoutes)
  .route("/", poolRoutes)
  .route("/", staffStockPushRoutes)
  // B2B buyer self-service (issue 13): after erpRoutes and publicRoutes, whose middleware guards them.
  .route("/", erpAccountRoutes)
  .route("/", accountRoutes)
  // issue 15: data quality and forecasts for staff
  .route("/", staffQualityRoutes)
  .route("/", erpSalesRoutes)
  .route("/", staffForecastRoutes)
  .route("/", staffPromiseRoutes)
  // issue 17: moving pools' data out of D1 into their objects
  .route("/", dataPlaneRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "operator", { type: "http", scheme: "bearer", description: "BACKROOM_ADMIN_TOKEN" });
app.openAPIRegistry.registerComponent("securitySchemes", "staff", {
  type: "http",
  scheme: "bearer",
  description: "A staff key of the shop, with the scope each route names (read, operate, configure)",
});
app.openAPIRegistry.registerPath({
  method: "get",
  path: "/healthz",
  summary: "Liveness: answers while the worker runs",
  responses: { 200: { description: "The edge is up", content: { "application/json": { schema: z.object({ ok: z.boolean() }) } } } },
});
app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "Backroom edge API", version: "1.0.0", description: "ERP truth at the storefront edge. Errors: { error: { code, message, details? } }." },
});
app.onError(onError);
app.notFound(notFound);

export type AppType = typeof routes;
