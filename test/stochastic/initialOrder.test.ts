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
});
