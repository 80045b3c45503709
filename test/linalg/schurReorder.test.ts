// The reordering of a deflation window in the kernels (asm/schurReorder.ts: swapBlocks, moveBlockUp and aedReorder,
// the 4x4 arithmetic of LAPACK's dlaexc and the deflation checks of dlaqr3): every result is an orthogonal similarity
// of the input (vt^T T vt reproduces it to 1e-13 relative, vt orthogonal) that keeps T quasi-triangular with
// standardised 2x2 blocks and puts the eigenvalues where the swaps say; the window's deflation checks hold for the
// rows they deflate, keep the spectrum, and agree with the JavaScript loop (src/linalg/schur.ts) on the same input.
import { describe, expect, it } from "vitest";
import { matrix } from "../../src/linalg/matrix.js";
import { AED_REORDER_WORK, realSchur, reorderWindowJs } from "../../src/linalg/schur.js";
import { addr, scratch, wasm, withWorkspace } from "../../src/linalg/wasm/runtime.js";
import { normalRng } from "../helpers/random.js";

const EPS = 2 ** -52;
const SAFE_MIN = 2 ** -1022;

type Eig = [number, number];

/** Random m x m upper quasi-triangular matrix with standardised 2x2 blocks of the given sizes along its diagonal. */
function quasiTriangular(sizes: number[], seed: number): { m: number; t: Float64Array } {
  const r = normalRng(seed);
  const m = sizes.reduce((a, b) => a + b, 0);
  const t = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) t[i * m + j] = r.normal();
  let i = 0;
  for (const size of sizes) {
    if (size === 1) t[i * m + i] = 2 * r.normal();
    else {
      const a = r.normal();
      t[i * m + i] = a;
      t[(i + 1) * m + i + 1] = a;
      t[i * m + i + 1] = 0.5 + Math.abs(r.normal());
      t[(i + 1) * m + i] = -(0.3 + Math.abs(r.normal()));
    }
    i += size;
  }
  return { m, t };
}

/** The diagonal blocks of a quasi-triangular t: [start, size, eigenvalues]. */
function blocks(m: number, t: Float64Array): { at: number; size: number; eig: Eig[] }[] {
  const out: { at: number; size: number; eig: Eig[] }[] = [];
  for (let j = 0; j < m;) {
    if (j + 1 < m && t[(j + 1) * m + j] !== 0) {
      const im = Math.sqrt(Math.abs(t[j * m + j + 1] * t[(j + 1) * m + j]));
      out.push({
        at: j,
        size: 2,
        eig: [
          [t[j * m + j], im],
          [t[j * m + j], -im],
        ],
      });
      j += 2;
    } else {
      out.push({ at: j, size: 1, eig: [[t[j * m + j], 0]] });
      j++;
    }
  }
  return out;
}

function frob(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s);
}

/** ||vt^T t vt - t0||_F / ||t0||_F (t0 = vt0^T t_0 vt0 given as is). */
function similarityError(m: number, t0: Float64Array, t: Float64Array, vt: Float64Array): number {
  const w = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += t[i * m + k] * vt[k * m + j];
      w[i * m + j] = s; // T Vt
    }
  const d = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += vt[k * m + i] * w[k * m + j];
      d[i * m + j] = s - t0[i * m + j];
    }
  return frob(d) / frob(t0);
}

/** max |vt vt^T - I|. */
function orthogonalityError(m: number, vt: Float64Array): number {
  let e = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += vt[i * m + k] * vt[j * m + k];
      e = Math.max(e, Math.abs(s - (i === j ? 1 : 0)));
    }
  return e;
}

/** Quasi-triangular with standardised 2x2 blocks (equal diagonal, off-diagonal entries of opposite signs). */
function expectStandardQuasiTriangular(m: number, t: Float64Array): void {
  let below = 0;
  for (let i = 2; i < m; i++) for (let j = 0; j < i - 1; j++) below = Math.max(below, Math.abs(t[i * m + j]));
  expect(below).toBe(0);
  for (let j = 0; j + 1 < m; j++) {
    if (t[(j + 1) * m + j] === 0) continue;
    if (j + 2 < m) expect(t[(j + 2) * m + j + 1]).toBe(0);
    expect(t[j * m + j]).toBe(t[(j + 1) * m + j + 1]);
    expect(t[j * m + j + 1] * t[(j + 1) * m + j]).toBeLessThan(0);
  }
}

