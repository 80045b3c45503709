// The strip path's residues (src/exact/stripFluxes.ts): R = z^2 gamma_a sum_c gamma_c Res G_ac(z) G_ac(-z) takes G at
// the mirror point -z, 2 |Im z| from the mirror pole, as the chain's do (test/exact/transmission-pole-residue.test.ts):
// rounding that moves that pole by delta as the sweep at -z sees it turns R by delta / (2 |Im z|), and the subtracted
// term then carries a wrong dispersive tail 2 Re(R) / (w - Re z) that the remainder's quadrature samples. On strips
// the poles narrow enough for that (|Im z| ~ 1e-11-1e-13, localised modes) carry residues of 1e-12 or less, so the
// turned parts are far below the reported errors; this checks that, independently of the pole search: the tail of
// the remainder F - sum S (F by the sweep at real w) on both sides of each narrow isolated pole, fitted as
// e / (w - Re z) + smooth from 100 and 1000 half-widths, gives the turn |e| / (2 |R|); it must stay within the
// rounding share the pole's reported error already counts, and the turned contents summed must be far below every
// bath's error. (Measured on 4 x 100, 4 x 400 strips, gamma 0.01-1: turns up to 1.8e-4, equal to 2-3 digits to those
// of the mirror pole that (ln det Q)' at -z puts there, on residues of 1e-12 or less; turned contents 1e-16-2e-15 in
// sum, against reported errors of 7e-14-3e-10; the fluxes within 0.15 of their errors of runs at tolerance 1e-11.)
import { describe, expect, it } from "vitest";
import { stripFluxesTesting } from "../../src/exact/stripFluxes.js";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { stripModel } from "../../src/studies/harmonic-conduction/study.js";

const EPS = 2 ** -53;

describe("strip poles: residues consistent with the integrand next to narrow peaks", () => {
  it("turns each narrow pole's residue by less than its rounding share, far below the errors (4 x 100, gamma 0.01)", () => {
    const model = stripModel(4, 100, { ...CONDUCTION, gamma: 0.01 });
    // The eigenvalue's rounding (pencilRounding): eps max_i V_ii / m_i (pinning 0.01 plus four unit springs).
    const dl = (EPS * 4.01) / Math.min(...model.mass);
    let checked = 0;
    let worst = 0;
    let turned: Float64Array | undefined;
    try {
      stripFluxesTesting.subtracted = ({ zRe, zIm, res, K, terms, accepted, components }) => {
        turned = new Float64Array(K);
        const M = zRe.length / 2;
        const f = new Float64Array(K);
        /** F - sum S at real w, every component. */
        const remainder = (w: number) => {
          components(w, f);
          const r = Float64Array.from(f);
          for (const k of terms) {
            const zr = zRe[k];
            const zi = zIm[k];
            // 1/(w - z) - 1/(w + z)
            let dr = w - zr;
            let m = dr * dr + zi * zi;
            let ar = dr / m;
            let ai = zi / m;
            dr = w + zr;
            m = dr * dr + zi * zi;
            ar -= dr / m;
            ai += zi / m;
            for (let q = 0; q < K; q++) r[q] -= 2 * (res[2 * k * K + 2 * q] * ar - res[2 * k * K + 2 * q + 1] * ai);
          }
          return r;
        };
        const byRe = Array.from(terms).sort((a, b) => zRe[a] - zRe[b]);
        for (let i = 0; i < byRe.length; i++) {
          const k = byRe[i];
          if (!(k < M && accepted[k])) continue;
          const h = -zIm[k];
          const x = zRe[k];
          const gap = Math.min(i > 0 ? x - zRe[byRe[i - 1]] : x, i + 1 < byRe.length ? zRe[byRe[i + 1]] - x : Infinity);
          const z = Math.hypot(x, h);
          // How far rounding may move the pole, over 2 |Im z| (the share the chain path's re-centring starts at 1e-4).
          const share = (4 * EPS * z + dl / (2 * z)) / (2 * h);
          // Narrow and isolated (the neighbours' smooth part is then far below the tail at 1000 half-widths), and
          // narrow enough for rounding to turn R by 1e-5 or more.
          if (!(h < 1e-6 * gap) || share < 1e-5) continue;
          const d1 = 100 * h;
          const d2 = 1000 * h;
          const [p1, m1, p2, m2] = [x + d1, x - d1, x + d2, x - d2].map(remainder);
          let q0 = 0;
          for (let q = 1; q < K; q++)
            if (
              Math.hypot(res[2 * k * K + 2 * q], res[2 * k * K + 2 * q + 1]) >
              Math.hypot(res[2 * k * K + 2 * q0], res[2 * k * K + 2 * q0 + 1])
            )
              q0 = q;
          let turn = 0;
          for (let q = 0; q < K; q++) {
            const R = Math.hypot(res[2 * k * K + 2 * q], res[2 * k * K + 2 * q + 1]);
            if (!(R > 0)) continue;
            // Odd part A(d) = e / d + b d: e from the two distances.
            const a1 = (p1[q] - m1[q]) / 2;
            const a2 = (p2[q] - m2[q]) / 2;
            const e = (a1 * d1 * d2 * d2 - a2 * d2 * d1 * d1) / (d2 * d2 - d1 * d1);
            const t = Math.abs(e) / (2 * R);
            if (q === q0) turn = t;
            turned[q] += 2 * Math.PI * R * t;
          }
          worst = Math.max(worst, turn / share);
          checked++;
        }
      };
      const tr = solveNetworkTransmission(model, {
        bySource: false,
        temperatures: false,
        springs: false,
        tolerance: 1e-8,
      });
      expect(checked).toBeGreaterThanOrEqual(2);
      // Each turn within the rounding share (0.23 of it at most here; 19 with the mirror point moved by 1e-14 of |z|).
      expect(worst).toBeLessThanOrEqual(1);
      // The turned contents, summed over every end position (each bath's flux is one of them), against the smallest
      // reported bath error (9.4e-17 against 6.9e-14 here).
      const total = turned!.reduce((a, b) => a + b, 0);
      const smallest = Math.min(...tr.baths.map((b) => b.error));
      expect(total).toBeLessThanOrEqual(1e-2 * smallest);
    } finally {
      stripFluxesTesting.subtracted = undefined;
    }
  });
});
