import { z } from "zod";

/**
 * What staff may read of a failed call to a remote: a JSON parse error quotes the start of the body
 * (`Unexpected token 'r', "root:x:0:0"... is not valid JSON`), so it and a shape mismatch are told
 * by kind only; the edge's own errors (RemoteError, ConnectorError) already carry a safe message.
 */
export function failureMessage(e: unknown): string {
  if (e instanceof SyntaxError) return "the remote answered something that is not JSON";
  if (e instanceof z.ZodError) return "the remote answered JSON of an unexpected shape";
  return e instanceof Error ? e.message : String(e);
}
