// The WebAssembly SIMD chain sweeps (asm/chain/sweeps.ts via src/linalg/chainSweeps.ts) against the JavaScript
// kernels they replace: the same arithmetic lane by lane, so the same results to the bit (counts, ln det', the
// Laguerre curvature, end weights and their r'', ln |det| of the counts, the growth of the undamped solution, the complex pivots, derivatives and
// products), in both directions, with padding lanes, on chains with strong disorder and with a pivot near zero.
import { describe, expect, it } from "vitest";
import { ChainGreen, ChainPencil, POLE_LANES, SWEEP_LANES } from "../../src/linalg/sparse.js";

function chain(n: number, seed: number, spread: number): { v: Float64Array; m: Float64Array; off: Float64Array } {
  let state = seed >>> 0;
  const r = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
  const k = Float64Array.from({ length: n - 1 }, () => 0.5 + r());
  const v = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) {
    v[i] += k[i];
    v[i + 1] += k[i];
  }
  v[0] += 1;
  v[n - 1] += 1;
  for (let i = 0; i < n; i++) v[i] += 1e-6;
  const m = Float64Array.from({ length: n }, () => 1 + spread * (2 * r() - 1));
  return { v, m, off: k.map((x) => -x) };
}

function same(a: ArrayLike<number>, b: ArrayLike<number>, used: number): void {
  for (let l = 0; l < used; l++) expect(Object.is(a[l], b[l]), `lane ${l}: ${a[l]} vs ${b[l]}`).toBe(true);
}

