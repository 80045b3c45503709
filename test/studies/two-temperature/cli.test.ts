import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli as run } from "../../helpers/cli.js";
import { expectCsvProvenance, expectReproductionProvenance } from "../../helpers/csv.js";

afterEach(() => vi.restoreAllMocks());

describe("ness study two-temperature", () => {
  it("--json prints the exact covariance, heat flows and entropy production (closed forms agree)", async () => {
    const r = await run("study", "two-temperature", "--k", "2", "--lambda", "0.5", "--T1", "3", "--T2", "1", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout).results;
    const sigma = (4 * 4) / (2 * 3 * 1 * 2.5);
    expect(j.entropyProduction).toBeCloseTo(sigma, 12);
    expect(j.entropyProductionClosedForm).toBeCloseTo(sigma, 12);
    expect(j.entropyProductionLinearFormula).toBeCloseTo(sigma, 12);
    expect(j.heatIntoBath[1]).toBeCloseTo((4 * 2) / 5, 12);
    expect(j.heatIntoBath[0]).toBeCloseTo(-(4 * 2) / 5, 12);
    expect(j.covariance[0][1]).toBeCloseTo(j.covarianceClosedForm[0][1], 12);
    expect(j.parameters).toEqual({ k: 2, lambda: 0.5, T1: 3, T2: 1 });
    expect(j.simulation).toBeUndefined();
  });

  it("prints a table, and --simulate adds estimates with error bars", async () => {
    const r = await run("study", "two-temperature", "--simulate", "--time", "40", "--replicas", "2");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/entropy production\s+0\.8\s+0\.8\s+[0-9.]+ ± /);
    expect(r.stdout).toMatch(/simulation: Heun/);
  });

  it("bad parameters: one line naming the option, exit 1", async () => {
    const r = await run("study", "two-temperature", "--lambda", "0");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--lambda must be a number in \[1e-6, 1e6\], got 0/);
    const r2 = await run("study", "two-temperature", "--T1", "hot");
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/--T1 must be a number, got 'hot'/);
  });
});

describe("ness study two-temperature run-and-chase / ratchet", () => {
  it("run-and-chase --json: exact values whose chase velocity is (T_hot - T_cold)/(T_hot + T_cold) <F>; --simulate adds estimates", async () => {
    const r = await run(
      "study",
      "two-temperature",
      "run-and-chase",
      "--dimension",
      "1",
      "--Thot",
      "2",
      "--Tcold",
      "0.5",
      "--json",
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout).results;
    expect(doc.parameters).toMatchObject({ dimension: 1, Thot: 2, Tcold: 0.5, stiffness: 10, range: 1, box: 3 });
    expect(doc.exact.chaseVelocity).toBeCloseTo((1.5 / 2.5) * doc.exact.meanForce, 12);
    expect(doc.simulation).toBeUndefined();
    // Options after the subcommand belong to it (the parent also has --simulate, --time, --seed).
    const s = await run(
      "study",
      "two-temperature",
      "run-and-chase",
      "--dimension",
      "2",
      "--simulate",
      "--time",
      "20",
      "--replicas",
      "2",
      "--seed",
      "4",
    );
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/run-and-chase velocity <v_cm o e>\s+\S+\s+\S+ ± \S+/);
    expect(s.stdout).toMatch(/2 replicas × 20, random seed 4/);
  });

  it("ratchet prints drift velocities with error bars; bad input is one line naming the option", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-ratchet-"));
    const file = join(dir, "ratchet.svg");
    const r = await run(
      "study",
      "two-temperature",
      "ratchet",
      "--time",
      "5",
      "--replicas",
      "2",
      "--asymmetry",
      "0.5",
      "--figure",
      file,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/drift velocity, centre of mass\s+\S+ ± \S+/);
    expect(r.stdout).toMatch(/rising over 0.5 of it/);
    // --figure writes the ratchet's drift-velocity figure (the lab's and `ness reproduce`'s picture).
    expect(r.stdout).toContain(`figure written to ${file}`);
    expect(readFileSync(file, "utf8")).toContain("drift velocities");
    const bad = await run("study", "two-temperature", "ratchet", "--asymmetry", "1.2");
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^ness: --asymmetry must be a number in \[1e-6, 0.999999\], got 1.2$/);
    const dim = await run("study", "two-temperature", "run-and-chase", "--dimension", "4");
    expect(dim.code).toBe(1);
    expect(dim.stderr.trim()).toMatch(/--dimension must be an integer in \[1, 3\], got 4/);
  });
});

