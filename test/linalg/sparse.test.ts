// Sparse LDL^T without pivoting against dense answers: complex symmetric solves (A x = e_b and general right-hand
// sides) checked through the residual A x - b, and the inertia of a real symmetric matrix against its eigenvalues.
import { describe, expect, it } from "vitest";
import { symmetricEigen } from "../../src/linalg/eigen.js";
import { matrix } from "../../src/linalg/matrix.js";
import {
  ChainPencil,
  ComplexLdl,
  POLE_LANES,
  RealLdl,
  SWEEP_LANES,
  complexLdlSolve,
  cuthillMcKee,
  symbolicLdl,
  symmetricPattern,
} from "../../src/linalg/sparse.js";
import { rng } from "../helpers/random.js";

/** A random connected sparse pattern on n vertices (a random tree plus extra edges), with edge values. */
function randomGraph(seed: number, n: number) {
  const r = rng(seed);
  const ei: number[] = [];
  const ej: number[] = [];
  const seen = new Set<string>();
  const add = (a: number, b: number) => {
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (a === b || seen.has(key)) return;
    seen.add(key);
    ei.push(a);
    ej.push(b);
  };
  for (let k = 1; k < n; k++) add(Math.floor(r() * k), k);
  for (let e = 0; e < n; e++) add(Math.floor(r() * n), Math.floor(r() * n));
  const edgeValue = ei.map(() => -(0.2 + r()));
  return { r, ei, ej, edgeValue };
}

describe("sparse LDL^T", () => {
  it("solves complex symmetric systems (diagonally damped, as V - w^2 M - i w Gamma)", () => {
    for (const seed of [1, 2, 3]) {
      const n = 40;
      const { r, ei, ej, edgeValue } = randomGraph(seed, n);
      const p = symmetricPattern(n, ei, ej);
      const off = Float64Array.from(p.edge, (e) => edgeValue[e]);
      const dr = Float64Array.from({ length: n }, () => 4 * r() - 1);
      const di = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -r() : 0));
      const sym = symbolicLdl(p, cuthillMcKee(p, [0, 3, 6]));
      const ldl = new ComplexLdl(sym);
      ldl.factor(dr, di, off);
      const [xr, xi, wr, wi, br, bi] = Array.from({ length: 6 }, () => new Float64Array(n));
      const residual = (): number => {
        let worst = 0;
        for (let i = 0; i < n; i++) {
          let rr = dr[i] * xr[i] - di[i] * xi[i] - br[i];
          let ri = dr[i] * xi[i] + di[i] * xr[i] - bi[i];
          for (let q = p.ptr[i]; q < p.ptr[i + 1]; q++) {
            rr += off[q] * xr[p.idx[q]];
            ri += off[q] * xi[p.idx[q]];
          }
          worst = Math.max(worst, Math.hypot(rr, ri));
        }
        return worst;
      };
      ldl.solveUnit(5, xr, xi, wr, wi);
      br.fill(0);
      br[5] = 1;
      expect(residual()).toBeLessThan(1e-10);
      for (let i = 0; i < n; i++) {
        br[i] = r() - 0.5;
        bi[i] = r() - 0.5;
      }
      complexLdlSolve(ldl, br, bi, xr, xi, wr, wi);
      expect(residual()).toBeLessThan(1e-10);
    }
  });

  it("counts negative eigenvalues by the inertia of V - lambda I (Sylvester)", () => {
    const n = 30;
    const { ei, ej, edgeValue } = randomGraph(9, n);
    const p = symmetricPattern(n, ei, ej);
    const off = Float64Array.from(p.edge, (e) => edgeValue[e]);
    const diag = Float64Array.from({ length: n }, (_, i) => 2 + (i % 5) * 0.3);
    const dense = matrix(n, n);
    for (let i = 0; i < n; i++) {
      dense.data[i * n + i] = diag[i];
      for (let q = p.ptr[i]; q < p.ptr[i + 1]; q++) dense.data[i * n + p.idx[q]] = off[q];
    }
    const values = symmetricEigen(dense).values;
    const ldl = new RealLdl(symbolicLdl(p, cuthillMcKee(p, [0])));
    for (const lambda of [0.5, 1.7, 2.3, 3.1, 4.4]) {
      const shifted = diag.map((d) => d - lambda);
      const below = Array.from(values).filter((v) => v < lambda).length;
      expect(ldl.factor(shifted, off, 1e-14)).toBe(below);
    }
  });
});

