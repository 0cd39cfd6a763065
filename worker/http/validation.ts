import type { Hook } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { validationError } from "./error";

/** zod-openapi's hook for every route: a request that fails its schema becomes the one error body. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) throw validationError(result.error.issues, `request ${result.target}`);
};
