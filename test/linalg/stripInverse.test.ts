// The inverse of a strip's complex symmetric Schur complements (src/linalg/stripGreen.ts invertComplexSymmetric:
// P S P^T = U^T D U with symmetric interchanges of diagonal pivots where needed, then the inverse from the last row up) against Gauss-Jordan elimination with row
// interchanges (invertComplex) and against S g = I; its pivot rule hands matrices it cannot take to that elimination.
// And the symmetric product g' = -g S' g by its upper triangle (cmatmulSymmetricNeg) against the full product.
import { describe, expect, it } from "vitest";
import {
  cmatmul,
  cmatmulSymmetricNeg,
  invertComplex,
  invertComplexSymmetric,
  SYM_PIVOT,
} from "../../src/linalg/stripGreen.js";

/** A complex symmetric w x w matrix, entries uniform in [-0.5, 0.5] (seeded), `shift` added to the diagonal. */
function symmetric(w: number, seed: number, shift: number) {
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  const re = new Float64Array(w * w);
  const im = new Float64Array(w * w);
  for (let i = 0; i < w; i++)
    for (let j = 0; j <= i; j++) {
      re[i * w + j] = re[j * w + i] = rnd();
      im[i * w + j] = im[j * w + i] = rnd();
    }
  for (let i = 0; i < w; i++) re[i * w + i] += shift;
  return { re, im };
}

/** max |S g - I| over max |g| (S, g complex w x w). */
function residual(s: { re: Float64Array; im: Float64Array }, gRe: Float64Array, gIm: Float64Array, w: number) {
  const pRe = new Float64Array(w * w);
  const pIm = new Float64Array(w * w);
  cmatmul(s.re, s.im, gRe, gIm, pRe, pIm, w, w, w);
  let r = 0;
  let g = 0;
  for (let i = 0; i < w * w; i++) {
    r = Math.max(r, Math.hypot(pRe[i] - (i % (w + 1) === 0 ? 1 : 0), pIm[i]));
    g = Math.max(g, Math.hypot(gRe[i], gIm[i]));
  }
  return r / g;
}

