import { describe, expect, it } from "vitest";
import { besselI, besselIScaled, besselIScaledSequence, besselISeries } from "../../../src/special/bessel.js";
import { couplingVarianceRatio } from "../../../src/studies/particle-bath-chain/index.js";
import { ModelError } from "../../../src/errors.js";

/** e^-x I_n(x) by the trapezoid rule on I_n(x) = (1/2 pi) int_0^2pi e^(x cos t) cos(n t) dt (periodic: exponentially accurate). */
function scaledByQuadrature(n: number, x: number, nodes = 512): number {
  let s = 0;
  for (let j = 0; j < nodes; j++) {
    const t = (2 * Math.PI * j) / nodes;
    s += Math.exp(x * (Math.cos(t) - 1)) * Math.cos(n * t);
  }
  return s / nodes;
}

const XS = [0.01, 0.1, 0.5, 1, 2, 3.7, 5, 10, 20, 35, 50];

describe("modified Bessel functions I_n", () => {
  it("match the quadrature of their integral definition for n <= 50, x <= 50", () => {
    let worstAbs = 0;
    let worstRel = 0;
    for (const x of XS) {
      const seq = besselIScaledSequence(50, x);
      for (let n = 0; n <= 50; n++) {
        const q = scaledByQuadrature(n, x);
        worstAbs = Math.max(worstAbs, Math.abs(seq[n] - q));
        if (seq[n] > 1e-2) worstRel = Math.max(worstRel, Math.abs(seq[n] / q - 1));
      }
    }
    // Absolute in units of e^x (the quadrature's own rounding level), relative where I_n is not tiny against e^x.
    expect(worstAbs).toBeLessThan(5e-15);
    expect(worstRel).toBeLessThan(1e-12);
  });

  it("match the power series (positive terms) to a few ulps, including tiny values", () => {
    let worst = 0;
    for (const x of XS)
      for (let n = 0; n <= 50; n++) worst = Math.max(worst, Math.abs(besselI(n, x) / besselISeries(n, x) - 1));
    expect(worst).toBeLessThan(1e-13);
  });

  it("reproduce tabulated values", () => {
    expect(besselI(0, 1)).toBeCloseTo(1.2660658777520082, 14);
    expect(besselI(1, 1)).toBeCloseTo(0.5651591039924851, 14);
    expect(besselI(0, 10) / 2815.716628466254 - 1).toBeLessThan(1e-14);
    expect(besselI(0, 0)).toBe(1);
    expect(besselI(3, 0)).toBe(0);
  });

  it("follow the large-x asymptotics without overflow and the symmetries", () => {
    for (const x of [500, 5000, 1e5]) {
      const asym = (1 + 1 / (8 * x) + 9 / (128 * x * x) + 225 / (3072 * x ** 3)) / Math.sqrt(2 * Math.PI * x);
      expect(Math.abs(besselIScaled(0, x) / asym - 1)).toBeLessThan(1e-10);
    }
    expect(besselI(3, -2)).toBeCloseTo(-besselI(3, 2), 14);
    expect(besselI(4, -2)).toBeCloseTo(besselI(4, 2), 14);
    expect(besselI(-2, 1.5)).toBe(besselI(2, 1.5));
    expect(() => besselIScaledSequence(-1, 1)).toThrow(ModelError);
  });

  it("satisfy Neumann's addition theorem I0(2 rho) = I0(rho)^2 + 2 sum I_n(rho)^2 (the variance of the coupling)", () => {
    for (const rho of [0.01, 0.5, 2, 7, 30]) {
      const direct = besselIScaled(0, 2 * rho) / besselIScaled(0, rho) ** 2 - 1;
      expect(Math.abs(couplingVarianceRatio(rho) / direct - 1)).toBeLessThan(rho < 0.1 ? 1e-9 : 1e-13);
    }
  });
});
