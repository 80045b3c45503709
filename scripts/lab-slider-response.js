/* global document */
// Times the slider response of the lab's exact study pages in headless Chromium (scripts/lab-browser.js, the project's
// launch flags): builds the lab of each given checkout with Vite, serves it with `ness lab`'s server (this checkout's dist/: `npm run build`),
// and on each page moves one slider through five values, printing per value the milliseconds from the input event to
// the figures drawn (a page with draft figures draws its draft then) and to the full figures (the draft's refinement
// when idle), and the CPU seconds of every Chromium process over the page's five moves. Checkouts alternate, ROUNDS
// rounds (A B A B). test/lab/lab.test.ts checks what the sliders do; this script only times them. A run that ends
// without its figures (failed, figures failed, a refinement failed: the state line's data-end, scripts/lab-watch.js)
// or takes longer than LIMIT seconds stops the script with one line saying which page, value and why (exit 1).
//   node scripts/lab-slider-response.js [checkout ...]     (default: this one)
//   env: ROUNDS (2), LIMIT (120 s a run)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { serveLab } from "../dist/cli/commands/lab.js";
import { launch, usage } from "./lab-browser.js";
import { runOutcome, watchRun } from "./lab-watch.js";

const here = fileURLToPath(new URL("..", import.meta.url));
const checkouts = (process.argv.length > 2 ? process.argv.slice(2) : [here]).map((c) => resolve(c));
const rounds = Number(process.env.ROUNDS ?? 2);
const limit = Number(process.env.LIMIT ?? 120);

/** The page, its slider's flag and the values it is moved through. */
const PAGES = [
  ["two-temperature", "T1", [2, 3, 6, 8, 10]],
  ["energy-correlations", "T3", [2, 4, 5, 6, 7]],
  ["two-temperature/run-and-chase", "Tcold", [0.2, 0.3, 0.4, 0.5, 0.6]],
  ["particle-bath-chain", "TL", [2.5, 3, 4, 5, 6]],
  ["variance-resonance", "k0", [0.005, 0.02, 0.03, 0.015, 0.01]],
];

/** In the page: watchRun (scripts/lab-watch.js) with runOutcome, both passed as source. */
async function watch(page, sel, value) {
  const r = await page.evaluate(`(${watchRun})(${runOutcome}, ${JSON.stringify([sel, value, limit * 1000])})`);
  if (!Array.isArray(r)) throw new Error(r.failed);
  return r;
}

const sites = [];
try {
  for (const c of checkouts) {
    const out = mkdtempSync(join(tmpdir(), "ness-lab-slider-site-"));
    await build({
      configFile: join(c, "lab/vite.config.ts"),
      logLevel: "silent",
      build: { outDir: out, emptyOutDir: true },
    });
    sites.push(out);
  }
  for (let r = 0; r < rounds; r++) {
    for (let s = 0; s < sites.length; s++) {
      const { server, url } = await serveLab(sites[s], 0);
      const chromium = await launch("ness-lab-slider-chromium-");
      const { context: browser, profile } = chromium;
      try {
        browser.setDefaultTimeout(limit * 1000);
        const page = await browser.newPage();
        for (const [name, key, values] of PAGES) {
          await page.goto(`${url}#/study/${name}`);
          await page.waitForFunction((n) => document.title === `ness lab: ${n}`, name);
          await watch(page, null, null).catch((err) => {
            throw new Error(`${name}: the page's first run: ${err.message}`);
          });
          const id = `#study-${name.replace(/\W+/g, "-")}-${key}`;
          const u0 = usage(profile).all;
          const drawn = [],
            full = [];
          for (const v of values) {
            const [a, b] = await watch(page, id, v).catch((err) => {
              throw new Error(`${name} --${key} ${v}: ${err.message}`);
            });
            drawn.push(Math.round(a));
            full.push(Math.round(b));
          }
          const cpu = usage(profile).all - u0;
          const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
          console.log(
            `${checkouts[s]} round ${r} ${name} --${key}: drawn ms ${drawn.join(" ")}; full ms ${full.join(" ")}; ` +
              `Chromium ${cpu.toFixed(2)} CPU-s for the five (load ${load})`,
          );
        }
      } finally {
        await chromium.close();
        await new Promise((done) => server.close(() => done()));
      }
    }
  }
} catch (err) {
  console.error(`lab-slider-response: ${err.message}`);
  process.exitCode = 1;
} finally {
  for (const s of sites) rmSync(s, { recursive: true, force: true });
}
