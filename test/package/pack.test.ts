// The package as a user installs it (issue 15 item 2): `npm pack`, install the tarball into an empty folder (offline,
// from npm's cache: the dependencies are pinned by this repository's lockfile, whose production entries become the
// folder's lockfile), then type-check README's library example under strict TypeScript against the installed types
// and run it with node. Also: the entry points "ness", "ness/linalg", "ness/node" resolve, internals do not, no
// source map ships without its sources, and the installed `ness lab` serves the lab (dist/lab ships: `npm pack`
// builds it, prepack; this test packs with --ignore-scripts, so where dist/lab is missing it copies in the lab the
// test run builds once for itself and test/lab/lab.test.ts). The temporary folder is removed afterwards.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labSiteFolder } from "../../src/cli/commands/lab.js";
import { markdownBlocks, root } from "../docs/snippets.js";
import { labSite } from "../helpers/labSite.js";

/** The longest wait for another test file's build of the lab (test/helpers/labSite.ts). */
const LAB_WAIT_MS = 300_000;

let dir = "";
let app = "";
let files: string[] = [];

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

beforeAll(async () => {
  // The lab's site, as prepack (npm run build:web) writes it; kept by `npm run build` (scripts/clean-dist.js).
  // Missing (a fresh checkout): the run's build of the lab, shared with test/lab/lab.test.ts (test/helpers/labSite.ts),
  // copied in.
  const site = labSiteFolder();
  if (!existsSync(join(site, "index.html"))) {
    const built = await labSite(LAB_WAIT_MS);
    const copy = `${site.replace(/\/$/, "")}-copying-${process.pid}`;
    cpSync(built.folder, copy, { recursive: true });
    rmSync(site, { recursive: true, force: true });
    renameSync(copy, site);
    built.dispose();
  }
  dir = mkdtempSync(join(tmpdir(), "ness-pack-"));
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], root);
  expect(pack.status, pack.stderr).toBe(0);
  const info = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  files = info[0].files.map((f) => f.path);
  const tarball = join(dir, info[0].filename);

  app = join(dir, "app");
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, Record<string, unknown>>;
  };
  const self = lock.packages[""];
  const packages: Record<string, unknown> = {
    "": { name: "app", dependencies: { ness: `file:${tarball}` } },
    "node_modules/ness": {
      version: self.version,
      resolved: `file:${tarball}`,
      dependencies: self.dependencies,
      bin: self.bin,
      engines: self.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key.startsWith("node_modules/") && !entry.dev && !entry.link) packages[key] = entry;
  }
  cpSync(join(root, "test", "package", "app"), app, { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "app", private: true, type: "module", dependencies: { ness: `file:${tarball}` } }),
  );
  writeFileSync(
    join(app, "package-lock.json"),
    JSON.stringify({ name: "app", lockfileVersion: 3, requires: true, packages }),
  );
  const install = run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], app);
  expect(
    install.status,
    `npm ci --offline in ${app} (the dependencies must be in npm's cache: run npm ci here first)\n${install.stderr}`,
  ).toBe(0);
  cpSync(join(app, "node_modules", "ness", "examples"), join(app, "examples"), { recursive: true });
}, LAB_WAIT_MS + 120_000); // the wait for the lab ends first, with its own message (not the hook's time-out)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("ships the built entry points with their types, the schemas and the license, and no source maps", () => {
    for (const f of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/linalg/index.js",
      "dist/linalg/index.d.ts",
      "dist/node.js",
      "dist/node.d.ts",
      "dist/workers/simulateWorker.js",
      "bin/ness.js",
      "schema/network.schema.json",
      "schema/particles.schema.json",
      "LICENSE",
      "README.md",
    ]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);
  });

  it("README's library example type-checks (strict) against the installed package and runs", () => {
    const block = markdownBlocks("README.md").find((b) => b.lang === "ts" && b.code.includes('from "ness"'));
    expect(block, 'README has a ts block importing from "ness"').toBeDefined();
    const source = join(app, "example.ts");
    writeFileSync(source, `${block!.code}\nexport {};\n`);
    const program = ts.createProgram([source], {
      strict: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [join(root, "node_modules", "@types")],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
    const js = ts.transpileModule(block!.code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(app, "example.mjs"), js);
    const r = run(process.execPath, ["example.mjs"], app);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(Number(lines[0])).toBeGreaterThan(0); // the flux from site 2 to site 3 (against the bath temperatures)
    expect(Number(lines[1])).toBeLessThan(1e-12); // the residual
    expect(lines.some((l) => /^\S+ -> \S+ /.test(l) && l.includes("exact"))).toBe(true);
  });

  it("resolves ness, ness/linalg and ness/node, and keeps the internals private", () => {
    const r = run(process.execPath, ["entries.mjs"], app);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ness: true,
      linalg: true,
      node: true,
      internal: "ERR_PACKAGE_PATH_NOT_EXPORTED",
    });
  });

  it("ships the lab: the installed `ness lab` serves its page and scripts", async () => {
    expect(files).toContain("dist/lab/index.html");
    const child = spawn(process.execPath, [join(app, "node_modules", "ness", "bin", "ness.js"), "lab", "--port", "0"], {
      cwd: app,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "",
          err = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) => reject(new Error(`ness lab exited with ${code}: ${err}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain("ness lab");
      // Its module script (relative URL, hashed name) is served too.
      const script = /<script[^>]*src="\.\/([^"]+\.js)"/.exec(html)?.[1];
      expect(script, html).toBeDefined();
      expect(files).toContain(`dist/lab/${script}`);
      const js = await fetch(new URL(script!, url));
      expect(js.status).toBe(200);
      expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    } finally {
      child.kill();
    }
  });
});
