// Headless Chromium for the browser tests (test/lab/lab.test.ts, test/browser/core-in-browser.test.ts) and the lab's
// timing scripts (scripts/lab-browser.js): Debian's /usr/bin/chromium through playwright-core, with the project's
// launch flags (no sandbox, GPU, QUIC, first-run page, background networking, component updates or sync) and a fresh
// profile folder (--user-data-dir) removed on close. Plain JavaScript so that the scripts (node, no TypeScript
// loader) and the tests (through chromium.d.ts) import the same module; Node-only, outside the library's core.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Debian's Chromium (installed by .ci/run). */
export const CHROMIUM = "/usr/bin/chromium";

/** The launch flags of every headless Chromium of the project (the profile comes from launchChromium). */
export const CHROMIUM_FLAGS = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]);

/** The page size of the lab's browser tests and timing scripts (CSS pixels). */
export const LAB_VIEWPORT = Object.freeze({ width: 1366, height: 900 });

/** Whether Chromium is installed here (the browser tests are skipped, with a notice, where it is not). */
export function haveChromium() {
  return existsSync(CHROMIUM);
}

/**
 * A headless Chromium with a fresh profile folder (a new temporary folder named `prefix`...): its browser context,
 * the profile's path (it identifies the browser's processes: scripts/lab-browser.js usage()) and close(), which closes
 * the browser and removes the profile. `viewport`: the pages' size (Playwright's default without it).
 */
export async function launchChromium({ prefix = "ness-chromium-", viewport } = {}) {
  const profile = mkdtempSync(join(tmpdir(), prefix));
  try {
    const { chromium } = await import("playwright-core");
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      ...(viewport ? { viewport } : {}),
    });
    return {
      context,
      profile,
      close: async () => {
        try {
          await context.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
