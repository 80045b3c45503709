// Library calls with bad arguments (test/corpus/README.md): each call, the NessError subclass it must throw and a
// fragment of its message. A raw TypeError or RangeError, or a wrong answer, is a failure.
import { describe, expect, it } from "vitest";
import {
  checkModel,
  loadModel,
  ModelError,
  NessError,
  solveNetwork,
  SteadyStateError,
  validateModel,
  validateNetwork,
  validateParticles,
  type Figure,
  type NetworkModel,
  type ParticlesModel,
} from "../../src/index.js";
// Internals, by path (the package entry exports only the public surface).
import { isLinearNetwork, parseModelText, particleCount } from "../../src/model/index.js";
import { networkFluxes } from "../../src/exact/index.js";
import {
  checkNetworkSolvable,
  decoupledModes,
  diffusionMatrix,
  driftMatrix,
  potentialMatrix,
  unpinnedComponents,
} from "../../src/problem/index.js";
import * as exact from "../../src/exact/index.js";
import * as problem from "../../src/problem/index.js";
import * as verify from "../../src/verify/index.js";
import * as sweepModule from "../../src/sweep/index.js";
import { SweepError } from "../../src/errors.js";
import * as figures from "../../src/figures/index.js";
import * as linalgModule from "../../src/linalg/index.js";
import * as gemm from "../../src/linalg/gemm.js";
import * as schur from "../../src/linalg/schur.js";
import * as lyapunov from "../../src/linalg/lyapunov.js";
import * as lyapunovCondition from "../../src/linalg/lyapunovCondition.js";
import * as stochastic from "../../src/stochastic/index.js";
import * as publicSurface from "../../src/index.js";
import * as nodeSurface from "../../src/node.js";
const ness = {
  ...publicSurface,
  ...problem,
  ...exact,
  verify,
  sweep: sweepModule,
  SweepError,
  linalg: { ...linalgModule, ...gemm, ...schur, ...lyapunov, ...lyapunovCondition },
};
import { fusedBaoabKernel } from "../../src/stochastic/kernels.js";
import { SimulationError } from "../../src/stochastic/safety.js";
import {
  steadyState,
  sweep,
  validateDimensionless,
  mechanicalToDimensionless,
} from "../../src/studies/variance-resonance/index.js";
import {
  energyCorrelations,
  idealGas,
  fermiGas,
  simulateEnergyCorrelations,
} from "../../src/studies/energy-correlations/index.js";
import { besselIScaledSequence, besselISeries } from "../../src/special/bessel.js";
import { peakOfSamples } from "../../src/studies/variance-resonance/index.js";
import { tmpdir } from "node:os";
import {
  classifyDemixing,
  combineDemixing,
  coldClusters,
  neighbourPairs,
  demixingFiniteSize,
  demixingParams,
  softSecondVirial2D,
  pairExact,
  ratchetCurrent,
  runAndChaseExact,
  simulatePair,
} from "../../src/studies/two-temperature/index.js";
import {
  simulateChainCurrent,
  simulateProbeDecay,
  validateParams,
} from "../../src/studies/particle-bath-chain/index.js";

const net = loadModel(`kind: network
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
`) as NetworkModel;
const particles = loadModel(`kind: particles
dimension: 1
species: [{name: hot, count: 1, temperature: 2}, {name: cold, count: 1, temperature: 1}]
pairs: [{potential: harmonic, stiffness: 1}]
external: [{potential: harmonic, stiffness: 1}]
`) as ParticlesModel;
const unconfined = loadModel(
  `kind: network
sites: [a, b]
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 1}]
`,
  "free.yaml",
) as NetworkModel;
const freeParticles = validateParticles({
  kind: "particles",
  dimension: 2,
  species: [{ name: "a", count: 3, temperature: 1 }],
});
const dt = { dt: 0.01 };
/** Two overdamped soft disks in a periodic box (for the particle options). */
const boxedDisks = validateParticles({
  kind: "particles",
  dynamics: "overdamped",
  dimension: 2,
  box: 4,
  species: [
    { name: "hot", count: 1, temperature: 2 },
    { name: "cold", count: 1, temperature: 1 },
  ],
  pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
  initial: "random",
});
const options = { time: 1, seed: 1 };
const oneSite = validateNetwork({
  kind: "network",
  sites: 1,
  pinning: 1,
  baths: [{ site: 1, friction: 1, temperature: 1 }],
});
const bad = (patch: Partial<NetworkModel>) => ({ ...net, ...patch }) as NetworkModel;

/** A ring of n sites with one bath: the zero-forcing sweep clears nothing, so Lemma 1 needs the dense check. */
const ring = (n: number) =>
  validateNetwork({
    kind: "network",
    sites: n,
    pinning: 1,
    springs: Array.from({ length: n }, (_, k) => ({ between: [k + 1, ((k + 1) % n) + 1], stiffness: 1 })),
    baths: [{ site: 1, friction: 1, temperature: 1 }],
  });
const bigRing = ring(6000);
/** Two overdamped coordinates with unit baths: the frame of hand-written Langevin problems. */
const twoCoordinates = {
  kind: "langevin",
  dynamics: "overdamped",
  mass: [1, 1],
  friction: [1, 1],
  temperature: [1, 1],
} as const;

/** A figure made by hand (not by the library's chart functions), rendering what `render` makes. */
const handMadeFigure = (render: (d: Document) => Element): Figure => ({
  name: "hand-made",
  title: "hand-made",
  caption: "",
  table: { columns: [], rows: [] },
  render,
});

