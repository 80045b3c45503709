// ness solve --method / --spectrum and ness study|reproduce harmonic-conduction: documented fields, the stated
// method, the files written, and bad input as one line with nothing written.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ModalNarrowModeError, solveNetworkModal } from "../../../src/exact/modal.js";
import { solveNetworkTransmission } from "../../../src/exact/transmission.js";
import { chooseSolveMethod } from "../../../src/exact/solveCost.js";
import { loadModel } from "../../../src/model/index.js";
import { chainLengths, powerLawFit, validateParams } from "../../../src/studies/harmonic-conduction/index.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../../src/studies/harmonic-conduction/params.js";
import { harmonicConduction } from "../../../src/studies/harmonic-conduction/definition.js";
import { spectrumEnvelope, spectrumTable } from "../../../src/studies/harmonic-conduction/spectrum.js";
import {
  chainModel,
  chainProfile,
  stripModel,
  stripProfile,
  type Profile,
} from "../../../src/studies/harmonic-conduction/study.js";
import { runStudy } from "../../../src/studies/run.js";
import { runCli as run } from "../../helpers/cli.js";
import { expectCsvProvenance, expectReproductionProvenance } from "../../helpers/csv.js";

const examples = new URL("../../../examples/networks/", import.meta.url).pathname;

afterEach(() => vi.restoreAllMocks());

