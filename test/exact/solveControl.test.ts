// Control of long solves (src/exact/solveControl.ts, src/exact/solveCost.ts): progress reports, abort, the time
// limit and the stall rule of the frequency quadrature, and the cost estimate. Every early stop must report an
// error that still covers the actual error, measured against the dense Lyapunov solve.
import { describe, expect, it } from "vitest";
import { NessError } from "../../src/errors.js";
import { solveNetwork } from "../../src/exact/network.js";
import { SolveAbortedError, STALL_FACTOR } from "../../src/exact/solveControl.js";
import { chooseSolveMethod, estimateSolveCost, SOLVE_SECONDS_LIMIT } from "../../src/exact/solveCost.js";
import {
  EVALUATIONS_PER_MODE,
  solveNetworkTransmission,
  STRIP_EVALUATIONS_PER_MODE,
  type TransmissionSteadyState,
} from "../../src/exact/transmission.js";
import { validateNetwork, type NetworkModel } from "../../src/model/network.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { stripModel } from "../../src/studies/harmonic-conduction/study.js";

/**
 * A W x L strip with masses 1 + 0.5 sin(1.7 i^2 + 0.3) (site (x, y) has index i = W x + y), unit springs between
 * lattice neighbours, pinning 0.01, friction 1 on both end columns at temperatures 2 and 1: the network of the
 * 17-minute solve of issue 17 at 4 x 80 (modes damped below 1e-12 of their frequency); at 4 x 20 it still has peaks
 * narrower than 1e-6 of their frequency, and the dense solve is the reference.
 */
function strip(W: number, L: number): NetworkModel {
  const id = (x: number, y: number) => `${x + 1}:${y + 1}`;
  const sites: string[] = [];
  const masses: Record<string, number> = {};
  const springs: { between: [string, string]; stiffness: number }[] = [];
  let i = 0;
  for (let x = 0; x < L; x++)
    for (let y = 0; y < W; y++) {
      const s = id(x, y);
      sites.push(s);
      masses[s] = 1 + 0.5 * Math.sin(1.7 * i * i + 0.3);
      i++;
      if (x > 0) springs.push({ between: [id(x - 1, y), s], stiffness: 1 });
      if (y > 0) springs.push({ between: [id(x, y - 1), s], stiffness: 1 });
    }
  const baths = [];
  for (let y = 0; y < W; y++) {
    baths.push({ site: id(0, y), friction: 1, temperature: 2 });
    baths.push({ site: id(L - 1, y), friction: 1, temperature: 1 });
  }
  return validateNetwork({ kind: "network", name: `${W} x ${L} strip`, sites, masses, pinning: 0.01, springs, baths });
}

/** The largest actual error over the reported one, against the dense solve (its own bound added for temperatures). */
function worstRatio(model: NetworkModel, ss: TransmissionSteadyState): number {
  const d = solveNetwork(model);
  const Tmax = Math.max(...model.baths.map((b) => b.temperature));
  const denseT = d.forwardErrorBound * Tmax;
  let worst = 0;
  const ratio = (actual: number, reported: number) => (worst = Math.max(worst, actual / Math.max(reported, 1e-300)));
  ss.baths.forEach((b, k) => ratio(Math.abs(b.flux - d.baths[k].flux), b.error));
  ss.springs.forEach((s, k) => ratio(Math.abs(s.flux - d.springs[k].flux), s.error));
  ss.kineticTemperature!.forEach((t, a) =>
    ratio(Math.max(0, Math.abs(t - d.kineticTemperature![a]) - denseT), ss.kineticTemperatureError![a]),
  );
  return worst;
}