describe("chain sweeps: WebAssembly kernels against JavaScript", () => {
  for (const [n, spread, seed] of [
    [2, 0.5, 1],
    [37, 0.9, 2],
    [1000, 0.5, 3],
    [4099, 0.9, 4],
  ] as const) {
    // NESS_LINALG=js forces the JavaScript kernels everywhere: nothing to compare.
    it.skipIf(process.env.NESS_LINALG === "js")(`${n} sites, masses 1 +- ${spread * 100} %: bit for bit`, () => {
      const { v, m, off } = chain(n, seed, spread);
      const js = new ChainPencil(v, m, off, "js");
      const wa = new ChainPencil(v, m, off);
      expect(js.kernels).toBe("js");
      // Runs wherever WebAssembly SIMD does (Node 20+): otherwise both are the JavaScript kernels.
      expect(wa.kernels).toBe("wasm");
      let top = 0;
      for (let i = 0; i < n; i++) top = Math.max(top, (v[i] + 2 * Math.abs(off[i] ?? 0)) / m[i]);
      const lam = new Float64Array(SWEEP_LANES);
      for (const used of [SWEEP_LANES, 3]) {
        for (let l = 0; l < SWEEP_LANES; l++) lam[l] = (top * (l + 0.37 + used)) / (SWEEP_LANES + 12);
        // A shift at an exact zero of a pivot's leading determinant is rare; a shift equal to a diagonal entry
        // over its mass makes the first pivot vanish (the tiny guard).
        lam[1] = v[0] / m[0];
        js.countLanes(lam, used);
        wa.countLanes(lam, used);
        same(wa.lanes.negative, js.lanes.negative, used);
        same(wa.lanes.logDet, js.lanes.logDet, used);
        for (const reverse of [false, true]) {
          js.sweepLanes(lam, reverse, used);
          wa.sweepLanes(lam, reverse, used);
          same(wa.lanes.negative, js.lanes.negative, used);
          same(wa.lanes.logDerivative, js.lanes.logDerivative, used);
          same(wa.lanes.logCurvature, js.lanes.logCurvature, used);
          same(wa.lanes.endWeight, js.lanes.endWeight, used);
          same(wa.lanes.endCurvature, js.lanes.endCurvature, used);
          // The reduced kernel (end weights and r'' only) gives the same end weights and r''.
          wa.lanes.endWeight.fill(NaN);
          wa.lanes.endCurvature.fill(NaN);
          wa.lanes.endSlope.fill(NaN);
          wa.endWeightLanes(lam, reverse, used);
          js.sweepLanes(lam, reverse, used);
          same(wa.lanes.endWeight, js.lanes.endWeight, used);
          same(wa.lanes.endCurvature, js.lanes.endCurvature, used);
          // And the slope of the end's Green's function (the unlocated modes' half-width bounds).
          same(wa.lanes.endSlope, js.lanes.endSlope, used);
          // The count-and-slope kernel (the half-width bounds' bisection): the same counts and slopes.
          wa.lanes.endSlope.fill(NaN);
          wa.lanes.negative.fill(-1);
          wa.slopeLanes(lam, reverse, used);
          same(wa.lanes.endSlope, js.lanes.endSlope, used);
          same(wa.lanes.negative, js.lanes.negative, used);
          js.sweepLanes(lam, reverse, used);
          // The growth of the undamped solution (the screen): counts and ln max |psi| (the kernel's rare rescaling
          // steps by JavaScript's log2 and power).
          js.growthLanes(lam, reverse, used);
          wa.growthLanes(lam, reverse, used);
          same(wa.lanes.negative, js.lanes.negative, used);
          same(wa.lanes.growth, js.lanes.growth, used);
          // The long chains rescale |psi| on the way (growth beyond 256 ln 2).
          if (n > 1000 && reverse)
            expect(Math.max(...js.lanes.growth.subarray(0, used))).toBeGreaterThan(256 * Math.LN2);
        }
      }
      const wr = new Float64Array(POLE_LANES);
      // Padding lanes (used < POLE_LANES) are swept too and must agree as well.
      const wi = new Float64Array(POLE_LANES);
      for (let l = 0; l < POLE_LANES; l++) {
        wr[l] = Math.sqrt(top) * (0.1 + 0.21 * l) * (l === 3 ? -1 : 1);
        wi[l] = -1e-3 * 10 ** -l;
      }
      js.complexSweepLanes(wr, wi, 0.7, 1.3, POLE_LANES);
      wa.complexSweepLanes(wr, wi, 0.7, 1.3, POLE_LANES);
      const a = wa.zLanes;
      const b = js.zLanes;
      for (const key of ["logDerRe", "logDerIm", "lastRe", "lastIm", "lastDerRe", "lastDerIm"] as const)
        same(a[key], b[key], POLE_LANES);
      // p is kept as mantissa and power of two: the same number (the split may differ by a power of two).
      for (let l = 0; l < POLE_LANES; l++) {
        expect(a.pRe[l] * 2 ** (a.pLog2[l] - b.pLog2[l])).toBe(b.pRe[l]);
        expect(a.pIm[l] * 2 ** (a.pLog2[l] - b.pLog2[l])).toBe(b.pIm[l]);
      }
      // The long chains rescale p on the way (exponents away from 0).
      if (n > 1000) expect(Math.max(...Array.from(b.pLog2, Math.abs))).toBeGreaterThan(200);
      // The reduced kernel (last pivot and p only, as for G_0n(-z)): the same numbers, p split the same way.
      for (const key of ["lastRe", "lastIm", "pRe", "pIm", "pLog2"] as const) a[key].fill(NaN);
      wa.complexEndLanes(wr, wi, 0.7, 1.3, POLE_LANES);
      for (const key of ["lastRe", "lastIm", "pRe", "pIm", "pLog2"] as const) same(a[key], b[key], POLE_LANES);
      js.complexSweepLanes(wr, wi, 0.7, 1.3, POLE_LANES);
      expect(wa.counts).toBe(js.counts);
    });
  }
});

