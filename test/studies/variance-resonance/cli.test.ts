// `ness study variance-resonance` and `ness reproduce variance-resonance --quick`: outputs, CSV columns, figures,
// and one-line errors that write no file.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli as run } from "../../helpers/cli.js";
import { expectCsvProvenance, expectReproductionProvenance, readCsv } from "../../helpers/csv.js";
import { createDocument } from "../../../src/io/render.js";
import { varianceResonance } from "../../../src/studies/variance-resonance/index.js";

afterEach(() => vi.restoreAllMocks());

describe("ness study variance-resonance", () => {
  it("sweeps k into a CSV with the documented columns and draws a figure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-vr-"));
    const csv = join(dir, "sweep.csv");
    const png = join(dir, "sweep.png");
    const r = await run(
      "study",
      "variance-resonance",
      "--k0",
      "0.01",
      "--q",
      "4000",
      "--T1",
      "1",
      "--T2",
      "11",
      "--k",
      "0:2:2001",
      "--csv",
      csv,
      "--figure",
      png,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/swept k over 2001 values/);
    // The printed table is a sample of the sweep, and says so; the CSV holds every computed point (below).
    expect(r.stdout).toContain("(11 of the 2001 points shown, every 200th; --csv FILE writes all 2001");
    expect(r.stdout).toMatch(/resonance of sigma11 \(closed forms, refined\): peak at k = 0\.9999/);
    const file = expectCsvProvenance(csv, { command: /command: ness study variance-resonance .*--csv/ });
    const lines = [file.header, ...file.lines];
    expect(lines[0]).toBe("k,sigma11,sigma12,sigma22,sigma33,sigma34,sigma44,sigma23");
    expect(lines).toHaveLength(2002);
    const mid = lines[1001].split(",").map(Number);
    expect(mid[0]).toBeCloseTo(1, 12);
    expect(mid[1]).toBeCloseTo(5.94, 2);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe("PNG");
  });

  it("--json for one point has the covariance, fluxes, detailed balance and resonance", async () => {
    const r = await run("study", "variance-resonance", "--k", "1", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.study).toBe("variance-resonance");
    expect(doc.parameters).toMatchObject({ k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 });
    const j = doc.results;
    expect(j.parameters).toEqual({ k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 });
    expect(j.covariance.sigma11).toBeCloseTo(5.94, 2);
    expect(j.closedFormDeviation).toBeLessThan(1e-9);
    expect(j.fluxes.spring1to2).toBeLessThan(0);
    expect(j.detailedBalance.sigma23).toBeGreaterThan(0);
    expect(j.resonance[0].kind).toBe("peak");
    expect(j.resonance[1].kind).toBe("dip");
    expect(j.matrix.rows).toHaveLength(4);
  });

  it("mechanical and electrical parameters, with physical moments", async () => {
    const m = await run(
      "study",
      "variance-resonance",
      "--m",
      "2",
      "--k1",
      "1.9",
      "--k2",
      "2",
      "--K",
      "0.02",
      "--gamma",
      "0.001",
      "--T1",
      "1",
      "--T2",
      "11",
      "--json",
    );
    expect(m.code).toBe(0);
    const j = JSON.parse(m.stdout).results;
    expect(j.mode).toBe("mechanical");
    expect(j.parameters.k).toBeCloseTo(0.95, 12);
    expect(j.parameters.q).toBeCloseTo(2000, 9);
    expect(j.physical.x1x1).toBeCloseTo(j.covariance.sigma11, 12); // L = 1
    const c = await run(
      "study",
      "variance-resonance",
      "--inductance",
      "1e-3",
      "--resistance",
      "0.05",
      "--C1",
      "1.0e-9:1.04e-9:5",
      "--C2",
      "1e-9",
      "--C",
      "1e-7",
      "--T1",
      "4",
      "--T2",
      "300",
    );
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/swept C1 over 5 values/);
    expect(c.stdout).toMatch(/C1\s+sigma11/);
  });

  it("the inverse problem finds k on both sides, and sigma12 decides", async () => {
    const r = await run("study", "variance-resonance", "--infer", "sigma11=4.198±0.04,sigma12=-2.33±0.02");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/k = 0\.985\d* \(below the resonance\)/);
    expect(r.stdout).toMatch(/k = 1\.014\d* \(above the resonance\)/);
    expect(r.stdout).toMatch(/least-squares fits[^\n]*:\n\s+k = 0\.985/);
    expect(r.stdout).not.toMatch(/AMBIGUOUS/);
  });

  it("bad parameters: one clear line, exit 1, no output file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-vr-bad-"));
    const cases: [string[], RegExp][] = [
      [["--q", "0", "--k", "0:2:11"], /--q must be a number in \[0.001, 1e12\], got 0/],
      [["--q", "-4000", "--k", "0:2:11"], /must be a number in \[0.001, 1e12\], got -4000/],
      [["--k0", "-0.01", "--k", "0:2:11"], /--k0 must be 0 or a number in \[1e-100, 1e6\], got -0.01/],
      [["--k", "0:2:1"], /--k: a range needs an integer count >= 2/],
      [["--k", "0:2"], /neither a number nor a range/],
      [["--k", "0:2:11", "--q", "1:10:3"], /only one parameter can be a range/],
      [["--q", "10:0:5", "--k", "1"], /q value #5 of the sweep/],
      [
        ["--k", "1", "--k1", "1", "--k2", "1", "--m", "1", "--K", "0.1", "--gamma", "0.1", "--T1", "1", "--T2", "2"],
        /--k is a dimensionless parameter/,
      ],
      [["--m", "1", "--k1", "1"], /mechanical parameters need --k2, --K, --gamma, --T1, --T2 as well/],
      [["--k", "0:2:11", "--figure", "x.gif"], /unknown extension '\.gif'/],
    ];
    for (const [args, message] of cases) {
      const out = join(dir, "out.csv");
      const r = await run("study", "variance-resonance", ...args, ...(args.includes("--figure") ? [] : ["--csv", out]));
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("ness reproduce variance-resonance --quick", () => {
  it("writes every figure as SVG, PNG and CSV and says where", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-vr-repro-"));
    const r = await run("reproduce", "variance-resonance", "--out", dir, "--quick");
    expect(r.code).toBe(0);
    // Provenance of every CSV and JSON written (issue 15 item 4): version, command, figure set, seed, units.
    expect(expectReproductionProvenance(dir, "variance-resonance")).toBeGreaterThan(3);
    const files = readdirSync(dir).sort();
    for (const name of [
      "fig1-variance-resonance",
      "fig4-cold-oscillator",
      "fig5-hot-oscillator",
      "fig6-covariance",
      "fig7-coupling",
      "fig8-quality-factor",
      "fig9-detailed-balance",
      "psd-displacement",
      "apparent-temperature",
      "resonance-width",
      "inverse-problem",
    ]) {
      for (const ext of ["svg", "png", "csv"]) {
        expect(files).toContain(`${name}.${ext}`);
        expect(r.stdout).toContain(join(dir, `${name}.${ext}`));
      }
    }
    const fig4 = readCsv(join(dir, "fig4-cold-oscillator.csv")).header;
    expect(fig4).toBe("k0,q,T1,T2,k,sigma11");
    const fig7 = readFileSync(join(dir, "fig7-coupling.svg"), "utf8");
    for (const label of [
      "k₀ = 10",
      "k₀ = 0.25",
      "k₀ = 0.02",
      "k₀ = 0.001",
      "T₁ = T₂ = 6",
      "T₁ = 1, T₂ = 11",
      "σ₁₁(k)",
      "k = k₁/k₂",
    ])
      expect(fig7).toContain(label);
    expect(readFileSync(join(dir, "fig9-detailed-balance.svg"), "utf8")).toContain("(k² − 1)");
  });

  it("every figure renders one self-contained svg with a title, axis labels and a caption", async () => {
    const document = createDocument();
    for (const c of varianceResonance.reproduce) {
      const [fig] = c.figures(await c.compute(c.parameters(true), { seed: 1, quick: true }));
      expect(fig.name).toBe(c.id);
      const svg = fig.render(document);
      expect(svg.tagName.toLowerCase()).toBe("svg");
      const text = svg.textContent ?? "";
      expect(text).toContain(fig.title.slice(0, 20));
      expect(svg.querySelectorAll("text").length).toBeGreaterThan(10);
      for (const row of fig.table.rows)
        for (const v of row) if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
    }
  });
});
