// Library calls with bad arguments (checkpoints, segmented runs, autocorrelations): each call, the NessError subclass
// it must throw and a fragment of the message. Asynchronous calls are awaited.
import { describe, expect, it } from "vitest";
import { ModelError, NessError } from "../../src/errors.js";
import { loadModel } from "../../src/model/index.js";
import { autocorrelation, integratedTime, summarizeSeries } from "../../src/stochastic/autocorrelation.js";
import { CheckpointError, base64ToFloat64, decodeCheckpoint } from "../../src/stochastic/checkpoint.js";
import { prepareEnsemble } from "../../src/stochastic/ensemble.js";
import { baoab } from "../../src/stochastic/integrators.js";
import { simulationSpec, type Plan } from "../../src/stochastic/run.js";
import { checkRecordSpec, initialBlockStates, runSegmented } from "../../src/stochastic/segments.js";
import { trajectoryFigure } from "../../src/figures/trajectory.js";
import { signed } from "../helpers/checkpoint.js";

const net = loadModel(`kind: network
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
`);
const spec = simulationSpec(net, baoab({ dt: 0.05 }), { time: 5, seed: 1, replicas: 2 });
const plan = () => prepareEnsemble(spec) as Plan;
const record = { replica: 0, every: 1, states: true, thermoEvery: 0, observe: [] as number[] };
const covarianceIndex = plan().estimands.findIndex((e) => e.estimand.kind === "covariance");

const table: [string, () => unknown, new (...a: never[]) => NessError, string][] = [
  ["autocorrelation of one value", () => autocorrelation([1]), ModelError, "at least 2 values"],
  ["autocorrelation of a constant", () => autocorrelation([2, 2, 2, 2]), ModelError, "the series is constant"],
  ["autocorrelation with NaN", () => autocorrelation([1, NaN, 2]), ModelError, "non-finite value at 1"],
  ["autocorrelation maxLag -1", () => autocorrelation([1, 2, 3], -1), ModelError, "maxLag must be"],
  ["autocorrelation maxLag 1.5", () => autocorrelation([1, 2, 3], 1.5), ModelError, "maxLag must be"],
  ["summarizeSeries of 3 rows", () => summarizeSeries([0, 1, 2], []), ModelError, "at least 4 rows"],
  ["summarizeSeries, time going back", () => summarizeSeries([3, 2, 1, 0], []), ModelError, "does not increase"],
  ["base64ToFloat64(42)", () => base64ToFloat64(42, "x"), CheckpointError, "x is not base64"],
  ["base64ToFloat64 of 3 bytes", () => base64ToFloat64("AAAA", "x"), CheckpointError, "8-byte numbers"],
  ["decodeCheckpoint('[]')", () => decodeCheckpoint("[]", "c"), CheckpointError, "c is not a ness checkpoint"],
  [
    "decodeCheckpoint, a bad random state",
    () =>
      decodeCheckpoint(
        signed({
          format: "ness-checkpoint",
          formatVersion: 4,
          ness: "x",
          model: { fingerprint: "f" },
          parameters: {},
          blocks: [
            {
              first: 0,
              count: 1,
              done: 0,
              steps: 1,
              outputs: "",
              sums: "",
              current: { replica: 0, step: 1, batch: 0, inBatch: 0, rng: [1, 2], fields: [] },
            },
          ],
        }),
        "c",
      ),
    CheckpointError,
    "blocks[0].current.rng is not four 32-bit words",
  ],
  ["checkRecordSpec, replica 2 of 2", () => checkRecordSpec(plan(), { ...record, replica: 2 }), ModelError, "0 .. 1"],
  ["checkRecordSpec, every -1", () => checkRecordSpec(plan(), { ...record, every: -1 }), ModelError, "every must be"],
  [
    "checkRecordSpec, a covariance",
    () => checkRecordSpec(plan(), { ...record, observe: [covarianceIndex] }),
    ModelError,
    "is a covariance, not a per-step observable",
  ],
  [
    "checkRecordSpec, observable 10^6",
    () => checkRecordSpec(plan(), { ...record, observe: [1e6] }),
    ModelError,
    "no observable",
  ],
  [
    "runSegmented, segments of 0 steps",
    () => runSegmented(spec, plan(), { segmentSteps: 0 }),
    ModelError,
    "segment length",
  ],
  [
    "runSegmented from blocks of another run",
    () => runSegmented(spec, plan(), { segmentSteps: 10, start: initialBlockStates(plan()).slice(1) }),
    ModelError,
    "do not fit this simulation",
  ],
  [
    "trajectoryFigure with a series of mismatched lengths",
    () =>
      trajectoryFigure({
        source: "x",
        series: [{ name: "a", time: [0, 1], values: [1], lag: [0], rho: [1], tau: 1, converged: true }],
      }),
    ModelError,
    'series "a"',
  ],
];

describe("library calls with bad arguments (trajectories, checkpoints)", () => {
  for (const [name, call, cls, fragment] of table) {
    it(name, async () => {
      let caught: unknown;
      try {
        await call();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(cls);
      expect((caught as Error).message).toContain(fragment);
    });
  }
  it("integratedTime of uncorrelated samples is 1", () => {
    const rho = new Float64Array(50);
    rho[0] = 1;
    expect(integratedTime(rho)).toEqual({ tau: 1, window: 5, converged: true });
  });
});
