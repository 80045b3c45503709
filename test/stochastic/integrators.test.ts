// The integrators of one system share their coefficients (integrators.ts sharedConstants: an ensemble builds one
// integrator per replica): a system changed in place must get coefficients of its new numbers, never stale ones.
// Checked on one free underdamped coordinate from rest, where one BAOAB step gives p = c2 z with
// c2 = sqrt((1 - exp(-2 gamma dt / m)) m T): the same draw z at T and 4T gives momenta in the ratio 2 exactly
// (4T scales the square root's argument by a power of two), and other masses or frictions change c2 by the formula.
import { describe, expect, it } from "vitest";
import { baoab, integrator, type LangevinSystem } from "../../src/stochastic/integrators.js";
import { Rng } from "../../src/stochastic/rng.js";

const free = { dof: 1, compute: (_x: Float64Array, f: Float64Array) => ((f[0] = 0), 0) };

function system(T: number): LangevinSystem {
  return {
    dynamics: "underdamped",
    dof: 1,
    mass: new Float64Array([1]),
    friction: new Float64Array([0.5]),
    temperature: new Float64Array([T]),
    forces: free,
  };
}

/** p after one BAOAB step from rest, with the draw of stream (seed 7, replica 0). */
function firstMomentum(sys: LangevinSystem, dt = 0.01): number {
  const integ = integrator(sys, baoab({ dt }));
  const s = integ.init(Rng.stream(7, 0, 0));
  integ.step(s);
  return s.p![0];
}

describe("integrators built on one system share coefficients only while its numbers are unchanged", () => {
  it("follow a temperature, mass, friction or dt changed in place", () => {
    const sys = system(1);
    const p1 = firstMomentum(sys);
    expect(p1).not.toBe(0);
    expect(firstMomentum(sys)).toBe(p1); // reused: the same numbers
    sys.temperature[0] = 4;
    expect(firstMomentum(sys)).toBe(2 * p1);
    sys.temperature[0] = 1;
    expect(firstMomentum(sys)).toBe(p1);
    const c2 = (m: number, g: number, dt: number) => Math.sqrt((1 - Math.exp((-2 * g * dt) / m)) * m);
    sys.friction[0] = 2;
    expect(firstMomentum(sys) / p1).toBeCloseTo(c2(1, 2, 0.01) / c2(1, 0.5, 0.01), 12);
    sys.friction[0] = 0.5;
    sys.mass[0] = 3;
    expect(firstMomentum(sys) / p1).toBeCloseTo(c2(3, 0.5, 0.01) / c2(1, 0.5, 0.01), 12);
    sys.mass[0] = 1;
    expect(firstMomentum(sys, 0.04) / p1).toBeCloseTo(c2(1, 0.5, 0.04) / c2(1, 0.5, 0.01), 12);
    expect(firstMomentum(sys)).toBe(p1);
    expect(firstMomentum(system(1))).toBe(p1); // another system object with the same numbers
  });
});
