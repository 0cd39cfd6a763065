import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// As after every migration run (worker/cli/lib/local-edge.mjs, the deploy steps): fresh planner statistics.
await env.DB.prepare("PRAGMA optimize").run();