describe("the complex symmetric inverse of the strip's sweep", () => {
  it("agrees with Gauss-Jordan elimination and inverts S, symmetric to the bit", () => {
    for (const w of [1, 2, 3, 7, 10, 16]) {
      for (const shift of [3, 0.9]) {
        const s = symmetric(w, 11 + w, shift);
        const gRe = new Float64Array(w * w);
        const gIm = new Float64Array(w * w);
        const t = [new Float64Array(w), new Float64Array(w)];
        if (!invertComplexSymmetric(s.re, s.im, w, gRe, gIm, t[0], t[1], new Int32Array(w))) continue;
        const hRe = s.re.slice();
        const hIm = s.im.slice();
        invertComplex(hRe, hIm, w, new Int32Array(w));
        let d = 0;
        let m = 0;
        for (let i = 0; i < w * w; i++) {
          d = Math.max(d, Math.hypot(gRe[i] - hRe[i], gIm[i] - hIm[i]));
          m = Math.max(m, Math.hypot(hRe[i], hIm[i]));
        }
        expect(d / m).toBeLessThan(1e-13);
        expect(residual(s, gRe, gIm, w)).toBeLessThan(1e-13);
        for (let i = 0; i < w; i++)
          for (let j = 0; j < i; j++) {
            expect(gRe[i * w + j]).toBe(gRe[j * w + i]);
            expect(gIm[i * w + j]).toBe(gIm[j * w + i]);
          }
      }
    }
    // The diagonally dominant ones all take the symmetric path.
    const s = symmetric(10, 5, 3);
    const g = [new Float64Array(100), new Float64Array(100), new Float64Array(10), new Float64Array(10)];
    expect(invertComplexSymmetric(s.re, s.im, 10, g[0], g[1], g[2], g[3], new Int32Array(10))).toBe(true);
  });

  it("refuses a pivot below SYM_PIVOT of its column, and a vanishing one", () => {
    const t = [new Float64Array(2), new Float64Array(2)];
    const g = [new Float64Array(4), new Float64Array(4)];
    // [[0.9 SYM_PIVOT, 1], [1, 0]]: the first pivot is below SYM_PIVOT of its column, and no other diagonal entry is
    // larger (Gauss-Jordan interchanges the rows).
    const re = Float64Array.from([0.9 * SYM_PIVOT, 1, 1, 0]);
    expect(invertComplexSymmetric(re, new Float64Array(4), 2, g[0], g[1], t[0], t[1], new Int32Array(2))).toBe(false);
    re[0] = 1.1 * SYM_PIVOT;
    expect(invertComplexSymmetric(re, new Float64Array(4), 2, g[0], g[1], t[0], t[1], new Int32Array(2))).toBe(true);
    expect(residual({ re, im: new Float64Array(4) }, g[0], g[1], 2)).toBeLessThan(1e-14);
    // Singular: the last pivot vanishes.
    const one = Float64Array.from([1, 1, 1, 1]);
    expect(invertComplexSymmetric(one, new Float64Array(4), 2, g[0], g[1], t[0], t[1], new Int32Array(2))).toBe(false);
  });

  it("interchanges a failing pivot with the largest diagonal entry, rows and columns, and undoes it in the inverse", () => {
    // A vanishing leading diagonal entry: without interchanges the first pivot fails the rule (the matrices went to
    // Gauss-Jordan elimination before); with them the symmetric path takes them and inverts S to rounding.
    let taken = 0;
    let interchanged = 0;
    for (const w of [3, 4, 7, 10]) {
      for (let seed = 1; seed <= 40; seed++) {
        const s = symmetric(w, 100 * w + seed, 0);
        // Nearly real and indefinite, as the strip's Schur complements near the real axis.
        for (let i = 0; i < w * w; i++) s.im[i] *= 1e-3;
        s.re[0] = 0;
        s.im[0] = 0;
        const gRe = new Float64Array(w * w);
        const gIm = new Float64Array(w * w);
        const perm = new Int32Array(w);
        const t = [new Float64Array(w), new Float64Array(w)];
        if (!invertComplexSymmetric(s.re, s.im, w, gRe, gIm, t[0], t[1], perm)) continue;
        taken++;
        if (perm.some((p, k) => p !== k)) interchanged++;
        expect(perm[0]).not.toBe(0);
        const hRe = s.re.slice();
        const hIm = s.im.slice();
        invertComplex(hRe, hIm, w, new Int32Array(w));
        let d = 0;
        let m = 0;
        for (let i = 0; i < w * w; i++) {
          d = Math.max(d, Math.hypot(gRe[i] - hRe[i], gIm[i] - hIm[i]));
          m = Math.max(m, Math.hypot(hRe[i], hIm[i]));
        }
        expect(d / m).toBeLessThan(1e-12);
        expect(residual(s, gRe, gIm, w)).toBeLessThan(1e-12);
        for (let i = 0; i < w; i++)
          for (let j = 0; j < i; j++) {
            expect(gRe[i * w + j]).toBe(gRe[j * w + i]);
            expect(gIm[i * w + j]).toBe(gIm[j * w + i]);
          }
      }
    }
    // Every one of these needed an interchange at the first pivot; most are taken.
    expect(interchanged).toBe(taken);
    expect(taken).toBeGreaterThan(80);
    // [[0.05, 1, 0], [1, 2, 0.5], [0, 0.5, 3]]: the 3 moves to the first pivot, the others are taken in place.
    const re = Float64Array.from([0.05, 1, 0, 1, 2, 0.5, 0, 0.5, 3]);
    const im = new Float64Array(9);
    const g = [new Float64Array(9), new Float64Array(9)];
    const perm = new Int32Array(3);
    expect(invertComplexSymmetric(re, im, 3, g[0], g[1], new Float64Array(3), new Float64Array(3), perm)).toBe(true);
    expect(Array.from(perm)).toEqual([2, 1, 2]);
    expect(residual({ re, im }, g[0], g[1], 3)).toBeLessThan(1e-14);
  });

  it("forms g' = -g S' g from its upper triangle: that triangle is the full product's to the bit", () => {
    const w = 10;
    const g = symmetric(w, 3, 2);
    const sp = symmetric(w, 4, 0);
    const uRe = new Float64Array(w * w);
    const uIm = new Float64Array(w * w);
    cmatmul(g.re, g.im, sp.re, sp.im, uRe, uIm, w, w, w);
    const fRe = new Float64Array(w * w);
    const fIm = new Float64Array(w * w);
    cmatmul(uRe, uIm, g.re, g.im, fRe, fIm, w, w, w);
    const hRe = new Float64Array(w * w);
    const hIm = new Float64Array(w * w);
    cmatmulSymmetricNeg(uRe, uIm, g.re, g.im, hRe, hIm, w);
    let scale = 0;
    for (let i = 0; i < w * w; i++) scale = Math.max(scale, Math.hypot(fRe[i], fIm[i]));
    for (let i = 0; i < w; i++)
      for (let j = 0; j < w; j++) {
        const k = i * w + j;
        if (j >= i) {
          expect(hRe[k]).toBe(-fRe[k]);
          expect(hIm[k]).toBe(-fIm[k]);
        } else {
          expect(Math.hypot(hRe[k] + fRe[k], hIm[k] + fIm[k])).toBeLessThan(1e-14 * scale);
        }
      }
  });
});
