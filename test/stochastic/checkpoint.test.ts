// Checkpoint and restart: a run stopped after a segment, written to a checkpoint (JSON, base64 numbers), read back
// and continued, equals the run that never stopped, bit for bit: every batch mean of every replica and every field
// sum. Models: an underdamped network on the fused BAOAB kernel, the same network on the generic sub-steps with a
// density field, an overdamped network (Stratonovich increments: the previous state is part of the snapshot),
// 2D soft disks (cell-order neighbour list with its adaptive choice) and 3D soft spheres (Verlet list), and a run
// of 66 replicas (blocks of 2: a checkpoint in the middle of a block). Worker threads: test/stochastic/
// checkpoint-workers.test.ts.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCheckpointFile } from "../../src/cli/commands/simulateRecord.js";
import { loadModel } from "../../src/model/index.js";
import { validateParticles } from "../../src/model/particles.js";
import {
  CheckpointError,
  CheckpointReader,
  base64ToFloat64,
  checkpointPieces,
  checkRestart,
  decodeCheckpoint,
  encodeCheckpoint,
  float64ToBase64,
  float64ToBase64Pieces,
  modelFingerprint,
  type BlockState,
} from "../../src/stochastic/checkpoint.js";
import { prepareEnsemble, runPreparedSync } from "../../src/stochastic/ensemble.js";
import { baoab, heun, type Scheme } from "../../src/stochastic/integrators.js";
import { simulationSpec, type Plan, type SimulationOptions } from "../../src/stochastic/run.js";
import { checkpointParameters, initialBlockStates, runSegmented } from "../../src/stochastic/segments.js";
import { Rng } from "../../src/stochastic/rng.js";
import { resign } from "../helpers/checkpoint.js";
import { nodeSha256 } from "../../src/io/sha256.js";
import type { Model } from "../../src/model/index.js";

const chain = (dynamics: "underdamped" | "overdamped") =>
  loadModel(`
kind: network
dynamics: ${dynamics}
sites: [a, b, c]
pinning: 1
springs: [{between: [a, b], stiffness: 1}, {between: [b, c], stiffness: 0.7}]
baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 0.5, temperature: 0.5}${dynamics === "overdamped" ? ", {site: b, friction: 1, temperature: 1}" : ""}]
`);

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

/** Two particles in a sawtooth on a ring (Metzger's ratchet): the fused two-particle kernel's runs. */
const ratchet = validateParticles({
  kind: "particles",
  dynamics: "overdamped",
  dimension: 1,
  box: 4,
  species: [
    { name: "hot", count: 1, temperature: 1 },
    { name: "cold", count: 1, temperature: 0.05 },
  ],
  pairs: [{ between: ["hot", "cold"], potential: "soft", stiffness: 50, range: 0.5 }],
  external: [{ potential: "sawtooth", amplitude: 1, period: 1, asymmetry: 0.8 }],
  initial: [[1], [3]],
});

class Stop extends Error {}

/** The unsplit run's outputs, and the run stopped after `stopAfter` segments, checkpointed and continued. */
async function splitAndWhole(model: Model, scheme: Scheme, options: SimulationOptions, segmentSteps: number) {
  const spec = simulationSpec(model, scheme, options);
  const whole = runPreparedSync(prepareEnsemble(spec));
  let text = "";
  let segments = 0;
  await expect(
    runSegmented(spec, prepareEnsemble(spec) as Plan, {
      segmentSteps,
      onSegment: ({ blocks }) => {
        text = encodeCheckpoint({
          ness: "test",
          model: { fingerprint: modelFingerprint(model) },
          parameters: checkpointParameters(prepareEnsemble(spec) as Plan),
          blocks,
        });
        if (++segments === 1) throw new Stop();
      },
    }),
  ).rejects.toBeInstanceOf(Stop);
  const checkpoint = decodeCheckpoint(text, "test.checkpoint");
  // The restart runs in a fresh plan (as a new process would), from the decoded blocks.
  const restarted = await runSegmented(spec, prepareEnsemble(spec) as Plan, {
    segmentSteps: 7919,
    start: checkpoint.blocks,
  });
  // The segmented run without interruption is the same run too.
  const segmented = await runSegmented(spec, prepareEnsemble(spec) as Plan, { segmentSteps: 1000 });
  return { whole, restarted, segmented, checkpoint };
}

const same = (a: Float64Array, b: Float64Array) => {
  expect(a.length).toBe(b.length);
  // Bit for bit: equal as numbers and no NaN anywhere.
  expect(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
  ).toBe(true);
};