describe("control of the frequency quadrature", () => {
  it("reports progress, and an abort from the callback throws SolveAbortedError", () => {
    // 3 x 10: the quadrature refines for about 15 steps after its first pass.
    const model = strip(3, 10);
    const seen: number[] = [];
    const full = solveNetworkTransmission(model, {
      progressInterval: 0,
      onProgress: (p) => {
        expect(["first pass", "quadrature"]).toContain(p.stage);
        expect(p.budget).toBeGreaterThan(p.evaluations);
        expect(p.errorRatio).toBeGreaterThan(0);
        seen.push(p.evaluations);
      },
    });
    expect(seen.length).toBeGreaterThan(2);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThan(seen[k - 1]);
    expect(full.evaluations).toBeGreaterThanOrEqual(seen[seen.length - 1]);

    const controller = new AbortController();
    let calls = 0;
    const run = () =>
      solveNetworkTransmission(model, {
        progressInterval: 0,
        signal: controller.signal,
        onProgress: () => {
          if (++calls === 2) controller.abort();
        },
      });
    expect(run).toThrow(SolveAbortedError);
    expect(calls).toBe(2);
    expect(new SolveAbortedError("x")).toBeInstanceOf(NessError);
  });

  it("a time limit stops refining with a warning and an error that covers the actual error", () => {
    const model = strip(3, 10);
    const ss = solveNetworkTransmission(model, { maxSeconds: 0 });
    expect(ss.warnings.join("\n")).toMatch(/stopped at its time limit of 0 s/);
    const full = solveNetworkTransmission(model);
    expect(ss.evaluations).toBeLessThan(full.evaluations);
    expect(ss.quadratureError).toBeGreaterThan(full.quadratureError);
    expect(worstRatio(model, ss)).toBeLessThanOrEqual(1);
  });

  it("the stall rule stops where the error stops falling, and its reported error covers the actual error", () => {
    const model = strip(4, 20);
    // The rule's checkpoints after 250 evaluations of refinement (the default waits for 50 000).
    const stopped = solveNetworkTransmission(model, { stallEvaluations: 250 });
    expect(stopped.warnings.join("\n")).toMatch(
      new RegExp(
        `stopped refining at ${stopped.evaluations} evaluations: its estimated error had stopped falling \\(less than ${STALL_FACTOR}x`,
      ),
    );
    expect(stopped.quadratureError).toBeGreaterThan(1e-8);
    const ratio = worstRatio(model, stopped);
    expect(ratio).toBeLessThanOrEqual(1);
    // Switched off, the same run refines further (to its tolerance or rounding noise).
    const refined = solveNetworkTransmission(model, {
      stallEvaluations: 250,
      stopWhenStalled: false,
      maxEvaluations: stopped.evaluations + 2000,
    });
    expect(refined.evaluations).toBeGreaterThan(stopped.evaluations);
    expect(refined.warnings.join("\n")).not.toMatch(/stopped refining at/);
  });

  it("the stall rule leaves networks without narrow peaks alone", () => {
    // 3 x 10: its narrowest peak is 5.5e-6 of its frequency, so the rule is off whatever its checkpoints.
    const broad = strip(3, 10);
    const a = solveNetworkTransmission(broad, { stallEvaluations: 0 });
    const b = solveNetworkTransmission(broad, { stopWhenStalled: false });
    expect(a.evaluations).toBe(b.evaluations);
    expect(a.baths.map((x) => x.flux)).toEqual(b.baths.map((x) => x.flux));
  });

  it("a budget below the first pass over the initial panels is refused, not overrun", () => {
    // The general path (3 x 10) and the strip's end-block path (4 x 76, bath fluxes only); both overran it before.
    const first = /budget \(maxEvaluations, --max-evaluations\) of 100 is below the (\d+) evaluations .* first pass/;
    expect(() => solveNetworkTransmission(strip(3, 10), { maxEvaluations: 100 })).toThrow(first);
    const long = strip(4, 76);
    const opts = { springs: false, temperatures: false } as const;
    let least = 0;
    try {
      solveNetworkTransmission(long, { ...opts, maxEvaluations: 100 });
    } catch (err) {
      least = Number(first.exec((err as Error).message)?.[1] ?? 0);
    }
    expect(least).toBeGreaterThan(100);
    // The budget it names is enough: the run spends no more than it on the real axis.
    const ss = solveNetworkTransmission(long, { ...opts, maxEvaluations: least });
    expect(ss.notes.join(" ")).toContain(`remainder by quadrature (${least} evaluations`);
  });
});