type Call = [string, () => unknown, new (...a: never[]) => NessError, string];
const calls: Call[] = [
  // Models
  [
    "loadModel(null)",
    () => loadModel(null as unknown as string),
    ModelError,
    "expected the model's text (a string), got null",
  ],
  ["parseModelText(42)", () => parseModelText(42 as unknown as string), ModelError, "got 42"],
  ["validateModel(undefined)", () => validateModel(undefined), ModelError, "expected a mapping with a 'kind' field"],
  ["validateNetwork('x')", () => validateNetwork("x"), ModelError, "expected a mapping"],
  ["validateParticles(null)", () => validateParticles(null), ModelError, "expected a mapping"],
  [
    "validateModel(sites: 'abc')",
    () => validateModel({ kind: "network", sites: "abc", baths: [] }),
    ModelError,
    'sites: expected a list of site names or a count, got "abc"',
  ],
  [
    "validateModel(temperature NaN)",
    () => validateModel({ kind: "network", sites: 1, pinning: 1, baths: [{ site: 1, friction: 1, temperature: NaN }] }),
    ModelError,
    "temperature: expected a number, got NaN",
  ],
  [
    "validateModel(temperature 1e308)",
    () =>
      validateModel({ kind: "network", sites: 1, pinning: 1, baths: [{ site: 1, friction: 1, temperature: 1e308 }] }),
    ModelError,
    "temperature must lie in 1e-50 .. 1e50",
  ],
  [
    "validateModel(species NaN)",
    () =>
      validateModel({ kind: "particles", dimension: 1, box: 2, species: [{ name: "a", count: 1, temperature: NaN }] }),
    ModelError,
    "got NaN",
  ],
  ["checkModel(kind: 'x')", () => checkModel({ kind: "x" }, "test"), ModelError, "test: expected a model"],
  [
    "isLinearNetwork(null)",
    () => isLinearNetwork(null as unknown as NetworkModel),
    ModelError,
    "isLinearNetwork: expected a network model",
  ],
  [
    "particleCount(null)",
    () => particleCount(null as unknown as ParticlesModel),
    ModelError,
    "particleCount: expected a particles model",
  ],
  // Exact engine: hand-built and modified models are checked like files
  [
    "solveNetwork(null)",
    () => solveNetwork(null as unknown as NetworkModel),
    ModelError,
    "solveNetwork: expected a network model",
  ],
  ["solveNetwork(particles)", () => solveNetwork(particles), ModelError, "this is a particles model"],
  [
    "solveNetworkTransmission(particles)",
    () => publicSurface.solveNetworkTransmission(particles),
    ModelError,
    "solveNetworkTransmission: takes a network model; this is a particles model",
  ],
  [
    "solveNetworkTransmission(null)",
    () => publicSurface.solveNetworkTransmission(null as never),
    ModelError,
    "solveNetworkTransmission: expected a network model",
  ],
  [
    "solveNetwork(temperature -5)",
    () => solveNetwork(bad({ baths: [{ site: 0, friction: 1, temperature: -5 }] })),
    ModelError,
    "bath on a: temperature must be > 0, got -5",
  ],
  [
    "solveNetwork(stiffness '2')",
    () => solveNetwork(bad({ springs: [{ i: 0, j: 1, stiffness: "2" as unknown as number, quartic: 0 }] })),
    ModelError,
    'spring a-b: stiffness must be a number, got "2"',
  ],
  [
    "solveNetwork(mass as a list)",
    () => solveNetwork(bad({ mass: [1, 1] as unknown as Float64Array })),
    ModelError,
    "mass must be a Float64Array of 2 numbers",
  ],
  [
    "solveNetwork(spring to site 7)",
    () => solveNetwork(bad({ springs: [{ i: 0, j: 7, stiffness: 1, quartic: 0 }] })),
    ModelError,
    "site indices 0..1",
  ],
  ["solveNetwork(no baths)", () => solveNetwork(bad({ baths: [] })), ModelError, "no heat bath"],
  [
    "solveNetwork(options null)",
    () => solveNetwork(net, null as unknown as object),
    ModelError,
    "options must be an object",
  ],
  [
    "solveNetwork(bySource 'yes')",
    () => solveNetwork(net, { bySource: "yes" as unknown as boolean }),
    ModelError,
    "bySource must be true or false",
  ],
  [
    "solveNetwork(unconfined)",
    () => solveNetwork(unconfined),
    SteadyStateError,
    "free.yaml: the network is not confined",
  ],
  [
    "solveNetwork(maxCoordinates 2)",
    () => solveNetwork(net, { maxCoordinates: 2 }),
    ModelError,
    "too large for the exact engine",
  ],
  [
    "checkNetworkSolvable({})",
    () => checkNetworkSolvable({} as NetworkModel),
    ModelError,
    "checkNetworkSolvable: expected a network model",
  ],
  [
    "decoupledModes(null)",
    () => decoupledModes(null as unknown as NetworkModel),
    ModelError,
    "decoupledModes: expected a network model",
  ],
  [
    "unpinnedComponents(particles)",
    () => unpinnedComponents(particles as unknown as NetworkModel),
    ModelError,
    "this is a particles model",
  ],
  [
    "potentialMatrix('x')",
    () => potentialMatrix("x" as unknown as NetworkModel),
    ModelError,
    "potentialMatrix: expected a network model",
  ],
  [
    "driftMatrix(temperature NaN)",
    () => driftMatrix(bad({ baths: [{ site: 0, friction: 1, temperature: NaN }] })),
    ModelError,
    "must be a finite number, got NaN",
  ],
  [
    "diffusionMatrix(net, null)",
    () => diffusionMatrix(net, null as unknown as Float64Array),
    ModelError,
    "temperature must hold one number per site",
  ],
  [
    "solveNetwork(6000-site ring)",
    () => solveNetwork(bigRing),
    ModelError,
    "too large for the exact engine: 6000 underdamped sites",
  ],
  ["decoupledModes(6000-site ring)", () => decoupledModes(bigRing), ModelError, "the dense check takes at most 5000"],
  [
    "networkFluxes(net, null, ...)",
    () => networkFluxes(net, null as never, null as never, new Float64Array(2)),
    ModelError,
    "the covariance must be a 4 x 4 matrix",
  ],
  // Stochastic engine
  ["simulateSync(null)", () => stochastic.simulateSync(null as never, dt, options), ModelError, "simulate: expected a"],
  // model-free entropy production (src/stochastic/modelFree.ts)
  [
    "transitionKl(too short)",
    () => stochastic.transitionKl({ states: new Float64Array(20), dim: 2, dt: 0.1 }),
    ModelError,
    "too few for 16 blocks",
  ],
  [
    "transitionKl(NaN state)",
    () => stochastic.transitionKl({ states: new Float64Array(4000).fill(NaN), dim: 2, dt: 0.1 }),
    ModelError,
    "the states must be finite",
  ],
  [
    "transitionKl(bins^dim too large)",
    () => stochastic.transitionKl({ states: new Float64Array(12000).map(Math.random), dim: 3, dt: 0.1 }, { bins: 11 }),
    ModelError,
    "more than 1024",
  ],
  [
    "gaussianKl(constant)",
    () => stochastic.gaussianKl({ states: new Float64Array(4000), dim: 2, dt: 0.1 }),
    ModelError,
    "not positive definite",
  ],
  [
    "gaussianKl(dt 0)",
    () => stochastic.gaussianKl({ states: new Float64Array(4000), dim: 2, dt: 0 }),
    ModelError,
    "dt must be a positive finite number",
  ],
  ["turBound(few)", () => stochastic.turBound(new Float64Array(10), 0.1), ModelError, "too few for 32 blocks"],
  [
    "modelFreeEntropy(ragged states)",
    () => stochastic.modelFreeEntropy({ states: new Float64Array(4001), dim: 2, dt: 0.1 }),
    ModelError,
    "not whole states of 2 coordinates",
  ],
  [
    "modelFreeEntropy(lag 0)",
    () => stochastic.modelFreeEntropy({ states: new Float64Array(4000).map(Math.random), dim: 2, dt: 0.1 }, { lag: 0 }),
    ModelError,
    "lag must be a positive integer",
  ],
  [
    "turBound(blocks 2)",
    () => stochastic.turBound(new Float64Array(100), 0.1, { blocks: 2 }),
    ModelError,
    "blocks must",
  ],
  [
    "areaIncrements(same axis)",
    () => stochastic.areaIncrements({ states: new Float64Array(4), dim: 2, dt: 1 }, 0, 0),
    ModelError,
    "two different indices",
  ],
  [
    "simulateSync(model null)",
    () => stochastic.simulateSync(null as never, dt, options),
    ModelError,
    "simulate: expected a network model",
  ],
  [
    "simulateSync(no options)",
    () => stochastic.simulateSync(net, dt, undefined as never),
    ModelError,
    "options must be an object",
  ],
  [
    "simulateSync(scheme as a string)",
    () => stochastic.simulateSync(net, "heun" as never, options),
    ModelError,
    "the scheme must be a value such as baoab({ dt: 0.01 })",
  ],
  [
    "simulateSync(scheme 'rk4')",
    () => stochastic.simulateSync(net, { scheme: "rk4", dt: 0.01 } as never, options),
    ModelError,
    'unknown scheme "rk4"',
  ],
  [
    "simulateSync(noise 'philox')",
    () => stochastic.simulateSync(net, dt, { ...options, noise: "philox" } as never),
    ModelError,
    'noise must be stream or counter, got "philox"',
  ],
  [
    "simulateSync(dt in the options)",
    () => stochastic.simulateSync(net, dt, { ...options, dt: 0.01 } as never),
    ModelError,
    "the scheme and dt are the second argument",
  ],
  [
    "simulateSync(temperature -5)",
    () => stochastic.simulateSync(bad({ baths: [{ site: 0, friction: 1, temperature: -5 }] }), dt, options),
    ModelError,
    "temperature must be > 0",
  ],
  [
    "simulateSync(unconfined network)",
    () => stochastic.simulateSync(unconfined, dt, options),
    SteadyStateError,
    "free.yaml: the network is not confined",
  ],
  [
    "simulateSync(free particles)",
    () => stochastic.simulateSync(freeParticles, dt, options),
    SteadyStateError,
    "no steady state in open space",
  ],
  [
    "simulateSync(network, heat false)",
    () => stochastic.simulateSync(net, dt, { ...options, heat: false }),
    ModelError,
    "heat: false is for overdamped particles, not networks",
  ],
  [
    "simulateSync(particles, heat 'no')",
    () => stochastic.simulateSync(boxedDisks, dt, { ...options, heat: "no" as never }),
    ModelError,
    'heat must be true or false, got "no"',
  ],
  [
    "simulateSync(network, profile true)",
    () => stochastic.simulateSync(net, dt, { ...options, profile: true }),
    ModelError,
    "profile: true is for particles, not networks",
  ],
  [
    "simulateSync(particles, profile 'yes')",
    () => stochastic.simulateSync(boxedDisks, dt, { ...options, profile: "yes" as never }),
    ModelError,
    'profile must be true or false, got "yes"',
  ],
  [
    "simulate: negative burn-in",
    () => stochastic.simulateSync(oneSite, dt, { ...options, burnIn: -1 }),
    ModelError,
    "burn-in must be a finite number >= 0",
  ],
  [
    "simulate: burn-in as a string",
    () => stochastic.simulateSync(oneSite, dt, { ...options, burnIn: "5" as unknown as number }),
    ModelError,
    "burn-in must be a finite number >= 0",
  ],
  [
    "simulate: burn-in of uncountable steps",
    () => stochastic.simulateSync(oneSite, dt, { ...options, burnIn: 1e308 }),
    ModelError,
    "more than can be counted",
  ],
  [
    "simulate: a single batch value",
    () => stochastic.simulateSync(oneSite, dt, { ...options, batches: 1 }),
    ModelError,
    "at least 2 batch values",
  ],
  [
    "simulate: harmonic pair beyond its whole-field limit",
    () => stochastic.simulateSync(particles, { dt: 0.99 }, { time: 10, seed: 1 }),
    SimulationError,
    "dt < 2/lambda = 0.667",
  ],
  ["simulate(null) (async)", () => stochastic.simulate(null as never, dt, options), ModelError, "simulate: expected a"],
  // Studies from a library: parameters null, a list or a number were a TypeError or silently the defaults.
  [
    "runStudy(study, null)",
    () => publicSurface.runStudy(publicSurface.findStudy("variance-resonance")!, null as never),
    ModelError,
    "runStudy: the parameters must be an object",
  ],
  [
    "runStudy(study, [])",
    () => publicSurface.runStudy(publicSurface.findStudy("variance-resonance")!, [] as never),
    ModelError,
    "got a list",
  ],
  [
    "runStudy(study, 5)",
    () => publicSurface.runStudy(publicSurface.findStudy("variance-resonance")!, 5 as never),
    ModelError,
    "got number 5",
  ],
  [
    "runStudy(study, a Map)",
    () => publicSurface.runStudy(publicSurface.findStudy("variance-resonance")!, new Map([["k", 2]]) as never),
    ModelError,
    "got an object of another kind (Map)",
  ],
  [
    "runStudy(study, a function)",
    () =>
      publicSurface.runStudy(publicSurface.findStudy("variance-resonance")!, function (x: unknown) {
        return x;
      } as never),
    ModelError,
    "got a function",
  ],
  [
    "runStudy(not a study)",
    () => publicSurface.runStudy({ name: "x" } as never),
    ModelError,
    "runStudy: expected a study",
  ],
  ["studentTwoSidedTail(1, 0)", () => publicSurface.studentTwoSidedTail(1, 0), ModelError, "degrees of freedom"],
  [
    "findEstimate(no such estimate)",
    () => publicSurface.findEstimate(stochastic.simulateSync(oneSite, dt, options), "spring flux", "x"),
    ModelError,
    "findEstimate: no estimate spring flux / x",
  ],
  [
    "jackknife(1 group)",
    () => publicSurface.jackknife(1, () => [1]),
    ModelError,
    "the jackknife needs at least 2 groups, got 1",
  ],
  [
    "svgToPng(scale 0)",
    () => nodeSurface.svgToPng("<svg/>", { scale: 0 }),
    ModelError,
    "svgToPng: scale must be a positive number, got 0",
  ],
  [
    "writeFigure(format 'pdf')",
    () =>
      nodeSurface.writeFigure(
        publicSurface.lineChart({ name: "f", title: "t", caption: "c", xLabel: "x", yLabel: "y", series: [] }),
        "out",
        { formats: ["pdf" as never] },
      ),
    ModelError,
    'unknown format "pdf"',
  ],
  [
    "tableToCsv(short row)",
    () => nodeSurface.tableToCsv({ columns: ["a", "b"], rows: [[1]] }),
    ModelError,
    "CSV row 0 has 1 values but the table has 2 columns",
  ],
  [
    "tableToCsv(NaN)",
    () => nodeSurface.tableToCsv({ columns: ["a"], rows: [[NaN]] }),
    ModelError,
    "CSV refuses non-finite value NaN",
  ],
  [
    "baoab({ dt: NaN })",
    () => stochastic.baoab({ dt: NaN }),
    ModelError,
    "dt must be a positive finite number, got NaN",
  ],
  ["heun(0.01)", () => stochastic.heun(0.01 as never), ModelError, "heun: expected { dt }, got 0.01"],
  [
    "baoab({ fused: 'no' })",
    () => stochastic.baoab({ dt: 0.1, fused: "no" as never }),
    ModelError,
    "fused must be true or false",
  ],
  [
    "heun({ fused: 1 })",
    () => stochastic.heun({ dt: 0.1, fused: 1 as never }),
    ModelError,
    "heun: fused must be true or false, got 1",
  ],
  ["schemeByName('rk4')", () => stochastic.schemeByName("rk4", 0.1), ModelError, 'unknown scheme "rk4"'],
  [
    "ensembleSync(kind 'nope')",
    () => stochastic.ensembleSync({ kind: "nope" }, { replicas: 1, seed: 1 }),
    NessError,
    'no problem kind "nope" is registered',
  ],
  [
    "ensembleSync(replicas 0)",
    () => stochastic.ensembleSync({ kind: "sde" }, { replicas: 0, seed: 1 }),
    ModelError,
    "replicas must be a positive integer, got 0",
  ],
  [
    "ensembleSync(sde 'nope')",
    () =>
      stochastic.ensembleSync({ kind: "sde", sde: "nope", parameters: {}, initial: [0] } as never, {
        replicas: 1,
        seed: 1,
        settings: { scheme: stochastic.eulerMaruyama(dt), burnSteps: 0, steps: 1, sampleEvery: 1 },
      }),
    NessError,
    'no SDE "nope" is registered',
  ],
  [
    "sdeIntegrator(heun)",
    () =>
      stochastic.sdeIntegrator({ dimension: 1, noiseDimension: 1, increment: () => 0 }, stochastic.heun(dt) as never),
    ModelError,
    "does not integrate a general SDE",
  ],
  [
    "sdeIntegrator(linear-implicit without a Jacobian)",
    () =>
      stochastic.sdeIntegrator({ dimension: 1, noiseDimension: 1, increment: () => 0 }, stochastic.linearImplicit(dt)),
    ModelError,
    "needs the drift's Jacobian",
  ],
  [
    "networkSystem(6000-site ring)",
    () => stochastic.networkSystem(bigRing),
    ModelError,
    "too large to simulate: 6000 sites",
  ],
  [
    "networkSystem(particles)",
    () => stochastic.networkSystem(particles as never),
    ModelError,
    "this is a particles model",
  ],
  ["particleSystem(network)", () => stochastic.particleSystem(net as never), ModelError, "this is a network model"],
  ["exactNetwork(unconfined)", () => ness.verify.exactNetwork(unconfined), SteadyStateError, "not confined"],
  [
    "NetworkForceField(null)",
    () => new stochastic.NetworkForceField(null as never),
    ModelError,
    "NetworkForceField: expected a network model",
  ],
  [
    "langevinSystem(pairs term without a space)",
    () => stochastic.langevinSystem({ ...twoCoordinates, forces: [{ term: "pairs", pairs: [] }] }),
    ModelError,
    'a "pairs" force term needs the problem\'s space',
  ],
  [
    "langevinSystem(pairs term with a negative stiffness)",
    () =>
      stochastic.langevinSystem({
        ...twoCoordinates,
        space: { dimension: 1, box: null, species: 1, speciesOf: new Int32Array(2) },
        forces: [{ term: "pairs", pairs: [{ a: 0, b: 0, pair: { potential: "harmonic", stiffness: -1, length: 0 } }] }],
      }),
    ModelError,
    'the "pairs" force term: pairs[0]',
  ],
  [
    "langevinSystem(unknown term)",
    () => stochastic.langevinSystem({ ...twoCoordinates, forces: [{ term: "bonds?" }] }),
    ModelError,
    'unknown force term "bonds?"',
  ],
  [
    "langevinSystem(network term on the wrong number of coordinates)",
    () =>
      stochastic.langevinSystem({
        ...twoCoordinates,
        forces: [{ term: "network", pinning: Float64Array.of(1), quarticPinning: Float64Array.of(0), springs: [] }],
      }),
    ModelError,
    'the "network" force term acts on 1 coordinates; the problem has 2',
  ],
  [
    "registerForceTerm(built-in name)",
    () => stochastic.registerForceTerm("pairs", () => ({ dof: 1, compute: () => 0 })),
    ModelError,
    'the force term "pairs" is built in',
  ],
  [
    "NetworkProbe(model, wrong field)",
    () => new stochastic.NetworkProbe(net, {} as never, 0.01, false, "stratonovich"),
    ModelError,
    "field must be the model's NetworkForceField",
  ],
  [
    "ParticleProbe(null)",
    () => new stochastic.ParticleProbe(null as never, 0.01, null as never),
    ModelError,
    "ParticleProbe: expected a particles model",
  ],
  ["PairHeatLedger(null)", () => new stochastic.PairHeatLedger(null as never), ModelError, "PairHeatLedger"],
  [
    "integrator(null)",
    () => stochastic.integrator(null as never, stochastic.baoab({ dt: 0.1 })),
    ModelError,
    "integrator: expected a LangevinSystem",
  ],
  [
    "integrator(scheme 'rk4')",
    () => stochastic.integrator(stochastic.networkSystem(net).system, { scheme: "rk4", dt: 0.1 } as never),
    ModelError,
    "unknown scheme",
  ],
  [
    "integrator(heun, underdamped)",
    () => stochastic.integrator(stochastic.networkSystem(net).system, stochastic.heun({ dt: 0.1 })),
    ModelError,
    "scheme heun does not integrate underdamped dynamics (use baoab or exact)",
  ],
  [
    "Rng.stream('x')",
    () => stochastic.Rng.stream("x" as unknown as number),
    ModelError,
    "seed must be a non-negative integer",
  ],
  [
    "schemeMap(null)",
    () => stochastic.schemeMap(null as never, "baoab", 0.1),
    ModelError,
    "schemeMap: expected a network model",
  ],
  [
    "fusedBaoabKernel(net, NaN)",
    () => fusedBaoabKernel(net, NaN, false),
    ModelError,
    "dt must be a positive finite number",
  ],
  // Figures
  [
    "networkFigure(null)",
    () => figures.networkFigure(null as never),
    ModelError,
    "networkFigure: expected a specification object",
  ],
  [
    "networkLayout(n = 2.5)",
    () => figures.networkLayout(2.5, []),
    ModelError,
    "the number of nodes must be an integer in [0, 100000], got 2.5",
  ],
  ["networkLayout(edges null)", () => figures.networkLayout(3, null as never), ModelError, "edges must be a list"],
  [
    "networkLayout(edge out of range)",
    () => figures.networkLayout(3, [[0, 5]]),
    ModelError,
    "edge (0, 5) out of range for 3 nodes",
  ],
  [
    "networkLayout(edge not a pair)",
    () => figures.networkLayout(3, [[0, "x"]] as never),
    ModelError,
    "edges[0] must be a pair of node numbers",
  ],
  [
    "networkFigure(position NaN)",
    () => figures.networkFigure({ sites: [{ name: "a", kineticTemperature: 1, position: [0, NaN] }], springs: [] }),
    ModelError,
    'position y of site "a" is NaN',
  ],
  [
    "lineChart(series missing)",
    () => figures.lineChart({ name: "x", title: "", caption: "", xLabel: "", yLabel: "" } as never),
    ModelError,
    "series must be a list",
  ],
  [
    "heatmapFigure(null)",
    () => figures.heatmapFigure(null as never),
    ModelError,
    "heatmap: expected a specification object",
  ],
  [
    "particleScatter(x missing)",
    () => figures.particleScatter({ name: "x", title: "", caption: "", box: [1, 1] } as never),
    ModelError,
    "x must be a list",
  ],
  [
    "panelFigure(panels null)",
    () => figures.panelFigure({ name: "x", title: "", caption: "", panels: null } as never),
    ModelError,
    "panels must be a list",
  ],
  // Studies: every parameter has a declared range; the message names it and the range.
  [
    "study variance-resonance: q = 0",
    () => validateDimensionless({ k: 1, k0: 0.01, q: 0, T1: 1, T2: 11 }),
    ModelError,
    "q = Q2 (the quality factor) must be a number in [0.001, 1e12], got 0",
  ],
  [
    "study variance-resonance: T1 = 1e308",
    () => steadyState({ k: 1, k0: 0.01, q: 4000, T1: 1e308, T2: 11 }),
    ModelError,
    "T1 must be 0 or a number in [1e-100, 1e100]",
  ],
  [
    "study variance-resonance: a temperature as a string",
    () => steadyState({ k: 1, k0: 0.01, q: 4000, T1: "1" as unknown as number, T2: 11 }),
    ModelError,
    "T1 must be 0 or a number in [1e-100, 1e100], got '1'",
  ],
  [
    "study variance-resonance: a sweep of 6e6 points",
    () => sweep({ k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 }, "k", { length: 6e6 } as ArrayLike<number>),
    ModelError,
    "at most 5000000 points",
  ],
  [
    "study variance-resonance: mechanical units that overflow",
    () => mechanicalToDimensionless({ m: 1e300, k1: 1e300, k2: 1e300, K: 1e300, gamma: 1, T1: 1, T2: 1, L: 1 }),
    ModelError,
    "the dimensionless q = sqrt(k2 m)/gamma",
  ],
  [
    "study energy-correlations: a bath at T = 0",
    () => energyCorrelations({ model: idealGas(), M: 2, left: 0, right: 1 }),
    ModelError,
    "must be a number in [1e-6, 1e6], got 0",
  ],
  [
    "study energy-correlations: Cv = NaN",
    () => idealGas({ Cv: NaN }),
    ModelError,
    "Cv (heat capacity of a subsystem) must be a number in [1e-6, 1e15], got NaN",
  ],
  [
    "study energy-correlations: a chain without subsystems",
    () => energyCorrelations({ model: idealGas(), M: 0, left: 1, right: 3 }),
    ModelError,
    "M (the number of subsystems) must be an integer >= 1, got 0",
  ],
  [
    "study energy-correlations: simulating one fermion",
    () => simulateEnergyCorrelations({ model: fermiGas({ N: 1 }), M: 2, left: 1, right: 3 }),
    ModelError,
    "the subsystems are too small to simulate",
  ],
  [
    "study energy-correlations: a simulation of 1 replica",
    () => simulateEnergyCorrelations({ model: idealGas(), M: 2, left: 1, right: 3 }, { replicas: 1 }),
    ModelError,
    "replicas must be an integer in [2, 1e5], got 1",
  ],
  [
    "study two-temperature: a negative spring",
    () => pairExact({ k: -1, lambda: 1, T1: 5, T2: 1 }),
    ModelError,
    "k (spring stiffness k between the particles, U = k (x1 - x2)^2 / 2) must be a number in [1e-6, 1e6], got -1",
  ],
  [
    "study two-temperature: a pair simulation of 1e9 time units",
    () => simulatePair({ k: 1, lambda: 1, T1: 5, T2: 1 }, { time: 1e9 }),
    ModelError,
    "particle-steps",
  ],
  [
    "study two-temperature: a hard-core run-and-chase",
    () => runAndChaseExact({ stiffness: 1e6, Thot: 1e-6, Tcold: 1e-6 }),
    ModelError,
    "at most 1e6 times the mean temperature",
  ],
  [
    "study two-temperature: a vertical sawtooth",
    () => ratchetCurrent({ asymmetry: 0 }),
    ModelError,
    "must be a number in [1e-6, 0.999999], got 0",
  ],
  [
    "study two-temperature: a billion disks",
    () => demixingParams({ N: 1e9 }),
    ModelError,
    "N (number of disks) must be an integer in [2, 1e5], got 1e+9",
  ],
  [
    "study two-temperature: the demixing entropy production option not a boolean",
    () => demixingParams({ entropyProduction: 1 as unknown as boolean }),
    ModelError,
    "entropyProduction must be true or false, got 1",
  ],
  [
    "study two-temperature: the finite-size study with one burn-in for two sizes",
    () => demixingFiniteSize({ sizes: [60, 120], burnIns: [10] }),
    ModelError,
    "the finite-size study needs one burn-in per system size (2), got 1",
  ],
  [
    "study two-temperature: the finite-size study with three times for two sizes",
    () => demixingFiniteSize({ sizes: [60, 120], times: [10, 20, 30] }),
    ModelError,
    "the finite-size study needs one production time per system size (2), got 3",
  ],
  [
    "study two-temperature: the finite-size study with a negative burn-in for one size",
    () => demixingFiniteSize({ sizes: [60, 120], burnIns: [10, -1] }),
    ModelError,
    "burn",
  ],
  [
    "study two-temperature: a demixing start that is not random or slab",
    () => demixingParams({ start: "stripe" as unknown as "slab" }),
    ModelError,
    'the start must be "random" or "slab", got "stripe"',
  ],
  [
    "study two-temperature: a slab contrast above 1",
    () => demixingParams({ start: "slab", slabContrast: 1.5 }),
    ModelError,
    "the slab contrast must be a number in (0, 1], got 1.5",
  ],
  [
    "study two-temperature: the combined demixing verdict without slab runs",
    () => combineDemixing({ verdict: "mixed", psi: { value: 0, error: 0.01, reliable: true, batches: 16 } }, []),
    ModelError,
    "the slab test needs at least one run from the separated start",
  ],
  [
    "study two-temperature: the demixing criterion without runs",
    () => classifyDemixing([]),
    ModelError,
    "the demixing criterion needs at least one run",
  ],
  [
    "study two-temperature: a second virial coefficient at T = 0",
    () => softSecondVirial2D(1, 1, 0),
    ModelError,
    "stiffness, range and temperature must be finite and > 0",
  ],
  [
    "stochastic: a structure factor with one weight for two points",
    () => stochastic.structureFactor(new Float64Array([0, 0, 1, 1]), [4, 4], [[1]], { qMax: 3 }),
    ModelError,
    "1 weights for 2 points",
  ],
  [
    "stochastic: a structure factor below the smallest wavevector",
    () => stochastic.structureFactor(new Float64Array([0, 0]), [10, 10], [[1]], { qMax: 0.1 }),
    ModelError,
    "qMax must be at least the smallest wavevector",
  ],
  [
    "stochastic: a structure factor of a NaN position",
    () => stochastic.structureFactor(new Float64Array([0, NaN]), [4, 4], [[1]], { qMax: 3 }),
    ModelError,
    "position 1 is not a finite number",
  ],
  [
    "stochastic: a structure factor with options null",
    () => stochastic.structureFactor(new Float64Array([0, 0]), [4, 4], [[1]], null as never),
    ModelError,
    "options must be an object",
  ],
  [
    "study particle-bath-chain: rho = 1e308",
    () => validateParams({ rho: 1e308 }),
    ModelError,
    "rho (localisation rho of the von Mises coupling F(x) = (A / I0(rho)) exp(rho cos(2 pi x / L))) must be a number in [0.001, 100], got 1e+308",
  ],
  [
    "study particle-bath-chain: no replicas",
    () => simulateChainCurrent(validateParams({}), { replicas: 0, duration: 10, burnIn: 1, seed: 1 }),
    ModelError,
    "--replicas must be an integer in [1, 10000], got 0",
  ],
  [
    "study particle-bath-chain: one probe pair",
    () => simulateProbeDecay(validateParams({}), { pairs: 1, seed: 1 }),
    ModelError,
    "pairs (antithetic pairs of probes) must be an integer in [2, 10000], got 1",
  ],
  ["sweep.validateSweepSpec(null)", () => ness.sweep.validateSweepSpec(null), ness.SweepError, "expected a mapping"],
  [
    "sweep.validateSweepSpec(model file, no reader)",
    () =>
      ness.sweep.validateSweepSpec({
        base: { model: "m.yaml" },
        axes: [{ path: "a", values: [1] }],
        compute: { kind: "exact" },
        outputs: ["x"],
      }),
    ness.SweepError,
    "cannot be read here",
  ],
  [
    "sweep.parseSweepSpec(empty axis)",
    () =>
      ness.sweep.parseSweepSpec(
        "base: {model: {kind: network, sites: 1, pinning: 1, baths: [{site: 1, friction: 1, temperature: 1}]}}\naxes: [{path: pinning, values: []}]\ncompute: {kind: exact}\noutputs: [entropyProduction]",
      ),
    ness.SweepError,
    "the axis is empty",
  ],
  ["sweep.parsePath('a..b')", () => ness.sweep.parsePath("a..b", "test"), ness.SweepError, "malformed field path"],
  [
    "sweep.parseRange('1:2:x')",
    () => ness.sweep.parseRange("1:2:x", "range", false, true),
    ness.SweepError,
    "count must be a whole number >= 1",
  ],
  [
    "sweep.prepareSweep(non-numeric path)",
    () =>
      ness.sweep.prepareSweep(
        ness.sweep.parseSweepSpec(
          "base: {model: {kind: network, name: n, sites: 1, pinning: 1, baths: [{site: 1, friction: 1, temperature: 1}]}}\naxes: [{path: name, values: [1]}]\ncompute: {kind: exact}\noutputs: [entropyProduction]",
        ),
      ),
    ness.SweepError,
    "is not a number in the base model",
  ],
  // Former plain Errors and RangeErrors of user-caused failures (issue 12 leftovers)
  [
    "renderSvg: a figure that renders a <div>",
    () => nodeSurface.renderSvg(handMadeFigure((d) => d.createElement("div"))),
    ModelError,
    'figure "hand-made" rendered a <div>, expected one <svg>',
  ],
  [
    "renderSvg: a figure whose <svg> has no size",
    () => nodeSurface.renderSvg(handMadeFigure((d) => d.createElementNS("http://www.w3.org/2000/svg", "svg"))),
    ModelError,
    "root <svg> has no width/height or viewBox",
  ],
  [
    "writeFigure: a figure that renders a <div> writes nothing",
    () =>
      nodeSurface.writeFigure(
        handMadeFigure((d) => d.createElement("div")),
        tmpdir(),
        { formats: ["svg"] },
      ),
    ModelError,
    "expected one <svg>",
  ],
  ["besselI of order -1", () => besselIScaledSequence(-1, 1), ModelError, "order must be an integer >= 0"],
  ["besselI at x = NaN", () => besselIScaledSequence(2, NaN), ModelError, "argument must be finite, got NaN"],
  ["besselI of order 1.5", () => besselISeries(1.5, 1), ModelError, "order must be an integer, got 1.5"],
  [
    "stochastic: pairsWithin with a cutoff beyond half the box",
    () => stochastic.pairsWithin(new Float64Array(4), 2, [4, 4], 2.5),
    ModelError,
    "cutoff 2.5 must be > 0 and at most half the box side",
  ],
  [
    "stochastic: pairsWithin in a box of side 0",
    () => stochastic.pairsWithin(new Float64Array(4), 2, [4, 0], 1),
    ModelError,
    "box sides must be > 0, got 4, 0",
  ],
  [
    "study two-temperature: neighbour pairs in a box of side -1",
    () => neighbourPairs(new Float64Array(4), [-1, 4], 1),
    ModelError,
    "box sides must be > 0, got -1, 4",
  ],
  [
    "study two-temperature: cold clusters with fewer labels than disks",
    () => coldClusters(new Float64Array(6), [1, 0], [10, 10], 1),
    ModelError,
    "positions hold 3 disks (N x 2, row-major) but there are 2 labels",
  ],
  [
    "study variance-resonance: peakOfSamples of no samples",
    () => peakOfSamples([], []),
    ModelError,
    "x, y (and baseline) need the same nonzero length",
  ],
];

