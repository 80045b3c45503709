import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli as run } from "../../helpers/cli.js";

afterEach(() => vi.restoreAllMocks());

describe("ness study two-temperature", () => {
  it("--json prints the exact covariance, heat flows and entropy production (closed forms agree)", async () => {
    const r = await run("study", "two-temperature", "--k", "2", "--lambda", "0.5", "--T1", "3", "--T2", "1", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
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
    expect(r.stderr).toMatch(/lambda .* must be > 0, got 0/);
    const r2 = await run("study", "two-temperature", "--T1", "hot");
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/--T1 must be a number, got 'hot'/);
  });
});

describe("ness reproduce two-temperature --quick", () => {
  it("writes the three figures as SVG, PNG and CSV", async () => {
    const out = mkdtempSync(join(tmpdir(), "ness-two-temperature-"));
    const r = await run("reproduce", "two-temperature", "--quick", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(out).sort();
    for (const name of ["fig1-pair-density-current", "fig2-entropy-production", "fig3-ratchet-current"]) {
      for (const ext of ["svg", "png", "csv"]) expect(existsSync(join(out, `${name}.${ext}`)), `${name}.${ext}`).toBe(true);
    }
    expect(files).toHaveLength(9);
    const svg = readFileSync(join(out, "fig1-pair-density-current.svg"), "utf8");
    expect(svg).toMatch(/counterclockwise/);
    expect(svg).toMatch(/physics-notes\.md/);
  });
});
