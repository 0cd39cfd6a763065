import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { defaultPatience } from "../connectors/http";
import { ErrorBody, ShopId } from "../contract";
import { AcceptAlias, AcceptedAlias, CatalogueRead, QualityQuery, QualityReport } from "../contract/quality";
import { auditStatement } from "../db/audit";
import type { AppEnv } from "../http/app-env";
import { requireScope, requireStaff } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { acceptAlias } from "../quality/aliases";
import { catalogueReadState, readCatalogue } from "../quality/catalogue-read";
import { qualityCsv } from "../quality/csv";
import { countByKind, qualityFindings } from "../quality/report";

const report = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/quality",
  summary: "Data-quality findings: counts per kind and a page of items (unmapped SKUs with suggested matches, duplicates, anomalies)",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }), query: QualityQuery },
  responses: { 200: jsonResponse(QualityReport, "Counts of every kind and the requested page") },
});

const exportCsv = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/quality/export.csv",
  summary: "Every finding (of one kind, or all) as CSV; duplicate customers carry the merge suggestion for the ERP",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }), query: QualityQuery.pick({ kind: true, staleDays: true }) },
  responses: { 200: { description: "text/csv", content: { "text/csv": { schema: z.string() } } } },
});

const readPlatformCatalogue = createRoute({
  method: "post",
  path: "/v1/staff/{shop}/quality/catalogue",
  summary: "Read (more of) the shop platform's catalogue for the SKU checks: up to 20 pages a call, going on from the last",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }) },
  responses: {
    200: jsonResponse(CatalogueRead, "Where the read stands"),
    404: jsonResponse(ErrorBody, "No enabled platform connector whose catalogue the edge can read"),
    502: jsonResponse(ErrorBody, "The platform failed; the next call retries the same page"),
  },
});

const alias = createRoute({
  method: "post",
  path: "/v1/staff/{shop}/quality/aliases",
  summary: "Accept a suggested match: the platform's SKU becomes an alias of the ERP's SKU",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }), body: { content: { "application/json": { schema: AcceptAlias } }, required: true } },
  responses: {
    200: jsonResponse(AcceptedAlias, "The alias (already there with the same SKU: unchanged)"),
    404: jsonResponse(ErrorBody, "The ERP has no such SKU"),
    409: jsonResponse(ErrorBody, "The alias is an ERP SKU or already stands for another SKU"),
  },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.on("GET", ["/v1/staff/:shop/quality", "/v1/staff/:shop/quality/export.csv"], loadShop, requireStaff);
base.on("POST", ["/v1/staff/:shop/quality/catalogue", "/v1/staff/:shop/quality/aliases"], loadShop, requireScope("operate"));

export const staffQualityRoutes = base
  .openapi(report, async (c) => {
    const q = c.req.valid("query");
    const all = await qualityFindings(c.env.DB, c.var.shop, Date.now(), q.staleDays);
    const chosen = q.kind ? all.filter((i) => i.kind === q.kind) : all;
    const items = chosen.slice(q.offset, q.offset + q.limit);
    const catalogue = await catalogueReadState(c.env.DB, c.var.shop.id);
    const next = q.offset + q.limit < chosen.length ? q.offset + q.limit : undefined;
    return c.json(
      {
        counts: countByKind(all),
        total: all.length,
        ...(catalogue ? { catalogue } : {}),
        items,
        offset: q.offset,
        limit: q.limit,
        ...(next !== undefined ? { next } : {}),
      },
      200,
    );
  })
  .openapi(exportCsv, async (c) => {
    const q = c.req.valid("query");
    const all = await qualityFindings(c.env.DB, c.var.shop, Date.now(), q.staleDays);
    const name = `${c.var.shop.id}-quality${q.kind ? `-${q.kind}` : ""}.csv`;
    return c.body(qualityCsv(q.kind ? all.filter((i) => i.kind === q.kind) : all), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
    });
  })
  .openapi(readPlatformCatalogue, async (c) => {
    let state: Awaited<ReturnType<typeof readCatalogue>>;
    try {
      state = await readCatalogue(c.env, c.var.shop.id, defaultPatience(), Date.now());
    } catch (e) {
      throw new ApiError(502, "platform_failed", `The platform failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!state) throw new ApiError(404, "connector_not_found", "The shop has no enabled platform connector whose catalogue the edge can read");
    return c.json(state, 200);
  })
  .openapi(alias, async (c) => {
    const body = c.req.valid("json");
    const shop = c.var.shop;
    const now = Date.now();
    const result = await acceptAlias(c.env.DB, shop.poolId, body.alias, body.sku, c.var.staff, now, (db) =>
      auditStatement(
        db,
        { shop: shop.id, actor: c.var.staff, action: "sku_alias.accepted", target: `sku/${body.sku}`, changes: [{ field: "alias", to: body.alias }] },
        now,
      ),
    );
    return c.json(result, 200);
  });