describe("library calls with bad arguments throw a NessError subclass with a clear message", () => {
  for (const [name, call, cls, fragment] of calls) {
    it(name, async () => {
      let err: unknown;
      try {
        await call();
      } catch (e) {
        err = e;
      }
      expect(err, `${name} did not throw`).toBeInstanceOf(cls);
      expect(err).toBeInstanceOf(NessError);
      expect((err as Error).message).toContain(fragment);
      expect((err as Error).message).not.toMatch(/\n/);
    });
  }
});

// The linear algebra and the exact engine on raw matrices (branch trust-lyapunov): the `linalg` namespace.
const { linalg } = ness;
type ErrorClass = abstract new (...args: never[]) => Error;

const m23 = () => linalg.matrix(2, 3);
const withEntry = (n: number, k: number, v: number) => {
  const a = linalg.identity(n);
  a.data[k] = v;
  return a;
};
const nan3 = () => withEntry(3, 1, NaN);
/** A hand-built linear SDE problem (unchecked): the exact engine checks it. */
const sde = (drift: linalgModule.Matrix, diffusion: linalgModule.Matrix): publicSurface.LinearSdeProblem => ({
  kind: "linear-sde",
  drift,
  diffusion,
  stateNames: Array.from({ length: drift.rows }, (_, k) => `y${k}`),
});
const stable3 = () => linalg.matrix(3, 3, [-1, 2, 0, 0, -2, 1, 0, 0, -3]);
const f64 = (n: number) => new Float64Array(n);
/** a plain object posing as a matrix, as a JavaScript caller could pass */
const fake = (data: unknown) => ({ rows: 2, cols: 2, data }) as unknown as linalgModule.Matrix;

