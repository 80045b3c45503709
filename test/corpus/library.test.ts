// Library calls with bad arguments (test/corpus/README.md): each call, the NessError subclass it must throw and a
// fragment of its message. A raw TypeError or RangeError, or a wrong answer, is a failure.
import { describe, expect, it } from "vitest";
import {
  checkModel, checkNetworkSolvable, decoupledModes, diffusionMatrix, driftMatrix, isLinearNetwork, loadModel, ModelError,
  NessError, networkFluxes, parseModelText, particleCount, potentialMatrix, solveNetwork, SteadyStateError,
  unpinnedComponents, validateModel, validateNetwork, validateParticles, type NetworkModel, type ParticlesModel,
} from "../../src/index.js";
import { figures, stochastic } from "../../src/index.js";
import { fusedBaoabKernel } from "../../src/stochastic/kernels.js";
import { SimulationError } from "../../src/stochastic/safety.js";
import { steadyState, sweep, validateDimensionless, mechanicalToDimensionless } from "../../src/studies/variance-resonance/index.js";
import { energyCorrelations, idealGas, fermiGas, simulateEnergyCorrelations } from "../../src/studies/energy-correlations/index.js";
import { demixingParams, pairExact, ratchetCurrent, runAndChaseExact, simulatePair } from "../../src/studies/two-temperature/index.js";
import { simulateChainCurrent, simulateProbeDecay, validateParams } from "../../src/studies/particle-bath-chain/index.js";

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
const unconfined = loadModel(`kind: network
sites: [a, b]
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 1}]
`, "free.yaml") as NetworkModel;
const freeParticles = validateParticles({ kind: "particles", dimension: 2, species: [{ name: "a", count: 3, temperature: 1 }] });
const options = { dt: 0.01, time: 1, seed: 1 };
const oneSite = validateNetwork({ kind: "network", sites: 1, pinning: 1, baths: [{ site: 1, friction: 1, temperature: 1 }] });
const bad = (patch: Partial<NetworkModel>) => ({ ...net, ...patch }) as NetworkModel;

/** A ring of n sites with one bath: the zero-forcing sweep clears nothing, so Lemma 1 needs the dense check. */
const ring = (n: number) => validateNetwork({
  kind: "network", sites: n, pinning: 1,
  springs: Array.from({ length: n }, (_, k) => ({ between: [k + 1, ((k + 1) % n) + 1], stiffness: 1 })),
  baths: [{ site: 1, friction: 1, temperature: 1 }],
});
const bigRing = ring(6000);