describe("chain sweeps: lanes in use anywhere among the eight", () => {
  // The Laguerre and Newton loops of the transmission engine free a lane when its mode or pole is done, so the
  // lanes still in use need not be the first ones (lanes 0 and 5 of eight, the others padding). Each lane in use
  // must get the sweep at its own shift, in the JavaScript kernels as in the WebAssembly ones; a JavaScript kernel
  // that swept only lanes 0-3 when at most four were in use left lane 5 with the results of an earlier sweep.
  for (const [n, spread, seed] of [
    [37, 0.9, 7],
    [1000, 0.5, 8],
  ] as const) {
    it(`${n} sites, masses 1 +- ${spread * 100} %: lanes 0 and 5 in use, each its own shift`, () => {
      const { v, m, off } = chain(n, seed, spread);
      let top = 0;
      for (let i = 0; i < n; i++) top = Math.max(top, (v[i] + 2 * Math.abs(off[i] ?? 0)) / m[i]);
      const one = new ChainPencil(v, m, off, "js");
      for (const kernels of ["js", "auto"] as const) {
        const p = new ChainPencil(v, m, off, kernels);
        const lam = Float64Array.from({ length: SWEEP_LANES }, (_, l) => (top * (l + 1)) / (SWEEP_LANES + 3));
        // Every lane swept once at other shifts (what an earlier pass leaves in the lanes).
        p.countLanes(lam, SWEEP_LANES);
        p.sweepLanes(lam, false, SWEEP_LANES);
        p.growthLanes(lam, false, SWEEP_LANES);
        // Lanes 0 and 5 in use, the others padded with lane 5's shift (as the callers pad).
        const a = 0.31 * top;
        const b = 0.62 * top;
        lam.fill(b);
        lam[0] = a;
        p.countLanes(lam, 2);
        for (const l of [0, 5]) expect(p.lanes.negative[l], `${kernels} count lane ${l}`).toBe(one.count(lam[l]));
        for (const reverse of [false, true]) {
          p.sweepLanes(lam, reverse, 2);
          for (const l of [0, 5]) {
            one.sweep(lam[l], reverse);
            expect(p.lanes.negative[l], `${kernels} lane ${l}`).toBe(one.negative);
            expect(Object.is(p.lanes.logDerivative[l], one.logDerivative), `${kernels} lane ${l}`).toBe(true);
            expect(Object.is(p.lanes.logCurvature[l], one.logCurvature), `${kernels} lane ${l}`).toBe(true);
            expect(Object.is(p.lanes.endWeight[l], one.endWeight), `${kernels} lane ${l}`).toBe(true);
            expect(Object.is(p.lanes.endCurvature[l], one.endCurvature), `${kernels} lane ${l}`).toBe(true);
          }
          p.growthLanes(lam, reverse, 2);
          for (const l of [0, 5]) {
            const g = one.growth(lam[l], reverse);
            expect(Object.is(p.lanes.growth[l], g), `${kernels} growth lane ${l}`).toBe(true);
            expect(p.lanes.negative[l]).toBe(one.negative);
          }
        }
        // Complex sweeps: every lane at other frequencies first, then lanes 0 and 5 in use.
        const wr = Float64Array.from({ length: POLE_LANES }, (_, l) => Math.sqrt(top) * (0.1 + 0.1 * l));
        const wi = new Float64Array(POLE_LANES).fill(-1e-3);
        p.complexSweepLanes(wr, wi, 0.7, 1.3, POLE_LANES);
        wr.fill(0.55 * Math.sqrt(top));
        wr[0] = 0.23 * Math.sqrt(top);
        wi.fill(-2e-4);
        for (const reduced of [false, true]) {
          if (reduced) p.complexEndLanes(wr, wi, 0.7, 1.3, 2);
          else p.complexSweepLanes(wr, wi, 0.7, 1.3, 2);
          for (const l of [0, 5]) {
            one.complexSweep(wr[l], wi[l], 0.7, 1.3);
            const keys = reduced
              ? (["lastRe", "lastIm"] as const)
              : (["logDerRe", "logDerIm", "lastRe", "lastIm", "lastDerRe", "lastDerIm"] as const);
            for (const key of keys)
              expect(Object.is(p.zLanes[key][l], one.z[key]), `${kernels} ${key} lane ${l}`).toBe(true);
            // p: the same number (mantissa and power of two may split differently).
            const s = 2 ** (p.zLanes.pLog2[l] - one.z.pLog2);
            expect(p.zLanes.pRe[l] * s).toBe(one.z.pRe);
            expect(p.zLanes.pIm[l] * s).toBe(one.z.pIm);
          }
        }
      }
    });
  }
});

