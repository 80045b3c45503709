// ness simulate --trajectory / --thermo / --checkpoint / --restart and ness plot-trajectory, through the CLI:
// - recording changes no printed number (the --json output is the same, byte for byte);
// - the trajectory's observable column, averaged over the production steps, is the estimate simulate reports (the
//   estimate is the mean of its per-step values: a second way to the same number);
// - a run continued from the last checkpoint of a finished run (written part way) prints the unsplit run's numbers,
//   with 1 and 2 workers, for a network and for 2D soft disks; restarts with other parameters are refused;
// - the running table has a header and one aligned row per --thermo steps;
// - plot-trajectory draws CSV and Parquet trajectories.
// Worker threads need the built library (npm run build).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTrajectory } from "../../src/io/trajectory.js";
import { resign } from "../helpers/checkpoint.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "ness-traj-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (f: string) => path.join(dir, f);

writeFileSync(
  at("chain.yaml"),
  `kind: network
name: three-site chain
sites: [a, b, c]
pinning: 1
springs: [{between: [a, b], stiffness: 1}, {between: [b, c], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 1, temperature: 0.5}]
`,
);
writeFileSync(
  at("disks.yaml"),
  `kind: particles
dynamics: overdamped
dimension: 2
box: 10.85
species:
  - {name: hot, count: 30, temperature: 0.02}
  - {name: cold, count: 30, temperature: 0.0002}
pairs:
  - {potential: soft, stiffness: 1, range: 1}
initial: random
`,
);

const chainRun = [
  "simulate",
  at("chain.yaml"),
  "--time",
  "100",
  "--dt",
  "0.05",
  "--seed",
  "3",
  "--json",
  "--no-progress",
];

describe("ness simulate --trajectory", () => {
  it("changes no number; the observable column averages to the reported estimate", async () => {
    const plain = await runCli(...chainRun);
    expect(plain.code).toBe(0);
    const t = at("t.csv");
    const rec = await runCli(
      ...chainRun,
      "--trajectory",
      t,
      "--every",
      "1",
      "--observe",
      "kinetic temperature: a,bath flux",
    );
    expect(rec.code).toBe(0);
    expect(withoutCommand(rec.stdout)).toBe(withoutCommand(plain.stdout));
    const result = JSON.parse(plain.stdout) as {
      burnIn: number;
      dt: number;
      estimates: { group: string; name: string; value: number }[];
    };
    const data = readTrajectory(t);
    expect(data.columns.slice(0, 8)).toEqual(["step", "time", "q:a", "q:b", "q:c", "p:a", "p:b", "p:c"]);
    expect(data.columns.slice(8)).toEqual(["kinetic temperature: a", "bath flux: into a", "bath flux: into c"]);
    const nBurn = Math.round(result.burnIn / result.dt);
    const step = data.data[0];
    expect(step[0]).toBe(1);
    for (const [k, name] of data.columns.slice(8).entries()) {
      const col = data.data[8 + k];
      let s = 0,
        n = 0;
      for (let i = 0; i < step.length; i++) {
        if (step[i] > nBurn) {
          s += col[i];
          n++;
        }
      }
      const [group, site] = name.split(": ");
      const e = result.estimates.find((x) => x.group === group && x.name === site)!;
      expect(Math.abs(s / n - e.value)).toBeLessThan(1e-9 * Math.max(1, Math.abs(e.value)));
    }
    // p:a squared over the mass (1) is the kinetic temperature column, row by row.
    for (let i = 0; i < 50; i++) expect(data.data[8][i]).toBeCloseTo(data.data[5][i] ** 2, 12);
    const head = readFileSync(t, "utf8").split("\n").slice(0, 8).join("\n");
    for (const s of [
      "# ness ",
      "seed 3",
      "# command: ness simulate",
      "three-site chain",
      '"dt":0.05',
      "# units: ",
      "burn-in: steps 1 .. ",
    ])
      expect(head).toContain(s);
    // Settings left at their default are absent, not null.
    expect(head).not.toContain("null");
  });

  it("--thermo prints a header and aligned rows on stderr, the result unchanged", async () => {
    const plain = await runCli(...chainRun);
    const r = await runCli(...chainRun, "--thermo", "150", "--thermo-always", "--observe", "kinetic temperature");
    expect(r.code).toBe(0);
    expect(withoutCommand(r.stdout)).toBe(withoutCommand(plain.stdout));
    const lines = r.stderr.split("\n").filter((l) => /^\s+\d+\s/.test(l) || /^\s+step\s/.test(l));
    expect(lines[0]).toMatch(/^\s+step\s+time\s+batches\s+kinetic temperature: a\s+kinetic temperature: b/);
    const rows = lines.slice(1);
    expect(rows.length).toBe(Math.floor(2184 / 150));
    expect(rows[0]).toMatch(/^\s+150\s+7.5\s+burn-in\s+\(burn-in\)/);
    expect(rows.at(-1)).toMatch(/^\s+2100\s+105\s+30\s+\d[\d.]* ± /);
    // Aligned: every row's columns start where the header's do.
    const starts = (l: string) => [...l.matchAll(/\S+/g)].map((m) => m.index! + m[0].length).slice(0, 2);
    for (const row of rows) expect(starts(row)).toEqual(starts(lines[0]));
  });

  it("--thermo without a terminal says how to get the table", async () => {
    const r = await runCli(...chainRun, "--thermo", "500");
    expect(r.stderr).toContain("--thermo: stderr is not a terminal");
  });
});

