// Start estimates of the strip path's poles from the pencil projected on a window of overlapping modes
// (src/exact/windowPoles.ts): roots of the projected quadratic pencil, each matched to its mode.
import { describe, expect, it } from "vitest";
import { pencilPoles, projectedPoles } from "../../src/exact/windowPoles.js";

/** det(Omega^2 - z^2 I - i z Gamma_p) of a 2 x 2 window, Gamma_p = sum_b gamma_b u_b u_b^T. */
function det2(w: number[], g: number[][], zr: number, zi: number): [number, number] {
  const z2r = zr * zr - zi * zi;
  const z2i = 2 * zr * zi;
  // entry (k, l): delta_kl (w_k^2 - z^2) - i z g_kl; -i z = zi - i zr
  const e = (k: number, l: number): [number, number] => [
    (k === l ? w[k] * w[k] - z2r : 0) + zi * g[k][l],
    (k === l ? -z2i : 0) - zr * g[k][l],
  ];
  const [ar, ai] = e(0, 0);
  const [br, bi] = e(0, 1);
  const [cr, ci] = e(1, 0);
  const [dr, di] = e(1, 1);
  return [ar * dr - ai * di - (br * cr - bi * ci), ar * di + ai * dr - (br * ci + bi * cr)];
}

describe("projected start estimates of overlapping poles", () => {
  it("are the roots of the projected pencil: a broad and a narrow combination of two nearly degenerate modes", () => {
    // Two modes 1e-3 apart, both met by two baths with nearly parallel couplings (first-order half-widths ~0.05,
    // fifty times their spacing): the damping goes to one combination, the other stays nearly undamped.
    const omega = Float64Array.from([1, 1.001]);
    const gamma = Float64Array.from([1, 0.5]);
    const bathAmp = Float64Array.from([0.3, 0.2, 0.2, 0.1334]);
    const g = [
      [0, 0],
      [0, 0],
    ];
    for (let k = 0; k < 2; k++)
      for (let l = 0; l < 2; l++)
        for (let b = 0; b < 2; b++) g[k][l] += gamma[b] * bathAmp[k * 2 + b] * bathAmp[l * 2 + b];
    const halfWidth = Float64Array.from([g[0][0] / 2, g[1][1] / 2]);
    const est = projectedPoles(omega, halfWidth, bathAmp, gamma);
    expect(est.projected).toBe(2);
    const scale = Math.hypot(...det2([1, 1.001], g, 1, 0));
    for (let k = 0; k < 2; k++) {
      expect(est.im[k]).toBeLessThan(0);
      const [dr, di] = det2([1, 1.001], g, est.re[k], est.im[k]);
      expect(Math.hypot(dr, di), `root ${k}`).toBeLessThan(1e-12 * scale);
    }
    // One broad root (nearly the summed widths) and one narrow (far below either first-order width), the narrow one
    // on the mode with the smaller coupling; the first order would have given both ~0.05.
    const widths = [-est.im[0], -est.im[1]];
    expect(Math.max(...widths)).toBeGreaterThan(0.8 * (halfWidth[0] + halfWidth[1]));
    expect(Math.min(...widths)).toBeLessThan(0.05 * Math.min(halfWidth[0], halfWidth[1]));
    expect(-est.im[1]).toBeLessThan(-est.im[0]);
  });

  it("keeps the isolated-mode roots for isolated modes and where the amplitudes are unknown", () => {
    const omega = Float64Array.from([1, 2, 3]);
    const halfWidth = Float64Array.from([1e-3, 2e-3, 1e-3]);
    const gamma = Float64Array.from([1]);
    for (const amp of [Float64Array.from([0.04, 0.06, 0.04]), undefined, Float64Array.from([NaN, NaN, NaN])]) {
      const est = projectedPoles(omega, halfWidth, amp, gamma);
      expect(est.projected).toBe(0);
      for (let k = 0; k < 3; k++) {
        expect(est.im[k]).toBe(-halfWidth[k]);
        expect(est.re[k]).toBeCloseTo(Math.sqrt(omega[k] ** 2 - halfWidth[k] ** 2), 14);
      }
    }
  });
});

describe("pencilPoles: the poles of (V - z^2 M - i z Gamma)^-1 polished on the pencil", () => {
  it("a chain with a light site at friction/mass 7.9e6: poles within 1e-4 of their half-widths of a 50-digit solve", () => {
    // A 6-site chain drawn by scripts/fuzz-exact-methods.js (seed 4, case 179). The first-order widths are far off
    // here (modes at 0.0247 and 4.6 given half-widths 12.7 and 57); the references: inverse iteration with the same
    // Newton steps in 50-digit mpmath on the pencil itself.
    const pin = [21.07513258047548, 0, 0.1577324932025437, 0, 0, 0];
    const springs: [number, number, number][] = [
      [1, 0, 0.08819991599631175],
      [2, 1, 454.89439372896186],
      [3, 2, 0.010174214843221842],
      [4, 3, 0.001179491378698393],
      [5, 4, 9.069966252414803],
    ];
    const n = 6;
    const V = new Float64Array(n * n);
    for (let i = 0; i < n; i++) V[i * n + i] = pin[i];
    for (const [i, j, k] of springs) {
      V[i * n + i] += k;
      V[j * n + j] += k;
      V[i * n + j] -= k;
      V[j * n + i] -= k;
    }
    const mass = Float64Array.from([1, 400.32895242207894, 1, 1, 0.03436851625792596, 0.0010837814371393202]);
    const gamma = Float64Array.from([
      113.37336553858944, 0.0005118066815693352, 0, 89.48112698796001, 0, 8587.62368665964,
    ]);
    const p = pencilPoles(n, V, mass, gamma)!;
    expect(p.re.length).toBe(9); // 3 underdamped, 6 overdamped
    const refs: [number, number][] = [
      [21.358796414735256, -2.7886509392826073e-9],
      [16.24615829434192, -0.0005280157523964989],
      [0.02524070489374512, -5.307688544608873e-6],
      [0, -1.2252273109813165e-7],
    ];
    for (const [zr, zi] of refs) {
      let best = Infinity;
      for (let k = 0; k < p.re.length; k++) best = Math.min(best, Math.hypot(p.re[k] - zr, p.im[k] - zi));
      // Within 1e-4 of the half-width (the linearisation's eigenvalue alone is 1.9e-4 of it off at 21.36, 2.79e-9 wide).
      expect(best, `${zr} ${zi}`).toBeLessThanOrEqual(1e-4 * -zi);
    }
  });
});