describe("ness study two-temperature polymer --repulsion 0 (a linear model)", () => {
  it("batches short against the slowest mode are not flagged reliable (the slowest-mode rule of ness simulate)", async () => {
    // 4 monomers in 1D, trap 0.02: the slowest mode (the centre in the trap) relaxes at rate 0.02, the first Rouse
    // mode at 1.78; 40 time units in 32 batches of 1.25 are shorter than 5 correlation times of either. Without the
    // rule Rg^2 of the hot monomers read 0.302 +- 0.022 against the exact 0.237 (3 error bars), flagged reliable.
    const args = ["study", "two-temperature", "polymer", "--repulsion", "0", "--monomers", "4", "--dimension", "1"];
    const short = ["--time", "40", "--replicas", "1", "--dt", "0.01"];
    const r = await run(...args, ...short, "--json");
    expect(r.code, r.stderr).toBe(0);
    const sim = JSON.parse(r.stdout).results.simulated as Record<string, { reliable?: boolean }>;
    for (const k of ["gyrationHot", "gyrationCold", "gyrationAll", "centresApart", "heatFlow", "entropyProduction"])
      expect(sim[k].reliable, k).toBe(false);
    const t = await run(...args, ...short);
    expect(t.stdout).toMatch(/Rg\^2 of the hot monomers\s+\S+ ± \S+ \(unreliable error bar\)/);
  });
});

describe("ness study two-temperature demixing", () => {
  it("prints psi with its error bar, --json the whole result, --snapshot writes the configuration (SVG + CSV)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-demixing-"));
    const args = [
      "study",
      "two-temperature",
      "demixing",
      "--N",
      "200",
      "--time",
      "40",
      "--burnIn",
      "20",
      "--sampleInterval",
      "10",
      "--replicas",
      "2",
    ];
    const r = await run(...args, "--snapshot", join(dir, "snap.svg"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/psi = \(f_cc - f_random\)\/\(1 - f_random\)\s+\S+ ± \S+/);
    expect(r.stdout).toMatch(/200 soft disks \(100 cold\), area fraction 0.4/);
    expect(readFileSync(join(dir, "snap.svg"), "utf8")).toMatch(/<svg/);
    expect(expectCsvProvenance(join(dir, "snap.csv"), { command: /--snapshot/, seed: 1 }).lines).toHaveLength(200);
    const j = await run(...args, "--json");
    expect(j.code, j.stderr).toBe(0);
    const doc = JSON.parse(j.stdout).results;
    expect(doc.nCold).toBe(100);
    expect(doc.psi.error).toBeGreaterThan(0);
    expect(doc.series.time.length).toBeGreaterThan(1);
    // The entropy production only when asked (--entropy-production): by default one line says why, in both outputs.
    expect(doc.entropyProduction).toBeUndefined();
    expect(doc.entropyProductionNotComputed).toMatch(/^entropy production not computed/);
    expect(r.stdout).toMatch(/^entropy production not computed \(ask with --entropy-production/m);
    expect(r.stdout).not.toMatch(/entropy production \(Stratonovich\)/);
    const ep = await run(...args, "--entropy-production", "--json");
    expect(ep.code, ep.stderr).toBe(0);
    const epDoc = JSON.parse(ep.stdout).results;
    expect(epDoc.parameters.entropyProduction).toBe(true);
    expect(epDoc.entropyProductionNotComputed).toBeUndefined();
    // At the default dt = 0.1 it keeps the engine's time-step bias note and is flagged unreliable.
    expect(epDoc.entropyProduction.reliable).toBe(false);
    expect(epDoc.entropyProduction.note).toMatch(/dt = 0\.1 is large.*in heat fluxes and entropy production/);
    // The same psi up to rounding (the pair-heat accounting sums the forces in another order).
    expect(epDoc.psi.value).toBeCloseTo(doc.psi.value, 9);
    expect(epDoc.psi.error).toBeCloseTo(doc.psi.error, 9);
    const bad = await run("study", "two-temperature", "demixing", "--phi", "1.2");
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe("ness: --phi must be a number in [0.01, 1), got 1.2");
    const pdf = await run(...args, "--snapshot", join(dir, "snap.pdf"));
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toMatch(/--snapshot must name a .svg or .png file/);
  });
});

