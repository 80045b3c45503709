// `ness study energy-correlations` and `ness reproduce energy-correlations`: JSON fields, closed forms through the
// CLI, one-line errors with exit code 1, and the figure files.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli as run } from "../../helpers/cli.js";
import { expectReproductionProvenance } from "../../helpers/csv.js";

afterEach(() => vi.restoreAllMocks());

describe("ness study energy-correlations", () => {
  it("--json prints temperatures and C (ideal gas: C12 = Cv (T0 - T3)^2 / 27)", async () => {
    const r = await run(
      "study",
      "energy-correlations",
      "--model",
      "ideal-gas",
      "--T0",
      "1",
      "--T3",
      "3",
      "--Cv",
      "2",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout).results;
    expect(j.temperatures).toHaveLength(2);
    expect(j.temperatures[0]).toBeCloseTo(5 / 3, 10);
    expect(j.C[0][1]).toBeCloseTo((2 * 4) / 27, 10);
    expect(j.C[1][0]).toBe(j.C[0][1]);
    expect(j.closedForm.C12).toBeCloseTo(j.C[0][1], 10);
    expect(j.bound.holds).toBe(true);
    expect(j.decomposition.byLink).toHaveLength(3);
    expect(j.residual).toBeLessThan(1e-12);
  });

  it("exclusion process densities, longer chains, Fermi and blackbody models", async () => {
    const s = JSON.parse(
      (
        await run(
          "study",
          "energy-correlations",
          "--model",
          "ssep",
          "--eps0",
          "0.1",
          "--eps3",
          "0.7",
          "--N",
          "10",
          "--json",
        )
      ).stdout,
    ).results;
    expect(s.densities).toEqual(s.temperatures);
    expect(s.C[0][1]).toBeCloseTo((-10 * 0.36) / 27, 10);
    const long = JSON.parse(
      (await run("study", "energy-correlations", "--model", "ideal-gas", "--M", "5", "--json")).stdout,
    ).results;
    expect(long.C).toHaveLength(5);
    expect(long.temperatures).toHaveLength(5);
    for (const model of ["fermi", "blackbody"]) {
      for (const noise of ["exact", "approx"]) {
        const f = await run(
          "study",
          "energy-correlations",
          "--model",
          model,
          "--T0",
          "1",
          "--T3",
          "3",
          "--noise",
          noise,
          "--json",
        );
        expect(f.code).toBe(0);
        const j = JSON.parse(f.stdout).results;
        expect(j.C[0][1]).toBeGreaterThan(0);
        expect(j.closedForm.C12).toBeCloseTo(j.C[0][1], 8);
      }
    }
  });

  it("prints a readable report, with a simulation on request", async () => {
    const r = await run(
      "study",
      "energy-correlations",
      "--model",
      "ssep",
      "--simulate",
      "--replicas",
      "4",
      "--duration",
      "50",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C12 = -13\.3333 \(negative\)/); // -N (eps0 - eps3)^2 / 27 with the default N = 1000
    expect(r.stdout).toMatch(/boundary links/);
    expect(r.stdout).toMatch(/bound \(eq\. 15\)/);
    // The default densities are outside eq. 4's third-cumulant condition: the report leads with the verdict.
    expect(r.stdout).toMatch(
      /eq\. 4 validity \(third cumulant\): NOT SATISFIED at these baths: \(Delta beta\)\^2 kappa3 \/ kappa1 = 0\.962 .* needs <= 0\.1/,
    );
    expect(r.stdout).toMatch(/simulated energy SDE/);
  });

  it.each([
    [
      ["--model", "ideal-gas", "--T0", "-1"],
      /--T0 must be a temperature in \[1e-6, 1e6\], or for ssep a density in \[0, 1\], got -1/,
    ],
    [["--model", "ssep", "--eps3", "1.5"], /--eps3 must be a number in \[0, 1\], got 1.5/],
    [["--model", "ssep", "--T0", "1", "--T3", "3"], /density in \[0, 1\]/],
    [["--model", "fermi", "--M", "0"], /--M must be an integer in \[1, 400\], got 0/],
    [["--model", "blackbody", "--T3", "hot"], /--T3 must be a number/],
    [["--model", "ideal-gas", "--kappa", "1"], /does not take --kappa/],
    [[], /--model is required/],
  ])("bad input %j: one line, exit 1", async (args, message) => {
    const r = await run("study", "energy-correlations", ...(args as string[]));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });
});

