// `ness lab`'s static server (no browser): serves the site's files with their types, nothing outside the folder,
// and refuses a missing build or a port in use with one clear message.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { labConfig, serveLab } from "../../src/cli/commands/lab.js";

describe("ness lab server", () => {
  const site = mkdtempSync(join(tmpdir(), "ness-lab-serve-"));
  mkdirSync(join(site, "assets"));
  writeFileSync(join(site, "index.html"), "<!doctype html><title>lab</title>");
  writeFileSync(join(site, "assets", "a.js"), "export {};");
  writeFileSync(join(tmpdir(), "ness-lab-secret.txt"), "secret");
  afterAll(() => {
    rmSync(site, { recursive: true, force: true });
    rmSync(join(tmpdir(), "ness-lab-secret.txt"), { force: true });
  });

  it("serves the site's files, and nothing outside it", async () => {
    const { server, url } = await serveLab(site, 0);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(index.headers.get("content-type")).toMatch(/text\/html/);
      const js = await fetch(`${url}assets/a.js`);
      expect(js.headers.get("content-type")).toMatch(/text\/javascript/);
      for (const path of ["../ness-lab-secret.txt", "%2e%2e/ness-lab-secret.txt", "assets/", "missing.js"]) {
        const r = await fetch(`${url}${path}`);
        expect(r.status, path).toBe(404);
      }
      expect((await fetch(url, { method: "POST" })).status).toBe(405);
    } finally {
      server.close();
    }
  });

  it("refuses a site that is not built, and a port in use", async () => {
    await expect(serveLab(join(site, "assets"), 0)).rejects.toThrow(
      /^the lab is not built \(.*index\.html is missing\): run npm run build:web in a checkout of ness$/,
    );
    // In a checkout `ness lab` builds a missing site itself (buildLab, with Vite) from this configuration.
    expect(labConfig()).toMatch(/lab\/vite\.config\.ts$/);
    const { server, url } = await serveLab(site, 0);
    try {
      const port = Number(new URL(url).port);
      await expect(serveLab(site, port)).rejects.toThrow(
        `--port ${port}: cannot listen on 127.0.0.1:${port}: it is in use`,
      );
    } finally {
      server.close();
    }
  });
});