describe("chain quadrature nodes: the complex lane kernel at real frequencies is ChainGreen", () => {
  // The transmission quadrature sweeps a panel's nodes through complexEndLanes (Evaluator.evaluateMany) and takes
  // G_nn = 1 / f_n and G_0n = p G_nn from it: the same numbers to the bit as ChainGreen.evaluate node by node.
  for (const [n, spread, seed] of [
    [37, 0.9, 5],
    [4099, 0.5, 6],
  ] as const) {
    it(`${n} sites, masses 1 +- ${spread * 100} %`, () => {
      const { v, m, off } = chain(n, seed, spread);
      const pencil = new ChainPencil(v, m, off);
      const green = new ChainGreen(
        Int32Array.from({ length: n }, (_, i) => i),
        off,
      );
      const [g0, g1] = [0.7, 1.3];
      const wr = Float64Array.from({ length: POLE_LANES }, (_, l) => 0.05 + 0.17 * l);
      // The full kernel, and the reduced one that evaluateMany runs (last pivot and p only).
      for (const reduced of [false, true]) {
        const z = pencil.zLanes;
        if (reduced) {
          for (const key of ["lastRe", "lastIm", "pRe", "pIm", "pLog2"] as const) z[key].fill(NaN);
          pencil.complexEndLanes(wr, new Float64Array(POLE_LANES), g0, g1, POLE_LANES);
        } else pencil.complexSweepLanes(wr, new Float64Array(POLE_LANES), g0, g1, POLE_LANES);
        for (let l = 0; l < POLE_LANES; l++) {
          const w = wr[l];
          green.evaluate(v, m, w * w, -w * g0, -w * g1, false);
          const d = 1 / (z.lastRe[l] * z.lastRe[l] + z.lastIm[l] * z.lastIm[l]);
          const gnnre = z.lastRe[l] * d;
          const gnnim = -z.lastIm[l] * d;
          const scale = 2 ** z.pLog2[l];
          const g0nre = scale * (z.pRe[l] * gnnre - z.pIm[l] * gnnim);
          const g0nim = scale * (z.pRe[l] * gnnim + z.pIm[l] * gnnre);
          expect(Object.is(gnnre, green.gnnre) && Object.is(gnnim, green.gnnim)).toBe(true);
          // The couplings are negative: prod (-b_k / f_k) is p itself (b_k = sqrt(b_k^2) = |b_k| exactly).
          expect(Object.is(g0nre, green.g0nre) && Object.is(g0nim, green.g0nim)).toBe(true);
        }
      }
    });
  }
});

describe("ChainGreen.backwardError", () => {
  it("is at rounding level for the recurrence's entries and sees an entry off by 1e-9", () => {
    const n = 3001;
    const { v, m, off } = chain(n, 7, 0.5);
    const green = new ChainGreen(
      Int32Array.from({ length: n }, (_, i) => i),
      off,
    );
    let top = 0;
    for (let i = 0; i < n; i++) top = Math.max(top, (v[i] + 2 * Math.abs(off[i] ?? 0)) / m[i]);
    for (const f of [0.013, 0.31, 0.77]) {
      const w = f * Math.sqrt(top);
      const args = [v, m, w * w, -w * 0.7, -w * 1.3] as const;
      green.evaluate(...args, true);
      const r = green.backwardError(...args, true);
      expect(r).toBeLessThan(1e-13);
      // A wrong G_0n (a relative 1e-9 of the column's largest entry or more) is seen.
      const scale = Math.hypot(green.g0nre, green.g0nim, green.gnnre, green.gnnim, green.g00re, green.g00im);
      green.g0nre += 1e-6 * scale;
      expect(green.backwardError(...args, false)).toBeGreaterThan(1e-9);
      // Entries from another frequency (a relative 1e-6 in w^2) are seen.
      green.evaluate(v, m, w * w * (1 + 1e-6), -w * 0.7, -w * 1.3, false);
      expect(green.backwardError(...args, false)).toBeGreaterThan(1e-9);
    }
  });
});