describe("a run split by a checkpoint equals the unsplit run, bit for bit", () => {
  it.each([
    ["underdamped network, fused BAOAB kernel", chain("underdamped"), baoab({ dt: 0.05 }), {}],
    [
      "underdamped network, generic BAOAB and a field",
      chain("underdamped"),
      baoab({ dt: 0.05, fused: false }),
      {
        fields: [
          {
            coordinates: ["q:a", "q:b"] as [string, string],
            range: [
              [-4, 4],
              [-4, 4],
            ] as [[number, number], [number, number]],
            bins: [8, 8] as [number, number],
          },
        ],
      },
    ],
    ["overdamped network, Heun with Stratonovich fluxes", chain("overdamped"), heun({ dt: 0.02 }), {}],
    ["two overdamped particles, the fused Heun kernel (pairKernel.ts)", ratchet, heun({ dt: 0.001 }), {}],
    [
      "two overdamped particles, counter noise (generic Heun)",
      ratchet,
      heun({ dt: 0.001 }),
      { noise: "counter" as const },
    ],
    [
      "underdamped network, counter noise (generic BAOAB)",
      chain("underdamped"),
      baoab({ dt: 0.05 }),
      { noise: "counter" as const },
    ],
  ])("%s", async (_, model, scheme, extra) => {
    const options: SimulationOptions = { time: 40, seed: 11, replicas: 3, ...extra };
    const { whole, restarted, segmented, checkpoint } = await splitAndWhole(model, scheme, options, 333);
    expect(checkpoint.blocks.every((b) => b.current !== null && b.current.step === 333)).toBe(true);
    same(restarted.outputs, whole.outputs);
    same(restarted.sums, whole.sums);
    same(segmented.outputs, whole.outputs);
    if (options.fields) expect(whole.sums.some((v) => v !== 0)).toBe(true);
  });

  it.each([
    ["2D soft disks (cell order)", disks(2)],
    ["3D soft spheres (Verlet list)", disks(3)],
  ])("%s", async (_, model) => {
    const options: SimulationOptions = { time: 12, seed: 4, replicas: 2, batches: 2, covariance: false };
    const { whole, restarted, checkpoint } = await splitAndWhole(model, heun({ dt: 0.1 }), options, 61);
    // The neighbour structure's state went into the checkpoint.
    expect(checkpoint.blocks[0].current!.forces.length).toBeGreaterThan(1);
    same(restarted.outputs, whole.outputs);
  });

  it("2D soft disks split across 2 threads (splitDisks.ts: counter noise, the kernel's shared arrays)", async () => {
    const options: SimulationOptions = { time: 12, seed: 4, replicas: 2, batches: 2, covariance: false, threads: 2 };
    const { whole, restarted, segmented } = await splitAndWhole(disks(2), heun({ dt: 0.1 }), options, 61);
    same(restarted.outputs, whole.outputs);
    same(segmented.outputs, whole.outputs);
  });

  it("66 replicas in blocks of 2: a checkpoint between and within replicas of a block", async () => {
    const options: SimulationOptions = { time: 2, seed: 3, replicas: 66, batches: 2 };
    const spec = simulationSpec(chain("underdamped"), baoab({ dt: 0.05 }), options);
    const plan = prepareEnsemble(spec) as Plan;
    expect(plan.blockSize).toBe(2);
    // 44 steps per replica: a segment of 50 ends 6 steps into the second replica of each block.
    const { whole, restarted, checkpoint } = await splitAndWhole(
      chain("underdamped"),
      baoab({ dt: 0.05 }),
      options,
      50,
    );
    const b: BlockState = checkpoint.blocks[0];
    expect([b.done, b.current?.replica, b.current?.step]).toEqual([1, 1, 50 - plan.stepsPerReplica]);
    same(restarted.outputs, whole.outputs);
  });
});

