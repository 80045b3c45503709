// The block LDL^T over the levels of a sliced pencil (src/linalg/blockLdl.ts): its inertia count against the
// eigenvalues of the dense pencil and against the general sparse LDL^T's count, and its solve against the
// defining equations.
import { describe, expect, it } from "vitest";
import { BlockLdl, blockLdlCheaper } from "../../src/linalg/blockLdl.js";
import { symmetricEigen } from "../../src/linalg/eigen.js";
import { MatrixArgumentError } from "../../src/linalg/errors.js";
import { matrix } from "../../src/linalg/matrix.js";
import { RealLdl, cuthillMcKee, symbolicLdl, symmetricPattern } from "../../src/linalg/sparse.js";
import { SlicedPencil } from "../../src/linalg/slices.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { stripModel } from "../../src/studies/harmonic-conduction/study.js";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** A symmetric pencil from its levels and springs (i, j, k): V = pinning + sum k (e_i - e_j)(e_i - e_j)^T. */
function pencil(level: Int32Array, ei: number[], ej: number[], k: number[], pin: Float64Array, mass: Float64Array) {
  const n = level.length;
  const p = symmetricPattern(n, ei, ej);
  const off = Float64Array.from(p.edge, (e) => -k[e]);
  const vDiag = Float64Array.from(pin);
  ei.forEach((i, e) => {
    vDiag[i] += k[e];
    vDiag[ej[e]] += k[e];
  });
  const sliced = new SlicedPencil(level, vDiag, p.ptr, p.idx, off, mass);
  return { n, p, off, vDiag, mass, sliced };
}

/** A W x L strip of the conduction study (masses 1 +- 60 %), sliced by columns. */
function strip(W: number, L: number) {
  const model = stripModel(W, L, { ...CONDUCTION, disorder: 0.6 });
  const level = Int32Array.from({ length: W * L }, (_, i) => Math.floor(i / W));
  return pencil(
    level,
    model.springs.map((s) => s.i),
    model.springs.map((s) => s.j),
    model.springs.map((s) => s.stiffness),
    Float64Array.from(model.pinning),
    Float64Array.from(model.mass),
  );
}

/** Levels of widths 2, 4, 3, 5, 1, 3, 4 with random couplings within and between consecutive levels (dense blocks). */
function irregular() {
  const r = rng(7);
  const widths = [2, 4, 3, 5, 1, 3, 4];
  const level: number[] = [];
  widths.forEach((w, x) => level.push(...Array<number>(w).fill(x)));
  const n = level.length;
  const ei: number[] = [];
  const ej: number[] = [];
  const k: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (level[j] - level[i] <= 1 && r() < 0.6) {
        ei.push(i);
        ej.push(j);
        k.push(0.2 + r());
      }
  const pin = Float64Array.from({ length: n }, () => 0.05 + 0.3 * r());
  const mass = Float64Array.from({ length: n }, () => 0.5 + r());
  return pencil(Int32Array.from(level), ei, ej, k, pin, mass);
}

/** Eigenvalues of (V, M), dense. */
function eigenvalues(c: ReturnType<typeof pencil>): Float64Array {
  const { n, p, off, vDiag, mass } = c;
  const A = matrix(n, n);
  for (let i = 0; i < n; i++) {
    A.data[i * n + i] = vDiag[i] / mass[i];
    for (let q = p.ptr[i]; q < p.ptr[i + 1]; q++)
      A.data[i * n + p.idx[q]] = off[q] / Math.sqrt(mass[i] * mass[p.idx[q]]);
  }
  return symmetricEigen(A).values;
}