describe("ChainGreen on short chains", () => {
  /** The first and last columns of the inverse of the complex tridiagonal matrix, by Gauss-Jordan elimination. */
  function denseEnds(a: number[][][], N: number): { g00: number[]; gnn: number[]; g0n: number[] } {
    // a[i][j] = [re, im]; augmented with e_0 and e_(N-1).
    const M = a.map((row, i) => [...row.map((z) => [...z]), [i === 0 ? 1 : 0, 0], [i === N - 1 ? 1 : 0, 0]]);
    for (let k = 0; k < N; k++) {
      const [pr, pi] = M[k][k];
      const d = pr * pr + pi * pi;
      const inv = [pr / d, -pi / d];
      for (let j = 0; j < N + 2; j++) {
        const [r, i] = M[k][j];
        M[k][j] = [r * inv[0] - i * inv[1], r * inv[1] + i * inv[0]];
      }
      for (let i = 0; i < N; i++) {
        if (i === k) continue;
        const [fr, fi] = M[i][k];
        for (let j = 0; j < N + 2; j++) {
          const [r, im] = M[k][j];
          M[i][j] = [M[i][j][0] - (fr * r - fi * im), M[i][j][1] - (fr * im + fi * r)];
        }
      }
    }
    return { g00: M[0][N], gnn: M[N - 1][N + 1], g0n: M[0][N + 1] };
  }

  // N = 1: the one site is both ends, its diagonal a + i (alpha + beta).
  for (const N of [1, 2, 3, 5]) {
    it(`${N} site(s): the end entries of the inverse, and a backward error at rounding`, () => {
      const v = Float64Array.from({ length: N }, (_, k) => 2.1 + 0.05 * k);
      const m = Float64Array.from({ length: N }, (_, k) => 1 + 0.1 * k);
      const off = Float64Array.from({ length: N - 1 }, (_, k) => -1 - 0.1 * k);
      const [w2, alpha, beta] = [0.7, -0.3, -0.2];
      const a = Array.from({ length: N }, (_, i) =>
        Array.from({ length: N }, (_, j) => {
          if (i === j) return [v[i] - w2 * m[i], (i === 0 ? alpha : 0) + (i === N - 1 ? beta : 0)];
          if (Math.abs(i - j) === 1) return [off[Math.min(i, j)], 0];
          return [0, 0];
        }),
      );
      const want = denseEnds(a, N);
      const green = new ChainGreen(
        Int32Array.from({ length: N }, (_, i) => i),
        off,
      );
      green.evaluate(v, m, w2, alpha, beta);
      const close = (got: number[], exp: number[]) =>
        expect(Math.hypot(got[0] - exp[0], got[1] - exp[1])).toBeLessThan(1e-14 * Math.hypot(exp[0], exp[1]));
      close([green.g00re, green.g00im], want.g00);
      close([green.gnnre, green.gnnim], want.gnn);
      close([green.g0nre, green.g0nim], want.g0n);
      expect(green.backwardError(v, m, w2, alpha, beta)).toBeLessThan(4 * 2 ** -52);
    });
  }
});

describe("chain counts: ln |det (V - lambda M)| beside the Sturm count", () => {
  it("the sum of ln |r_k| over the pivots, on long chains whose determinant leaves the doubles' range", () => {
    for (const kernels of ["auto", "js"] as const) {
      for (const [n, spread, seed] of [
        [5, 0.5, 7],
        [3001, 0.9, 8],
      ] as const) {
        const { v, m, off } = chain(n, seed, spread);
        const p = new ChainPencil(v, m, off, kernels);
        expect(p.logDetReliable).toBe(true);
        const lam = Float64Array.from({ length: SWEEP_LANES }, (_, l) => 0.05 + 0.41 * l);
        lam[2] = v[0] / m[0];
        p.countLanes(lam, SWEEP_LANES);
        for (let l = 0; l < SWEEP_LANES; l++) {
          // Independently: the pivots one by one (the count's tiny guard), their logarithms summed.
          let r = 1;
          let s = 0;
          let sum = 0;
          let size = 0;
          for (let k = 0; k < n; k++) {
            r = v[k] - lam[l] * m[k] - s / r;
            if (!(Math.abs(r) >= p.tiny)) r = p.tiny;
            sum += Math.log(Math.abs(r));
            size += Math.abs(Math.log(Math.abs(r)));
            if (k + 1 < n) s = off[k] * off[k];
          }
          expect(Math.abs(p.lanes.logDet[l] - sum), `${kernels}, ${n} sites, lane ${l}`).toBeLessThanOrEqual(
            1e-13 * size + 1e-14,
          );
        }
        // The long chain's determinants are far outside the doubles' range at some shift (the product is split).
        if (n > 1000) expect(Math.max(...p.lanes.logDet.map(Math.abs))).toBeGreaterThan(800);
      }
    }
  });
});