const linalgCases: [string, () => unknown, ErrorClass, string][] = [
  // matrices
  [
    "matrix with negative rows",
    () => linalg.matrix(-1, 2),
    linalg.MatrixArgumentError,
    "matrix: rows must be an integer >= 0, got -1",
  ],
  [
    "matrix with fractional cols",
    () => linalg.matrix(2, 2.5),
    linalg.MatrixArgumentError,
    "matrix: cols must be an integer >= 0, got 2.5",
  ],
  [
    "matrix with NaN rows",
    () => linalg.matrix(NaN, 2),
    linalg.MatrixArgumentError,
    "matrix: rows must be an integer >= 0, got NaN",
  ],
  [
    "matrix with a string size",
    () => linalg.matrix("2" as unknown as number, 2),
    linalg.MatrixArgumentError,
    'rows must be an integer >= 0, got the string "2"',
  ],
  ["matrix too large", () => linalg.matrix(1e5, 1e5), linalg.MatrixArgumentError, "matrix: 100000x100000 is too large"],
  [
    "matrix with too few entries",
    () => linalg.matrix(2, 2, [1, 2, 3]),
    linalg.MatrixArgumentError,
    "matrix 2x2 needs 4 entries, got 3",
  ],
  [
    "matrix with a string entry",
    () => linalg.matrix(2, 2, ["1", 2, 3, 4] as unknown as number[]),
    linalg.MatrixArgumentError,
    "matrix: entry 0 is string, not a number",
  ],
  [
    "matrix with null data",
    () => linalg.matrix(2, 2, null as unknown as number[]),
    linalg.MatrixArgumentError,
    "matrix: data must be a Float64Array or an array of numbers",
  ],
  [
    "fromRows with ragged rows",
    () => linalg.fromRows([[1, 2], [3]]),
    linalg.MatrixArgumentError,
    "fromRows: row 1 has 1 entries, expected 2",
  ],
  [
    "fromRows with a string entry",
    () => linalg.fromRows([[1, "x" as unknown as number]]),
    linalg.MatrixArgumentError,
    "fromRows: entry (0, 1) is string, not a number",
  ],
  [
    "fromRows of numbers",
    () => linalg.fromRows([1, 2] as unknown as number[][]),
    linalg.MatrixArgumentError,
    "fromRows: row 0 is not an array of numbers",
  ],
  [
    "fromRows of null",
    () => linalg.fromRows(null as unknown as number[][]),
    linalg.MatrixArgumentError,
    "fromRows needs an array of rows",
  ],
  [
    "identity(-3)",
    () => linalg.identity(-3),
    linalg.MatrixArgumentError,
    "identity: n must be an integer >= 0, got -3",
  ],
  ["identity too large", () => linalg.identity(20000), linalg.MatrixArgumentError, "identity: n = 20000 is too large"],
  [
    "toRows of a plain-array matrix",
    () => linalg.toRows(fake([1, 2, 3, 4])),
    linalg.MatrixArgumentError,
    "toRows: data must be a Float64Array",
  ],
  [
    "transpose(null)",
    () => linalg.transpose(null as unknown as linalgModule.Matrix),
    linalg.MatrixArgumentError,
    "transpose must be a matrix {rows, cols, data: Float64Array}, got null",
  ],
  [
    "clone with short data",
    () => linalg.clone(fake(f64(3))),
    linalg.MatrixArgumentError,
    "clone: a 2x2 matrix needs 4 entries, got 3",
  ],
  [
    "multiply 2x3 by 2x3",
    () => linalg.multiply(m23(), m23()),
    linalg.MatrixArgumentError,
    "multiply: cannot multiply 2x3 by 2x3",
  ],
  [
    "multiply into a wrong-size out",
    () => linalg.multiply(m23(), linalg.matrix(3, 2), linalg.identity(3)),
    linalg.MatrixArgumentError,
    "multiply: out must be 2x2, got 3x3",
  ],
  [
    "frobeniusNorm of a string",
    () => linalg.frobeniusNorm("A" as unknown as linalgModule.Matrix),
    linalg.MatrixArgumentError,
    "frobeniusNorm must be a matrix",
  ],
  [
    "maxAbs with negative rows",
    () => linalg.maxAbs({ rows: -1, cols: 2, data: f64(0) }),
    linalg.MatrixArgumentError,
    "maxAbs: rows must be an integer >= 0, got -1",
  ],
  [
    "symmetrize a 2x3",
    () => linalg.symmetrize(m23()),
    linalg.MatrixArgumentError,
    "symmetrize must be square, got 2x3",
  ],
  // eigenproblems and Schur form
  [
    "eigenvalues of a 2x3",
    () => linalg.eigenvalues(m23()),
    linalg.MatrixArgumentError,
    "eigenvalues must be square, got 2x3",
  ],
  [
    "eigenvalues with NaN",
    () => linalg.eigenvalues(nan3()),
    linalg.MatrixArgumentError,
    "eigenvalues has a non-finite entry NaN at (0, 1)",
  ],
  [
    "eigenvalues with Infinity",
    () => linalg.eigenvalues(withEntry(3, 4, Infinity)),
    linalg.MatrixArgumentError,
    "eigenvalues has a non-finite entry Infinity at (1, 1)",
  ],
  [
    "realSchur of a 2x3",
    () => linalg.realSchur(m23()),
    linalg.MatrixArgumentError,
    "realSchur must be square, got 2x3",
  ],
  [
    "realSchur with NaN",
    () => linalg.realSchur(nan3()),
    linalg.MatrixArgumentError,
    "realSchur has a non-finite entry NaN",
  ],
  [
    "realSchurTransposed with -Infinity",
    () => linalg.realSchurTransposed(withEntry(2, 0, -Infinity)),
    linalg.MatrixArgumentError,
    "realSchur has a non-finite entry -Infinity",
  ],
  [
    "hessenberg with NaN",
    () => linalg.hessenberg(nan3()),
    linalg.MatrixArgumentError,
    "hessenberg has a non-finite entry NaN",
  ],
  [
    "symmetricEigen of a 2x3",
    () => linalg.symmetricEigen(m23()),
    linalg.MatrixArgumentError,
    "symmetricEigen must be square, got 2x3",
  ],
  [
    "symmetricEigen with NaN",
    () => linalg.symmetricEigen(nan3()),
    linalg.MatrixArgumentError,
    "symmetricEigen has a non-finite entry NaN",
  ],
  ["cholesky of a 2x3", () => linalg.cholesky(m23()), linalg.MatrixArgumentError, "cholesky must be square, got 2x3"],
  [
    "isPositiveDefinite with NaN",
    () => linalg.isPositiveDefinite(withEntry(3, 4, NaN)),
    linalg.MatrixArgumentError,
    "cholesky has a non-finite entry NaN at (1, 1)",
  ],
  [
    "hessenbergInPlace with a short array",
    () => linalg.hessenbergInPlace(3, f64(4), null),
    linalg.MatrixArgumentError,
    "hessenbergInPlace: h needs at least 9 entries, got 4",
  ],
  [
    "hessenbergInPlace with a plain array",
    () => linalg.hessenbergInPlace(2, [1, 2, 3, 4] as unknown as Float64Array, null),
    linalg.MatrixArgumentError,
    "hessenbergInPlace: h must be a Float64Array, got an array",
  ],
  [
    "hessenbergQR with NaN (no hang)",
    () => linalg.hessenbergQR(3, f64(9).fill(NaN), null, f64(3), f64(3), false),
    linalg.SchurConvergenceError,
    "the matrix holds or produced non-finite values",
  ],
  [
    "hessenbergQR, Schur vectors without T",
    () => linalg.hessenbergQR(2, f64(4), f64(4), f64(2), f64(2), false),
    linalg.MatrixArgumentError,
    "hessenbergQR: Schur vectors (zt) need the full Schur form (wantT)",
  ],
  [
    "hessenbergQR with a short wr",
    () => linalg.hessenbergQR(3, f64(9), null, f64(2), f64(3), false),
    linalg.MatrixArgumentError,
    "hessenbergQR: wr needs at least 3 entries, got 2",
  ],
  [
    "standardiseBlock without out",
    () => linalg.standardiseBlock(1, 2, 3, 4, undefined as unknown as schur.StandardBlock),
    linalg.MatrixArgumentError,
    "standardiseBlock: out must be an object",
  ],
  [
    "norm3 of a string",
    () => linalg.norm3("3" as unknown as number, 4, 0),
    linalg.MatrixArgumentError,
    "norm3 takes three numbers",
  ],
  // kernels
  [
    "multiplyNT with a short A",
    () => linalg.multiplyNT(2, 2, 2, f64(3), f64(4), f64(4)),
    linalg.MatrixArgumentError,
    "multiplyNT: A needs at least 4 entries, got 3",
  ],
  [
    "multiplyNT with a negative size",
    () => linalg.multiplyNT(-2, 2, 2, f64(4), f64(4), f64(4)),
    linalg.MatrixArgumentError,
    "multiplyNT: m must be an integer >= 0, got -2",
  ],
  [
    "gemmNN with a small leading dimension",
    () => linalg.gemmNN(2, 2, 2, 1, f64(4), 0, 1, f64(4), 0, 2, f64(4), 0, 2),
    linalg.MatrixArgumentError,
    "gemmNN: A leading dimension 1 is below its 2 columns",
  ],
  [
    "gemmNT past the end of C",
    () => linalg.gemmNT(2, 2, 2, 1, f64(4), 0, 2, f64(4), 0, 2, f64(4), 1, 2),
    linalg.MatrixArgumentError,
    "gemmNT: C (2x2 at offset 1) reaches entry 4 of 4",
  ],
  [
    "gemmNN with alpha NaN",
    () => linalg.gemmNN(1, 1, 1, NaN, f64(1), 0, 1, f64(1), 0, 1, f64(1), 0, 1),
    linalg.MatrixArgumentError,
    "gemmNN: alpha must be a finite number, got NaN",
  ],
  [
    "mirrorUpper with a short array",
    () => linalg.mirrorUpper(3, f64(4)),
    linalg.MatrixArgumentError,
    "mirrorUpper: C needs at least 9 entries, got 4",
  ],
  [
    "transposeInto in place",
    () => {
      const x = f64(6);
      linalg.transposeInto(2, 3, x, x);
    },
    linalg.MatrixArgumentError,
    "transposeInto: out must not be M",
  ],
  // Lyapunov equation
  [
    "solveLyapunov with a 2x3 A",
    () => linalg.solveLyapunov(m23(), linalg.identity(2)),
    linalg.MatrixArgumentError,
    "Lyapunov: A must be square, got 2x3",
  ],
  [
    "solveLyapunov with mismatched Q",
    () => linalg.solveLyapunov(stable3(), linalg.identity(2)),
    linalg.MatrixArgumentError,
    "Lyapunov: Q must be 3x3 like A, got 2x2",
  ],
  [
    "solveLyapunov with NaN in A",
    () => linalg.solveLyapunov(nan3(), linalg.identity(3)),
    linalg.MatrixArgumentError,
    "Lyapunov: A has a non-finite entry NaN at (0, 1)",
  ],
  [
    "solveLyapunov with NaN in Q",
    () => linalg.solveLyapunov(stable3(), nan3()),
    linalg.MatrixArgumentError,
    "Lyapunov: Q has a non-finite entry NaN at (0, 1)",
  ],
  [
    "solveLyapunov with a non-symmetric Q",
    () => linalg.solveLyapunov(stable3(), withEntry(3, 1, 1)),
    linalg.MatrixArgumentError,
    "Lyapunov: Q must be symmetric",
  ],
  [
    "solveLyapunov with huge entries",
    () => linalg.solveLyapunov(withEntry(3, 0, -1e200), linalg.identity(3)),
    linalg.MatrixArgumentError,
    "beyond 1e150 the solve overflows",
  ],
  [
    "solveLyapunov with an unknown method",
    () => linalg.solveLyapunov(stable3(), linalg.identity(3), { method: "fast" as "tiny" }),
    linalg.MatrixArgumentError,
    'Lyapunov: method must be "tiny" or "bartels-stewart", got fast',
  ],
  [
    "solveLyapunov, tiny engine beyond its size",
    () => linalg.solveLyapunov(linalg.identity(17), linalg.identity(17), { method: "tiny" }),
    linalg.MatrixArgumentError,
    "Lyapunov: the tiny engine handles n <= 16, got 17",
  ],
  [
    "solveLyapunov of a rotation (singular)",
    () =>
      linalg.solveLyapunov(
        linalg.fromRows([
          [0, 1],
          [-1, 0],
        ]),
        linalg.identity(2),
      ),
    linalg.SingularLyapunovError,
    "singular Lyapunov equation: eigenvalues 1i and -1i of A sum to zero",
  ],
  [
    "prepareLyapunov(A).solve with a 2x3 Q",
    () => linalg.prepareLyapunov(stable3()).solve(m23()),
    linalg.MatrixArgumentError,
    "Lyapunov: Q must be square, got 2x3",
  ],
  [
    "prepareLyapunov of a fake matrix",
    () => linalg.prepareLyapunov(fake([1, 0, 0, 1])),
    linalg.MatrixArgumentError,
    "Lyapunov: A: data must be a Float64Array",
  ],
  [
    "tinyLyapunovInto(17)",
    () => linalg.tinyLyapunovInto(17, f64(289), f64(289), f64(289)),
    linalg.MatrixArgumentError,
    "tinyLyapunovInto handles integers 0 <= n <= 16, got 17",
  ],
  [
    "tinyLyapunovInto with a short X",
    () => linalg.tinyLyapunovInto(2, f64(4), f64(4), f64(3)),
    linalg.MatrixArgumentError,
    "tinyLyapunovInto: X needs at least 4 entries, got 3",
  ],
  [
    "tinyLyapunovInto with NaN in Q",
    () => linalg.tinyLyapunovInto(2, stable3().data.subarray(0, 4), f64(4).fill(NaN), f64(4)),
    linalg.MatrixArgumentError,
    "tinyLyapunovInto: Q has an entry NaN",
  ],
  [
    "estimateInverseLyapunovNorm(-1)",
    () =>
      linalg.estimateInverseLyapunovNorm(
        -1,
        () => true,
        () => true,
      ),
    linalg.MatrixArgumentError,
    "estimateInverseLyapunovNorm: n must be an integer >= 0, got -1",
  ],
  [
    "estimateInverseLyapunovNorm without solvers",
    () => linalg.estimateInverseLyapunovNorm(2, null as unknown as lyapunovCondition.SymmetricSolve, () => true),
    linalg.MatrixArgumentError,
    "solve and solveAdjoint must be functions",
  ],
  [
    "lyapunovCondition with NaN",
    () => linalg.lyapunovCondition(1, NaN, 1, 1, 0),
    linalg.MatrixArgumentError,
    "lyapunovCondition: normA must be a finite number >= 0, got NaN",
  ],
  // the exact engine on raw matrices
  [
    "stationary with a 2x3 drift",
    () => ness.stationary(sde(m23(), linalg.identity(2))),
    linalg.MatrixArgumentError,
    "the drift matrix must be square, got 2x3",
  ],
  [
    "stationary with NaN in the drift",
    () => ness.stationary(sde(nan3(), linalg.identity(3))),
    linalg.MatrixArgumentError,
    "the drift matrix has a non-finite entry NaN at (0, 1)",
  ],
  [
    "stationary with a mismatched diffusion",
    () => ness.stationary(sde(linalg.identity(3), linalg.identity(2))),
    linalg.MatrixArgumentError,
    "the diffusion matrix must be 3x3 like the drift, got 2x2",
  ],
  [
    "stationary with a drift that does not relax",
    () =>
      ness.stationary(
        ness.linearSdeProblem({
          drift: linalg.fromRows([
            [0, -1],
            [1, 0],
          ]),
          diffusion: linalg.identity(2),
        }),
      ),
    ness.SteadyStateError,
    "no unique steady state: the drift has a mode that does not relax (eigenvalue 0+1i)",
  ],
  [
    "stationary with a growing mode",
    () =>
      ness.stationary(
        ness.linearSdeProblem({
          drift: linalg.fromRows([
            [1, 0],
            [0, -1],
          ]),
          diffusion: linalg.identity(2),
        }),
      ),
    ness.SteadyStateError,
    "unstable: the drift has a growing mode (eigenvalue -1+0i)",
  ],
  [
    "stationary of a model",
    () => ness.stationary(net as never),
    ModelError,
    "stationary: expected a linear SDE problem",
  ],
  [
    "linearSdeProblem with names of the wrong length",
    () => ness.linearSdeProblem({ drift: linalg.identity(2), diffusion: linalg.identity(2), stateNames: ["a"] }),
    ModelError,
    "stateNames must be 2 names",
  ],
  [
    "prepareInPlace of a 7x7 problem",
    () => ness.prepareInPlace(ness.linearSdeProblem({ drift: linalg.identity(7), diffusion: linalg.identity(7) })),
    linalg.MatrixArgumentError,
    "prepareInPlace solves at most 6 state coordinates, got 7",
  ],
  [
    "overdampedEntropyProduction with a zero diffusion",
    () => ness.overdampedEntropyProduction(linalg.identity(2), f64(2), linalg.identity(2)),
    linalg.MatrixArgumentError,
    "diffusion coefficient 0 must be finite and > 0, got 0",
  ],
  [
    "overdampedEntropyProduction with a mismatched covariance",
    () => ness.overdampedEntropyProduction(linalg.identity(2), f64(2).fill(1), linalg.identity(3)),
    linalg.MatrixArgumentError,
    "the covariance must be 2x2 like the force matrix",
  ],
];