describe("estimateSolveCost", () => {
  it("estimates every method, the frequency integrals with the budget's worst case", () => {
    const model = strip(2, 10);
    for (const method of ["lyapunov", "modal"] as const) {
      const c = estimateSolveCost(model, method);
      expect(c.seconds).toBeGreaterThan(0);
      expect(c.maxSeconds).toBe(c.seconds);
      expect(c.seconds).toBeLessThan(SOLVE_SECONDS_LIMIT);
    }
    const t = estimateSolveCost(model, "transmission", { maxEvaluations: 123456 });
    expect(t.budget).toBe(123456);
    expect(t.secondsPerEvaluation).toBeGreaterThan(0);
    expect(t.maxSeconds).toBeGreaterThanOrEqual(123456 * t.secondsPerEvaluation!);
    expect(t.seconds).toBeLessThanOrEqual(t.maxSeconds);
    expect(t.evaluations).toBe(Math.min(123456, 20 * 110));
    expect(t.text).toMatch(/the frequency integrals .*at most .* \(the budget of 123456 evaluations\)/);
  });

  it("counts a strip's bath-fluxes-only path by its end-block sweeps, ~20 a mode, not the general path's 110", () => {
    // 320 sites (beyond the dense mode analysis), fluxes only: the same modes either way.
    const model = strip(4, 80);
    const general = estimateSolveCost(model, "transmission", { temperatures: false });
    const bathsOnly = estimateSolveCost(model, "transmission", { temperatures: false, springs: false });
    const modes = general.evaluations! / EVALUATIONS_PER_MODE;
    expect(Number.isInteger(modes)).toBe(true);
    expect(bathsOnly.evaluations).toBe(Math.round(modes * STRIP_EVALUATIONS_PER_MODE));
    expect(STRIP_EVALUATIONS_PER_MODE).toBeLessThan(EVALUATIONS_PER_MODE / 4);
    expect(bathsOnly.seconds).toBeGreaterThan(0);
  });

  // The estimate times the path the solve takes: the strip's end block only with springs off, poles on and no
  // spectrum, and not with the screen off (the solve does not slice the network then).
  it("times the path the solve will take (the strip's end block only where the solve takes it)", () => {
    const model = strip(4, 80);
    const fluxes = { temperatures: false, springs: false } as const;
    expect(estimateSolveCost(model, "transmission", fluxes).strip).toBe(true);
    for (const other of [{ poles: false }, { spectrum: true }, { screen: false }, { springs: true }]) {
      const c = estimateSolveCost(model, "transmission", { ...fluxes, ...other });
      expect(c.strip).toBe(false);
      expect(c.evaluations).toBe(Math.min(c.budget!, Math.round(c.modes! * EVALUATIONS_PER_MODE)));
    }
  });

  // Measured once (December 2026, strips of the harmonic-conduction study, masses 1 +- 50 %, tolerance 1e-8): the
  // expected evaluations (end-block sweep units, 20 per mode) over the sweeps and evaluations the solve counted,
  // 1.85 (4 x 80), 1.78 (4 x 100), 1.33 (6 x 60), 1.13 (10 x 40), 1.10 (10 x 60); the modes it integrates against
  // those located, 309/309, 373/378, 357/358, 399/399, 595/595. Counts, not times (docs/performance.md).
  for (const [W, L] of [
    [4, 80],
    [6, 60],
  ]) {
    it(`${W} x ${L} strip, bath fluxes only: the estimate's path, modes and evaluations are those of the solve`, () => {
      const model = stripModel(W, L, CONDUCTION);
      const opts = { temperatures: false, springs: false } as const;
      const c = estimateSolveCost(model, "transmission", opts);
      const ss = solveNetworkTransmission(model, { ...opts, bySource: false, tolerance: 1e-8 });
      expect(c.strip).toBe(true);
      expect(ss.springs).toHaveLength(0);
      expect(ss.notes.join(" ")).toContain("bath fluxes only (springs: false)");
      expect(Math.abs(c.modes! - ss.modes.count)).toBeLessThanOrEqual(0.02 * ss.modes.count);
      const ratio = c.evaluations! / ss.evaluations;
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
      // The real factorisations that locate the modes: a count, as the solve's (1854 and 2079 counted, 6.0 and 5.8 a
      // mode; 15 a mode, the time-equivalent the estimate counted before, read 2.5 times high).
      const f = c.factorisations! / ss.modes.factorisations!;
      expect(f).toBeGreaterThan(0.8);
      expect(f).toBeLessThan(1.25);
    });
  }
});

describe("chooseSolveMethod", () => {
  it("hands on the estimate it chose by, of the method it chose", () => {
    // 200 sites: the modal method is estimated under what measuring the frequency integrals costs.
    const small = chooseSolveMethod(strip(4, 50));
    expect(small.method).toBe("modal");
    expect(small.reason).toContain("the frequency integrals not measured");
    expect(small.cost).toEqual(estimateSolveCost(strip(4, 50), "modal"));
    // 400 sites: over that, the frequency integrals are measured, and the estimate handed on is still the modal one.
    const mid = chooseSolveMethod(strip(4, 100));
    expect(mid.method).toBe("modal");
    expect(mid.reason).toContain("the frequency integrals (measured)");
    expect(mid.cost).toEqual(estimateSolveCost(strip(4, 100), "modal"));
    // Beyond the modal method's size limit: the frequency integrals, measured with the solve's options.
    const big = strip(4, 760);
    const c = chooseSolveMethod(big, { fluxesOnly: true });
    expect(c.method).toBe("transmission");
    expect(c.cost!.method).toBe("transmission");
    expect(c.cost!.strip).toBe(false);
    const bathsOnly = chooseSolveMethod(big, { springs: false });
    expect(bathsOnly.cost!.strip).toBe(true);
    expect(bathsOnly.cost!.modes).toBe(c.cost!.modes);
  });
});
