// A replica's numbers do not depend on which replicas ran before it in the same thread: the plan's force field is
// shared by the replicas a thread runs, and its neighbour structures (cell order, Verlet list, the adaptive choice
// between summing from a list or from the cells) are forgotten at the start of each replica. Without that, replica 1
// run after replica 0 (in process, 1 worker) and replica 1 run first (another worker) differ in the last bits, and
// the trajectories then part.
import { describe, expect, it } from "vitest";
import { validateParticles } from "../../src/model/particles.js";
import { runBlockSync } from "../../src/stochastic/ensemble.js";
import { heun } from "../../src/stochastic/integrators.js";
import { preparePlan } from "../../src/stochastic/run.js";
import { expectSameArray } from "../helpers/arrays.js";

const disks = (dimension: 2 | 3) =>
  validateParticles({
    kind: "particles",
    dynamics: "overdamped",
    dimension,
    box: dimension === 2 ? 10.85 : 6,
    species: [
      { name: "hot", count: 30, temperature: 0.02 },
      { name: "cold", count: 30, temperature: 0.0002 },
    ],
    pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
    initial: "random",
  });

describe("replicas do not inherit the force field's state", () => {
  // The 2D case failed before the reset (the cell order's mean interval between sorts carried over).
  it.each([
    ["2D soft disks (cell order)", disks(2)],
    ["3D soft spheres (Verlet list)", disks(3)],
  ])("%s: replica 1 after replica 0 equals replica 1 alone", (_, model) => {
    const plan = () =>
      preparePlan(model, heun({ dt: 0.1 }), { time: 20, seed: 4, replicas: 2, batches: 2, covariance: false });
    const fresh = plan();
    expect(fresh.system.forces.reset).toBeTypeOf("function");
    const alone = runBlockSync(fresh, 1, 1).outputs;
    const used = plan();
    runBlockSync(used, 0, 1);
    expectSameArray(runBlockSync(used, 1, 1).outputs, alone);
  });
});