describe("linear algebra and exact-engine calls with bad arguments throw a NessError subclass", () => {
  it.each(linalgCases)("%s", (_, call, errorClass, fragment) => {
    let caught: unknown;
    try {
      call();
    } catch (err) {
      caught = err;
    }
    expect(caught, "the call must throw").toBeInstanceOf(Error);
    const err = caught as Error;
    expect(err, `${err.name}: ${err.message}`).toBeInstanceOf(ness.NessError);
    expect(err, `${err.name}: ${err.message}`).toBeInstanceOf(errorClass);
    expect(err.message).toContain(fragment);
    expect(err.message).not.toContain("\n");
  });
});

describe("the generated BAOAB kernel writes only numbers into its source", () => {
  it("a value that turns into a string after the model was checked is refused where the text is written", () => {
    let reads = 0;
    const bath = { site: 0, friction: 1 } as { site: number; friction: number; temperature: number };
    Object.defineProperty(bath, "temperature", {
      enumerable: true,
      get: () => (reads++ < 1 ? 2 : ("2); globalThis.__nessInjected = 1; (" as unknown as number)),
    });
    const sly = { ...net, baths: [bath, net.baths[1]] } as NetworkModel;
    expect(() => fusedBaoabKernel(sly, 0.01, false)).toThrow(ModelError);
    expect(() => fusedBaoabKernel(sly, 0.01, false)).toThrow(/expected|must be a number/);
    expect((globalThis as { __nessInjected?: number }).__nessInjected).toBeUndefined();
  });

  it("a valid model still gets its kernel", () => {
    expect(typeof fusedBaoabKernel(net, 0.01, true)).toBe("function");
  });
});
