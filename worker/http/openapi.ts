/** An OpenAPI response entry with a JSON body, for `createRoute({ responses })`. */
export const jsonResponse = <T>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
