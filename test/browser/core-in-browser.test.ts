// The core library runs in a browser page and in a Web Worker: bundle src/index.ts for the browser (no Node
// built-ins available), serve it on localhost, and solve Example 2 of Eckmann & Zabey in headless Chromium.
// Needs Debian's chromium (installed by .ci/run); skipped with a notice where it is absent.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveChromium, launchChromium } from "../../scripts/chromium.js";

const root = new URL("../../", import.meta.url).pathname;

const page = `<!doctype html><html><body><script type="module">
import * as ness from "./ness.js";
window.solveInPage = (text) => {
  const state = ness.solveNetwork(ness.loadModel(text));
  return { flux: state.springs.map((s) => s.flux), residual: state.residual, nodeGlobals: typeof process };
};
window.solveInWorker = (text) => new Promise((resolve, reject) => {
  const w = new Worker("./worker.js", { type: "module" });
  w.onmessage = (e) => resolve(e.data);
  w.onerror = (e) => reject(new Error(e.message));
  w.postMessage(text);
});
window.badModel = (text) => { try { ness.loadModel(text); return "accepted"; } catch (e) { return e.name + ": " + e.message; } };
window.ready = true;
</script></body></html>`;
const worker = `import * as ness from "./ness.js";
self.onmessage = (e) => {
  const state = ness.solveNetwork(ness.loadModel(e.data));
  self.postMessage({ flux: state.springs.map((s) => s.flux), residual: state.residual });
};`;

describe.skipIf(!haveChromium())("core library in a browser (headless Chromium)", () => {
  let server: Server;
  let url = "";
  let bundle = "";

  beforeAll(async () => {
    // Bundled by esbuild for the browser platform, where an import of a Node built-in fails the build (a twentieth of
    // the CPU of Vite's build of the same entry; the lab's tests bundle the core with Vite).
    const { build } = await import("esbuild");
    const out = await build({
      entryPoints: [join(root, "src/index.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    expect(out.errors).toEqual([]);
    expect(out.outputFiles).toHaveLength(1);
    bundle = out.outputFiles[0].text;
    server = createServer((req, res) => {
      const files: Record<string, [string, string]> = {
        "/": [page, "text/html"],
        "/ness.js": [bundle, "text/javascript"],
        "/worker.js": [worker, "text/javascript"],
      };
      const f = files[req.url ?? "/"];
      if (!f) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": f[1] }).end(f[0]);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it("bundles without Node built-ins and solves a network in a page and in a Web Worker", async () => {
    expect(bundle).not.toMatch(/from\s+["']node:/);
    // A fresh profile directory (Playwright passes it as --user-data-dir), removed by close().
    const chromium = await launchChromium();
    const browser = chromium.context;
    try {
      const p = await browser.newPage();
      const errors: string[] = [];
      p.on("pageerror", (e) => errors.push(e.message));
      await p.goto(url);
      await p.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const text = readFileSync(join(root, "examples/networks/example2-circulation.yaml"), "utf8");
      const inPage = await p.evaluate(
        (t) =>
          (
            window as unknown as {
              solveInPage: (t: string) => { flux: number[]; residual: number; nodeGlobals: string };
            }
          ).solveInPage(t),
        text,
      );
      expect(inPage.nodeGlobals).toBe("undefined");
      expect(inPage.flux[0]).toBeCloseTo(0.2898, 4);
      expect(inPage.residual).toBeLessThan(1e-12);
      const inWorker = await p.evaluate(
        (t) => (window as unknown as { solveInWorker: (t: string) => Promise<{ flux: number[] }> }).solveInWorker(t),
        text,
      );
      expect(inWorker.flux).toEqual(inPage.flux);
      const bad = await p.evaluate(() =>
        (window as unknown as { badModel: (t: string) => string }).badModel(
          "kind: network\nsites: 2\nbaths: [{site: 3, friction: 1, temperature: 1}]",
        ),
      );
      expect(bad).toMatch(/ModelError: bath on 3: unknown site '3'/);
      expect(errors).toEqual([]);
    } finally {
      await chromium.close();
    }
  });
});