describe("ness reproduce two-temperature --quick", () => {
  // The four cheap sets and the polymer's through the CLI, once (a comma-separated --only, given out of order), on the
  // default worker threads; the tests below read this one folder. The demixing sets' compute() and figures() run in
  // test/studies/two-temperature/demixing.test.ts, and fig6 through this CLI path (SVG, PNG, CSV, results.json) in
  // test/sweep/reproduce.test.ts: here they would triple this file's time.
  const names = [
    "fig1-pair-density-current",
    "fig2-entropy-production",
    "fig3-ratchet-current",
    "fig4-run-and-chase",
    "fig9-hot-cold-polymer",
  ];
  let out = "";
  let first: Promise<{ code: number; stdout: string; stderr: string }> | undefined;
  const reproduced = () => {
    first ??= (async () => {
      out = mkdtempSync(join(tmpdir(), "ness-two-temperature-"));
      const only = [names[3], names[0], names[4], names[2], names[1]].join(",");
      return run("reproduce", "two-temperature", "--quick", "--only", only, "--out", out);
    })();
    return first;
  };

  it("writes the figures of the sets it is given as SVG, PNG and CSV, in the study's order", async () => {
    const r = await reproduced();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.indexOf(names[0])).toBeLessThan(r.stdout.indexOf(names[3]));
    expect(r.stdout.indexOf(names[3])).toBeLessThan(r.stdout.indexOf(names[4]));
    // Provenance of every CSV and JSON written (issue 15 item 4): version, command, figure set, seed, units.
    expect(expectReproductionProvenance(out, "two-temperature")).toBe(2 * names.length);
    const files = readdirSync(out).sort();
    for (const name of names) {
      for (const ext of ["svg", "png", "csv", "results.json"])
        expect(existsSync(join(out, `${name}.${ext}`)), `${name}.${ext}`).toBe(true);
    }
    // and nothing else (the pair's two figures come from one set each)
    expect(files).toHaveLength(4 * names.length);
    const svg = readFileSync(join(out, "fig1-pair-density-current.svg"), "utf8");
    expect(svg).toMatch(/counterclockwise/);
    expect(svg).toMatch(/docs\/corrections\.md/);
  });

  it("gives the same results.json and CSV, to the byte, with one worker (in this thread) as on the threads", async () => {
    // The reproduce's replica blocks ran on the default worker threads above; --workers 1 runs them in this thread.
    // Issue 18 item 5: every replica on the pool, the same numbers whatever the number of workers.
    expect((await reproduced()).code).toBe(0);
    const sets = [names[1], names[2]];
    const one = mkdtempSync(join(tmpdir(), "ness-two-temperature-1-"));
    const r = await run(
      "reproduce",
      "two-temperature",
      "--quick",
      "--workers",
      "1",
      "--only",
      sets.join(","),
      "--out",
      one,
    );
    expect(r.code, r.stderr).toBe(0);
    for (const set of sets)
      for (const ext of ["results.json", "csv"])
        expect(readFileSync(join(one, `${set}.${ext}`), "utf8"), `${set}.${ext}`).toBe(
          readFileSync(join(out, `${set}.${ext}`), "utf8"),
        );
  });

  it("fig3 and fig4 record each set's own units, naming its columns, not the parent study's", async () => {
    expect((await reproduced()).code).toBe(0);
    const sets = ["fig3-ratchet-current", "fig4-run-and-chase"];
    // the columns each sentence must give a unit to, and what it says of them
    const expected: Record<string, { columns: string[]; says: string[] }> = {
      "fig3-ratchet-current": {
        columns: ["T_hot_over_T_cold", "drift_velocity", "drift_velocity_error", "rising_fraction_of_the_period"],
        says: [
          "lengths (period, range, box) in the units of the period",
          "T_hot_over_T_cold and rising_fraction_of_the_period dimensionless",
          "drift_velocity_error in length/time",
        ],
      },
      "fig4-run-and-chase": {
        columns: [
          "T_hot_over_T_cold",
          "chase_velocity",
          "chase_velocity_error",
          "entropy_production",
          "entropy_production_error",
        ],
        says: [
          "lengths (range, box) in the units of the repulsion range",
          "chase_velocity_error in length/time",
          "entropy_production_error in kB/time",
        ],
      },
    };
    for (const set of sets) {
      const lines = readFileSync(join(out, `${set}.csv`), "utf8").split("\n");
      const units = lines.find((l) => l.startsWith("# units: "))!;
      const header = lines.find((l) => l.startsWith("panel,"))!.split(",");
      expect(header.slice(2)).toEqual(expected[set].columns);
      for (const column of expected[set].columns) expect(units, set).toContain(column);
      for (const phrase of expected[set].says) expect(units, set).toContain(phrase);
      // not the harmonic pair's (the parent study's): time in 1/(mobility x stiffness)
      expect(units).not.toContain("1/(mobility x stiffness)");
      // results.json: the same sentence, and the units of the set's parameters (the CSV line's tail)
      const doc = JSON.parse(readFileSync(join(out, `${set}.results.json`), "utf8")) as {
        units: { convention: string; parameters: Record<string, string> };
      };
      expect(doc.units.parameters).toEqual({ time: "time", replicas: "1" });
      expect(`# units: ${doc.units.convention}; parameters: ${JSON.stringify(doc.units.parameters)}`).toBe(units);
    }
  });

  it("fig9 records the polymer's units, not the parent study's, in its CSV and results.json", async () => {
    expect((await reproduced()).code).toBe(0);
    const units = readFileSync(join(out, "fig9-hot-cold-polymer.csv"), "utf8")
      .split("\n")
      .find((l) => l.startsWith("# units: "))!;
    // the polymer's convention: lengths of the repulsion's range, Rg^2 in length^2, conductance in 1/time
    expect(units).toContain("lengths in the units of the repulsion's range");
    expect(units).toContain("Rg^2 and squared distances in length^2");
    expect(units).toContain("per unit T_hot - T_cold in 1/time");
    // not the harmonic pair's (the parent study's): time in 1/(mobility x stiffness)
    expect(units).not.toContain("1/(mobility x stiffness)");
    const doc = JSON.parse(readFileSync(join(out, "fig9-hot-cold-polymer.results.json"), "utf8")) as {
      units: { convention: string };
    };
    expect(`# units: ${doc.units.convention}`).toBe(units);
  });
});