function expectSameEigenvalues(got: Eig[], want: Eig[], tol: number): void {
  expect(got.length).toBe(want.length);
  const left = got.slice();
  for (const [wr, wi] of want) {
    let best = -1,
      bd = Infinity;
    left.forEach(([x, y], k) => {
      const d = Math.hypot(x - wr, y - wi);
      if (d < bd) {
        bd = d;
        best = k;
      }
    });
    expect(bd).toBeLessThan(tol);
    left.splice(best, 1);
  }
}

const identity = (m: number): Float64Array => {
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  return v;
};

describe.skipIf(!wasm())("Schur reordering in the kernels", () => {
  it("reserves the work the kernels ask for (the window sizes in schur.ts are the kernels' own)", () => {
    const x = wasm()!.x;
    expect(x.aedReorderWork()).toBe(AED_REORDER_WORK);
    for (const n of [4, 13, 50]) expect(x.smallSchurWork(n)).toBe(6 * n + 8); // a window's sw: scratch(6 nw + 8)
  });

  it("swaps each pair of adjacent blocks (1x1 and 2x2, all four kinds) by an orthogonal similarity", () => {
    const sizes = [1, 2, 2, 1, 1, 2, 1, 2, 2];
    const { m, t: t0 } = quasiTriangular(sizes, 2101);
    const before = blocks(m, t0);
    const rt = wasm()!;
    for (let k = 0; k + 1 < before.length; k++) {
      const [first, second] = [before[k], before[k + 1]];
      const { t, vt, ok } = withWorkspace(2 * m * m + 96, () => {
        const t = scratch(m * m),
          vt = scratch(m * m),
          work = scratch(96);
        t.set(t0);
        vt.set(identity(m));
        const ok = rt.x.swapBlocks(m, addr(t), addr(vt), first.at, first.size, second.size, addr(work));
        return { t: t.slice(), vt: vt.slice(), ok };
      });
      expect(ok).toBe(1);
      expect(orthogonalityError(m, vt)).toBeLessThan(1e-14);
      expect(similarityError(m, t0, t, vt)).toBeLessThan(1e-13);
      expectStandardQuasiTriangular(m, t);
      const after = blocks(m, t);
      expect(after.length).toBe(before.length);
      // the two blocks changed places; every other block is where it was
      const tol = 1e-12;
      expect(after[k].size).toBe(second.size);
      expectSameEigenvalues(after[k].eig, second.eig, tol);
      expect(after[k + 1].size).toBe(first.size);
      expectSameEigenvalues(after[k + 1].eig, first.eig, tol);
      for (let q = 0; q < before.length; q++) {
        if (q === k || q === k + 1) continue;
        expectSameEigenvalues(after[q].eig, before[q].eig, tol);
      }
    }
  });

  it("moves the last block to the top past every other one", () => {
    for (const [sizes, seed] of [
      [[2, 1, 2, 1, 1, 2, 2], 2102],
      [[1, 1, 2, 1, 2, 2, 1], 2103],
    ] as [number[], number][]) {
      const { m, t: t0 } = quasiTriangular(sizes, seed);
      const before = blocks(m, t0);
      const last = before[before.length - 1];
      const rt = wasm()!;
      const { t, vt, ok } = withWorkspace(2 * m * m + 96, () => {
        const t = scratch(m * m),
          vt = scratch(m * m),
          work = scratch(96);
        t.set(t0);
        vt.set(identity(m));
        const ok = rt.x.moveBlockUp(m, addr(t), addr(vt), last.at, 0, addr(work));
        return { t: t.slice(), vt: vt.slice(), ok };
      });
      expect(ok).toBe(1);
      expect(orthogonalityError(m, vt)).toBeLessThan(1e-14);
      expect(similarityError(m, t0, t, vt)).toBeLessThan(1e-13);
      expectStandardQuasiTriangular(m, t);
      const after = blocks(m, t);
      expectSameEigenvalues(after[0].eig, last.eig, 1e-12);
      for (let q = 0; q + 1 < before.length; q++) expectSameEigenvalues(after[q + 1].eig, before[q].eig, 1e-12);
    }
  });

  it("deflation checks of a window: criterion met where it deflates, spectrum kept, as the JavaScript loop", () => {
    // The Schur form of a random 40 x 40 matrix as the window, its Schur vectors as vt, and spikes from 1e-16 (all
    // deflate) to 1 (none does: every block is moved to the top).
    const nw = 40;
    const r = normalRng(2104);
    const a = matrix(
      nw,
      nw,
      Float64Array.from({ length: nw * nw }, () => r.normal()),
    );
    const { T, Z } = realSchur(a);
    const s0 = T.data;
    const vt0 = new Float64Array(nw * nw);
    for (let i = 0; i < nw; i++) for (let j = 0; j < nw; j++) vt0[i * nw + j] = Z.data[j * nw + i];
    const spectrum = blocks(nw, s0).flatMap((b) => b.eig);
    const smlnum = SAFE_MIN * (400 / EPS);
    const rt = wasm()!;
    let partial = 0;
    for (const spike of [1e-16, 1e-15, 3e-15, 1e-14, 3e-14, 1e-13, 1]) {
      const { s, vt, ns } = withWorkspace(2 * nw * nw + 96, () => {
        const s = scratch(nw * nw),
          vt = scratch(nw * nw),
          work = scratch(96);
        s.set(s0);
        vt.set(vt0);
        const ns = rt.x.aedReorder(nw, addr(s), addr(vt), spike, smlnum, addr(work));
        return { s: s.slice(), vt: vt.slice(), ns };
      });
      // vt^T S vt is unchanged (both were transformed by the same orthogonal similarity)
      const whole = new Float64Array(nw * nw);
      {
        const w = new Float64Array(nw * nw);
        for (let i = 0; i < nw; i++)
          for (let j = 0; j < nw; j++) {
            let acc = 0;
            for (let k = 0; k < nw; k++) acc += s0[i * nw + k] * vt0[k * nw + j];
            w[i * nw + j] = acc;
          }
        for (let i = 0; i < nw; i++)
          for (let j = 0; j < nw; j++) {
            let acc = 0;
            for (let k = 0; k < nw; k++) acc += vt0[k * nw + i] * w[k * nw + j];
            whole[i * nw + j] = acc;
          }
      }
      expect(similarityError(nw, whole, s, vt)).toBeLessThan(1e-13);
      expect(orthogonalityError(nw, vt)).toBeLessThan(1e-13);
      expectStandardQuasiTriangular(nw, s);
      expectSameEigenvalues(
        blocks(nw, s).flatMap((b) => b.eig),
        spectrum,
        1e-12,
      );
      // every deflated block passes dlaqr3's test: its spike entries below eps times its size
      for (const b of blocks(nw, s)) {
        if (b.at < ns) continue;
        expect(b.at + b.size).toBeLessThanOrEqual(nw);
        let foo = Math.abs(s[(b.at + b.size - 1) * nw + b.at + b.size - 1]);
        if (b.size === 2)
          foo += Math.sqrt(Math.abs(s[(b.at + 1) * nw + b.at])) * Math.sqrt(Math.abs(s[b.at * nw + b.at + 1]));
        for (let q = 0; q < b.size; q++)
          expect(Math.abs(spike * vt[(b.at + q) * nw])).toBeLessThanOrEqual(Math.max(smlnum, EPS * foo));
      }
      if (spike === 1e-16) expect(ns).toBe(0);
      if (spike === 1) expect(ns).toBe(nw);
      if (ns > 0 && ns < nw) partial++;
      // the JavaScript loop on ordinary arrays: the same decisions, the same numbers to rounding
      const sJs = s0.slice(),
        vtJs = vt0.slice();
      const nsJs = reorderWindowJs(nw, sJs, vtJs, spike, smlnum);
      expect(nsJs).toBe(ns);
      let ds = 0,
        dv = 0;
      for (let q = 0; q < nw * nw; q++) {
        ds = Math.max(ds, Math.abs(sJs[q] - s[q]));
        dv = Math.max(dv, Math.abs(vtJs[q] - vt[q]));
      }
      expect(ds).toBeLessThan(1e-12 * frob(s0));
      expect(dv).toBeLessThan(1e-12);
    }
    expect(partial).toBeGreaterThan(0);
  });
});
