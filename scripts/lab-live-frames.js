/* global document */
// Times the demixing page's live frames in headless Chromium (Debian's /usr/bin/chromium through playwright-core, the
// project's launch flags: scripts/chromium.js): builds the lab of each given checkout with Vite, serves it with `ness lab`'s
// server (this checkout's dist/: `npm run build`), opens the page of a run that asks first, presses Run anyway and
// prints, for frames 1..FRAMES (the test waits for data-frames >= 3), the wall seconds, the CPU seconds of every
// Chromium process and those of the page's main thread since the press, and the main thread's CPU per frame between
// the first frame and the last. Checkouts alternate, ROUNDS rounds (A B A B).
//   node scripts/lab-live-frames.js [checkout ...]     (default: this one)
//   env: ROUNDS (2), FRAMES (3), QUERY (N=10000&replicas=2&time=3000)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { serveLab } from "../dist/cli/commands/lab.js";
import { launch, usage } from "./lab-browser.js";

const here = fileURLToPath(new URL("..", import.meta.url));
const checkouts = (process.argv.length > 2 ? process.argv.slice(2) : [here]).map((c) => resolve(c));
const rounds = Number(process.env.ROUNDS ?? 2);
const frameCount = Math.max(2, Number(process.env.FRAMES ?? 3));
const query = process.env.QUERY ?? "N=10000&replicas=2&time=3000";
const sites = [];
for (const c of checkouts) {
  const out = mkdtempSync(join(tmpdir(), "ness-lab-frames-site-"));
  await build({
    configFile: join(c, "lab/vite.config.ts"),
    logLevel: "silent",
    build: { outDir: out, emptyOutDir: true, minify: false },
  });
  sites.push(out);
}
for (let r = 0; r < rounds; r++) {
  for (let s = 0; s < sites.length; s++) {
    const { server, url } = await serveLab(sites[s], 0);
    const chromium = await launch("ness-lab-frames-chromium-");
    const { context: browser, profile } = chromium;
    try {
      browser.setDefaultTimeout(600_000);
      const page = await browser.newPage();
      await page.goto(`${url}#/study/two-temperature/demixing?${query}`);
      await page.waitForFunction(() => /^stopped/.test(document.querySelector("#study-state")?.textContent ?? ""));
      const u0 = usage(profile),
        t0 = performance.now();
      await page.getByRole("button", { name: "Run anyway" }).click();
      const marks = [];
      let first = 0,
        last = 0;
      for (let k = 1; k <= frameCount; k++) {
        await page.waitForFunction(
          (n) => Number(document.querySelector("#study-figures")?.getAttribute("data-frames")) >= n,
          k,
        );
        const u = usage(profile);
        if (k === 1) first = u.main;
        last = u.main;
        if (k > 3 && k < frameCount) continue;
        marks.push(
          `${((performance.now() - t0) / 1000).toFixed(1)}/${(u.all - u0.all).toFixed(1)}/${(u.main - u0.main).toFixed(1)}`,
        );
      }
      const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
      console.log(
        `${checkouts[s]} round ${r}: frames 1..${Math.min(3, frameCount)}${frameCount > 3 ? `, ${frameCount}` : ""} at wall/cpu/main-thread s ${marks.join("  ")}; ` +
          `main thread per frame ${((last - first) / (frameCount - 1)).toFixed(3)} s (load ${load})`,
      );
    } finally {
      await chromium.close();
      await new Promise((done) => server.close(() => done()));
    }
  }
}
for (const s of sites) rmSync(s, { recursive: true, force: true });
