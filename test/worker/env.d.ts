declare namespace Cloudflare {
  interface Env {
    /** The D1 migrations, read by the vitest config and applied before each test file. */
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
