// The bad-input corpus (test/corpus/README.md): every case file is a command a user typed and the answer they must
// get: an exit code, one clear line on stderr for errors, no NaN/Infinity/null in output, and nothing written.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  openSync,
  closeSync,
  ftruncateSync,
} from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { program } from "../../src/cli/main.js";

interface Special {
  name: string;
  type: "fifo" | "dir" | "file" | "large";
  bytes?: number;
}
interface Case {
  description: string;
  args: string[];
  files?: Record<string, string>;
  special?: Special[];
  exit?: number;
  stderr?: string | string[];
  stdout?: string | string[];
  writes?: string[];
  process?: boolean;
  signal?: { name: NodeJS.Signals; after: number };
  timeout?: number;
}

const here = new URL(".", import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;
const bin = join(root, "bin", "ness.js");
const rssHook = join(here, "rss-hook.mjs");
const built = existsSync(join(root, "dist", "cli", "main.js"));
const caseDir = join(here, "cases");
const names = readdirSync(caseDir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const made: string[] = [];
// Every command's module is loaded (and transformed) once here, under the hook timeout: otherwise the first in-process
// case of each command (cli-csv-is-folder for `study`) pays seconds of module loading at a loaded machine against
// its own 10 s budget, which is meant for the command's work. The commands validate outputs before any work.
beforeAll(async () => {
  await program();
});
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const list = (x: string | string[] | undefined) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Every path under dir, relative, sorted (folders too). */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

function prepare(c: Case): string {
  const dir = mkdtempSync(join(tmpdir(), "ness-corpus-"));
  made.push(dir);
  for (const [name, text] of Object.entries(c.files ?? {})) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  for (const s of c.special ?? []) {
    const p = join(dir, s.name);
    if (s.type === "fifo") execFileSync("mkfifo", [p]);
    else if (s.type === "dir") mkdirSync(p, { recursive: true });
    else if (s.type === "file") writeFileSync(p, "");
    else {
      // A sparse file of the given size: its bytes read as zeros.
      const fd = openSync(p, "w");
      ftruncateSync(fd, s.bytes ?? 0);
      closeSync(fd);
    }
  }
  return dir;
}

async function runProcess(
  args: string[],
  cwd: string,
  c: Case,
): Promise<{ code: number; stdout: string; stderr: string; rss: number }> {
  const rssFile = join(cwd, "..", `${cwd.split("/").pop()}.rss`);
  made.push(rssFile);
  const child = spawn(process.execPath, ["--import", rssHook, bin, ...args], {
    cwd,
    env: { ...process.env, NESS_CORPUS_RSS_FILE: rssFile, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "",
    stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  if (c.signal) setTimeout(() => child.kill(c.signal!.name), c.signal.after * 1000);
  const code = await new Promise<number>((resolve) =>
    child.on("close", (code, signal) => resolve(code ?? (signal ? -1 : -2))),
  );
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : 0;
  return { code, stdout, stderr, rss };
}

describe("bad-input corpus", () => {
  it("has cases", () => expect(names.length).toBeGreaterThan(0));
  for (const name of names) {
    const c = parse(readFileSync(join(caseDir, name), "utf8")) as Case;
    const timeout = (c.timeout ?? 10) * 1000;
    it.skipIf(c.process && !built)(`${name}: ${c.description}`, { timeout: timeout + 5000 }, async () => {
      const dir = prepare(c);
      const before = tree(dir);
      const args = c.args.map((a) => String(a).replaceAll("{dir}", dir));
      const started = Date.now();
      let r: { code: number; stdout: string; stderr: string; rss?: number };
      if (c.process) {
        r = await runProcess(args, dir, c);
      } else {
        const cwd = process.cwd();
        process.chdir(dir);
        try {
          r = await runCli(...args);
        } finally {
          process.chdir(cwd);
          vi.restoreAllMocks();
        }
      }
      const elapsed = Date.now() - started;
      const exit = c.exit ?? 1;
      const context = `exit ${r.code}${r.code === -1 ? " (killed by a signal it did not handle)" : ""}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`;
      expect(r.code, context).toBe(exit);
      if (exit !== 0) {
        const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
        expect(lines.length, `one line on stderr\n${context}`).toBe(1);
        expect(lines[0], context).toMatch(/^ness: /);
      } else {
        expect(r.stdout, context).not.toMatch(/\bNaN\b|\bInfinity\b|\bnull\b/);
      }
      for (const f of list(c.stderr)) expect(r.stderr, context).toContain(f);
      for (const f of list(c.stdout)) expect(r.stdout, context).toContain(f);
      const after = tree(dir);
      const allowed = new Set([...before, ...(c.writes ?? [])]);
      // "DIR/**" allows anything under DIR (a store whose file names depend on where the run was interrupted).
      const under = (c.writes ?? []).filter((w) => w.endsWith("/**")).map((w) => w.slice(0, -2));
      expect(
        after.filter((p) => !allowed.has(p) && !under.some((u) => p.startsWith(u))),
        `nothing written\n${context}`,
      ).toEqual([]);
      expect(elapsed, "finishes in time").toBeLessThan(timeout);
      if (r.rss !== undefined && r.rss > 0) expect(r.rss, "resident memory (kB)").toBeLessThan(1024 * 1024);
    });
  }
});
