import { describe, expect, it } from "vitest";
import { ModelError } from "../../src/errors.js";
import { Rng } from "../../src/stochastic/rng.js";
import {
  concentrationWeights,
  firstMomentLength,
  shellAverages,
  structureFactor,
  structureFactorDirect,
  structureFactorModes,
  wavevectors,
} from "../../src/stochastic/structureFactor.js";

function randomPoints(rng: Rng, N: number, L: [number, number]): Float64Array {
  const x = new Float64Array(2 * N);
  for (let j = 0; j < N; j++) {
    x[2 * j] = rng.uniform() * L[0];
    x[2 * j + 1] = rng.uniform() * L[1];
  }
  return x;
}

describe("structure factor", () => {
  it("lists the allowed wavevectors of one half plane, sorted by |q| and grouped in shells", () => {
    const wv = wavevectors([10, 10], (2 * Math.PI * 2.01) / 10);
    // |n|^2 <= 4.04 in one half plane: (1,0),(0,1),(1,1),(-1,1),(2,0),(0,2) -> 6 vectors.
    expect(wv.nx.length).toBe(6);
    for (let k = 1; k < wv.q.length; k++) expect(wv.q[k]).toBeGreaterThanOrEqual(wv.q[k - 1]);
    // Shell width 2 pi / 10: |n| = 1, sqrt 2 (round 1), 2 -> shells {1, 1, sqrt2, sqrt2}, {2, 2}.
    expect(Array.from(wv.shellCount)).toEqual([4, 2]);
    expect(wv.shellQ[1]).toBeCloseTo((2 * 2 * Math.PI) / 10, 12);
  });

  it("equals the direct O(N^2) double sum (random points, two weight sets, unequal box sides)", () => {
    const rng = Rng.stream(7);
    const L: [number, number] = [7.3, 5.1];
    const N = 60;
    const x = randomPoints(rng, N, L);
    // Shift some points by whole periods: the phases are periodic.
    x[0] += 3 * L[0];
    x[3] -= 2 * L[1];
    const labels = Array.from({ length: N }, (_, j) => (j % 3 === 0 ? 1 : 0));
    const weights = [new Float64Array(N).fill(1), concentrationWeights(labels)];
    const wv = wavevectors(L, 9);
    expect(wv.nx.length).toBeGreaterThan(100);
    const fast = structureFactorModes(x, weights, wv);
    const direct = structureFactorDirect(x, weights, wv);
    let worst = 0;
    for (let k = 0; k < fast.length; k++) worst = Math.max(worst, Math.abs(fast[k] - direct[k]));
    expect(worst).toBeLessThan(1e-10 * N);
  });

  it("shows the Bragg peaks of a perfect square lattice: S = N on the reciprocal lattice, 0 elsewhere", () => {
    const n = 12,
      a = 1.3,
      N = n * n;
    const x = new Float64Array(2 * N);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        x[2 * (i * n + j)] = (i + 0.25) * a;
        x[2 * (i * n + j) + 1] = (j + 0.5) * a;
      }
    const L = n * a;
    const wv = wavevectors([L, L], ((2 * Math.PI) / a) * 1.5);
    const S = structureFactorModes(x, [new Float64Array(N).fill(1)], wv);
    let peaks = 0;
    for (let k = 0; k < wv.nx.length; k++) {
      const onLattice = wv.nx[k] % n === 0 && wv.ny[k] % n === 0;
      if (onLattice) {
        peaks++;
        expect(S[k]).toBeCloseTo(N, 8);
      } else expect(S[k]).toBeLessThan(1e-9);
    }
    // (n, 0), (0, n), (n, n), (-n, n) lie within 1.5 x 2 pi / a.
    expect(peaks).toBe(4);
  });

  it("gives x(1 - x) for an ideal random mixture (random positions, random labels), within its error bar", () => {
    const rng = Rng.stream(11);
    const N = 200,
      nCold = 60,
      x0 = nCold / N;
    const L: [number, number] = [20, 20];
    const configs = 400;
    const perConfig: number[] = [];
    const labels = new Uint8Array(N);
    for (let c = 0; c < configs; c++) {
      const x = randomPoints(rng, N, L);
      labels.fill(0);
      // A random subset of nCold labels (partial Fisher-Yates).
      const idx = Array.from({ length: N }, (_, j) => j);
      for (let j = 0; j < nCold; j++) {
        const r = j + Math.floor(rng.uniform() * (N - j));
        [idx[j], idx[r]] = [idx[r], idx[j]];
        labels[idx[j]] = 1;
      }
      const sf = structureFactor(x, L, [concentrationWeights(labels)], { qMax: 2.5 });
      // Mean over all wavevectors (shells weighted by their counts).
      let s = 0,
        n = 0;
      for (let k = 0; k < sf.q.length; k++) {
        s += sf.S[0][k] * sf.count[k];
        n += sf.count[k];
      }
      perConfig.push(s / n);
    }
    const mean = perConfig.reduce((a, b) => a + b, 0) / configs;
    const sd = Math.sqrt(perConfig.reduce((a, b) => a + (b - mean) ** 2, 0) / (configs - 1));
    const se = sd / Math.sqrt(configs);
    const ideal = x0 * (1 - x0);
    expect(Math.abs(mean - ideal)).toBeLessThan(4 * se);
    // The test resolves a 2% error of the value (it can fail).
    expect(4 * se).toBeLessThan(0.02 * ideal);
    // The smallest shell alone as well (the q -> 0 limit).
    const low: number[] = [];
    for (let c = 0; c < 400; c++) {
      const x = randomPoints(rng, N, L);
      labels.fill(0);
      for (let j = 0; j < N; j++) labels[j] = rng.uniform() < x0 ? 1 : 0;
      const sf = structureFactor(x, L, [concentrationWeights(labels)], { qMax: 0.32 });
      const n1 = labels.reduce((a, b) => a + b, 0) / N;
      low.push(sf.S[0][0] / (n1 * (1 - n1)));
    }
    const m = low.reduce((a, b) => a + b, 0) / low.length;
    const e = Math.sqrt(low.reduce((a, b) => a + (b - m) ** 2, 0) / (low.length - 1) / low.length);
    expect(Math.abs(m - 1)).toBeLessThan(4 * e);
    expect(4 * e).toBeLessThan(0.15);
  });

  it("finds the domain size of stripes from the first moment", () => {
    // Two stripes of width L/2 along x: the concentration mode sits at |q| = 2 pi / L (and odd harmonics).
    const n = 40,
      L = 40;
    const x = new Float64Array(2 * n * n),
      labels = new Uint8Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        x[2 * (i * n + j)] = i + 0.5;
        x[2 * (i * n + j) + 1] = j + 0.5;
        labels[i * n + j] = i < n / 2 ? 1 : 0;
      }
    const sf = structureFactor(x, [L, L], [concentrationWeights(labels)], { qMax: Math.PI });
    const len = firstMomentLength(sf.q, sf.S[0], sf.count);
    // Square wave: |rho|^2 falls as 1/m^2 at q = 2 pi m / L (m odd): L_1 = L sum 1/m^2 / sum 1/m, about 0.6 L here.
    expect(len).toBeGreaterThan(0.4 * L);
    expect(len).toBeLessThan(L);
    expect(
      shellAverages(structureFactorModes(x, [labels], wavevectors([L, L], 0.2)), wavevectors([L, L], 0.2))[0],
    ).toBeGreaterThan(10);
  });

  it("rejects bad arguments with ModelError", () => {
    const x = new Float64Array([0, 0, 1, 1]);
    expect(() => wavevectors([0, 1], 1)).toThrow(ModelError);
    expect(() => wavevectors([10, 10], 0.1)).toThrow(/smallest wavevector/);
    expect(() => wavevectors([1e4, 1e4], 100)).toThrow(/more than/);
    expect(() => structureFactor(x, [4, 4], [[1]], { qMax: 3 })).toThrow(/1 weights for 2 points/);
    expect(() => structureFactor(new Float64Array([0, NaN]), [4, 4], [[1]], { qMax: 3 })).toThrow(ModelError);
  });
});
