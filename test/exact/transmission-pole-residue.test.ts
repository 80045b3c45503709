// The chain pole path's residues (ChainPoles and mirrorValue in src/exact/transmission.ts). The residue of
// f(w) = w^2 |G_0n(w)|^2 at a narrow pole z takes G_0n(-z), evaluated 2 |Im z| from the mirror pole; rounding that
// moves the mirror pole (as the sweep at -z sees it) turns the residue, and its real part (the dispersive tail of
// the subtracted term) was wrong by |R| delta / (2 |Im z|) at the lowest modes of long chains. The check is
// independent of the pole search: the integrand from the scalar sweep at real frequencies against the sum of every
// subtracted term, 100 half-widths from each narrow low pole whose eigenvalue rounding may move it by 1e-4 to 1e-2
// of its width, where its term is still most of the integrand and a turned residue shows as 100 times the turn
// (8.2e-4 of the term on this chain before re-centring G_0n(-z) on Newton's pole, 3e-7 after).
import { describe, expect, it } from "vitest";
import { chainPolesTesting, solveNetworkTransmission } from "../../src/exact/transmission.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { chainModel } from "../../src/studies/harmonic-conduction/study.js";

describe("chain poles: residues consistent with the integrand next to narrow low peaks", () => {
  it("leaves at most 1e-5 of a narrow low pole's term 100 half-widths from it (a 10^4-site chain; 8.2e-4 before)", () => {
    const model = chainModel(10000, CONDUCTION, "fixed", 0);
    // The eigenvalue's rounding (pencilRounding): eps max_i V_ii / m_i.
    const dl = (2 ** -53 * 2) / Math.min(...model.mass);
    let worst = 0;
    let checked = 0;
    try {
      chainPolesTesting.subtracted = (re, im, count, _logDer, res) => {
        // sum over the subtracted poles of 2 Re[2 z R / (w^2 - z^2)] (as ChainPoles.sum).
        const sum = (w: number, from = 0, to = count) => {
          let s = 0;
          for (let c = from; c < to; c++) {
            const zr = re[c];
            const zi = im[c];
            const dRe = w * w - (zr * zr - zi * zi);
            const dIm = -2 * zr * zi;
            const nRe = 2 * (zr * res.re[c] - zi * res.im[c]);
            const nIm = 2 * (zr * res.im[c] + zi * res.re[c]);
            s += (nRe * dRe + nIm * dIm) / (dRe * dRe + dIm * dIm);
          }
          return 2 * s;
        };
        const order = Array.from({ length: count }, (_, c) => c).sort((a, b) => re[a] - re[b]);
        for (let i = 0; i < count; i++) {
          const c = order[i];
          const h = -im[c];
          const gap = Math.min(
            i > 0 ? re[c] - re[order[i - 1]] : re[c],
            i + 1 < count ? re[order[i + 1]] - re[c] : Infinity,
          );
          // Narrow, isolated poles whose eigenvalue's rounding dl may move them by 1e-4 to 1e-2 of their width
          // (dl / (2 |z|) against 2 |Im z|): the low modes. (Further up, the peak's position itself is uncertain
          // by much of its width.)
          const share = dl / (4 * re[c] * h);
          if (!(h < 1e-4 * gap) || share < 1e-4 || share > 1e-2 || re[c] > 0.05) continue;
          for (const side of [-1, 1]) {
            const w = re[c] + side * 100 * h;
            const [gr, gi] = res.g0n(w);
            const f = w * w * (gr * gr + gi * gi);
            // Against the pole's own term there (its peak, 10^4 below its height), where that is most of f.
            const own = Math.abs(sum(w, c, c + 1));
            if (own < 0.5 * f) continue;
            worst = Math.max(worst, Math.abs(f - sum(w)) / own);
          }
          checked++;
        }
      };
      solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance: 1e-8 });
    } finally {
      chainPolesTesting.subtracted = undefined;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});
