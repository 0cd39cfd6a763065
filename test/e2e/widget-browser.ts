import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";

declare global {
  interface Window {
    __shift: { total: number; entries: number };
  }
}

export const ARTIFACTS = resolve(import.meta.dirname, "../.artifacts");

/** Debian's Chromium, headless, no sandbox (containers), nothing phoning home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
}

/**
 * Counts every layout shift the page makes from its first paint on (buffered), the way CLS does:
 * shifts right after user input are excluded, like the browser's own metric.
 */
export async function watchLayoutShift(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__shift = { total: 0, entries: 0 };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (Reflect.get(e, "hadRecentInput") === true) continue;
        window.__shift.total += Number(Reflect.get(e, "value"));
        window.__shift.entries++;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

export const layoutShift = (page: Page): Promise<{ total: number; entries: number }> => page.evaluate(() => window.__shift);

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