describe("the block LDL^T of a sliced pencil", () => {
  const cases: [string, () => ReturnType<typeof pencil>][] = [
    ["a 3 x 7 strip", () => strip(3, 7)],
    ["a 4 x 12 strip", () => strip(4, 12)],
    ["a 10 x 20 strip", () => strip(10, 20)],
    ["levels of unequal widths with dense couplings", irregular],
  ];
  for (const [name, make] of cases) {
    it(`counts the eigenvalues below lambda as the dense eigenvalues and the sparse LDL^T do: ${name}`, () => {
      const c = make();
      const values = eigenvalues(c);
      const n = c.n;
      const block = new BlockLdl(c.sliced);
      const sparse = new RealLdl(symbolicLdl(c.p, cuthillMcKee(c.p, [0])));
      let scale = 0;
      for (const v of c.vDiag) scale = Math.max(scale, v);
      const tiny = 1e-15 * scale;
      const diag = new Float64Array(n);
      // Every gap between consecutive eigenvalues at its middle, and below and above the spectrum.
      const lambdas = [values[0] - 1];
      for (let k = 0; k + 1 < n; k++)
        if (values[k + 1] - values[k] > 1e-9) lambdas.push(0.5 * (values[k] + values[k + 1]));
      lambdas.push(values[n - 1] + 1);
      expect(lambdas.length).toBeGreaterThan(n - 2);
      for (const lambda of lambdas) {
        let below = 0;
        for (const v of values) if (v < lambda) below++;
        for (let i = 0; i < n; i++) diag[i] = c.vDiag[i] - lambda * c.mass[i];
        const count = block.factor(lambda, tiny);
        expect(count).toBe(below);
        expect(count).toBe(sparse.factor(diag, c.off, tiny));
      }
    });

    it(`solves (V - lambda M) x = b to rounding: ${name}`, () => {
      const c = make();
      const { n, p, off, vDiag, mass } = c;
      const values = eigenvalues(c);
      const block = new BlockLdl(c.sliced);
      const r = rng(3);
      const b = Float64Array.from({ length: n }, () => r() - 0.5);
      const x = new Float64Array(n);
      for (const lambda of [0.3 * values[0], 0.5 * (values[n >> 1] + values[(n >> 1) + 1]), values[n - 1] * 1.1]) {
        block.factor(lambda, 0);
        block.solve(b, x);
        let res = 0;
        let xn = 0;
        let an = 0;
        for (let i = 0; i < n; i++) {
          let s = (vDiag[i] - lambda * mass[i]) * x[i];
          let row = Math.abs(vDiag[i] - lambda * mass[i]);
          for (let q = p.ptr[i]; q < p.ptr[i + 1]; q++) {
            s += off[q] * x[p.idx[q]];
            row += Math.abs(off[q]);
          }
          res = Math.max(res, Math.abs(s - b[i]));
          xn = Math.max(xn, Math.abs(x[i]));
          an = Math.max(an, row);
        }
        // Backward error of an LDL^T without interchanges (the pivots here stay away from zero).
        expect(res / (an * xn + 0.5)).toBeLessThan(1e-12);
      }
    });
  }

  it("is chosen for a strip (fewer multiply-adds than the sparse factorisation's, near its count)", () => {
    const c = strip(10, 40);
    const bath: number[] = [];
    for (let y = 0; y < 10; y++) bath.push(y, 39 * 10 + y);
    expect(blockLdlCheaper(c.sliced, symbolicLdl(c.p, cuthillMcKee(c.p, bath)))).toBe(true);
  });
});

describe("a NaN in the factorisation", () => {
  // A NaN pivot used to become +tiny: a NaN shift or entry gave a plausible count (0 negative pivots).
  it("is refused (MatrixArgumentError) in place of an inertia count: a NaN shift, entry or threshold", () => {
    const c = irregular();
    const { n } = c;
    const block = new BlockLdl(c.sliced);
    const sparse = new RealLdl(symbolicLdl(c.p, cuthillMcKee(c.p, [0])));
    const diag = Float64Array.from(c.vDiag, (v, i) => v - 0.7 * c.mass[i]);
    expect(block.factor(0.7, 1e-14)).toBe(sparse.factor(diag, c.off, 1e-14)); // the well-posed count, for contrast
    const nanPivot = /LDL\^T: pivot \d+ is NaN/;
    expect(() => block.factor(NaN, 1e-14)).toThrow(MatrixArgumentError);
    expect(() => block.factor(NaN, 1e-14)).toThrow(nanPivot);
    expect(() =>
      sparse.factor(
        diag.map(() => NaN),
        c.off,
        1e-14,
      ),
    ).toThrow(nanPivot);
    // one NaN diagonal entry (the last site: after every other pivot); one NaN spring's off-diagonal entries
    const oneDiag = Float64Array.from(diag);
    oneDiag[n - 1] = NaN;
    expect(() => sparse.factor(oneDiag, c.off, 1e-14)).toThrow(nanPivot);
    const last = Math.max(...c.p.edge);
    const oneOff = Float64Array.from(c.off, (v, q) => (c.p.edge[q] === last ? NaN : v));
    expect(() => sparse.factor(diag, oneOff, 1e-14)).toThrow(nanPivot);
    // a block pencil of three levels with a NaN spring between the last two
    const level = Int32Array.from([0, 0, 1, 1, 2, 2]);
    const ones = new Float64Array(6).fill(1);
    const bad = pencil(level, [0, 1, 2, 3, 2], [2, 3, 4, 5, 3], [1, 1, 1, NaN, 1], ones, ones);
    expect(() => new BlockLdl(bad.sliced).factor(0.7, 1e-14)).toThrow(nanPivot);
    for (const tiny of [NaN, Infinity, -1]) {
      expect(() => block.factor(0.7, tiny)).toThrow(/pivot threshold must be finite and >= 0/);
      expect(() => sparse.factor(diag, c.off, tiny)).toThrow(MatrixArgumentError);
    }
  });
});
