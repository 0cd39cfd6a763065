import { z } from "zod";

/** The one error body every route answers with. `code` is stable snake_case a client can switch on. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
