declare namespace Cloudflare {
  interface Env {
    /** The D1 migrations, read by the vitest config and applied before each test file. */
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** Local mode (see worker/outbound/local-mode.ts), set by the vitest config as by `npm start`. */
    BACKROOM_LOCAL: string;
  }
}
