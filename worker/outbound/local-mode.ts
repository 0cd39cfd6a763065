/**
 * Local mode: the edge runs on a developer's machine (`npm start`, the e2e suites, the benchmarks,
 * the workerd tests), where the ERP and platform fakes listen on 127.0.0.1 over plain http. It is
 * the variable `BACKROOM_LOCAL=1`, passed by those launchers with `--var`/bindings and never put in
 * wrangler.toml, so a deployed edge is never in local mode.
 */
export function isLocalMode(env: object): boolean {
  return "BACKROOM_LOCAL" in env && env.BACKROOM_LOCAL === "1";
}
