// The bad-input corpus (test/corpus/README.md): every case file is a command a user typed and the answer they must
// get: an exit code, one clear line on stderr for errors, no NaN/Infinity/null in output, and nothing written.
import { spawn, type ChildProcess } from "node:child_process";
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
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
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
  signal?: { name: NodeJS.Signals; ready: string };
  timeout?: number;
  memory?: number;
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
/** Process cases still running: a test that timed out (where no /proc lets the CPU watch stop a runaway) leaves one. */
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
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

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory (kB) of a process case, 0 if unknown. */
  rss?: number;
  /** CPU seconds (user + system) the command took. */
  cpu: number;
  /** Where stderr stood when the signal was sent (signal cases): what the command printed after it. */
  stderrAtSignal?: number;
}

async function runProcess(args: string[], cwd: string, c: Case, budget: number): Promise<Run> {
  const usageFile = join(cwd, "..", `${cwd.split("/").pop()}.usage`);
  made.push(usageFile);
  const child = spawn(process.execPath, ["--import", rssHook, bin, ...args], {
    cwd,
    env: { ...process.env, NESS_CORPUS_RSS_FILE: usageFile, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "",
    stderr = "",
    stderrAtSignal: number | undefined;
  // A signal goes once the command shows it is under way (its `ready` text on stdout or stderr), never after a fixed
  // delay: a delay is a guess at how long start-up takes, and at a loaded machine the signal landed before Node had
  // run a line of ness (killed by the default action, exit -1).
  const poke = () => {
    if (c.signal && stderrAtSignal === undefined && (stdout + stderr).includes(c.signal.ready)) {
      stderrAtSignal = stderr.length;
      child.kill(c.signal.name);
    }
  };
  child.stdout.on("data", (d) => ((stdout += d), poke()));
  child.stderr.on("data", (d) => ((stderr += d), poke()));
  // A runaway (the 2000-site chain once simulated for 16 minutes) is stopped once it has used its CPU budget, read
  // from /proc where there is one (Linux, USER_HZ = 100 ticks a second); elsewhere the test times out and afterEach
  // kills it.
  let overBudget = 0;
  const watch = setInterval(() => {
    try {
      const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
      // After the last ") ": the name in parentheses before it may hold ") " itself.
      const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      const cpu = (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14 and 15)
      if (cpu > budget) {
        overBudget = cpu;
        child.kill("SIGKILL");
      }
    } catch {
      clearInterval(watch); // no /proc, or the process is gone
    }
  }, 250);
  const code = await new Promise<number>((resolve) =>
    child.on("close", (code, signal) => resolve(code ?? (signal ? -1 : -2))),
  ).finally(() => (clearInterval(watch), running.delete(child)));
  if (overBudget > 0) return { code, stdout, stderr, rss: 0, cpu: overBudget, stderrAtSignal };
  const usage = existsSync(usageFile)
    ? (JSON.parse(readFileSync(usageFile, "utf8")) as { maxRSS: number; cpu: number })
    : { maxRSS: 0, cpu: 0 };
  return { code, stdout, stderr, rss: usage.maxRSS, cpu: usage.cpu, stderrAtSignal };
}

/** A row of the `--thermo` table: step, time, batches (a count or "burn-in"), then the running estimates. */
const thermoRow = /^ *\d+ +[\d.e+-]+ +(burn-in|\d+) {2}\S/;

/**
 * The lines of stderr that answer the case: all of them, or after a signal what the command printed after it was
 * sent. There only rows of the `--thermo` table it was asked for may stand beside the one line (they run on until the
 * stop), and the line the readiness text was on when that line was cut short at the signal: anything else (a stack
 * trace, a warning) is counted, and so fails the one-line check.
 */
function answerLines(r: Run, c: Case): string[] {
  if (!c.signal) return r.stderr.split("\n").filter((l) => l.trim() !== "");
  // From the start of the line in progress when the signal went (the chunk that held the readiness text may have
  // ended mid-line).
  const at = r.stderrAtSignal ?? 0;
  const start = at === 0 ? 0 : r.stderr.lastIndexOf("\n", at - 1) + 1;
  const lines = r.stderr
    .slice(start)
    .split("\n")
    .filter((l) => l.trim() !== "");
  if (start < at && lines[0]?.includes(c.signal.ready)) lines.shift();
  return lines.filter((l) => !thermoRow.test(l));
}

describe("bad-input corpus", () => {
  it("has cases", () => expect(names.length).toBeGreaterThan(0));
  for (const name of names) {
    const c = parse(readFileSync(join(caseDir, name), "utf8")) as Case;
    const budget = c.timeout ?? 10;
    // `timeout` is CPU seconds (the command's own, its worker threads included): what a hang or a runaway costs,
    // whatever the load of the machine. The wall-clock limit only ends a stuck run, far above any loaded machine.
    it.skipIf(c.process && !built)(`${name}: ${c.description}`, { timeout: 10 * budget * 1000 + 30_000 }, async () => {
      const dir = prepare(c);
      const before = tree(dir);
      const args = c.args.map((a) => String(a).replaceAll("{dir}", dir));
      let r: Run;
      if (c.process) {
        r = await runProcess(args, dir, c, budget);
      } else {
        const cwd = process.cwd();
        process.chdir(dir);
        const cpu0 = process.cpuUsage();
        try {
          const out = await runCli(...args);
          const cpu = process.cpuUsage(cpu0);
          r = { ...out, cpu: (cpu.user + cpu.system) / 1e6 };
        } finally {
          process.chdir(cwd);
          vi.restoreAllMocks();
        }
      }
      const exit = c.exit ?? 1;
      const context = `exit ${r.code}${r.code === -1 ? " (killed by a signal it did not handle)" : ""}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`;
      if (c.signal)
        expect(r.stderrAtSignal, `${c.signal.name} sent after '${c.signal.ready}'\n${context}`).toBeDefined();
      expect(r.cpu, `CPU seconds\n${context}`).toBeLessThan(budget);
      expect(r.code, context).toBe(exit);
      if (exit !== 0) {
        const lines = answerLines(r, c);
        expect(lines.length, `one line on stderr\n${context}`).toBe(1);
        expect(lines[0], context).toMatch(/^ness: /);
        if (c.signal) expect(r.stderr.trimEnd().endsWith(lines[0]!), `the line comes last\n${context}`).toBe(true);
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
      if (c.process) {
        expect(r.rss, "peak resident memory recorded").toBeGreaterThan(0);
        expect(r.rss, "peak resident memory (kB)").toBeLessThan((c.memory ?? 1024) * 1024);
      }
    });
  }
});
