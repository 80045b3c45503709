// The transmission engine's general sparse path on 2D strips (baths on the end columns): the screen by the growth
// across the strip's slices against the exact modes (the amplitude bound at every eigenvalue) and against the full
// path, the chain's growth as the width-1 case, and fluxes against the dense Lyapunov engine beyond the dense mode
// analysis (inertia counts, the 7-15 first pass).
import { describe, expect, it } from "vitest";
import { solveNetwork } from "../../src/exact/network.js";
import { screenedModes, solveNetworkTransmission } from "../../src/exact/transmission.js";
import { estimateSolveCost } from "../../src/exact/solveCost.js";
import { symmetricEigen } from "../../src/linalg/eigen.js";
import { matrix } from "../../src/linalg/matrix.js";
import { ChainPencil, symmetricPattern } from "../../src/linalg/sparse.js";
import { SlicedPencil } from "../../src/linalg/slices.js";
import type { NetworkModel } from "../../src/model/network.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { stripModel } from "../../src/studies/harmonic-conduction/study.js";

/** V's diagonal and off-diagonal entries (CSR) of a network model. */
function pencilOf(model: NetworkModel) {
  const n = model.sites.length;
  const p = symmetricPattern(
    n,
    model.springs.map((s) => s.i),
    model.springs.map((s) => s.j),
  );
  const off = Float64Array.from(p.edge, (e) => -model.springs[e].stiffness);
  const vDiag = Float64Array.from(model.pinning);
  for (const s of model.springs) {
    vDiag[s.i] += s.stiffness;
    vDiag[s.j] += s.stiffness;
  }
  return { n, p, off, vDiag };
}

describe("growth across the slices of a strip", () => {
  it("is the chain's growth for width 1", () => {
    const model = stripModel(1, 60, { ...CONDUCTION, disorder: 0.5 });
    const { n, p, off, vDiag } = pencilOf(model);
    const level = Int32Array.from({ length: n }, (_, i) => i);
    const sliced = new SlicedPencil(level, vDiag, p.ptr, p.idx, off, Float64Array.from(model.mass));
    const chain = new ChainPencil(
      vDiag,
      Float64Array.from(model.mass),
      Float64Array.from({ length: n - 1 }, () => -1),
    );
    for (const lambda of [0.3, 1.1, 2.5, 3.9, 5.5]) {
      for (const reverse of [false, true]) {
        const c = chain.growth(lambda, reverse);
        expect(c).toBeGreaterThan(0);
        expect(Math.abs(sliced.growth(lambda, reverse) - c)).toBeLessThan(1e-9 * c);
      }
    }
  });

  it("bounds every normal mode's amplitude on the bath columns: |u_0|^2 <= exp(-2 growth) / m_min", () => {
    // Exact modes of a 3 x 40 strip (dense eigen-decomposition); the growth at each eigenvalue from either end.
    const model = stripModel(3, 40, { ...CONDUCTION, disorder: 0.7 });
    const { n, p, off, vDiag } = pencilOf(model);
    const level = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 3));
    const mass = Float64Array.from(model.mass);
    const sliced = new SlicedPencil(level, vDiag, p.ptr, p.idx, off, mass);
    const W = matrix(n, n);
    for (let i = 0; i < n; i++) {
      W.data[i * n + i] = vDiag[i] / mass[i];
      for (let q = p.ptr[i]; q < p.ptr[i + 1]; q++)
        W.data[i * n + p.idx[q]] = off[q] / Math.sqrt(mass[i] * mass[p.idx[q]]);
    }
    const { values, vectors } = symmetricEigen(W);
    const mmin = Math.min(...mass);
    let tight = 0;
    let resolved = 0;
    for (let k = 0; k < n; k++) {
      let left = 0;
      let right = 0;
      for (let y = 0; y < 3; y++) {
        left += vectors.data[y * n + k] ** 2 / mass[y];
        right += vectors.data[(n - 3 + y) * n + k] ** 2 / mass[n - 3 + y];
      }
      // The screen's bound on a mode's share: min(|u_A|^2, |u_B|^2) <= exp(-(growth_A + growth_B)) / m_min. (Each
      // end's own bound can fail in floating point at a mode localised at that end: the parts of the strip beyond
      // its support then have it as an eigenvector to rounding.) Checked where the amplitude is above the
      // eigenvectors' rounding (1e-24 in u^2).
      const least = Math.min(left, right);
      const bound = Math.exp(-(sliced.growth(values[k]) + sliced.growth(values[k], true))) / mmin;
      if (least > 1e-24) {
        expect(least, `mode ${k}`).toBeLessThanOrEqual(bound * (1 + 1e-6));
        resolved++;
        tight = Math.max(tight, least / bound);
      }
    }
    expect(resolved).toBeGreaterThan(n / 4);
    // Not vacuous: some modes come within a factor 100 of it.
    expect(tight).toBeGreaterThan(1e-2);
  });
});