describe("a restart compares the rules the run used, not the options as given", () => {
  const parameters = (model: Model, scheme: Scheme, options: SimulationOptions) =>
    checkpointParameters(prepareEnsemble(simulationSpec(model, scheme, options)) as Plan);
  const fingerprintOf = (model: Model) => modelFingerprint(model);

  it("--pair-heat given equal to the rule the run took continues it bit for bit; another rule is refused", async () => {
    // The ratchet's soft pair force jumps at its cutoff: left open, the run takes the pair heat "exact".
    const options: SimulationOptions = { time: 6, seed: 5, replicas: 2, batches: 2 };
    const { whole, checkpoint } = await splitAndWhole(ratchet, heun({ dt: 0.001 }), options, 777);
    expect(checkpoint.parameters.settings.pairHeat).toBe("exact");
    const given = { ...options, pairHeat: "exact" as const };
    const run = {
      ness: "test",
      modelFingerprint: fingerprintOf(ratchet),
      parameters: parameters(ratchet, heun({ dt: 0.001 }), given),
    };
    expect(() => checkRestart(checkpoint, run, "c.json")).not.toThrow();
    const spec = simulationSpec(ratchet, heun({ dt: 0.001 }), given);
    const restarted = await runSegmented(spec, prepareEnsemble(spec) as Plan, {
      segmentSteps: 7919,
      start: checkpoint.blocks,
    });
    same(restarted.outputs, whole.outputs);
    const other = parameters(ratchet, heun({ dt: 0.001 }), { ...options, pairHeat: "trapezoid" });
    expect(() => checkRestart(checkpoint, { ...run, parameters: other }, "c.json")).toThrow(
      /^--restart c\.json: written with pairHeat \(--pair-heat\) exact, this run has trapezoid; give the parameters of the run it continues$/,
    );
  });

  it("a pair heat chosen by the run (state checked against the trapezoid) is not the state rule given", () => {
    // A harmonic pair without rest length: continuous forces, so left open the run computes both and reports one.
    const smooth = validateParticles({
      kind: "particles",
      dynamics: "overdamped",
      dimension: 1,
      species: [
        { name: "hot", count: 1, temperature: 1 },
        { name: "cold", count: 1, temperature: 0.2 },
      ],
      pairs: [{ between: ["hot", "cold"], potential: "harmonic", stiffness: 1 }],
      external: [{ potential: "harmonic", stiffness: 1 }],
      initial: [[0], [0.5]],
    });
    const options: SimulationOptions = { time: 5, seed: 1 };
    const open = parameters(smooth, heun({ dt: 0.01 }), options);
    expect(open.settings.pairHeat).toBe("chosen");
    const c = { ness: "test", model: { fingerprint: fingerprintOf(smooth) }, parameters: open, blocks: [] };
    const run = { ness: "test", modelFingerprint: fingerprintOf(smooth), parameters: open };
    expect(() => checkRestart(c, run, "c.json")).not.toThrow();
    for (const rule of ["state", "trapezoid"] as const)
      expect(() =>
        checkRestart(
          c,
          { ...run, parameters: parameters(smooth, heun({ dt: 0.01 }), { ...options, pairHeat: rule }) },
          "c.json",
        ),
      ).toThrow(`written with pairHeat (--pair-heat) chosen by the run (state or trapezoid), this run has ${rule};`);
  });

  it("a network's covariance given equal to its default (N <= 40) continues the run; the other value is refused", () => {
    const model = chain("underdamped");
    const open = parameters(model, baoab({ dt: 0.05 }), { time: 10, seed: 1 });
    const c = { ness: "test", model: { fingerprint: fingerprintOf(model) }, parameters: open, blocks: [] };
    const run = (covariance: boolean) => ({
      ness: "test",
      modelFingerprint: fingerprintOf(model),
      parameters: parameters(model, baoab({ dt: 0.05 }), { time: 10, seed: 1, covariance }),
    });
    expect(() => checkRestart(c, run(true), "c.json")).not.toThrow();
    expect(() => checkRestart(c, run(false), "c.json")).toThrow("written with covariance true, this run has false;");
    // particles take no covariance option: given or not, the same run
    const disk = parameters(disks(2), heun({ dt: 0.1 }), { time: 10, seed: 1, covariance: false });
    expect(disk.settings.covariance).toBe(
      parameters(disks(2), heun({ dt: 0.1 }), { time: 10, seed: 1 }).settings.covariance,
    );
  });

  it("counter noise on a restart of a stream-noise run is refused naming --noise, not the fused kernel it implies", () => {
    const model = chain("underdamped");
    const stream = parameters(model, baoab({ dt: 0.05 }), { time: 10, seed: 1 });
    const counter = parameters(model, baoab({ dt: 0.05 }), { time: 10, seed: 1, noise: "counter" });
    // the premise: the two runs differ in the kernel too (counter noise takes the generic sub-steps)
    expect([stream.settings.fused, counter.settings.fused]).toEqual([true, false]);
    const c = { ness: "test", model: { fingerprint: fingerprintOf(model) }, parameters: stream, blocks: [] };
    const run = { ness: "test", modelFingerprint: fingerprintOf(model), parameters: counter };
    expect(() => checkRestart(c, run, "c.json")).toThrow(
      /^--restart c\.json: written with noise \(--noise\) unset, this run has counter; give the parameters of the run it continues$/,
    );
    expect(() => checkRestart({ ...c, parameters: counter }, { ...run, parameters: stream }, "c.json")).toThrow(
      /^--restart c\.json: written with noise \(--noise\) counter, this run has unset;/,
    );
  });
});

