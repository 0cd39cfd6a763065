/** wrangler.toml `[[rules]]` bundles the migrations as text, so a pool object applies the same schema as D1. */
declare module "*.sql" {
  const text: string;
  export default text;
}