describe("ChainPencil.sweepLanes", () => {
  it("gives every lane exactly the results of its own sweep (and Sturm count), from either end", () => {
    const r = rng(17);
    const n = 500;
    const k = Float64Array.from({ length: n + 1 }, () => 0.5 + r());
    const m = Float64Array.from({ length: n }, () => 0.5 + r());
    const v = Float64Array.from({ length: n }, (_, i) => k[i] + k[i + 1] + 0.1 * r());
    const off = Float64Array.from({ length: n - 1 }, (_, i) => -k[i + 1]);
    const pencil = new ChainPencil(v, m, off);
    // Shifts across the band (and one below it); a padded call (2 lanes used) counts 2 sweeps.
    const lambdas = [0.01, 0.7, 1.9, 2.3, 3.1, 4.4, 5.2, 9.7].map((x) => x * (1 + 0.01 * r()));
    for (const reverse of [false, true]) {
      for (let i0 = 0; i0 < lambdas.length; i0 += SWEEP_LANES) {
        const lam = Float64Array.from(lambdas.slice(i0, i0 + SWEEP_LANES));
        const before = pencil.counts;
        pencil.sweepLanes(lam, reverse, i0 === 0 ? 2 : SWEEP_LANES);
        expect(pencil.counts - before).toBe(i0 === 0 ? 2 : SWEEP_LANES);
        const got = {
          negative: Array.from(pencil.lanes.negative),
          logDerivative: Array.from(pencil.lanes.logDerivative),
          logCurvature: Array.from(pencil.lanes.logCurvature),
          endWeight: Array.from(pencil.lanes.endWeight),
        };
        for (let l = 0; l < SWEEP_LANES; l++) {
          pencil.sweep(lam[l], reverse);
          expect(got.negative[l]).toBe(pencil.negative);
          expect(got.negative[l]).toBe(pencil.count(lam[l]));
          expect(got.logDerivative[l]).toBe(pencil.logDerivative);
          expect(got.logCurvature[l]).toBe(pencil.logCurvature);
          expect(got.endWeight[l]).toBe(pencil.endWeight);
        }
        if (!reverse) {
          pencil.countLanes(lam, SWEEP_LANES);
          for (let l = 0; l < SWEEP_LANES; l++) expect(pencil.lanes.negative[l]).toBe(got.negative[l]);
        }
      }
    }
  });

  it("gives every lane of complexSweepLanes exactly the results of complexSweep", () => {
    const r = rng(29);
    const n = 300;
    const k = Float64Array.from({ length: n + 1 }, () => 0.5 + r());
    const m = Float64Array.from({ length: n }, () => 0.5 + r());
    const v = Float64Array.from({ length: n }, (_, i) => k[i] + k[i + 1]);
    const off = Float64Array.from({ length: n - 1 }, (_, i) => -k[i + 1]);
    const pencil = new ChainPencil(v, m, off);
    const wr = Float64Array.from({ length: POLE_LANES }, (_, l) => (l % 2 ? -1 : 1) * (0.3 + l * 0.45 + 0.01 * r()));
    const wi = Float64Array.from({ length: POLE_LANES }, (_, l) => (l % 2 ? 1 : -1) * 1e-3 * (1 + l));
    // The last lane above the band: p = prod b / f shrinks by ~2^-5 a site and is rescaled.
    wr[POLE_LANES - 1] = 6;
    pencil.complexSweepLanes(wr, wi, 0.7, 0.4, POLE_LANES);
    const keys = ["logDerRe", "logDerIm", "lastRe", "lastIm", "lastDerRe", "lastDerIm", "pRe", "pIm", "pLog2"] as const;
    const got = keys.map((key) => Array.from(pencil.zLanes[key]));
    for (let l = 0; l < POLE_LANES; l++) {
      pencil.complexSweep(wr[l], wi[l], 0.7, 0.4);
      keys.forEach((key, i) => expect(got[i][l]).toBe(pencil.z[key]));
    }
    expect(got[8].some((x) => x !== 0)).toBe(true);
  });
});