type Call = [string, () => unknown, new (...a: never[]) => NessError, string];
const calls: Call[] = [
  // Models
  ["loadModel(null)", () => loadModel(null as unknown as string), ModelError, "expected the model's text (a string), got null"],
  ["parseModelText(42)", () => parseModelText(42 as unknown as string), ModelError, "got 42"],
  ["validateModel(undefined)", () => validateModel(undefined), ModelError, "expected a mapping with a 'kind' field"],
  ["validateNetwork('x')", () => validateNetwork("x"), ModelError, "expected a mapping"],
  ["validateParticles(null)", () => validateParticles(null), ModelError, "expected a mapping"],
  ["validateModel(sites: 'abc')", () => validateModel({ kind: "network", sites: "abc", baths: [] }), ModelError, 'sites: expected a list of site names or a count, got "abc"'],
  ["validateModel(temperature NaN)", () => validateModel({ kind: "network", sites: 1, pinning: 1, baths: [{ site: 1, friction: 1, temperature: NaN }] }), ModelError, "temperature: expected a number, got NaN"],
  ["validateModel(temperature 1e308)", () => validateModel({ kind: "network", sites: 1, pinning: 1, baths: [{ site: 1, friction: 1, temperature: 1e308 }] }), ModelError, "temperature must lie in 1e-50 .. 1e50"],
  ["validateModel(species NaN)", () => validateModel({ kind: "particles", dimension: 1, box: 2, species: [{ name: "a", count: 1, temperature: NaN }] }), ModelError, "got NaN"],
  ["checkModel(kind: 'x')", () => checkModel({ kind: "x" }, "test"), ModelError, "test: expected a model"],
  ["isLinearNetwork(null)", () => isLinearNetwork(null as unknown as NetworkModel), ModelError, "isLinearNetwork: expected a network model"],
  ["particleCount(null)", () => particleCount(null as unknown as ParticlesModel), ModelError, "particleCount: expected a particles model"],
  // Exact engine: hand-built and modified models are checked like files
  ["solveNetwork(null)", () => solveNetwork(null as unknown as NetworkModel), ModelError, "solveNetwork: expected a network model"],
  ["solveNetwork(particles)", () => solveNetwork(particles as unknown as NetworkModel), ModelError, "this is a particles model"],
  ["solveNetwork(temperature -5)", () => solveNetwork(bad({ baths: [{ site: 0, friction: 1, temperature: -5 }] })), ModelError, "bath on a: temperature must be > 0, got -5"],
  ["solveNetwork(stiffness '2')", () => solveNetwork(bad({ springs: [{ i: 0, j: 1, stiffness: "2" as unknown as number, quartic: 0 }] })), ModelError, 'spring a-b: stiffness must be a number, got "2"'],
  ["solveNetwork(mass as a list)", () => solveNetwork(bad({ mass: [1, 1] as unknown as Float64Array })), ModelError, "mass must be a Float64Array of 2 numbers"],
  ["solveNetwork(spring to site 7)", () => solveNetwork(bad({ springs: [{ i: 0, j: 7, stiffness: 1, quartic: 0 }] })), ModelError, "site indices 0..1"],
  ["solveNetwork(no baths)", () => solveNetwork(bad({ baths: [] })), ModelError, "no heat bath"],
  ["solveNetwork(options null)", () => solveNetwork(net, null as unknown as object), ModelError, "options must be an object"],
  ["solveNetwork(bySource 'yes')", () => solveNetwork(net, { bySource: "yes" as unknown as boolean }), ModelError, "bySource must be true or false"],
  ["solveNetwork(unconfined)", () => solveNetwork(unconfined), SteadyStateError, "free.yaml: the network is not confined"],
  ["solveNetwork(maxCoordinates 2)", () => solveNetwork(net, { maxCoordinates: 2 }), ModelError, "too large for the exact engine"],
  ["checkNetworkSolvable({})", () => checkNetworkSolvable({} as NetworkModel), ModelError, "checkNetworkSolvable: expected a network model"],
  ["decoupledModes(null)", () => decoupledModes(null as unknown as NetworkModel), ModelError, "decoupledModes: expected a network model"],
  ["unpinnedComponents(particles)", () => unpinnedComponents(particles as unknown as NetworkModel), ModelError, "this is a particles model"],
  ["potentialMatrix('x')", () => potentialMatrix("x" as unknown as NetworkModel), ModelError, "potentialMatrix: expected a network model"],
  ["driftMatrix(temperature NaN)", () => driftMatrix(bad({ baths: [{ site: 0, friction: 1, temperature: NaN }] })), ModelError, "must be a finite number, got NaN"],
  ["diffusionMatrix(net, null)", () => diffusionMatrix(net, null as unknown as Float64Array), ModelError, "temperature must hold one number per site"],
  ["solveNetwork(6000-site ring)", () => solveNetwork(bigRing), ModelError, "too large for the exact engine: 6000 underdamped sites"],
  ["decoupledModes(6000-site ring)", () => decoupledModes(bigRing), ModelError, "the dense check takes at most 5000"],
  ["networkFluxes(net, null, ...)", () => networkFluxes(net, null as never, null as never, new Float64Array(2)), ModelError, "the covariance must be a 4 x 4 matrix"],
  // Stochastic engine
  ["simulateSync(null)", () => stochastic.simulateSync(null as never), ModelError, "simulate: expected {model, options}"],
  ["simulateSync(model null)", () => stochastic.simulateSync({ model: null as never, options }), ModelError, "simulate: expected a network model"],
  ["simulateSync(no options)", () => stochastic.simulateSync({ model: net } as never), ModelError, "options must be an object"],
  ["simulateSync(temperature -5)", () => stochastic.simulateSync({ model: bad({ baths: [{ site: 0, friction: 1, temperature: -5 }] }), options }), ModelError, "temperature must be > 0"],
  ["simulateSync(unconfined network)", () => stochastic.simulateSync({ model: unconfined, options }), SteadyStateError, "free.yaml: the network is not confined"],
  ["simulateSync(free particles)", () => stochastic.simulateSync({ model: freeParticles, options }), SteadyStateError, "no steady state in open space"],
  ["simulate: negative burn-in", () => stochastic.simulateSync({ model: oneSite, options: { ...options, burnIn: -1 } }), ModelError, "burn-in must be a finite number >= 0"],
  ["simulate: burn-in as a string", () => stochastic.simulateSync({ model: oneSite, options: { ...options, burnIn: "5" as unknown as number } }), ModelError, "burn-in must be a finite number >= 0"],
  ["simulate: burn-in of uncountable steps", () => stochastic.simulateSync({ model: oneSite, options: { ...options, burnIn: 1e308 } }), ModelError, "more than can be counted"],
  ["simulate: a single batch value", () => stochastic.simulateSync({ model: oneSite, options: { ...options, batches: 1 } }), ModelError, "at least 2 batch values"],
  ["simulate: harmonic pair beyond its whole-field limit", () => stochastic.simulateSync({ model: particles, options: { dt: 0.99, time: 10, seed: 1 } }), SimulationError, "dt < 2/lambda = 0.667"],
  ["simulate(null) (async)", () => stochastic.simulate(null as never), ModelError, "simulate: expected {model, options}"],
  ["networkSystem(6000-site ring)", () => stochastic.networkSystem(bigRing), ModelError, "too large to simulate: 6000 sites"],
  ["networkSystem(particles)", () => stochastic.networkSystem(particles as never), ModelError, "this is a particles model"],
  ["particleSystem(network)", () => stochastic.particleSystem(net as never), ModelError, "this is a network model"],
  ["exactNetwork(unconfined)", () => stochastic.exactNetwork(unconfined), SteadyStateError, "not confined"],
  ["NetworkForceField(null)", () => new stochastic.NetworkForceField(null as never), ModelError, "NetworkForceField: expected a network model"],
  ["ParticleForceField(network)", () => new stochastic.ParticleForceField(net as never), ModelError, "ParticleForceField: takes a particles model"],
  ["NetworkProbe(model, wrong field)", () => new stochastic.NetworkProbe(net, {} as never, 0.01, false, "stratonovich"), ModelError, "field must be the model's NetworkForceField"],
  ["ParticleProbe(null)", () => new stochastic.ParticleProbe(null as never, 0.01, null as never), ModelError, "ParticleProbe: expected a particles model"],
  ["PairHeatLedger(null)", () => new stochastic.PairHeatLedger(null as never), ModelError, "PairHeatLedger"],
  ["createStepper(null)", () => stochastic.createStepper(null as never, "baoab", 0.1, stochastic.Rng.stream(1), false), ModelError, "createStepper: expected a LangevinSystem"],
  ["createStepper(scheme 'rk4')", () => stochastic.createStepper(stochastic.networkSystem(net).system, "rk4" as never, 0.1, stochastic.Rng.stream(1), false), ModelError, "unknown scheme"],
  ["Rng.stream('x')", () => stochastic.Rng.stream("x" as unknown as number), ModelError, "seed must be a non-negative integer"],
  ["schemeMap(null)", () => stochastic.schemeMap(null as never, "baoab", 0.1), ModelError, "schemeMap: expected a network model"],
  ["fusedBaoabKernel(net, NaN)", () => fusedBaoabKernel(net, NaN, false), ModelError, "dt must be a positive finite number"],
  // Figures
  ["networkFigure(null)", () => figures.networkFigure(null as never), ModelError, "networkFigure: expected a specification object"],
  ["lineChart(series missing)", () => figures.lineChart({ name: "x", title: "", caption: "", xLabel: "", yLabel: "" } as never), ModelError, "series must be a list"],
  ["heatmapFigure(null)", () => figures.heatmapFigure(null as never), ModelError, "heatmap: expected a specification object"],
  ["particleScatter(x missing)", () => figures.particleScatter({ name: "x", title: "", caption: "", box: [1, 1] } as never), ModelError, "x must be a list"],
  ["panelFigure(panels null)", () => figures.panelFigure({ name: "x", title: "", caption: "", panels: null } as never), ModelError, "panels must be a list"],
  // Studies: every parameter has a declared range; the message names it and the range.
  ["study variance-resonance: q = 0", () => validateDimensionless({ k: 1, k0: 0.01, q: 0, T1: 1, T2: 11 }), ModelError, "q = Q2 (the quality factor) must be a number in [0.001, 1e12], got 0"],
  ["study variance-resonance: T1 = 1e308", () => steadyState({ k: 1, k0: 0.01, q: 4000, T1: 1e308, T2: 11 }), ModelError, "T1 must be 0 or a number in [1e-100, 1e100]"],
  ["study variance-resonance: a temperature as a string", () => steadyState({ k: 1, k0: 0.01, q: 4000, T1: "1" as unknown as number, T2: 11 }), ModelError, "T1 must be 0 or a number in [1e-100, 1e100], got '1'"],
  ["study variance-resonance: a sweep of 6e6 points", () => sweep({ k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 }, "k", { length: 6e6 } as ArrayLike<number>), ModelError, "at most 5000000 points"],
  ["study variance-resonance: mechanical units that overflow", () => mechanicalToDimensionless({ m: 1e300, k1: 1, k2: 1e300, K: 1, gamma: 1, T1: 1, T2: 1, L: 1 }), ModelError, "the dimensionless q = sqrt(k2 m)/gamma"],
  ["study energy-correlations: a bath at T = 0", () => energyCorrelations({ model: idealGas(), M: 2, left: 0, right: 1 }), ModelError, "must be a number in [1e-6, 1e6], got 0"],
  ["study energy-correlations: Cv = NaN", () => idealGas({ Cv: NaN }), ModelError, "Cv (heat capacity of a subsystem) must be a number in [1e-6, 1e15], got NaN"],
  ["study energy-correlations: simulating one fermion", () => simulateEnergyCorrelations({ model: fermiGas({ N: 1 }), M: 2, left: 1, right: 3 }), ModelError, "the subsystems are too small to simulate"],
  ["study energy-correlations: a simulation of 1 replica", () => simulateEnergyCorrelations({ model: idealGas(), M: 2, left: 1, right: 3 }, { replicas: 1 }), ModelError, "replicas must be an integer in [2, 1e5], got 1"],
  ["study two-temperature: a negative spring", () => pairExact({ k: -1, lambda: 1, T1: 5, T2: 1 }), ModelError, "k (spring stiffness k between the particles) must be a number in [1e-6, 1e6], got -1"],
  ["study two-temperature: a pair simulation of 1e9 time units", () => simulatePair({ k: 1, lambda: 1, T1: 5, T2: 1 }, { time: 1e9 }), ModelError, "particle-steps"],
  ["study two-temperature: a hard-core run-and-chase", () => runAndChaseExact({ stiffness: 1e6, Thot: 1e-6, Tcold: 1e-6 }), ModelError, "at most 1e6 times the mean temperature"],
  ["study two-temperature: a vertical sawtooth", () => ratchetCurrent({ asymmetry: 0 }), ModelError, "must be a number in [1e-6, 0.999999], got 0"],
  ["study two-temperature: a billion disks", () => demixingParams({ N: 1e9 }), ModelError, "N (number of disks) must be an integer in [2, 1e5], got 1e+9"],
  ["study particle-bath-chain: rho = 1e308", () => validateParams({ rho: 1e308 }), ModelError, "rho (localisation rho of the von Mises coupling) must be a number in [0.001, 100], got 1e+308"],
  ["study particle-bath-chain: no replicas", () => simulateChainCurrent(validateParams({}), { replicas: 0, duration: 10, burnIn: 1, seed: 1 }), ModelError, "--replicas must be an integer in [1, 10000], got 0"],
  ["study particle-bath-chain: one probe pair", () => simulateProbeDecay(validateParams({}), { pairs: 1, seed: 1 }), ModelError, "pairs (antithetic pairs of probes) must be an integer in [2, 10000], got 1"],
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

describe("the generated BAOAB kernel writes only numbers into its source", () => {
  it("a value that turns into a string after the model was checked is refused where the text is written", () => {
    let reads = 0;
    const bath = { site: 0, friction: 1 } as { site: number; friction: number; temperature: number };
    Object.defineProperty(bath, "temperature", {
      enumerable: true,
      get: () => (reads++ < 1 ? 2 : "2); globalThis.__nessInjected = 1; (" as unknown as number),
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
