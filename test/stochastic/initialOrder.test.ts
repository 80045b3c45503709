import { describe, expect, it } from "vitest";
import { validateParticles } from "../../src/model/particles.js";
import type { LangevinState } from "../../src/stochastic/integrators.js";
import { numberAlongCurve } from "../../src/stochastic/initialOrder.js";
import { Rng } from "../../src/stochastic/rng.js";
import { CURVE_FROM, particleInitializer } from "../../src/stochastic/run.js";

/** Mean minimum-image distance between particles a and a + 1 of the same species (2D, square box L). */
function stepLength(x: Float64Array, speciesOf: Int32Array, L: number): number {
  let sum = 0,
    n = 0;
  for (let a = 0; a + 1 < speciesOf.length; a++) {
    if (speciesOf[a] !== speciesOf[a + 1]) continue;
    let r2 = 0;
    for (let c = 0; c < 2; c++) {
      let dx = x[2 * (a + 1) + c] - x[2 * a + c];
      dx -= L * Math.round(dx / L);
      r2 += dx * dx;
    }
    sum += Math.sqrt(r2);
    n++;
  }
  return sum / n;
}

/** The positions of species s as sorted "x,y" strings. */
const positionsOf = (x: Float64Array, speciesOf: Int32Array, s: number) =>
  Array.from(speciesOf.keys())
    .filter((a) => speciesOf[a] === s)
    .map((a) => `${x[2 * a]},${x[2 * a + 1]}`)
    .sort();

/**
 * The curve's numbering written plainly (the definition): each position's Z-order index as a sum of powers of two,
 * each species' numbers sorted by (index, number) with a comparison.
 */
function numberAlongCurvePlain(
  x: Float64Array,
  speciesOf: Int32Array,
  species: number,
  d: number,
  box: number[],
  origin: number[],
): void {
  const N = speciesOf.length,
    bits = 10,
    B = 1 << bits;
  const key = new Float64Array(N);
  for (let a = 0; a < N; a++) {
    for (let c = 0; c < d; c++) {
      let u = (x[a * d + c] - origin[c]) / box[c];
      u -= Math.floor(u);
      const bin = Math.min(B - 1, Math.floor(u * B));
      for (let b = 0; b < bits; b++) if ((bin >> b) & 1) key[a] += 2 ** (d * b + c);
    }
  }
  const copy = x.slice();
  for (let s = 0; s < species; s++) {
    const ids = Array.from(speciesOf.keys()).filter((a) => speciesOf[a] === s);
    const byCurve = ids.slice().sort((a, b) => key[a] - key[b] || a - b);
    ids.forEach((a, i) => {
      for (let c = 0; c < d; c++) x[a * d + c] = copy[byCurve[i] * d + c];
    });
  }
}

describe("numbering a random start along a space-filling curve", () => {
  const N = 3000,
    L = 60;
  const speciesOf = new Int32Array(N).map((_, a) => (a < 1000 ? 0 : a < 2500 ? 1 : 2));
  const rng = new Rng(1, 2, 3, 4);
  const x0 = new Float64Array(2 * N).map(() => rng.uniform() * L);

  it("hands each species its own positions, neighbours in space to nearby numbers", () => {
    const x = x0.slice();
    numberAlongCurve(x, speciesOf, 3, 2, [L, L], [17.3, 41.9]);
    for (let s = 0; s < 3; s++) expect(positionsOf(x, speciesOf, s)).toEqual(positionsOf(x0, speciesOf, s));
    // Uniform random numbering: about 0.38 L between consecutive numbers; along the curve a few spacings
    // (L / sqrt(per species) ~ 1.5-1.9 here) with the curve's jumps.
    const before = stepLength(x0, speciesOf, L),
      after = stepLength(x, speciesOf, L);
    expect(before).toBeGreaterThan(0.3 * L);
    expect(after).toBeLessThan(0.15 * before);
  });

  it("a large random start: each particle's position is still uniform in the box (the curve's random origin)", () => {
    // 64 starts of N = CURVE_FROM disks in a box of 100: particle 0's and particle N/2's coordinates. Without the
    // random origin particle 0 sits at the curve's start (the corner of the box): the mean of x is then about 1, not 50.
    const n = CURVE_FROM,
      box = 100;
    const model = validateParticles({
      kind: "particles",
      dynamics: "overdamped",
      dimension: 2,
      box,
      species: [
        { name: "a", count: n / 2, temperature: 1 },
        { name: "b", count: n / 2, temperature: 0.1 },
      ],
      pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
      initial: "random",
    });
    const init = particleInitializer(model);
    const x = new Float64Array(2 * n);
    const st = { x, p: null } as unknown as LangevinState;
    const runs = 64;
    const picked = [0, n / 2];
    const sums = new Float64Array(4);
    let steps = 0;
    for (let seed = 0; seed < runs; seed++) {
      init(st, Rng.stream(seed, 0, 1));
      picked.forEach((a, i) => {
        sums[2 * i] += x[2 * a];
        sums[2 * i + 1] += x[2 * a + 1];
      });
      steps += stepLength(x, model.speciesOf, box);
    }
    // Uniform on [0, 100): mean 50, standard error 100 / sqrt(12 * 64) = 3.6.
    const se = box / Math.sqrt(12 * runs);
    for (const s of sums) expect(Math.abs(s / runs - box / 2)).toBeLessThan(4 * se);
    // And the start is numbered along the curve (a uniform numbering: about 38 between consecutive numbers).
    expect(steps / runs).toBeLessThan(5);
  });
  it("the same numbering as the plain definition, ties included (1D, 2D, 3D; small and large species)", () => {
    // Species of 5000 and 3000 take the counting passes, 40 the comparison; half the positions are repeated so that
    // many share a curve index (ties broken by number).
    const r = new Rng(9, 8, 7, 6);
    for (const d of [1, 2, 3]) {
      const n = 8040,
        box = [50, 70, 30].slice(0, d),
        origin = [3.7, 61.2, 0.4].slice(0, d);
      const sp = new Int32Array(n).map((_, a) => (a % 3 === 0 && a < 7000 ? 1 : a >= 8000 ? 2 : 0));
      const x0 = new Float64Array(n * d);
      for (let a = 0; a < n; a++)
        for (let c = 0; c < d; c++) x0[a * d + c] = a % 2 === 1 ? x0[(a - 1) * d + c] : r.uniform() * box[c];
      const fast = x0.slice(),
        plain = x0.slice();
      numberAlongCurve(fast, sp, 3, d, box, origin);
      numberAlongCurvePlain(plain, sp, 3, d, box, origin);
      expect(fast).toEqual(plain);
      expect(fast).not.toEqual(x0);
    }
  });
});
