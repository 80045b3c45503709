// The strip's block sweep in WebAssembly SIMD (src/linalg/stripSweep.ts, asm/strip/sweep.ts) against the JavaScript
// sweep of StripGreen: the same arithmetic element for element, so the end block, d ln det Q/dz and the residue at a
// pole agree to the bit.
import { afterEach, describe, expect, it } from "vitest";
import { symmetricPattern } from "../../src/linalg/sparse.js";
import { SlicedPencil } from "../../src/linalg/slices.js";
import { StripGreen } from "../../src/linalg/stripGreen.js";
import { setLinalgBackend } from "../../src/linalg/wasm/runtime.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { stripModel } from "../../src/studies/harmonic-conduction/study.js";
import { expectSameArray } from "../helpers/arrays.js";

/** A W x L strip's pencil sliced by columns, and the friction of every site. */
function strip(W: number, L: number) {
  const model = stripModel(W, L, { ...CONDUCTION, disorder: 0.6 });
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
  const gamma = new Float64Array(n);
  for (const b of model.baths) gamma[b.site] = b.friction;
  const level = Int32Array.from({ length: n }, (_, i) => Math.floor(i / W));
  return { sliced: new SlicedPencil(level, vDiag, p.ptr, p.idx, off, Float64Array.from(model.mass)), gamma };
}

afterEach(() => setLinalgBackend("wasm"));

describe("the strip's block sweep in WebAssembly", () => {
  for (const [W, L] of [
    [3, 7],
    [4, 12],
    [10, 20],
  ]) {
    it(`${W} x ${L}: the end block, d ln det Q/dz and the residue as the JavaScript sweep's, to the bit`, () => {
      const { sliced, gamma } = strip(W, L);
      setLinalgBackend("wasm");
      const fast = new StripGreen(sliced, gamma);
      setLinalgBackend("js");
      const slow = new StripGreen(sliced, gamma);
      expect(fast.wasm).toBe(true);
      expect(slow.wasm).toBe(false);
      // A pole to rounding (Newton on ln det Q from the lowest mode region), for the residue.
      let zr = 0.3;
      let zi = -0.01;
      for (let it = 0; it < 40; it++) {
        slow.evaluate(zr, zi, true, false, false);
        const d2 = slow.dRe ** 2 + slow.dIm ** 2;
        const sr = -slow.dRe / d2;
        const si = slow.dIm / d2;
        zr += sr;
        zi += si;
        if (Math.hypot(sr, si) < 1e-14) break;
      }
      const points: [number, number, boolean, boolean, boolean][] = [
        [0.7, 0, false, false, true],
        [1.3, -0.02, true, false, true],
        [0.45, -0.3, true, false, false],
        [2.1, 0.05, false, false, true],
        [zr, zi, true, true, true],
      ];
      for (const [r, i, derivative, residue, ends] of points) {
        fast.evaluate(r, i, derivative, residue, ends);
        slow.evaluate(r, i, derivative, residue, ends);
        if (ends || residue) {
          expectSameArray(fast.eRe, slow.eRe);
          expectSameArray(fast.eIm, slow.eIm);
          expect(fast.eRe.some((v) => v !== 0)).toBe(true);
        }
        if (derivative || residue) {
          expect(fast.dRe).toBe(slow.dRe);
          expect(fast.dIm).toBe(slow.dIm);
        }
        if (residue) {
          expectSameArray(fast.rRe, slow.rRe);
          expectSameArray(fast.rIm, slow.rIm);
          expect(fast.residueCheck).toBe(slow.residueCheck);
        }
      }
    });
  }
});