describe("checkpoint and restart through the CLI: the unsplit run's numbers", () => {
  it.each([
    ["network", [...chainRun, "--replicas", "3"], "1000", ["1", "2"]],
    [
      "2D soft disks",
      [
        "simulate",
        at("disks.yaml"),
        "--time",
        "10",
        "--dt",
        "0.1",
        "--seed",
        "5",
        "--replicas",
        "2",
        "--batches",
        "2",
        "--json",
        "--no-progress",
      ],
      "40",
      ["2", "1"],
    ],
  ] as [string, string[], string, [string, string]][])("%s", async (_, run, every, [w1, w2]) => {
    const c = at(`c-${every}.json`);
    const plain = await runCli(...run, "--workers", w2);
    expect(plain.code).toBe(0);
    const first = await runCli(...run, "--workers", w1, "--checkpoint", c, "--checkpoint-every", every);
    expect(first.code).toBe(0);
    expect(withoutCommand(first.stdout)).toBe(withoutCommand(plain.stdout));
    const checkpoint = JSON.parse(readFileSync(c, "utf8")) as { blocks: { steps: number; current: unknown }[] };
    expect(checkpoint.blocks.some((b) => b.current !== null)).toBe(true); // a split in the middle of a replica
    const restarted = await runCli(...run, "--workers", w2, "--restart", c, "--trajectory", at(`r-${every}.parquet`));
    expect(restarted.code).toBe(0);
    expect(withoutCommand(restarted.stdout)).toBe(withoutCommand(plain.stdout));
    const rows = readTrajectory(at(`r-${every}.parquet`));
    expect(rows.data[0][0]).toBeGreaterThan(checkpoint.blocks[0].steps);
    const refused = await runCli(
      ...run.map((a) => (a === "--seed" ? "--seed" : a === "3" || a === "5" ? "4" : a)),
      "--restart",
      c,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/--restart .*: written for --seed [35], this run has --seed 4/);
    // One base64 character of the checkpoint changed into another: refused by its checksum, in one line, nothing written.
    const text = readFileSync(c, "utf8");
    const at14 = text.indexOf('"outputs":"') + '"outputs":"'.length + 14;
    const damaged = at(`damaged-${every}.json`);
    writeFileSync(damaged, text.slice(0, at14) + (text[at14] === "A" ? "B" : "A") + text.slice(at14 + 1));
    const written = [at(`dt-${every}.csv`), at(`dc-${every}.json`)];
    const flipped = await runCli(...run, "--restart", damaged, "--trajectory", written[0], "--checkpoint", written[1]);
    expect(flipped.code).toBe(1);
    expect(flipped.stdout).toBe("");
    expect(flipped.stderr.trim().split("\n")).toHaveLength(1);
    expect(flipped.stderr).toContain(
      `--restart ${damaged}: the checkpoint is damaged: blocks[0].outputs does not match its SHA-256`,
    );
    for (const f of written) expect(existsSync(f)).toBe(false);
    // A results file given as the checkpoint: refused from its first key.
    const results = at(`results-${every}.json`);
    writeFileSync(results, plain.stdout);
    const notOne = await runCli(...run, "--restart", results);
    expect(notOne.code).toBe(1);
    expect(notOne.stderr.trim().split("\n")).toHaveLength(1);
    expect(notOne.stderr).toContain(`--restart ${results} is not a ness checkpoint (it does not begin with "format"`);
  });

  it("a restart with --noise counter, or another exact starting covariance, is refused in one line naming the cause", async () => {
    const c = at("c-cause.json");
    const first = await runCli(...chainRun, "--checkpoint", c, "--checkpoint-every", "500");
    expect(first.code).toBe(0);
    // The option the user gave (--noise), not the fused kernel it implies.
    const counter = await runCli(...chainRun, "--noise", "counter", "--restart", c);
    expect(counter.code).toBe(1);
    expect(counter.stdout).toBe("");
    expect(counter.stderr.trim().split("\n")).toHaveLength(1);
    expect(counter.stderr).toContain(`--restart ${c}: written with noise (--noise) unset, this run has counter;`);
    // The checkpoint's fingerprint of the exact covariance changed in one digit (as another linear-algebra backend's
    // last bits would change it), the checkpoint signed again: refused, naming the backend and what to do.
    const text = readFileSync(c, "utf8");
    const key = '"stationaryCovariance":"';
    const k = text.indexOf(key) + key.length;
    expect(k).toBeGreaterThan(key.length - 1);
    const other = at("c-other-law.json");
    writeFileSync(other, resign(text.slice(0, k) + (text[k] === "0" ? "1" : "0") + text.slice(k + 1)));
    const law = await runCli(...chainRun, "--restart", other);
    expect(law.code).toBe(1);
    expect(law.stdout).toBe("");
    expect(law.stderr.trim().split("\n")).toHaveLength(1);
    expect(law.stderr).toMatch(
      /--restart .*c-other-law\.json: the exact starting covariance differs from the one of the run that wrote the checkpoint .*another linear-algebra backend \(NESS_LINALG, or WebAssembly relaxed SIMD present or not.*\); run with the backend setting of that run, or run again without --restart$/,
    );
  });
});

