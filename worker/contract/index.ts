/** The v1 API contract: every request and response shape, as zod schemas. Types are inferred, never restated. */
export * from "./admin";
export * from "./common";
export * from "./erp";
export * from "./error";
export * from "./public";
export * from "./staff";
export * from "./orders";
export * from "./connectors";
export * from "./staff-live";
export * from "./pools";
export * from "./back-in-stock";
export * from "./account";
export * from "./promise";
