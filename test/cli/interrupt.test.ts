// Ctrl-C on real child processes: `ness reproduce` finishes the figure it is writing, lists the complete figures in
// one line and exits 130; a second Ctrl-C exits at once; no temp file and no partial figure is left, and every
// complete figure is intact (SVG, PNG and CSV whole). SIGTERM (143) is in the corpus (cli-*-sigterm.yaml).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodePng } from "../io/png.js";

const root = new URL("../../", import.meta.url).pathname;
const bin = join(root, "bin", "ness.js");
const built = existsSync(join(root, "dist", "cli", "main.js"));
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs ness in `cwd`; `signals` are sent `delay` ms after stdout has shown `after`, each `gap` ms after the previous.
 */
function run(args: string[], cwd: string, after: RegExp, signals: NodeJS.Signals[], gap = 0, delay = 0): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "",
      stderr = "",
      sent = false;
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!sent && after.test(stdout)) {
        sent = true;
        signals.forEach((s, k) => setTimeout(() => child.kill(s), delay + k * gap));
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Every figure in `dir` is complete and whole; returns their names. */
function checkFigures(dir: string): string[] {
  // .sweeps: the point store of a figure set being computed, kept for --resume (a folder, not a temp file).
  const files = readdirSync(dir).filter((f) => f !== ".sweeps");
  expect(
    files.filter((f) => f.startsWith(".")),
    "no temp files",
  ).toEqual([]);
  // Each figure set's results.json comes after its figures: it is whole JSON and not a figure.
  for (const f of files.filter((x) => x.endsWith(".results.json")))
    expect(() => JSON.parse(readFileSync(join(dir, f), "utf8")), f).not.toThrow();
  const names = [
    ...new Set(files.filter((f) => !f.endsWith(".results.json")).map((f) => f.replace(/\.(svg|png|csv)$/, ""))),
  ];
  for (const name of names) {
    const svg = readFileSync(join(dir, `${name}.svg`), "utf8");
    expect(svg.trimEnd().endsWith("</svg>"), `${name}.svg is whole`).toBe(true);
    const png = decodePng(readFileSync(join(dir, `${name}.png`)));
    expect(png.width * png.height, `${name}.png decodes`).toBeGreaterThan(0);
    const csv = readFileSync(join(dir, `${name}.csv`), "utf8");
    expect(csv.endsWith("\n") && csv.split("\n").length > 2, `${name}.csv is whole`).toBe(true);
  }
  return names.sort();
}

describe.skipIf(!built)("interrupting ness reproduce (real processes)", () => {
  it(
    "Ctrl-C after the first figure: exit 130, the complete figures listed and intact, nothing else",
    { timeout: 60_000 },
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), "ness-sigint-"));
      made.push(cwd);
      const r = await run(["reproduce", "variance-resonance", "--out", "out"], cwd, /wrote out\/\S+\.csv/, ["SIGINT"]);
      expect(r.code, r.stderr).toBe(130);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^ness: interrupted by SIGINT: \d+ figures? complete in out \((.+)\); (nothing else written|the points computed so far are kept in out\/\.sweeps \(--resume continues\))$/,
      );
      const listed = /complete in out \(([^)]+)\)/.exec(lines[0])![1].split(", ").sort();
      expect(checkFigures(join(cwd, "out"))).toEqual(listed);
      expect(listed.length).toBeGreaterThanOrEqual(1);
      expect(readdirSync(cwd)).toEqual(["out"]);
    },
  );

  it(
    "Ctrl-C while a figure is computed abandons it at once (the study runs in a worker thread)",
    { timeout: 60_000 },
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), "ness-sigint-compute-"));
      made.push(cwd);
      // particle-bath-chain's second figure takes most of a minute of computation: the signal comes one second into it.
      const r = await run(
        ["reproduce", "particle-bath-chain", "--out", "out"],
        cwd,
        /fig2b-effective-friction/,
        ["SIGINT"],
        0,
        1000,
      );
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr.trim()).toBe(
        "ness: interrupted by SIGINT: 1 figure complete in out (fig2a-mean-force); nothing else written",
      );
      expect(checkFigures(join(cwd, "out"))).toEqual(["fig2a-mean-force"]);
    },
  );

  it(
    "a second Ctrl-C stops at once: still exit 130, no temp file, no partial figure",
    { timeout: 60_000 },
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), "ness-sigint2-"));
      made.push(cwd);
      // The second signal comes while the next figure is being built or written.
      const r = await run(
        ["reproduce", "variance-resonance", "--out", "out"],
        cwd,
        /wrote out\/\S+\.svg/,
        ["SIGINT", "SIGINT"],
        5,
      );
      // 130, not death by the default action: the listener stays until the process exits (interrupt.ts, bin/ness.js).
      expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 130, signal: null });
      checkFigures(join(cwd, "out"));
    },
  );

  it("Ctrl-C during ness simulate: exit 130, nothing on stdout, one line", { timeout: 60_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ness-sigint-sim-"));
    made.push(cwd);
    const model = join(root, "examples", "networks", "example1-chain.yaml");
    const child = spawn(
      process.execPath,
      [
        bin,
        "simulate",
        model,
        "--time",
        "1e9",
        "--dt",
        "0.01",
        "--seed",
        "1",
        "--replicas",
        "2",
        "--workers",
        "2",
        "--force",
      ],
      { cwd, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "",
      stderr = "",
      sent = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      // The run (days: far above the one-minute threshold on any machine, hence --force) is announced: interrupt once
      // the estimate is printed.
      if (!sent && /estimated cost/.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill("SIGINT"), 500);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(code, stderr).toBe(130);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines[0]).toMatch(
      /^ness: estimated cost: 1\.10e\+11 steps x 2 replicas x 4 degrees of freedom, about .+ on [12] threads?$/,
    );
    // Under load the worker threads may not have reported a step yet: either form is right.
    expect(lines[1]).toMatch(
      /^ness: interrupted by SIGINT (after (less than 0\.1|[\d.]+)% of the steps|before the first step): no result printed$/,
    );
    expect(lines).toHaveLength(2);
  });
});