describe("restarts where --flux-estimator does nothing", () => {
  it("an underdamped network's checkpoint recording a flux estimator (as earlier checkpoints did) continues the run", async () => {
    const c = at("c-flux.json");
    const plain = await runCli(...chainRun);
    expect(plain.code).toBe(0);
    const first = await runCli(...chainRun, "--checkpoint", c, "--checkpoint-every", "500");
    expect(first.code).toBe(0);
    // Its spring fluxes are functions of the state whatever the option: the checkpoint records none.
    const text = readFileSync(c, "utf8");
    expect(text).toContain('"fluxEstimator":null');
    // Written the earlier way, by a run given --flux-estimator state (the option was then taken and recorded).
    const old = at("c-flux-state.json");
    writeFileSync(old, resign(text.replace('"fluxEstimator":null', '"fluxEstimator":"state"')));
    const restarted = await runCli(...chainRun, "--restart", old);
    expect(restarted.stderr).not.toContain("--restart");
    expect(restarted.code).toBe(0);
    expect(withoutCommand(restarted.stdout)).toBe(withoutCommand(plain.stdout));
  });

  it("an overdamped network's checkpoint with another flux estimator is still refused", async () => {
    writeFileSync(
      at("chain-od.yaml"),
      `kind: network
dynamics: overdamped
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 0.5}]
`,
    );
    const run = [
      "simulate",
      at("chain-od.yaml"),
      "--time",
      "20",
      "--dt",
      "0.02",
      "--seed",
      "3",
      "--json",
      "--no-progress",
    ];
    const c = at("c-flux-od.json");
    const first = await runCli(...run, "--flux-estimator", "state", "--checkpoint", c, "--checkpoint-every", "500");
    expect(first.code).toBe(0);
    expect(readFileSync(c, "utf8")).toContain('"fluxEstimator":"state"');
    const refused = await runCli(...run, "--restart", c);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("written with fluxEstimator (--flux-estimator) state, this run has stratonovich");
  });
});

describe("ness plot-trajectory", () => {
  it.each(["p.csv", "p.parquet"])("%s: a figure and the integrated times", async (name) => {
    const t = at(name);
    expect((await runCli(...chainRun, "--trajectory", t, "--observe", "kinetic temperature")).code).toBe(0);
    const out = at(`${name}.svg`);
    const r = await runCli("plot-trajectory", t, "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kinetic temperature: a\s+\d/);
    const svg = readFileSync(out, "utf8");
    expect(svg).toContain("autocorrelation");
    expect(svg).toContain("three-site chain");
    const png = await runCli("plot-trajectory", t, "--columns", "q:a,p:a");
    expect(png.code).toBe(0);
    expect(existsSync(t.replace(/\.(csv|parquet)$/, ".png"))).toBe(true);
    // The integrated times as CSV record their provenance: this command, then the trajectory's version and seed.
    const csv = at(`${name}.taus.csv`);
    expect((await runCli("plot-trajectory", t, "--out", csv)).code).toBe(0);
    const lines = readFileSync(csv, "utf8").split("\n");
    expect(lines[0]).toMatch(/^# ness \d+\.\d+\.\d+; command: ness plot-trajectory .*--out /);
    const header = lines.filter((l) => l.startsWith("#")).join("\n");
    expect(header).toMatch(/seed:? 3\b/);
    expect(header).toContain("--seed 3");
    expect(lines.find((l) => !l.startsWith("#"))).toBe("column,tau,converged");
  });
});

/** The printed JSON without its `command` provenance field (the command lines of the compared runs differ). */
function withoutCommand(stdout: string): string {
  return stdout.replace(/^ {2}"command": .*\n/m, "");
}