describe("a damaged checkpoint whose lists decode but do not fit", () => {
  it("a neighbour-list or field state of the wrong size is a CheckpointError, not an internal error", async () => {
    const model = disks(3);
    const options: SimulationOptions = {
      time: 4,
      seed: 4,
      replicas: 1,
      batches: 2,
      covariance: false,
      fields: [
        {
          coordinates: ["x:0", "y:0"],
          range: [
            [0, 6],
            [0, 6],
          ],
          bins: [4, 4],
        },
      ],
    };
    const { checkpoint } = await splitAndWhole(model, heun({ dt: 0.1 }), options, 11);
    const spec = simulationSpec(model, heun({ dt: 0.1 }), options);
    for (const cut of ["forces", "fields"] as const) {
      const blocks = structuredClone(checkpoint.blocks);
      const current = blocks[0].current!;
      if (cut === "forces") current.forces = current.forces.subarray(0, current.forces.length - 1);
      else current.fields[0] = current.fields[0].subarray(1);
      const restart = runSegmented(spec, prepareEnsemble(spec) as Plan, { segmentSteps: 100, start: blocks });
      await expect(restart, cut).rejects.toBeInstanceOf(CheckpointError);
      await expect(
        runSegmented(spec, prepareEnsemble(spec) as Plan, { segmentSteps: 100, start: blocks }),
      ).rejects.toThrow(/the checkpoint does not fit this simulation: the saved state of the (force field|fields)/);
    }
  });
});

describe("a segmented run's memory", () => {
  it("in place (the CLI's), holds its outputs once: the block's own arrays advanced and handed over, the same numbers", async () => {
    const model = chain("underdamped");
    const spec = simulationSpec(model, baoab({ dt: 0.05 }), { time: 20, seed: 4, replicas: 1 });
    const plan = prepareEnsemble(spec) as Plan;
    const whole = runPreparedSync(plan);
    const start = initialBlockStates(plan);
    expect(start.length).toBe(1);
    const seen: Float64Array[] = [];
    const out = await runSegmented(spec, plan, {
      segmentSteps: 97,
      start,
      inPlace: true,
      onSegment: ({ blocks }) => void seen.push(blocks[0].outputs),
    });
    expect(seen.length).toBeGreaterThan(3);
    // no copy of the outputs was made, in a segment or at the end
    for (const a of seen) expect(a).toBe(start[0].outputs);
    expect(out.outputs).toBe(start[0].outputs);
    same(out.outputs, whole.outputs);
    same(out.sums, whole.sums);
    // without it the caller's states stay as they were (every report's blocks are its own copies)
    const fresh = initialBlockStates(plan);
    const copied = await runSegmented(spec, plan, { segmentSteps: 97, start: fresh });
    expect(fresh[0].outputs.every((v) => v === 0)).toBe(true);
    same(copied.outputs, whole.outputs);
  });
});

