/** Debian's Chromium (`apt-get install chromium`); CHROMIUM overrides the path. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Headless in a container (no sandbox, no GPU) and nothing phoning home: this machine has no network but loopback. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
