// Checkpoint and restart on worker threads: a run on 1 or 2 workers, stopped after its first segment and continued
// from the checkpoint on 2 or 1 workers, equals the unsplit run in process, bit for bit (a network on the fused
// BAOAB kernel and 2D soft disks with their cell-order neighbour list). Needs the built worker (npm run build).
import { afterAll, describe, expect, it } from "vitest";
import { loadModel, type Model } from "../../src/model/index.js";
import { validateParticles } from "../../src/model/particles.js";
import { decodeCheckpoint, encodeCheckpoint } from "../../src/stochastic/checkpoint.js";
import { prepareEnsemble, runPreparedSync } from "../../src/stochastic/ensemble.js";
import { baoab, heun, type Scheme } from "../../src/stochastic/integrators.js";
import { simulationSpec, type Plan, type SimulationOptions } from "../../src/stochastic/run.js";
import { checkpointParameters, initialBlockStates, runSegmented } from "../../src/stochastic/segments.js";
import { workerRunner } from "../../src/workers/pool.js";

const network = loadModel(`
kind: network
sites: [a, b, c]
pinning: 1
springs: [{between: [a, b], stiffness: 1}, {between: [b, c], stiffness: 0.7}]
baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 0.5, temperature: 0.5}]
`);
const disks = validateParticles({
  kind: "particles",
  dynamics: "overdamped",
  dimension: 2,
  box: 10.85,
  species: [
    { name: "hot", count: 30, temperature: 0.02 },
    { name: "cold", count: 30, temperature: 0.0002 },
  ],
  pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
  initial: "random",
});

const runners = { 1: workerRunner(1), 2: workerRunner(2) };
afterAll(async () => {
  await runners[1].close();
  await runners[2].close();
});

class Stop extends Error {}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");

describe.each([
  ["network, fused BAOAB", network, baoab({ dt: 0.05 }), { time: 30, seed: 5, replicas: 3 }, 250],
  ["2D soft disks", disks, heun({ dt: 0.1 }), { time: 10, seed: 6, replicas: 3, batches: 2, covariance: false }, 37],
] as [string, Model, Scheme, SimulationOptions, number][])("%s", (_, model, scheme, options, segmentSteps) => {
  const spec = simulationSpec(model, scheme, options);
  const whole = runPreparedSync(prepareEnsemble(spec));
  it.each([
    [1, 2],
    [2, 1],
  ] as const)("stopped on %i worker(s), continued on %i: the unsplit run's numbers", async (first, second) => {
    let text = "";
    await expect(
      runSegmented(spec, prepareEnsemble(spec) as Plan, {
        segmentSteps,
        segments: runners[first].segments,
        onSegment: ({ blocks }) => {
          text = encodeCheckpoint({
            ness: "test",
            model: { fingerprint: "-" },
            parameters: checkpointParameters(prepareEnsemble(spec) as Plan),
            blocks,
          });
          throw new Stop();
        },
      }),
    ).rejects.toBeInstanceOf(Stop);
    const restarted = await runSegmented(spec, prepareEnsemble(spec) as Plan, {
      segmentSteps: 5 * segmentSteps,
      segments: runners[second].segments,
      start: decodeCheckpoint(text, "c").blocks,
    });
    expect(bits(restarted.outputs)).toBe(bits(whole.outputs));
    expect(bits(restarted.sums)).toBe(bits(whole.sums));
  });
});

describe("a run in place on workers (the CLI's --checkpoint and --trajectory)", () => {
  it("moves the given block states to the workers (no copy stays here) and gives the unsplit run's numbers", async () => {
    const spec = simulationSpec(network, baoab({ dt: 0.05 }), { time: 30, seed: 5, replicas: 3 });
    const plan = prepareEnsemble(spec) as Plan;
    const whole = runPreparedSync(plan);
    const start = initialBlockStates(plan);
    const lengths: number[][] = [];
    const out = await runSegmented(spec, plan, {
      segmentSteps: 250,
      segments: runners[2].segments,
      start,
      inPlace: true,
      onSegment: () => void lengths.push(start.map((b) => b.outputs.length)),
    });
    // after the first segment every started block's arrays were moved (emptied here), not copied
    expect(lengths[0]).toEqual(start.map(() => 0));
    expect(bits(out.outputs)).toBe(bits(whole.outputs));
    expect(bits(out.sums)).toBe(bits(whole.sums));
  });
});