describe("checkpoint files", () => {
  it("base64 round trip is exact (NaN, -0, subnormals, odd lengths)", () => {
    for (const n of [0, 1, 2, 3, 5]) {
      const a = Float64Array.from({ length: n }, (_, k) => [NaN, -0, 5e-324, Math.PI, -1e308][k]);
      same(base64ToFloat64(float64ToBase64(a), "a"), a);
    }
    expect(() => base64ToFloat64("abc", "x")).toThrow(CheckpointError);
    expect(() => base64ToFloat64("AAAA", "x")).toThrow(/8-byte/);
  });

  it("base64 is Node's, across its pieces of about 1 MB; the file's pieces join to the JSON of the checkpoint", () => {
    const rng = Rng.stream(11, 0);
    for (const n of [1, 2, 3, 4, 3 * 2 ** 15 - 1, 3 * 2 ** 15, 2 * 3 * 2 ** 15 + 5]) {
      const a = new Float64Array(n);
      rng.fillNormalJs(a, 0, n); // JavaScript: the WebAssembly kernel keeps its size for test/linalg/wasmMemory.test.ts
      a[0] = -0;
      const pieces = [...float64ToBase64Pieces(a)];
      expect(pieces.join("")).toBe(Buffer.from(a.buffer).toString("base64"));
      expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(2 ** 20);
    }
    // a checkpoint of 2 blocks, one in the middle of a replica: the text JSON.stringify makes of its document
    const model = chain("underdamped");
    const plan = prepareEnsemble(
      simulationSpec(model, baoab({ dt: 0.05 }), { time: 10, seed: 1, replicas: 4, batches: 5 }),
    ) as Plan;
    const blocks = initialBlockStates(plan);
    expect(blocks.length).toBeGreaterThan(1);
    blocks[0] = { ...blocks[0], outputs: blocks[0].outputs.map((_, k) => Math.sin(k)) };
    const c = {
      ness: "test",
      command: "ness simulate m.yaml",
      model: { fingerprint: modelFingerprint(model), name: 'a "chain"' },
      parameters: checkpointParameters(plan),
      blocks,
    };
    const text = encodeCheckpoint(c);
    const doc = JSON.parse(text) as { blocks: { outputs: string }[] };
    expect(doc.blocks[0].outputs).toBe(Buffer.from(blocks[0].outputs.buffer).toString("base64"));
    expect(text).toBe(JSON.stringify(doc) + "\n");
    expect([...checkpointPieces(c)].join("")).toBe(text);
    same(decodeCheckpoint(text, "c.json").blocks[0].outputs, blocks[0].outputs);
  });

  it("refuses another model, other parameters or another version, in one line", () => {
    const model = chain("underdamped");
    const plan = prepareEnsemble(simulationSpec(model, baoab({ dt: 0.05 }), { time: 10, seed: 1 })) as Plan;
    const parameters = checkpointParameters(plan);
    const c = { ness: "1.0.0", model: { fingerprint: modelFingerprint(model) }, parameters, blocks: [] };
    const run = { ness: "1.0.0", modelFingerprint: modelFingerprint(model), parameters };
    expect(() => checkRestart(c, run, "c.json")).not.toThrow();
    expect(() => checkRestart(c, { ...run, ness: "1.0.1" }, "c.json")).toThrow(
      "--restart c.json: written by ness 1.0.0, this is ness 1.0.1",
    );
    expect(() =>
      checkRestart(c, { ...run, modelFingerprint: modelFingerprint(chain("overdamped")) }, "c.json"),
    ).toThrow(/written for another model/);
    const other = checkpointParameters(
      prepareEnsemble(simulationSpec(model, baoab({ dt: 0.04 }), { time: 10, seed: 1 })) as Plan,
    );
    expect(() => checkRestart(c, { ...run, parameters: other }, "c.json")).toThrow(
      "--restart c.json: written for --dt 0.05, this run has --dt 0.04",
    );
    // The initial law of the replicas not yet started (a network's stationary covariance, which the CLI takes from the
    // exact engine): another law, or none, would continue with other numbers than the run that never stopped.
    const law = (scale: number) => Float64Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? scale : 0)); // 6 x 6, diagonal
    const withLaw = (scale?: number) =>
      checkpointParameters(
        prepareEnsemble(
          simulationSpec(model, baoab({ dt: 0.05 }), {
            time: 10,
            seed: 1,
            ...(scale !== undefined ? { stationaryCovariance: law(scale) } : {}),
          }),
        ) as Plan,
      );
    const lawRun = { ...run, parameters: withLaw(1) };
    expect(() => checkRestart({ ...c, parameters: withLaw(1) }, lawRun, "c.json")).not.toThrow();
    expect(() => checkRestart(c, lawRun, "c.json")).toThrow(
      /^--restart c.json: written with stationaryCovariance unset, this run has [0-9a-f]{64}; give the parameters/,
    );
    // Another law for the same model: in practice the same covariance computed by another linear-algebra backend
    // (last bits), which the message names, with what to do.
    expect(() => checkRestart({ ...c, parameters: withLaw(2) }, lawRun, "c.json")).toThrow(
      /^--restart c\.json: the exact starting covariance differs from the one of the run that wrote the checkpoint \(fingerprint [0-9a-f]{8}…, this run [0-9a-f]{8}…\): for the same model, most likely computed by another linear-algebra backend \(NESS_LINALG, or WebAssembly relaxed SIMD present or not, e\.g\. after a Node upgrade\); run with the backend setting of that run, or run again without --restart$/,
    );
    // The backends recorded beside the fingerprints: named when they differ; alone they refuse nothing.
    const by = (p: ReturnType<typeof withLaw>, linalg: string) => ({ ...p, settings: { ...p.settings, linalg } });
    expect(() =>
      checkRestart(
        { ...c, parameters: by(withLaw(2), "JavaScript") },
        { ...run, parameters: by(withLaw(1), "WebAssembly relaxed SIMD") },
        "c.json",
      ),
    ).toThrow(
      /after a Node upgrade\): written with JavaScript, this run has WebAssembly relaxed SIMD; run with the backend setting of that run/,
    );
    expect(() =>
      checkRestart(
        { ...c, parameters: by(withLaw(1), "JavaScript") },
        { ...run, parameters: by(withLaw(1), "WebAssembly SIMD") },
        "c.json",
      ),
    ).not.toThrow();
    expect(typeof withLaw(1).settings.linalg).toBe("string");
    expect(withLaw(undefined).settings.linalg).toBeUndefined();
    expect(() => decodeCheckpoint("{", "c.json")).toThrow(
      "c.json: the checkpoint is damaged: the file ends early (was it cut short?)",
    );
    expect(() => decodeCheckpoint("", "c.json")).toThrow("c.json is not a ness checkpoint (not JSON)");
    expect(() =>
      decodeCheckpoint(
        resign(
          '{"format":"ness-checkpoint","formatVersion":4,"ness":"1","model":{"fingerprint":"x"},"parameters":{},"blocks":[{"first":0}]}',
        ),
        "c.json",
      ),
    ).toThrow(/c.json: the checkpoint is damaged: blocks\[0\].count/);
    // Checkpoints of the formats before the replicas' sub-batch sums, before the checksums and before the checksum over
    // the arrays' checksums: refused by their format, not by their block sizes or their checksums.
    for (const v of [1, 2, 3])
      expect(() =>
        decodeCheckpoint(
          `{"format":"ness-checkpoint","formatVersion":${v},"ness":"0.1.0","model":{"fingerprint":"x"},"parameters":{},"blocks":[]}`,
          "c.json",
        ),
      ).toThrow(
        `c.json is a checkpoint of format ${v}; this ness reads format 4 (an older format: continue it with the ness that wrote it, or run again)`,
      );
  });
});

