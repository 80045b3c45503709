// The overdamped moves that make the pair field's check against its last sort in their own pass
// (ForceField.sortCheck, integrators.ts eulerMoveChecked / predictorMoveChecked / correctorMoveChecked): the same
// positions as the plain moves and the same answer as CellSort.movedStep, so the same numbers follow.
import { describe, expect, it } from "vitest";
import type { ForceField } from "../../src/stochastic/forceField.js";
import {
  correctorMoveChecked,
  eulerMaruyama,
  eulerMoveChecked,
  heun,
  integrator,
  predictorMoveChecked,
  type LangevinSystem,
} from "../../src/stochastic/integrators.js";
import { CellSort } from "../../src/stochastic/neighbours/lists.js";
import { ParticleForceField } from "../../src/stochastic/particleForces.js";
import { Rng } from "../../src/stochastic/rng.js";
import { particleSystem } from "../../src/stochastic/system.js";
import { particlesModel as model } from "../helpers/particles.js";
import { expectSameArray } from "../helpers/arrays.js";

describe("moves that make the field's check against its last sort", () => {
  it("equal the plain moves and CellSort.movedStep (2: the new end moved, 1: only the old end, 0: neither)", () => {
    const N = 300,
      L = 20;
    const table = { species: 1, speciesOf: new Int32Array(N), interacts: Int32Array.of(1) };
    const r = Rng.stream(3);
    const ref = Float64Array.from({ length: 2 * N }, () => L * r.uniform());
    const cells = new CellSort(2, N, [L, L], 1.5, 0.5, table, "joined");
    cells.sort(ref);
    const chk = cells.check()!;
    expect(chk.lim).toBe(0.25 * 0.5 * 0.5);
    const lim = chk.lim;
    const mu = Float64Array.from({ length: 2 * N }, () => 0.1 * (1 + r.uniform()));
    const sc = Float64Array.from({ length: 2 * N }, () => 0.05 * (1 + r.uniform()));
    const seen = new Set<number>();
    // Old ends near the sort or one particle beyond it; moves small or one large: every answer.
    for (const [far0, far1] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const x = Float64Array.from(ref, (v) => v + 0.05 * (r.uniform() - 0.5));
      if (far0) x[2 * 17 + 1] += 0.3;
      const f = Float64Array.from(x, () => 0.1 * r.normal());
      const ft = Float64Array.from(x, () => 0.1 * r.normal());
      const z = Float64Array.from(x, () => 0.1 * r.normal());
      if (far1) z[2 * 201] += 10;
      else if (far0) {
        // The far particle steps back to its place at the sort: only the old end moved.
        f[35] = ft[35] = 0;
        z[35] = -0.3 / sc[35];
      }
      // Euler-Maruyama.
      const xe = x.slice(),
        xp = x.slice();
      for (let i = 0; i < xp.length; i++) xp[i] += mu[i] * f[i] + sc[i] * z[i];
      const me = eulerMoveChecked(2 * N, xe, f, z, mu, sc, chk.ref, lim);
      expectSameArray(xe, xp);
      expect(me).toBe(cells.movedStep(x, xp));
      seen.add(me);
      // Heun's predictor and corrector.
      const zc = z.slice(),
        zp = z.slice(),
        xt = new Float64Array(2 * N),
        xtp = new Float64Array(2 * N);
      for (let i = 0; i < xp.length; i++) {
        zp[i] *= sc[i];
        xtp[i] = x[i] + mu[i] * f[i] + zp[i];
      }
      const mp = predictorMoveChecked(2 * N, x, f, zc, mu, sc, xt, chk.ref, lim);
      expectSameArray(zc, zp);
      expectSameArray(xt, xtp);
      expect(mp).toBe(cells.movedStep(x, xtp));
      const xc = x.slice(),
        xcp = x.slice();
      for (let i = 0; i < xcp.length; i++) xcp[i] += 0.5 * mu[i] * (f[i] + ft[i]) + zp[i];
      const mc = correctorMoveChecked(2 * N, xc, f, ft, zp, mu, chk.ref, lim);
      expectSameArray(xc, xcp);
      expect(mc).toBe(cells.movedStep(x, xcp));
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
    cells.forget();
    expect(cells.check()).toBeNull(); // the next evaluation sorts whatever the positions
  });

  it.each([
    ["heun", heun({ dt: 0.1 })],
    ["euler-maruyama", eulerMaruyama({ dt: 0.1 })],
  ] as const)("hot/cold disks under %s: the same bits as with the field's own pass over both ends", (_n, scheme) => {
    const N = 400,
      STEPS = 120;
    const m = model({
      dimension: 2,
      box: Math.sqrt((N * Math.PI) / 1.6),
      species: [
        { name: "hot", count: N / 2, temperature: 0.02 },
        { name: "cold", count: N / 2, temperature: 0.0002 },
      ],
      pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
    });
    const D = Float64Array.from(m.species, (s) => s.temperature / s.friction);
    const runs = [true, false].map((fused) => {
      const sys = particleSystem(m).system as LangevinSystem;
      const field = sys.forces as ParticleForceField;
      expect(field).toBeInstanceOf(ParticleForceField);
      expect(field.enableStepHeat(D, 0.1)).toBe(true);
      const hints: number[] = [],
        endHints: number[] = [];
      // The field behind a wrapper that counts the answers handed to computeStep; without sortCheck the field makes
      // its own pass.
      const forces: ForceField = {
        dof: field.dof,
        compute: (x, f) => field.compute(x, f),
        computeStep: (x0, x, f, account, moved) => {
          hints.push(moved ?? -1);
          if (account) endHints.push(moved ?? -1);
          return field.computeStep(x0, x, f, account, moved);
        },
        ...(fused ? { sortCheck: () => field.sortCheck() } : {}),
      };
      const integ = integrator({ ...sys, forces }, scheme, true);
      const s = integ.init(Rng.stream(5));
      const r = Rng.stream(6);
      for (let i = 0; i < s.x.length; i++) s.x[i] = m.box![i & 1] * r.uniform();
      integ.force(s);
      const heats: number[] = [];
      for (let t = 0; t < STEPS; t++) {
        integ.step(s);
        const h = field.takeStepHeat();
        heats.push(h === null ? NaN : h[0] + 2 * h[1]);
      }
      return { x: Array.from(s.x), f: Array.from(s.f), u: s.potential, sorts: field.builds, hints, endHints, heats };
    });
    const [fused, own] = runs;
    expect(fused.x).toEqual(own.x);
    expect(fused.f).toEqual(own.f);
    expect(fused.u).toBe(own.u);
    expect(fused.heats).toEqual(own.heats);
    expect(fused.sorts).toBe(own.sorts);
    expect(fused.sorts).toBeLessThan(STEPS / 3); // the wide skin: a sort every few steps
    // The moves made the check (after the first evaluation's sort), with every answer; the plain run never did.
    expect(new Set(own.hints)).toEqual(new Set([-1]));
    const answers = new Set(fused.hints.slice(2));
    expect(answers.has(0) && answers.has(2)).toBe(true);
    expect(answers.has(-1)).toBe(false);
    // The step's end: checked in the move at every step; under Euler-Maruyama it asks for sorts (2), under Heun the
    // predictor's sort at the step's midpoint covers the end (0) in this run (correctorMoveChecked's 1 and 2 are
    // tested above).
    expect(fused.endHints.every((h) => h >= 0)).toBe(true);
    if (_n === "euler-maruyama") expect(fused.endHints.includes(2)).toBe(true);
  });
});
