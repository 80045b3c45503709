import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli as run } from "../../helpers/cli.js";
import { expectReproductionProvenance } from "../../helpers/csv.js";

afterEach(() => vi.restoreAllMocks());

describe("ness study particle-bath-chain", () => {
  it("--json prints the effective bath and the current three ways", async () => {
    const r = await run(
      "study",
      "particle-bath-chain",
      "--TL",
      "3",
      "--TR",
      "0.5",
      "--zeta",
      "0.2",
      "--N",
      "24",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout).results;
    for (const key of [
      "gammaL",
      "kEff",
      "current",
      "currentLongChain",
      "currentFrequencyIntegral",
      "currentMemory",
      "criticalTemperature",
    ]) {
      expect(typeof j[key], key).toBe("number");
    }
    expect(j.gammaL).toBeCloseTo((6.468394108807193 * 0.2) / 9, 10);
    expect(j.kEff).toBeCloseTo(1 - 0.46996263257025 / 3, 10);
    expect(Math.abs(j.current / j.currentLongChain - 1)).toBeLessThan(1e-8);
    expect(Math.abs(j.currentFrequencyIntegral / j.current - 1)).toBeLessThan(1e-8);
    expect(j.currentLongChainAsPrinted / j.currentLongChain).toBeCloseTo(2, 12);
    expect(j.maximum.TL).toBeGreaterThan(0.5);
    expect(j.parameters).toMatchObject({
      m: 1,
      K: 1,
      Nb: 40,
      eps: 0.1,
      A: 1,
      rho: 2,
      L: 25,
      TL: 3,
      TR: 0.5,
      zeta: 0.2,
      N: 24,
    });
  });

  it("prints readable tables and can simulate", async () => {
    const r = await run(
      "study",
      "particle-bath-chain",
      "--N",
      "4",
      "--simulate",
      "--duration",
      "100",
      "--replicas",
      "1",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/friction gamma_L\(T_L\)\s+0\.01617/);
    expect(r.stdout).toMatch(/closed form as printed \(2x, wrong\)/);
    expect(r.stdout).toMatch(/full simulation .*: J = [0-9.e-]+ ± /);
  });

  it("an unstable effective chain is one clear line and exit 1, not NaN", async () => {
    const r = await run("study", "particle-bath-chain", "--TL", "0.3", "--json");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/unstable at T_L = 0\.3: k_eff = K - softening = -0\.5665 <= 0 .*needs T_L > 0\.47/);
    expect(r.stderr).not.toMatch(/NaN/);
  });

  it("bad parameters name the parameter", async () => {
    const r = await run("study", "particle-bath-chain", "--zeta", "abc");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--zeta must be a number, got 'abc'/);
    const r2 = await run("study", "particle-bath-chain", "--N", "1");
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/--N must be an integer in \[2, 512\], got 1/);
  });
});

describe("ness reproduce particle-bath-chain --quick", () => {
  // Every set but fig4-ndc, the costliest: test/sweep/reproduce.test.ts writes it through this CLI path (SVG, PNG,
  // CSV, results.json, their provenance) and compares its results with the set's own compute().
  it("writes every figure as SVG, PNG and CSV", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-pbc-"));
    const names = ["fig2a-mean-force", "fig2b-effective-friction", "current-three-ways", "fig3-current-simulation"];
    const r = await run("reproduce", "particle-bath-chain", "--quick", "--only", names.join(","), "--out", dir);
    expect(r.code).toBe(0);
    // Provenance of every CSV and JSON written (issue 15 item 4): version, command, figure set, seed, units.
    expect(expectReproductionProvenance(dir, "particle-bath-chain")).toBeGreaterThan(3);
    for (const n of names)
      for (const ext of ["svg", "png", "csv"]) expect(existsSync(join(dir, `${n}.${ext}`)), `${n}.${ext}`).toBe(true);
    expect(readdirSync(dir)).toHaveLength(16); // and one results.json per figure set
    expect(readFileSync(join(dir, "current-three-ways.svg"), "utf8")).toMatch(/twice too large/);
    expect(readFileSync(join(dir, "fig3-current-simulation.csv"), "utf8")).toMatch(/simulation/);
  });
});