describe("ness study energy-correlations --M 1 --figure", () => {
  it("draws the subsystem's variance against the bath difference: ideal gas Cv (T0 + T3)^2/4, the closed form on it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-ec-single-"));
    const csv = join(dir, "variance.csv");
    const svg = join(dir, "variance.svg");
    for (const file of [csv, svg]) {
      const r = await run(
        "study",
        "energy-correlations",
        "--model",
        "ideal-gas",
        "--Cv",
        "2",
        "--M",
        "1",
        "--figure",
        file,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`figure written to ${file}`);
    }
    expect(readFileSync(svg, "utf8")).toContain("Energy variance of one subsystem");
    // The figure's data: C11 = Cv T1^2 with T1 = (T0 + T3)/2 (T0 = 1, x = T3 - T0) along the Lyapunov curve, and the
    // closed form <J> tau (beta_R - beta_L)/((beta_1 - beta_L)(beta_R - beta_1)) (eq. 4, exact for the ideal gas) on it.
    const rows = readFileSync(csv, "utf8")
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("#"))
      .slice(1)
      .map((l) => l.split(","));
    const series = (name: string) =>
      rows.filter((c) => c[0].replace(/"/g, "").startsWith(name)).map((c) => [Number(c[1]), Number(c[2])]);
    const exact = (x: number) => 2 * (1 + x / 2) ** 2;
    const lyapunov = series("Lyapunov");
    const closed = series("closed form");
    expect(lyapunov).toHaveLength(41);
    expect(lyapunov.at(-1)![0]).toBeCloseTo(4, 12); // the right bath up to T0 + 2 (T3 - T0)
    for (const [x, y] of lyapunov) expect(y / exact(x)).toBeCloseTo(1, 10);
    expect(closed.length).toBeGreaterThanOrEqual(8); // every 4th point but the equal-bath one (0/0)
    for (const [x, y] of closed) expect(y / exact(x)).toBeCloseTo(1, 10);
    const chain = series("this chain");
    expect(chain).toHaveLength(1);
    expect(chain[0][0]).toBe(2);
    expect(chain[0][1] / exact(2)).toBeCloseTo(1, 12);
  });
});

describe("ness reproduce energy-correlations --quick", () => {
  it("writes every figure as SVG, PNG and CSV", async () => {
    const out = mkdtempSync(join(tmpdir(), "ness-ec-"));
    const r = await run("reproduce", "energy-correlations", "--out", out, "--quick");
    expect(r.code).toBe(0);
    // Provenance of every CSV and JSON written (issue 15 item 4): version, command, figure set, seed, units.
    expect(expectReproductionProvenance(out, "energy-correlations")).toBeGreaterThan(3);
    const files = readdirSync(out).sort();
    const stems = ["bound", "c12", "decomposition", "noise-approximations", "profiles", "verification"].map(
      (s) => `energy-correlations-${s}`,
    );
    const cases = ["bias-sweeps", "profiles", "noise-approximations", "verification"].map(
      (c) => `energy-correlations-${c}.results.json`,
    );
    expect(files).toEqual([...stems.flatMap((s) => [`${s}.csv`, `${s}.png`, `${s}.svg`]), ...cases].sort());
    for (const s of stems) {
      const csv = readFileSync(join(out, `${s}.csv`), "utf8");
      expect(csv).not.toMatch(/NaN|Infinity/);
      expect(readFileSync(join(out, `${s}.svg`), "utf8")).toMatch(/docs\/corrections\.md/);
    }
  });
});