describe("2D strips on the general sparse path", () => {
  it("agree with the dense engine to 1e-9 beyond the dense mode analysis (4 x 76 sites, fluxes only)", () => {
    const model = stripModel(4, 76, { ...CONDUCTION, disorder: 0.05 });
    const dense = solveNetwork(model, { bySource: false });
    const tr = solveNetworkTransmission(model, { bySource: false, temperatures: false, tolerance: 1e-9 });
    // Masses 1 +- 5% (the dense engine refuses longer or more disordered strips: modes damped below its
    // double-precision threshold): every mode transmits, none is left out; located by inertia counts, 7-15 first pass.
    expect(tr.modes.count).toBe(304);
    expect(tr.screen).toBeUndefined();
    const jmax = Math.max(...dense.baths.map((b) => Math.abs(b.flux)));
    dense.baths.forEach((b, k) => {
      const d = Math.abs(b.flux - tr.baths[k].flux);
      expect(d / jmax, `bath ${k}`).toBeLessThan(1e-9);
      expect(d).toBeLessThanOrEqual(tr.baths[k].error + 1e-12 * jmax);
    });
    dense.springs.forEach((s, k) => {
      const d = Math.abs(s.flux - tr.springs[k].flux);
      expect(d / jmax, `spring ${k}`).toBeLessThan(1e-9);
      expect(d).toBeLessThanOrEqual(tr.springs[k].error + 1e-12 * jmax);
    });
    expect(tr.quadratureError).toBeLessThan(1e-9);
  });

  it("a strongly disordered strip leaves modes out and gives the full path's current within the reported errors", () => {
    // 2 x 200, masses 1 +- 90%: most modes are localised away from a bath end (the dense engine refuses strips this
    // localised: modes damped below its double-precision threshold).
    const model = stripModel(2, 200, { ...CONDUCTION, disorder: 0.9 });
    const opts = { temperatures: false, bySource: false, tolerance: 1e-7 };
    const fast = solveNetworkTransmission(model, opts);
    const full = solveNetworkTransmission(model, { ...opts, screen: false });
    expect(full.screen).toBeUndefined();
    expect(full.modes.count).toBe(400);
    const screen = fast.screen!;
    expect(screen.skippedModes).toBeGreaterThan(100);
    expect(fast.modes.count + screen.skippedModes).toBe(400);
    expect(fast.notes.join(" ")).toContain("left out");
    const hot = (s: typeof fast) => s.baths.reduce((a, b) => a + (b.temperature === CONDUCTION.TL ? b.flux : 0), 0);
    const J = hot(full);
    expect(J).toBeGreaterThan(0);
    const d = Math.abs(hot(fast) - J);
    const err = (s: typeof fast) => s.baths.reduce((a, b) => a + (b.temperature === CONDUCTION.TL ? b.error : 0), 0);
    expect(d).toBeLessThanOrEqual(err(fast) + err(full));
    expect(d).toBeLessThan(1e-7 * J);
    expect(screen.flux).toBeGreaterThan(0);
    expect(screen.flux).toBeLessThan(1e-8 * J);
  });
});

describe("the cost estimate knows the frequency screen", () => {
  it("counts only the modes below the cutoff for fluxes-only runs of a localising strip", () => {
    const model = stripModel(2, 200, { ...CONDUCTION, disorder: 0.9 });
    const kept = screenedModes(model)!;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(300);
    expect(estimateSolveCost(model, "transmission", { temperatures: false }).modes).toBe(kept);
    // Kinetic temperatures need every mode: no screen in the estimate.
    expect(estimateSolveCost(model, "transmission").modes).toBe(400);
    // No screen for baths at three temperatures.
    const three = { ...model, baths: model.baths.map((b, k) => (k === 1 ? { ...b, temperature: 3 } : b)) };
    expect(screenedModes(three)).toBeUndefined();
  });
});