describe("a checkpoint read in pieces (CheckpointReader, the CLI's --restart)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ness-checkpoint-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A checkpoint of 2 blocks, the first with a replica in progress and outputs of `n` numbers (NaN, -0 among them). */
  async function sample(n: number) {
    const model = chain("underdamped");
    const spec = simulationSpec(model, baoab({ dt: 0.05 }), { time: 10, seed: 3, replicas: 4, batches: 5 });
    let blocks: BlockState[] = [];
    await expect(
      runSegmented(spec, prepareEnsemble(spec) as Plan, {
        segmentSteps: 150,
        onSegment: (r) => {
          blocks = r.blocks.map((b) => ({ ...b, outputs: b.outputs.slice(), sums: b.sums.slice() }));
          throw new Stop();
        },
      }),
    ).rejects.toBeInstanceOf(Stop);
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.some((b) => b.current !== null)).toBe(true);
    const outputs = new Float64Array(n);
    // (in JavaScript: a fill this large would grow the thread's WebAssembly kernel, which test/linalg/wasmMemory.test.ts,
    // sharing the thread, needs at its first size)
    Rng.stream(5, 0).fillNormalJs(outputs, 0, n);
    outputs[0] = NaN;
    outputs[n - 1] = -0;
    blocks[0] = { ...blocks[0], outputs };
    return encodeCheckpoint({
      ness: "test",
      command: "ness simulate 'ä chain.yaml'",
      model: { fingerprint: modelFingerprint(model), name: 'a "chain" \\ ü' },
      parameters: checkpointParameters(prepareEnsemble(spec) as Plan),
      blocks,
    });
  }

  const read = (bytes: Uint8Array, piece: number) => {
    const reader = new CheckpointReader("c.json");
    for (let i = 0; i < bytes.length; i += piece) reader.push(bytes.subarray(i, i + piece));
    return reader.end();
  };

  const sameCheckpoint = (a: ReturnType<typeof decodeCheckpoint>, b: ReturnType<typeof decodeCheckpoint>) => {
    expect({ ...a, blocks: [] }).toEqual({ ...b, blocks: [] });
    expect(a.blocks.length).toBe(b.blocks.length);
    a.blocks.forEach((x, k) => {
      const y = b.blocks[k];
      expect([x.first, x.count, x.done, x.steps]).toEqual([y.first, y.count, y.done, y.steps]);
      same(x.outputs, y.outputs);
      same(x.sums, y.sums);
      expect(x.current === null).toBe(y.current === null);
      if (x.current && y.current) {
        for (const key of ["x", "f", "xPrev", "fPrev", "scalars", "sums", "burnSums", "forces"] as const)
          same(x.current[key], y.current[key]);
        expect(x.current.rng).toEqual(y.current.rng);
      }
    });
  };

  it("cut anywhere (pieces of 1, 5, 7, 4096 and 2^20 + 3 bytes, and the whole; outputs across the decoder's pieces), the checkpoint of its text", async () => {
    // 3 * 2^17 + 1 numbers: 3 MiB and 8 bytes decoded, across pieces of 4 KiB ... 1 MiB
    const text = await sample(3 * 2 ** 17 + 1);
    const bytes = new TextEncoder().encode(text);
    const whole = decodeCheckpoint(text, "c.json");
    expect(whole.blocks[0].outputs.length).toBe(3 * 2 ** 17 + 1);
    for (const piece of [4096, 2 ** 20 + 3, bytes.length]) sameCheckpoint(read(bytes, piece), whole);
    // small pieces on a small checkpoint (the outputs of a few numbers)
    const small = await sample(5);
    const smallBytes = new TextEncoder().encode(small);
    for (const piece of [1, 7]) sameCheckpoint(read(smallBytes, piece), decodeCheckpoint(small, "c.json"));
    // pretty-printed JSON is read too
    const pretty = JSON.stringify(JSON.parse(small), null, 2);
    sameCheckpoint(read(new TextEncoder().encode(pretty), 5), decodeCheckpoint(small, "c.json"));
  });

  it("a file cut short or damaged: one line naming the file and what is wrong", async () => {
    const text = await sample(7);
    const bytes = new TextEncoder().encode(text);
    const outputsAt = text.indexOf('"outputs":"') + '"outputs":"'.length;
    // cut at every 23rd byte before the document's last '}', and at every byte around the outputs' ends
    const outputsEnd = text.indexOf('"', outputsAt);
    const cuts = [...Array(bytes.length - 2).keys()].filter(
      // (and at every byte of the checksums at the end)
      (cut) =>
        cut % 23 === 0 ||
        Math.abs(cut - outputsAt) < 12 ||
        Math.abs(cut - outputsEnd) < 12 ||
        Math.abs(cut - text.lastIndexOf(',"sha256":')) < 12 ||
        cut > bytes.length - 100,
    );
    for (const cut of cuts) {
      const reader = new CheckpointReader("c.json");
      let message = "";
      try {
        reader.push(bytes.subarray(0, cut));
        reader.end();
      } catch (err) {
        expect(err).toBeInstanceOf(CheckpointError);
        message = (err as Error).message;
      }
      expect(message).toBe(
        cut === 0
          ? "c.json is not a ness checkpoint (not JSON)"
          : "c.json: the checkpoint is damaged: the file ends early (was it cut short?)",
      );
    }
    const edit = (at: number, remove: number, insert: string) =>
      new TextEncoder().encode(text.slice(0, at) + insert + text.slice(at + remove));
    const refusal = (b: Uint8Array) => {
      try {
        read(b, 3);
      } catch (err) {
        expect(err).toBeInstanceOf(CheckpointError);
        return (err as Error).message;
      }
      return "read";
    };
    expect(refusal(edit(outputsAt + 5, 1, "!"))).toBe(
      "c.json: the checkpoint is damaged: blocks[0].outputs is not base64",
    );
    expect(refusal(edit(outputsAt + 5, 1, "="))).toBe(
      "c.json: the checkpoint is damaged: blocks[0].outputs is not base64",
    );
    expect(refusal(edit(outputsAt + 5, 1, "\\"))).toBe(
      "c.json: the checkpoint is damaged: blocks[0].outputs is not base64",
    );
    expect(refusal(edit(outputsAt + 4, 4, ""))).toBe(
      "c.json: the checkpoint is damaged: blocks[0].outputs is not a list of 8-byte numbers",
    );
    expect(refusal(edit(outputsAt + 4, 0, "AA"))).toBe(
      "c.json: the checkpoint is damaged: blocks[0].outputs is not base64",
    );
    expect(refusal(edit(outputsAt, 0, "AAA="))).toBe(
      "c.json: the checkpoint is damaged: blocks[0].outputs is not base64",
    );
    expect(refusal(edit(text.length - 3, 0, ","))).toBe("c.json is not a ness checkpoint (not JSON)");
    expect(refusal(new TextEncoder().encode("[1, 2]"))).toBe("c.json is not a ness checkpoint (not JSON)");
    // a block's outputs given twice (JSON keeps the last; the text path refuses the first as not base64 after it)
    expect(
      refusal(
        new TextEncoder().encode(
          resign(
            text.slice(0, outputsAt - '"outputs":"'.length) +
              '"outputs":"AAAAAAAAAAA=",' +
              text.slice(outputsAt - '"outputs":"'.length),
          ),
        ),
      ),
    ).toBe("c.json: the checkpoint is damaged: a block's outputs or sums are given twice");
    // outputs written as the reader's own placeholder are refused, not taken
    expect(() =>
      decodeCheckpoint(
        resign(text.slice(0, outputsAt - 1) + '{"$float64":0}' + text.slice(text.indexOf('"', outputsAt) + 1)),
        "c.json",
      ),
    ).toThrow("c.json: the checkpoint is damaged: blocks[0].outputs is not base64");
  });

  it("the CLI reads the file 1 MiB at a time: the same checkpoint, and one line for a file cut short", async () => {
    const text = await sample(3 * 2 ** 17 + 1);
    const file = path.join(dir, "c.json");
    writeFileSync(file, text);
    sameCheckpoint(readCheckpointFile(file), decodeCheckpoint(text, "c.json"));
    writeFileSync(file, text.slice(0, 2 ** 20 + 10));
    expect(() => readCheckpointFile(file)).toThrow(
      `--restart ${file}: the checkpoint is damaged: the file ends early (was it cut short?)`,
    );
    expect(() => readCheckpointFile(path.join(dir, "none.json"))).toThrow(
      `--restart ${path.join(dir, "none.json")}: no such file`,
    );
    expect(() => readCheckpointFile(dir)).toThrow(`--restart ${dir}: is a folder, not a checkpoint`);
  });

  it("checksums: one base64 character changed into another is refused, naming the array; a changed count too", async () => {
    const text = await sample(7);
    /** The text with the character at `at` changed into another base64 character. */
    const flip = (t: string, at: number) => t.slice(0, at) + (t[at] === "A" ? "B" : "A") + t.slice(at + 1);
    const outputsAt = text.indexOf('"outputs":"') + '"outputs":"'.length;
    const xAt = text.indexOf('"x":"', text.indexOf('"current":{')) + '"x":"'.length;
    const stepsAt = text.indexOf('"steps":') + '"steps":'.length;
    expect(text.indexOf('"current":{')).toBeGreaterThan(0);
    const refusal = (t: string, hash?: typeof nodeSha256) => {
      try {
        decodeCheckpoint(t, "c.json", hash);
      } catch (err) {
        expect(err).toBeInstanceOf(CheckpointError);
        return (err as Error).message;
      }
      return "read";
    };
    const changed = (what: string) =>
      `c.json: the checkpoint is damaged: ${what} does not match its SHA-256 (the file was changed after it was written)`;
    const original = decodeCheckpoint(text, "c.json");
    // The file's checksum is over the text with each array's text replaced by its SHA-256 (computed here by Node's
    // hash over the text edited as text, test/helpers/checkpoint.ts), and each array's is its text's SHA-256.
    const sums = (t: string) => (JSON.parse(t) as { sha256: { file: string; arrays: Record<string, string> } }).sha256;
    expect(sums(resign(text)).file).toBe(sums(text).file);
    const doc = JSON.parse(text) as { blocks: { outputs: string; current: { x: string } }[] };
    const sha = (t: string) => createHash("sha256").update(t).digest("hex");
    expect(sums(text).arrays["blocks[0].outputs"]).toBe(sha(doc.blocks[0].outputs));
    expect(sums(text).arrays["blocks[0].current.x"]).toBe(sha(doc.blocks[0].current.x));
    // Without the checksums the changed files would be read (other numbers, another count): the checksums refuse them.
    const outputsFlipped = flip(text, outputsAt + 14); // the second number (the first is a NaN)
    expect(Array.from(decodeCheckpoint(resign(outputsFlipped), "c.json").blocks[0].outputs)).not.toEqual(
      Array.from(original.blocks[0].outputs),
    );
    expect(refusal(outputsFlipped)).toBe(changed("blocks[0].outputs"));
    expect(refusal(outputsFlipped, nodeSha256)).toBe(changed("blocks[0].outputs"));
    const xFlipped = flip(text, xAt + 2);
    expect(Array.from(decodeCheckpoint(resign(xFlipped), "c.json").blocks[0].current!.x)).not.toEqual(
      Array.from(original.blocks[0].current!.x),
    );
    expect(refusal(xFlipped)).toBe(changed("blocks[0].current.x"));
    const stepsChanged = text.slice(0, stepsAt) + "1" + text.slice(stepsAt);
    expect(refusal(resign(stepsChanged))).toBe("read");
    expect(refusal(stepsChanged)).toBe(
      "c.json: the checkpoint is damaged: it does not match its SHA-256 (its counts, random states, parameters or checksums were changed after it was written)",
    );
    // no checksums, or a key after them
    const body = text.slice(0, text.lastIndexOf(',"sha256":'));
    expect(refusal(`${body}}\n`)).toBe("c.json: the checkpoint is damaged: it has no SHA-256 checksums");
    expect(refusal(`${text.trimEnd().slice(0, -1)},"more":1}`)).toBe(
      "c.json: the checkpoint is damaged: its SHA-256 checksums are not at its end",
    );
    // Node's SHA-256 (the CLI's) writes and reads the same text as the default
    const c = decodeCheckpoint(text, "c.json", nodeSha256);
    expect([...checkpointPieces(c, nodeSha256)].join("")).toBe(text);
    // the CLI's reading of the file
    const file = path.join(dir, "flipped.json");
    writeFileSync(file, outputsFlipped);
    expect(() => readCheckpointFile(file)).toThrow(
      `--restart ${file}: the checkpoint is damaged: blocks[0].outputs does not match its SHA-256`,
    );
  });

  it("a JSON file that is not a checkpoint, or of an older format, is refused from its first bytes", () => {
    const first = (head: string) => {
      const reader = new CheckpointReader("r.json");
      try {
        // only the first bytes: a results file of hundreds of MB is refused before more of it is read
        reader.push(new TextEncoder().encode(head));
      } catch (err) {
        expect(err).toBeInstanceOf(CheckpointError);
        return (err as Error).message;
      }
      return "no refusal yet";
    };
    const notOne = 'r.json is not a ness checkpoint (it does not begin with "format": "ness-checkpoint")';
    expect(first('{\n  "ness": "0.1.0",\n  "command": "ness simulate m.yaml",\n  "estimates": [')).toBe(notOne);
    expect(first('{"format": "ness-sweep", "rows": [')).toBe(notOne);
    expect(first('{"format": 3, "rows": [')).toBe(notOne);
    expect(first('{"format": {"a": [')).toBe(notOne);
    expect(first(`{"${"f".repeat(300)}": 1`)).toBe(notOne);
    expect(first('{"format": "ness-checkpoint", "formatVersion": 2, "blocks": [')).toBe(
      "r.json is a checkpoint of format 2; this ness reads format 4 (an older format: continue it with the ness that wrote it, or run again)",
    );
    expect(first('{"format": "ness-checkpoint", "formatVersion": 4, "ness": "0.1.0", "blocks": [')).toBe(
      "no refusal yet",
    );
  });
});