describe("ness solve --method", () => {
  it("equal bath temperatures: no frequency evaluations, and the text says nothing was solved", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-eq-"));
    const file = join(dir, "eq.yaml");
    writeFileSync(
      file,
      "kind: network\nsites: 3\npinning: 1\nsprings: [{between: ['1', '2'], stiffness: 1}, {between: ['2', '3'], stiffness: 1}]\nbaths: [{site: '1', friction: 0.5, temperature: 2}, {site: '3', friction: 0.5, temperature: 2}]\n",
    );
    const r = await run("solve", file, "--method", "transmission");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/frequency evaluations\s+0\b/);
    expect(r.stdout).toMatch(/solve residual\s+0 \(no sparse solves: the answer needed no frequency evaluations\)/);
    // (The site sum rule was not integrated: no warning that its weight is missing.)
    expect(r.stdout).not.toMatch(/warning/);
  });

  it("auto states the method; transmission agrees with lyapunov and reports its errors", async () => {
    const file = join(examples, "example2-circulation.yaml");
    const dense = JSON.parse((await run("solve", file, "--json")).stdout);
    expect(dense.method).toBe("lyapunov");
    expect(dense.methodReason).toMatch(/auto: 3 sites/);
    const r = await run("solve", file, "--json", "--method", "transmission");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toBe("transmission");
    expect(typeof j.quadratureError).toBe("number");
    expect(j.quadratureError).toBeLessThan(1e-9);
    expect(j.covariance).toBeUndefined();
    j.springs.forEach((s: { flux: number; error: number }, k: number) =>
      expect(Math.abs(s.flux - dense.springs[k].flux)).toBeLessThan(1e-10),
    );
    for (const site of j.sites)
      expect(Math.abs(j.kineticTemperature[site] - dense.kineticTemperature[site])).toBeLessThan(1e-10);
    const text = await run("solve", file, "--method", "transmission");
    expect(text.stdout).toMatch(/method: transmission/);
    expect(text.stdout).toMatch(/quadrature error\s+[0-9.e-]+/);
  });

  it("modal agrees with lyapunov and reports its error estimate and residual", async () => {
    const file = join(examples, "example2-circulation.yaml");
    const dense = JSON.parse((await run("solve", file, "--json")).stdout);
    const r = await run("solve", file, "--json", "--method", "modal");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toBe("modal");
    expect(j.methodReason).toMatch(/^asked for; estimated cost: the modal method /);
    expect(j.errorEstimate).toBeLessThan(1e-12);
    expect(j.residual).toBeLessThan(1e-12);
    expect(j.modes).toEqual({ count: 3, poles: 6, narrowest: expect.any(Number) });
    j.springs.forEach((s: { flux: number }, k: number) =>
      expect(Math.abs(s.flux - dense.springs[k].flux)).toBeLessThan(1e-12),
    );
    j.baths.forEach((b: { flux: number }, k: number) =>
      expect(Math.abs(b.flux - dense.baths[k].flux)).toBeLessThan(1e-12),
    );
    for (const site of j.sites)
      expect(Math.abs(j.kineticTemperature[site] - dense.kineticTemperature[site])).toBeLessThan(1e-12);
    const text = await run("solve", file, "--method", "modal", "--fluxes-only");
    expect(text.stdout).toMatch(/method: modal \(normal modes and damped poles/);
    expect(text.stdout).toMatch(/error estimate\s+[0-9.e-]+/);
    expect(text.stdout).not.toMatch(/kinetic T/);
  });

  it("modal solves an overdamped network (the two-site closed form), splits fluxes by source, states its checks", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "ness-modal-over-")), "two.yaml");
    writeFileSync(
      file,
      "kind: network\ndynamics: overdamped\nsites: [a, b]\npinning: {a: 1, b: 2}\nsprings: [{between: [a, b], stiffness: 1}]\n" +
        "baths: [{site: a, friction: 1, temperature: 1}, {site: b, friction: 3, temperature: 2}]\n",
    );
    // J(a -> b) = k^2 (T_a - T_b) / (gamma_a (k + kappa_b) + gamma_b (k + kappa_a)) = -1/9.
    const r = await run("solve", file, "--json", "--method", "modal");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.dynamics).toBe("overdamped");
    expect(Math.abs(j.springs[0].flux + 1 / 9)).toBeLessThan(1e-15);
    expect(j.springs[0].fluxBySource).toEqual({ "bath a": expect.any(Number), "bath b": expect.any(Number) });
    expect(Math.abs(j.baths[1].flux - 1 / 9)).toBeLessThan(1e-15);
    expect(j.configurationalTemperature).toEqual({ a: 1, b: 2 });
    expect(j.errorEstimate).toBeLessThan(1e-12);
    expect(j.modes).toEqual({ count: 2, poles: 2, narrowest: 2, slowestRate: expect.any(Number) });
    const text = await run("solve", file, "--method", "modal", "--no-by-source");
    expect(text.stdout).toMatch(/method: modal \(relaxation modes of Gamma\^-1\/2 V Gamma\^-1\/2/);
    expect(text.stdout).toMatch(/relaxation modes\s+2 \(slowest rate/);
    expect(text.stdout).not.toMatch(/by source/);
  });

  // A 10 x 15 grid (auto picks the modal method above 150 sites) with one more site hung from its middle by a spring of
  // stiffness 2e-7: that site's mode (frequency sqrt(3), away from the grid's band edge) meets the baths, so the steady
  // state exists, but it is damped less than 1e-13 of its frequency, and the modal method refuses it after its pole
  // search.
  // detached: the grid alone, the loose spring's stiffness added to its site's pinning (the spring's first-order
  // effect on the grid).
  function looseSiteGrid(loose: number, detached = false) {
    const name = (i: number, j: number) => `g${i}_${j}`;
    const sites: string[] = [];
    const springs: { between: [string, string]; stiffness: number }[] = [];
    for (let i = 0; i < 10; i++) for (let j = 0; j < 15; j++) sites.push(name(i, j));
    for (let i = 0; i < 10; i++)
      for (let j = 0; j < 15; j++) {
        if (i + 1 < 10)
          springs.push({ between: [name(i, j), name(i + 1, j)], stiffness: 1 + ((i * 7 + j * 3) % 5) / 10 });
        if (j + 1 < 15)
          springs.push({ between: [name(i, j), name(i, j + 1)], stiffness: 1 + ((i * 3 + j * 5) % 7) / 10 });
      }
    if (!detached) {
      sites.push("loose");
      springs.push({ between: [name(5, 7), "loose"], stiffness: loose });
    }
    const pinning: Record<string, number> = Object.fromEntries(sites.map((s) => [s, 0.5]));
    if (detached) pinning[name(5, 7)] += loose;
    else pinning.loose = 3;
    return {
      kind: "network",
      sites,
      pinning,
      springs,
      baths: [
        { site: name(0, 0), friction: 1, temperature: 2 },
        { site: name(9, 14), friction: 1, temperature: 1 },
      ],
    };
  }

  it("auto falls back from a modal refusal to the frequency integrals and says so; --method modal refuses", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "ness-modal-fallback-")), "loose.json");
    writeFileSync(file, JSON.stringify(looseSiteGrid(2e-7)));
    const model = loadModel(readFileSync(file, "utf8"));
    if (model.kind !== "network") throw new Error("not a network");
    expect(chooseSolveMethod(model).method).toBe("modal");
    expect(() => solveNetworkModal(model)).toThrow(ModalNarrowModeError);

    const modal = await run("solve", file, "--method", "modal");
    expect(modal.code).toBe(1);
    expect(modal.stdout).toBe("");
    expect(modal.stderr.trim().split("\n")).toHaveLength(1);
    expect(modal.stderr).toMatch(/^ness: .*damped less than 1e-13 of its frequency.*use --method transmission/);

    const stated =
      /^auto chose the modal method \(151 sites.*estimated [0-9.]+x cheaper .*\), which refused the network: the normal mode at frequency 1\.73205 is damped less than 1e-13 of its frequency .*; fell back to the frequency integrals; estimated cost: the frequency integrals .*$/;
    const r = await run("solve", file, "--json");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toBe("transmission");
    expect(j.methodReason).toMatch(stated);
    expect(j.methodReason).not.toContain(file);
    // The fluxes against a second method: the modal solve of the grid without the loose site (its spring's stiffness
    // added to the pinning of the site it hangs from; the coupling changes the fluxes by ~(2e-7)^2 beyond that),
    // within the fallback's own error bars (it warns that the narrow peak stops its quadrature short).
    const grid = loadModel(JSON.stringify(looseSiteGrid(2e-7, true)));
    if (grid.kind !== "network") throw new Error("not a network");
    const ref = solveNetworkModal(grid);
    j.baths.forEach((b: { flux: number; error: number }, k: number) => {
      expect(b.error).toBeLessThan(1e-3 * Math.abs(ref.baths[k].flux));
      expect(Math.abs(b.flux - ref.baths[k].flux)).toBeLessThanOrEqual(b.error + 1e-9 * Math.abs(ref.baths[k].flux));
    });
    expect(j.warnings.join(" ")).toMatch(/narrow peaks/);

    const text = await run("solve", file);
    expect(text.code, text.stderr).toBe(0);
    const line = text.stdout.split("\n").find((l) => l.startsWith("method: "))!;
    expect(line).toMatch(
      /^method: transmission \(frequency integrals of the Green's function; auto chose the modal method/,
    );
    expect(line.slice(line.indexOf("; ") + 2, -1)).toMatch(stated);
  });

  it("--spectrum writes CSV, SVG and PNG (and implies the transmission method)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-spectrum-"));
    for (const ext of ["csv", "svg", "png"]) {
      const out = join(dir, `t.${ext}`);
      const r = await run("solve", join(examples, "example1-chain.yaml"), "--spectrum", out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/method: transmission .*auto: --spectrum asks for it/);
      expect(existsSync(out)).toBe(true);
    }
    const file = expectCsvProvenance(join(dir, "t.csv"), {
      command: /command: ness solve \S+example1-chain.yaml --spectrum/,
    });
    const csv = [file.header, ...file.lines];
    expect(csv[0]).toBe('omega,"T(1, 2)","T(1, 3)","T(1, 4)","T(2, 3)","T(2, 4)","T(3, 4)"');
    expect(csv.length).toBeGreaterThan(100);
    expect(csv.join("\n")).not.toMatch(/NaN|Infinity|null/);
  });

  it("bad options: one line, exit 1, nothing written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-spectrum-bad-"));
    const file = join(examples, "example1-chain.yaml");
    const cases: [string[], RegExp][] = [
      [["--method", "fast"], /--method must be auto, lyapunov, transmission or modal, got 'fast'/],
      [
        ["--spectrum", join(dir, "t.txt")],
        /--spectrum \S+t\.txt: unknown extension '\.txt' \(use \.svg, \.png or \.csv\)/,
      ],
      [["--method", "lyapunov", "--spectrum", join(dir, "t.csv")], /--spectrum needs --method transmission/],
      [["--fluxes-only", "--figure", join(dir, "f.svg")], /drop --fluxes-only/],
      [["--method", "transmission", "--tolerance", "-1"], /--tolerance must be > 0/],
      [
        ["--bath-fluxes-only", "--method", "modal"],
        /--bath-fluxes-only needs --method transmission \(or auto\), got modal/,
      ],
      [["--bath-fluxes-only", "--spectrum", join(dir, "t.csv")], /--spectrum samples every resonance .* drop one/],
      [["--bath-fluxes-only", "--figure", join(dir, "f.svg")], /drop --bath-fluxes-only/],
      [["--bath-fluxes-only"], /applies to strips with baths on their end columns: it takes strips of more than 300/],
    ];
    for (const [args, message] of cases) {
      const r = await run("solve", file, ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("ness solve --bath-fluxes-only", () => {
  it("gives a strip's bath fluxes as the general path does, within the reported errors, and says spring fluxes were not computed", async () => {
    // 2 x 151 (302 sites: the option takes strips of more than 300), the reference the general transmission path.
    // The CLI's part (the option, the JSON fields, the text, the cost estimate) is the same at any width; the general
    // path costs 2.5 times less than on a 4 x 80 strip, and the two paths' bath fluxes differ by 4% of their summed
    // errors (8% at 4 x 76). Wider and more disordered strips are test/exact/strip-fluxes.test.ts's (4 x 76 against
    // the dense solve, 4 x 100 and 2 x 200 against the general path).
    const m = stripModel(2, 151, { ...CONDUCTION, disorder: 0.5 });
    const file = join(mkdtempSync(join(tmpdir(), "ness-strip-")), "strip.json");
    writeFileSync(
      file,
      JSON.stringify({
        kind: "network",
        sites: m.sites,
        masses: Object.fromEntries(m.sites.map((s, i) => [s, m.mass[i]])),
        pinning: 0.01,
        springs: m.springs.map((s) => ({ between: [m.sites[s.i], m.sites[s.j]], stiffness: s.stiffness })),
        baths: m.baths.map((b) => ({ site: m.sites[b.site], friction: b.friction, temperature: b.temperature })),
      }),
    );
    const full = await run("solve", file, "--json", "--method", "transmission", "--fluxes-only", "--no-by-source");
    expect(full.code, full.stderr).toBe(0);
    const g = JSON.parse(full.stdout);
    expect(g.springs).toHaveLength(m.springs.length);
    const r = await run("solve", file, "--json", "--bath-fluxes-only");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toBe("transmission");
    expect(j.methodReason).toMatch(/^auto: --bath-fluxes-only asks for it; estimated cost: the frequency integrals /);
    // The estimate counts the end-block sweeps of this path (~20 a mode), not the general path's 110 evaluations.
    const count = (reason: string) => Number(/\(~(\d+) evaluations at /.exec(reason)![1]);
    expect(count(j.methodReason)).toBe(Math.round((count(g.methodReason) / 110) * 20));
    expect(j.springs).toBeUndefined();
    expect(j.springFluxesComputed).toBe(false);
    expect(j.solveResidualCheck).toMatch(/Q\(z\) G = I/);
    expect(j.solveResidual).toBeLessThan(1e-10);
    expect(j.kineticTemperature).toBeUndefined();
    expect(j.baths).toHaveLength(4);
    j.baths.forEach((b: { flux: number; error: number }, k: number) => {
      expect(Math.abs(b.flux)).toBeGreaterThan(0.01);
      expect(Math.abs(b.flux - g.baths[k].flux)).toBeLessThan(b.error + g.baths[k].error);
    });
    const text = await run("solve", file, "--bath-fluxes-only");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Springs: spring fluxes not computed \(--bath-fluxes-only/);
    expect(text.stdout).toMatch(/solve residual\s+\S+ \(the recursion's end block of G against Q\(z\) G = I/);
    expect(text.stdout).toMatch(/energy balance residual\s+\S+ \(relative: sum of the bath fluxes\)/);
    expect(text.stdout).not.toMatch(/backward error of the sparse solves/);
  });
});

describe("ness study harmonic-conduction", () => {
  it("fits exponents and prints them with the known values", async () => {
    const r = await run("study", "harmonic-conduction", "--nMin", "8", "--nMax", "32", "--samples", "2", "--json");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout).results;
    expect(j.results.map((x: { boundary: string }) => x.boundary)).toEqual(["fixed", "free"]);
    expect(j.results[0].expectedAlpha).toBe(1.5);
    expect(j.results[1].expectedAlpha).toBe(0.5);
    for (const res of j.results) {
      expect(res.points.map((q: { N: number }) => q.N)).toEqual([8, 16, 32]);
      for (const q of res.points) expect(q.J).toBeGreaterThan(0);
      expect(Number.isFinite(res.fit.alpha)).toBe(true);
    }
    const bad = await run("study", "harmonic-conduction", "--disorder", "1.5");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--disorder must be a number in \[0, 0\.95\], got 1\.5/);
  });

  it("power-law fit and lengths", () => {
    const N = [16, 32, 64, 128];
    const fit = powerLawFit(
      N,
      N.map((n) => 3 * n ** -1.5),
    );
    expect(fit.alpha).toBeCloseTo(1.5, 12);
    expect(fit.A).toBeCloseTo(3, 10);
    expect(fit.alphaError).toBeLessThan(1e-10);
    expect(chainLengths(20, 200)).toEqual([32, 64, 128]);
    expect(() => validateParams({ nMin: 64, nMax: 128 })).toThrow(/at least 4 nMin/);
  });
});

describe("ness reproduce harmonic-conduction --quick", () => {
  it("the scaling set is a map of its solves (on the reproduce's worker threads) with the study's results", async () => {
    // Issue 18 item 5: every sweep point on the worker pool. One point per (boundary, length, realisation), assembled
    // in order: the same numbers, to the bit, as the study's compute, which solves them one after another.
    const set = harmonicConduction.reproduce.find((c) => c.id === "disordered-chain-scaling")!;
    const parameters = { nMin: 8, nMax: 32, samples: 2 };
    expect(set.map!.points(parameters, { seed: 5, quick: true })).toHaveLength(2 * 3 * 2);
    const mapped = await set.compute(parameters, { seed: 5, quick: true });
    expect(mapped).toEqual(await runStudy(harmonicConduction, parameters, { seed: 5 }));
  });

  it("the profile, strip and spectra sets are maps of their two solves with the serial solves' results", async () => {
    // Issue 18 item 5: each set's two exact solves (ordered, disordered) are points on the worker pool. Assembled in
    // order (each through JSON, as a point's result is stored), the numbers equal those of the same solves done one
    // after another here, to the bit.
    const at = { seed: 5, quick: true };
    const numbers = ({ x, temperature, error, J, quadratureError }: Profile) => ({
      x,
      temperature,
      error,
      J,
      quadratureError,
    });
    const set = (id: string) => harmonicConduction.reproduce.find((c) => c.id === id)!;
    const mapped = async (id: string) => {
      const c = set(id);
      const p = c.parameters(true);
      expect(c.map!.points(p, at), id).toHaveLength(2);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return { p: { ...(p as object), seed: at.seed } as any, r: (await c.compute(p, at)) as any };
    };

    const chains = await mapped("temperature-profiles");
    expect(chains.r.parameters).toEqual(chains.p);
    const serial = [{ ...chains.p, disorder: 0 }, chains.p].map((q) =>
      numbers(chainProfile(chainModel(q.N, q, "fixed"), "", q.tolerance)),
    );
    expect(chains.r.profiles.map(numbers)).toEqual(serial);

    const strip = await mapped("strip-profile");
    const { p } = strip;
    expect(strip.r.profiles.map(numbers)).toEqual(
      [{ ...p, disorder: 0 }, p].map((q) => numbers(stripProfile(p.W, p.L, q, ""))),
    );
    expect(strip.r.profiles[1].J).not.toBe(strip.r.profiles[0].J);

    const spectra = await mapped("transmission-spectra");
    const q = spectra.p;
    const solved = [{ ...q, disorder: 0 }, q].map((r) =>
      solveNetworkTransmission(chainModel(q.N, r, "fixed"), {
        temperatures: false,
        spectrum: true,
        tolerance: q.tolerance,
      }),
    );
    expect(spectra.r.chains.map((c: { envelope: unknown; table: unknown }) => [c.envelope, c.table])).toEqual(
      solved.map((ss) => [spectrumEnvelope(ss), spectrumTable(ss)]),
    );
  });

  it("writes every figure as SVG, PNG and CSV", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-hc-"));
    const r = await run("reproduce", "harmonic-conduction", "--quick", "--out", dir);
    expect(r.code, r.stderr).toBe(0);
    // Provenance of every CSV and JSON written (issue 15 item 4): version, command, figure set, seed, units.
    expect(expectReproductionProvenance(dir, "harmonic-conduction")).toBeGreaterThan(3);
    for (const n of ["disordered-chain-scaling", "temperature-profiles", "strip-profile", "transmission-spectra"]) {
      for (const ext of ["svg", "png", "csv"]) expect(existsSync(join(dir, `${n}.${ext}`)), `${n}.${ext}`).toBe(true);
      expect(readFileSync(join(dir, `${n}.csv`), "utf8")).not.toMatch(/NaN|Infinity|null/);
    }
  });
});
