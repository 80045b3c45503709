// The probes (the stochastic engine's estimators) against the exact engine, with no simulation: every sample a probe
// writes for a harmonic network is a polynomial of degree <= 3 in the state (and the previous state), so its average
// over a Gaussian law is given exactly by the law's sigma points (+-sqrt(d) times the columns of its Cholesky factor,
// equal weights: exact for polynomials of degree <= 3). Averaged over the exact stationary law (the Lyapunov
// covariance of src/exact) every estimand must equal the exact engine's value to rounding: means, covariances,
// kinetic temperatures, spring and bath fluxes, entropy production, energy balance. The Stratonovich (increment)
// estimators are averaged over the exact law of a step (x0 stationary, x1 = M x0 + noise with M = exp(-A dt)): they
// agree to O(dt), and each step conserves energy exactly (the trapezoid rule is exact for a quadratic energy).
// The models put springs "backwards" (between [b, a]), baths out of site order and unequal masses, frictions and
// temperatures, so that an index mix-up, a lost factor or a flipped sign changes some number. Fast: no time steps.
import { describe, expect, it } from "vitest";
import { solveNetwork, type NetworkSteadyState } from "../../src/exact/network.js";
import { validateModel } from "../../src/model/index.js";
import type { NetworkModel } from "../../src/model/network.js";
import type { ParticlesModel } from "../../src/model/particles.js";
import { potentialMatrix } from "../../src/problem/network.js";
import type { LangevinState } from "../../src/stochastic/integrators.js";
import { NetworkForceField } from "../../src/stochastic/networkForces.js";
import { NetworkProbe, type Probe } from "../../src/stochastic/networkProbe.js";
import { ParticleProbe } from "../../src/stochastic/particleProbe.js";
import { ExternalFields } from "../../src/stochastic/potentials/externalFields.js";
import type { EstimandSpec } from "../../src/stochastic/statistics.js";
import { normalRng } from "../helpers/random.js";

type Mat = number[][];

/** The external fields of a particle model, as the probe reads them (its traps' part of the force and energy). */
const fieldsOf = (m: ParticlesModel) =>
  new ExternalFields(
    { dimension: m.dimension, box: m.box, species: m.species.length, speciesOf: m.speciesOf },
    m.external,
  );

const zeros = (r: number, c: number): Mat => Array.from({ length: r }, () => new Array<number>(c).fill(0));
const mul = (a: Mat, b: Mat): Mat =>
  a.map((row) => b[0].map((_, j) => row.reduce((s, aik, k) => s + aik * b[k][j], 0)));
const transpose = (a: Mat): Mat => a[0].map((_, j) => a.map((row) => row[j]));
const add = (a: Mat, b: Mat, s = 1): Mat => a.map((row, i) => row.map((x, j) => x + s * b[i][j]));

function cholesky(a: Mat): Mat {
  const n = a.length;
  const l = zeros(n, n);
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    expect(d).toBeGreaterThan(0);
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** exp(a) by scaling and squaring of a Taylor series (small matrices, norm of a/2^s below 1/2). */
function expm(a: Mat): Mat {
  const n = a.length;
  const norm = Math.max(...a.map((row) => row.reduce((s, x) => s + Math.abs(x), 0)));
  const s = Math.max(0, Math.ceil(Math.log2(norm)) + 1);
  const b = a.map((row) => row.map((x) => x / 2 ** s));
  let term: Mat = zeros(n, n).map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
  let sum = term;
  for (let k = 1; k <= 30; k++) {
    term = mul(term, b).map((row) => row.map((x) => x / k));
    sum = add(sum, term);
  }
  for (let k = 0; k < s; k++) sum = mul(sum, sum);
  return sum;
}

/** The sigma points of N(0, c): +-sqrt(d) times the columns of chol(c), each of weight 1/(2d). */
function sigmaPoints(c: Mat): Float64Array[] {
  const d = c.length;
  const l = cholesky(c);
  const out: Float64Array[] = [];
  for (let k = 0; k < d; k++)
    for (const sign of [1, -1]) out.push(Float64Array.from(l, (row) => sign * Math.sqrt(d) * row[k]));
  return out;
}

function emptyState(dof: number, underdamped: boolean): LangevinState {
  return {
    x: new Float64Array(dof),
    p: underdamped ? new Float64Array(dof) : null,
    f: new Float64Array(dof),
    potential: 0,
    xPrev: new Float64Array(dof),
    fPrev: new Float64Array(dof),
    noise: new Float64Array(dof),
  } as unknown as LangevinState;
}

/** The probe's samples averaged over the points (each point sets the state through `set`). */
function average(probe: Probe, points: Float64Array[], set: (y: Float64Array) => LangevinState): Float64Array {
  const sum = new Float64Array(probe.size);
  const out = new Float64Array(probe.size);
  for (const y of points) {
    probe.sample(set(y), out);
    for (let k = 0; k < sum.length; k++) sum[k] += out[k] / points.length;
  }
  return sum;
}

/** An estimand's value from averaged samples (a linear combination, or a covariance from means and a product). */
function evaluate(spec: EstimandSpec, mean: Float64Array): number {
  const e = spec.estimand;
  if (e.kind === "linear") return e.coef.reduce((s, c, k) => s + c * mean[e.index[k]], e.offset ?? 0);
  return (mean[e.ab] - mean[e.a] * mean[e.b]) * (e.scale ?? 1);
}

/** The exact engine's value of a network estimand, found by its group and name. */
function exactValue(spec: EstimandSpec, ss: NetworkSteadyState): number {
  const site = (name: string) => ss.sites.indexOf(name);
  switch (spec.group) {
    case "mean":
    case "energy balance":
      return 0;
    case "covariance": {
      const [a, b] = spec.name.split(" ").map((c) => ss.order.indexOf(c));
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b).toBeGreaterThanOrEqual(0);
      return ss.covariance.data[a * ss.order.length + b];
    }
    case "kinetic temperature":
      return ss.kineticTemperature![site(spec.name)];
    case "spring flux": {
      const spring = ss.springs.find((s) => `${s.between[0]} -> ${s.between[1]}` === spec.name);
      return spring!.flux;
    }
    case "bath flux":
      return ss.baths.find((b) => `into ${b.site}` === spec.name)!.flux;
    case "entropy production":
      return ss.entropyProduction;
    default:
      throw new Error(`no exact value for ${spec.group}`);
  }
}

const toMat = (ss: NetworkSteadyState): Mat => {
  const N = ss.order.length;
  return Array.from({ length: N }, (_, i) => Array.from(ss.covariance.data.subarray(i * N, (i + 1) * N)));
};

const network = (text: object) => validateModel({ kind: "network", ...text }) as NetworkModel;

// Three sites on a ring, springs listed backwards, baths out of site order, unequal masses, frictions, temperatures.
const underdamped = network({
  dynamics: "underdamped",
  sites: ["a", "b", "c"],
  masses: { a: 1, b: 2, c: 0.5 },
  pinning: { a: 1, b: 0.5, c: 2 },
  springs: [
    { between: ["b", "a"], stiffness: 1.5 },
    { between: ["b", "c"], stiffness: 0.8 },
    { between: ["c", "a"], stiffness: 0.3 },
  ],
  baths: [
    { site: "c", friction: 1.3, temperature: 1 },
    { site: "a", friction: 0.7, temperature: 3 },
  ],
});

// Overdamped: every site has a bath (listed out of order), springs listed backwards.
const overdamped = network({
  dynamics: "overdamped",
  sites: ["a", "b", "c"],
  pinning: { a: 1, b: 0.5, c: 2 },
  springs: [
    { between: ["b", "a"], stiffness: 1.5 },
    { between: ["b", "c"], stiffness: 0.8 },
  ],
  baths: [
    { site: "c", friction: 2, temperature: 0.5 },
    { site: "a", friction: 0.7, temperature: 3 },
    { site: "b", friction: 1.1, temperature: 1.5 },
  ],
});

/** Every estimand of the probe (averaged as `mean`) against the exact value, to `tol` times the largest one. */
function expectExact(probe: NetworkProbe, mean: Float64Array, ss: NetworkSteadyState, tol: number) {
  const specs = probe.estimands();
  const exact = specs.map((s) => exactValue(s, ss));
  const scale = Math.max(...exact.map(Math.abs));
  const off = specs
    .map((s, k) => ({ name: `${s.group} ${s.name}`, got: evaluate(s, mean), exact: exact[k] }))
    .filter((r) => !(Math.abs(r.got - r.exact) <= tol * scale));
  expect(off).toEqual([]);
  // The comparison is not vacuous: the fluxes are far from zero.
  for (const s of ss.springs) expect(Math.abs(s.flux)).toBeGreaterThan(1e-3 * scale);
  return specs;
}

/** -V x: the forces of a harmonic network (independent of the force field). */
function forces(model: NetworkModel, x: Float64Array, f: Float64Array) {
  const V = potentialMatrix(model);
  const n = model.sites.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s -= V.data[i * n + j] * x[j];
    f[i] = s;
  }
}

function energy(model: NetworkModel, x: Float64Array): number {
  const V = potentialMatrix(model);
  const n = model.sites.length;
  let u = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) u += 0.5 * x[i] * V.data[i * n + j] * x[j];
  return u;
}

describe("NetworkProbe over the exact stationary law (sigma points: exact for its quadratic samples)", () => {
  it("underdamped: means, covariances, kinetic temperatures, fluxes, entropy production as the exact engine", () => {
    const ss = solveNetwork(underdamped, { bySource: false });
    const n = 3;
    const probe = new NetworkProbe(underdamped, new NetworkForceField(underdamped), 0.01, true, "state");
    const st = emptyState(n, true);
    const mean = average(probe, sigmaPoints(toMat(ss)), (y) => {
      st.x.set(y.subarray(0, n));
      st.p!.set(y.subarray(n));
      forces(underdamped, st.x, st.f);
      return st;
    });
    const specs = expectExact(probe, mean, ss, 1e-12);
    expect(specs.filter((s) => s.group === "covariance")).toHaveLength(21);
    expect(specs.filter((s) => s.group === "kinetic temperature").map((s) => s.name)).toEqual(["a", "b", "c"]);
    expect(specs.map((s) => s.group)).toContain("entropy production");
    // Heat enters from the hot bath (a, T = 3) and leaves into the cold one (c, T = 1): sigma > 0.
    expect(ss.baths.find((b) => b.site === "a")!.flux).toBeGreaterThan(0);
    expect(ss.entropyProduction).toBeGreaterThan(0);
  });

  it("a shifted law (mean mu): the mean estimands give mu and the covariance estimands still the covariance", () => {
    // Translation: <y> = mu, and <y_a y_b> - <y_a><y_b> does not depend on mu.
    const ss = solveNetwork(underdamped, { bySource: false });
    const n = 3;
    const mu = [0.3, -1.2, 0.7, 2, -0.4, 0.9];
    const probe = new NetworkProbe(underdamped, new NetworkForceField(underdamped), 0.01, true, "state");
    const st = emptyState(n, true);
    const points = sigmaPoints(toMat(ss)).map((y) => y.map((v, k) => v + mu[k]));
    const mean = average(probe, points, (y) => {
      st.x.set(y.subarray(0, n));
      st.p!.set(y.subarray(n));
      forces(underdamped, st.x, st.f);
      return st;
    });
    const specs = probe.estimands();
    const means = specs.filter((s) => s.group === "mean");
    expect(means.map((s) => s.name)).toEqual(["q:a", "q:b", "q:c"]);
    means.forEach((s, i) => expect(evaluate(s, mean)).toBeCloseTo(mu[i], 12));
    const covariances = specs.filter((s) => s.group === "covariance");
    expect(covariances).toHaveLength(21);
    for (const s of covariances) expect(evaluate(s, mean)).toBeCloseTo(exactValue(s, ss), 10);
  });

  it("overdamped, state (Ito) form: every estimand as the exact engine", () => {
    const ss = solveNetwork(overdamped, { bySource: false });
    const probe = new NetworkProbe(overdamped, new NetworkForceField(overdamped), 0.01, true, "state");
    expect(probe.needsPrevious).toBe(false);
    const st = emptyState(3, false);
    const mean = average(probe, sigmaPoints(toMat(ss)), (y) => {
      st.x.set(y);
      forces(overdamped, st.x, st.f);
      return st;
    });
    expectExact(probe, mean, ss, 1e-12);
  });

  it("overdamped, Stratonovich form: exact to O(dt) over the law of one exact step; each step conserves energy", () => {
    const ss = solveNetwork(overdamped, { bySource: false });
    const n = 3;
    const V = potentialMatrix(overdamped);
    const gamma = [0, 0, 0];
    for (const b of overdamped.baths) gamma[b.site] = b.friction;
    // dx = -A x dt + noise with A = V / gamma (row i divided by gamma_i).
    const A: Mat = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => V.data[i * n + j] / gamma[i]),
    );
    const S = toMat(ss);
    const values: number[][] = [];
    let exact: number[] = [];
    for (const dt of [0.004, 0.002]) {
      const M = expm(A.map((row) => row.map((x) => -x * dt)));
      const SM = mul(S, transpose(M));
      // The joint law of (x0, x1): [[S, S M^T], [M S, S]].
      const joint = [...S.map((row, i) => [...row, ...SM[i]]), ...transpose(SM).map((row, i) => [...row, ...S[i]])];
      const probe = new NetworkProbe(overdamped, new NetworkForceField(overdamped), dt, false, "stratonovich");
      expect(probe.needsPrevious).toBe(true);
      const st = emptyState(n, false);
      const mean = average(probe, sigmaPoints(joint), (y) => {
        st.xPrev.set(y.subarray(0, n));
        st.x.set(y.subarray(n));
        forces(overdamped, st.xPrev, st.fPrev);
        forces(overdamped, st.x, st.f);
        return st;
      });
      const specs = probe.estimands();
      exact = specs.map((s) => exactValue(s, ss));
      values.push(specs.map((s) => evaluate(s, mean)));
    }
    const scale = Math.max(...exact.map(Math.abs));
    const worst = (v: number[]) => Math.max(...v.map((x, k) => Math.abs(x - exact[k]))) / scale;
    // The bias is first order in dt (about 1.2% at dt = 0.004, 0.6% at 0.002): the Richardson extrapolation
    // 2 v(dt/2) - v(dt) removes it and leaves every estimand within 1e-4 of the exact one.
    expect(worst(values[0])).toBeLessThan(0.02);
    expect(worst(values[1]) / worst(values[0])).toBeGreaterThan(0.45);
    expect(worst(values[1]) / worst(values[0])).toBeLessThan(0.55);
    expect(worst(values[1].map((v, k) => 2 * v - values[0][k]))).toBeLessThan(1e-4);

    // One step, any two states: the heat from the baths is the energy's change (trapezoid: exact for quadratic U).
    const probe = new NetworkProbe(overdamped, new NetworkForceField(overdamped), 0.01, false, "stratonovich");
    const out = new Float64Array(probe.size);
    const st = emptyState(n, false);
    const { normal: random } = normalRng(7);
    for (let trial = 0; trial < 5; trial++) {
      for (let i = 0; i < n; i++) {
        st.xPrev[i] = random();
        st.x[i] = st.xPrev[i] + 0.3 * random();
      }
      forces(overdamped, st.xPrev, st.fPrev);
      forces(overdamped, st.x, st.f);
      probe.sample(st, out);
      const heat = out.subarray(probe.offBath).reduce((s, x) => s + x, 0);
      const dU = (energy(overdamped, st.x) - energy(overdamped, st.xPrev)) / 0.01;
      expect(Math.abs(heat - dU)).toBeLessThan(1e-12 * Math.abs(dU) + 1e-14);
    }
  });
});

/**
 * The points and weights of N(0, c) from the tensor product of the 3-point Gauss-Hermite rule (nodes 0, +-sqrt(3);
 * weights 2/3, 1/6, 1/6): exact for every monomial of degree <= 5 in each variable.
 */
function hermitePoints(c: Mat): { points: Float64Array[]; weights: number[] } {
  const d = c.length;
  const l = cholesky(c);
  const nodes = [0, Math.sqrt(3), -Math.sqrt(3)];
  const w = [2 / 3, 1 / 6, 1 / 6];
  const points: Float64Array[] = [];
  const weights: number[] = [];
  for (let idx = 0; idx < 3 ** d; idx++) {
    const z: number[] = [];
    let weight = 1;
    for (let k = 0, r = idx; k < d; k++, r = Math.floor(r / 3)) {
      z.push(nodes[r % 3]);
      weight *= w[r % 3];
    }
    points.push(Float64Array.from(l, (row) => row.reduce((s, x, k) => s + x * z[k], 0)));
    weights.push(weight);
  }
  return { points, weights };
}

describe("NetworkProbe with quartic springs and pinning: Gaussian moments by Isserlis (Wick) theorem", () => {
  // Any Gaussian law will do for a check of the estimators' arithmetic: E[r^3 y] = 3 Var(r) Cov(r, y) and
  // E[r^2] = Var(r). A fixed positive definite covariance of 6 variables (random, seeded).
  const { normal } = normalRng(11);
  const G: Mat = Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => normal()));
  const C = add(
    mul(G, transpose(G)),
    zeros(6, 6).map((row, i) => row.map((_, j) => (i === j ? 0.5 : 0))),
  );
  const cov = (u: number[], v: number[]) =>
    u.reduce((s, ui, i) => s + ui * v.reduce((t, vj, j) => t + vj * C[i][j], 0), 0);
  const unit = (k: number) => Array.from({ length: 6 }, (_, i) => (i === k ? 1 : 0));
  const diff = (a: number, b: number) => unit(a).map((x, i) => x - unit(b)[i]);
  const { points, weights } = hermitePoints(C);
  const averaged = (probe: NetworkProbe, set: (y: Float64Array) => LangevinState) => {
    const sum = new Float64Array(probe.size);
    const out = new Float64Array(probe.size);
    points.forEach((y, k) => {
      probe.sample(set(y), out);
      for (let a = 0; a < sum.length; a++) sum[a] += weights[k] * out[a];
    });
    return sum;
  };
  const quartic = (dynamics: "underdamped" | "overdamped") =>
    network({
      dynamics,
      sites: ["a", "b", "c"],
      masses: dynamics === "underdamped" ? { a: 1, b: 2, c: 0.5 } : undefined,
      pinning: { a: 1, b: 0.5, c: 2 },
      quarticPinning: { a: 0.3, b: 0, c: 0.7 },
      springs: [
        { between: ["b", "a"], stiffness: 1.5, quartic: 0.4 },
        { between: ["b", "c"], stiffness: 0.8, quartic: 1.1 },
      ],
      baths: [
        { site: "c", friction: 2, temperature: 0.5 },
        { site: "a", friction: 0.7, temperature: 3 },
        ...(dynamics === "overdamped" ? [{ site: "b", friction: 1.1, temperature: 1.5 }] : []),
      ],
    });

  it("underdamped spring flux (k + c r^2) r p_j / m_j and bath flux (gamma/m)(T - p^2/m)", () => {
    const m = quartic("underdamped");
    const probe = new NetworkProbe(m, new NetworkForceField(m), 0.01, false, "state");
    const st = emptyState(3, true);
    const mean = averaged(probe, (y) => {
      st.x.set(y.subarray(0, 3));
      st.p!.set(y.subarray(3));
      return st;
    });
    m.springs.forEach((s, k) => {
      const r = diff(s.i, s.j);
      const crp = cov(r, unit(3 + s.j));
      const exact = (s.stiffness * crp + 3 * s.quartic * cov(r, r) * crp) / m.mass[s.j];
      expect(mean[probe.offSpring + k]).toBeCloseTo(exact, 10);
    });
    m.baths.forEach((b, k) => {
      const mass = m.mass[b.site];
      const exact = (b.friction / mass) * (b.temperature - C[3 + b.site][3 + b.site] / mass);
      expect(mean[probe.offBath + k]).toBeCloseTo(exact, 10);
    });
  });

  it("overdamped state form: ((k + c r^2) r F_j - T_j (k + 3 c r^2)) / gamma_j and (T_i U_ii - F_i^2) / gamma_i", () => {
    const m = quartic("overdamped");
    const probe = new NetworkProbe(m, new NetworkForceField(m), 0.01, false, "state");
    // (x, F) Gaussian: the probe reads the forces from the state, whatever they are.
    const st = emptyState(3, false);
    const mean = averaged(probe, (y) => {
      st.x.set(y.subarray(0, 3));
      st.f.set(y.subarray(3));
      return st;
    });
    const T = [0, 0, 0],
      gamma = [0, 0, 0];
    for (const b of m.baths) {
      T[b.site] = b.temperature;
      gamma[b.site] = b.friction;
    }
    m.springs.forEach((s, k) => {
      const r = diff(s.i, s.j);
      const rf = cov(r, unit(3 + s.j));
      const exact =
        (s.stiffness * rf + 3 * s.quartic * cov(r, r) * rf - T[s.j] * (s.stiffness + 3 * s.quartic * cov(r, r))) /
        gamma[s.j];
      expect(mean[probe.offSpring + k]).toBeCloseTo(exact, 10);
    });
    m.baths.forEach((b, k) => {
      const i = b.site;
      // <U_ii> = kappa_i + 3 c_i <q_i^2> + sum over its springs of (k + 3 c <r^2>).
      let curvature = m.pinning[i] + 3 * m.quarticPinning[i] * C[i][i];
      for (const s of m.springs)
        if (s.i === i || s.j === i) curvature += s.stiffness + 3 * s.quartic * cov(diff(s.i, s.j), diff(s.i, s.j));
      const exact = (b.temperature * curvature - C[3 + i][3 + i]) / b.friction;
      expect(mean[probe.offBath + k]).toBeCloseTo(exact, 10);
    });
  });

  it("overdamped Stratonovich: the trapezoid of (k + c r^2) r over the step times the displacement of j", () => {
    const m = quartic("overdamped");
    const dt = 0.01;
    const probe = new NetworkProbe(m, new NetworkForceField(m), dt, false, "stratonovich");
    // (x0, x1) Gaussian; the bath part reads the forces, given here by the field.
    const field = new NetworkForceField(m);
    const st = emptyState(3, false);
    const mean = averaged(probe, (y) => {
      st.xPrev.set(y.subarray(0, 3));
      st.x.set(y.subarray(3));
      field.compute(st.xPrev, st.fPrev);
      field.compute(st.x, st.f);
      return st;
    });
    m.springs.forEach((s, k) => {
      const move = diff(3 + s.j, s.j); // x1_j - x0_j
      const part = (r: number[]) => s.stiffness * cov(r, move) + 3 * s.quartic * cov(r, r) * cov(r, move);
      const r0 = diff(s.i, s.j),
        r1 = diff(3 + s.i, 3 + s.j);
      expect(mean[probe.offSpring + k]).toBeCloseTo((0.5 * (part(r0) + part(r1))) / dt, 8);
    });
  });
});

describe("ParticleProbe on a harmonic pair (two trapped particles, the network hot - cold in disguise)", () => {
  // Particle 0 (species hot, T = 2, gamma = 1) and particle 1 (cold, T = 0.5, gamma = 3) in traps lambda = 0.7,
  // joined by a harmonic spring k = 1.5 of rest length 0: the overdamped network h - c with the same numbers.
  const [lambda, k] = [0.7, 1.5];
  const species = [
    { name: "hot", count: 1, temperature: 2, friction: 1 },
    { name: "cold", count: 1, temperature: 0.5, friction: 3 },
  ];
  const model = validateModel({
    kind: "particles",
    dimension: 1,
    species,
    pairs: [{ potential: "harmonic", stiffness: k }],
    external: [{ potential: "harmonic", stiffness: lambda }],
    initial: [[-0.5], [0.5]],
  }) as ParticlesModel;
  const twin = network({
    dynamics: "overdamped",
    sites: ["hot", "cold"],
    pinning: lambda,
    springs: [{ between: ["hot", "cold"], stiffness: k }],
    baths: species.map((s) => ({ site: s.name, friction: s.friction, temperature: s.temperature })),
  });
  const ss = solveNetwork(twin, { bySource: false });
  const S = toMat(ss);
  const gamma = species.map((s) => s.friction),
    T = species.map((s) => s.temperature);
  const pairForces = (x: Float64Array, f: Float64Array) => {
    f[0] = -lambda * x[0] + k * (x[1] - x[0]);
    f[1] = -lambda * x[1] - k * (x[1] - x[0]);
  };
  const energyOf = (x: Float64Array) => 0.5 * lambda * (x[0] ** 2 + x[1] ** 2) + 0.5 * k * (x[1] - x[0]) ** 2;
  const state = (x0: Float64Array | number[], x1: Float64Array | number[]) => {
    const st = emptyState(2, false);
    st.xPrev.set(x0);
    st.x.set(x1);
    pairForces(st.xPrev, st.fPrev);
    pairForces(st.x, st.f);
    st.potential = energyOf(st.x);
    return st;
  };
  const joint = (dt: number) => {
    // dx = -A x dt + noise, A = V / gamma; the law of (x0, x1): [[S, S M^T], [M S, S]].
    const V = potentialMatrix(twin);
    const A: Mat = [0, 1].map((i) => [0, 1].map((j) => V.data[i * 2 + j] / gamma[i]));
    const SM = mul(S, transpose(expm(A.map((row) => row.map((x) => -x * dt)))));
    return [...S.map((row, i) => [...row, ...SM[i]]), ...transpose(SM).map((row, i) => [...row, ...S[i]])];
  };
  const indexOf = (probe: ParticleProbe, group: string, name: string) => {
    const spec = probe.estimands().find((s) => s.group === group && s.name === name);
    expect(spec, `${group} ${name}`).toBeDefined();
    return spec!;
  };

  it("heat from each bath, drifts, potential energy and covariance as the exact engine (to O(dt), extrapolated)", () => {
    const values: number[][] = [];
    let specs: EstimandSpec[] = [];
    for (const dt of [0.004, 0.002]) {
      const probe = new ParticleProbe(model, dt, fieldsOf(model));
      expect(probe.needsPrevious).toBe(true);
      const mean = average(probe, sigmaPoints(joint(dt)), (y) => state(y.subarray(0, 2), y.subarray(2)));
      specs = probe.estimands().filter((s) => s.group !== "pair");
      values.push(specs.map((s) => evaluate(s, mean)));
    }
    const heat = (name: string) => ss.baths.find((b) => b.site === name)!.flux;
    const exactOf = (s: EstimandSpec): number => {
      if (s.group === "bath flux") return heat(s.name.replace("into ", ""));
      if (s.group === "entropy production") return ss.entropyProduction;
      if (s.group === "energy balance" || s.group === "drift velocity") return 0;
      if (s.group === "potential energy")
        return (0.5 * lambda * (S[0][0] + S[1][1]) + 0.5 * k * (S[0][0] + S[1][1] - 2 * S[0][1])) / 2;
      if (s.group === "covariance") {
        const [a, b] = s.name.split(" ").map((c) => Number(c.split(":")[1]));
        return S[a][b];
      }
      if (s.group === "mean") return 0;
      throw new Error(`no exact value for ${s.group} ${s.name}`);
    };
    const exact = specs.map(exactOf);
    expect(specs.map((s) => s.group)).toEqual(
      expect.arrayContaining(["bath flux", "entropy production", "drift velocity", "potential energy", "covariance"]),
    );
    // Heat flows in from the hot bath and out into the cold one.
    expect(heat("hot")).toBeGreaterThan(0.05);
    expect(heat("cold")).toBeCloseTo(-heat("hot"), 12);
    const extrapolated = values[1].map((v, i) => 2 * v - values[0][i]);
    const scale = Math.max(...exact.map(Math.abs));
    const off = specs
      .map((s, i) => ({ name: `${s.group} ${s.name}`, got: extrapolated[i], exact: exact[i] }))
      .filter((r) => !(Math.abs(r.got - r.exact) <= 1e-4 * scale));
    expect(off).toEqual([]);
  });

  it("underdamped: heat from each bath, kinetic temperatures and covariance as the exact engine", () => {
    const masses = [1.5, 0.5];
    const under = validateModel({
      kind: "particles",
      dynamics: "underdamped",
      dimension: 1,
      species: species.map((sp, k) => ({ ...sp, mass: masses[k] })),
      pairs: [{ potential: "harmonic", stiffness: k }],
      external: [{ potential: "harmonic", stiffness: lambda }],
      initial: [[-0.5], [0.5]],
    }) as ParticlesModel;
    const twinUnder = network({
      dynamics: "underdamped",
      sites: ["hot", "cold"],
      masses: { hot: masses[0], cold: masses[1] },
      pinning: lambda,
      springs: [{ between: ["hot", "cold"], stiffness: k }],
      baths: species.map((sp) => ({ site: sp.name, friction: sp.friction, temperature: sp.temperature })),
    });
    const exact = solveNetwork(twinUnder, { bySource: false });
    const probe = new ParticleProbe(under, 0.01, fieldsOf(under));
    const st = emptyState(2, true);
    const mean = average(probe, sigmaPoints(toMat(exact)), (y) => {
      st.x.set(y.subarray(0, 2));
      st.p!.set(y.subarray(2));
      pairForces(st.x, st.f);
      st.potential = energyOf(st.x);
      return st;
    });
    const value = (group: string, name: string) => evaluate(indexOf(probe, group, name), mean);
    species.forEach((sp, i) => {
      expect(value("bath flux", `into ${sp.name}`)).toBeCloseTo(exact.baths[i].flux, 10);
      expect(value("kinetic temperature", sp.name)).toBeCloseTo(exact.kineticTemperature![i], 10);
      expect(value("drift velocity", `${sp.name} x`)).toBeCloseTo(0, 12);
    });
    expect(value("entropy production", "rate")).toBeCloseTo(exact.entropyProduction, 10);
    expect(exact.baths[0].flux).toBeGreaterThan(0.01);
    // The kinetic temperatures lie between the baths' and differ (the pair carries heat).
    expect(exact.kineticTemperature![0] - exact.kineticTemperature![1]).toBeGreaterThan(0.1);
    const names = ["x:0", "x:1", "px:0", "px:1"];
    for (let a = 0; a < 4; a++)
      for (let b = a; b < 4; b++)
        expect(value("covariance", `${names[a]} ${names[b]}`)).toBeCloseTo(exact.covariance.data[a * 4 + b], 10);
  });

  /**
   * The average of a probe output that depends on the states only through one linear combination w of (x0, x1)
   * and linearly otherwise (y sign(w), |w|): the states X = b w with b = C c / (c^T C c) (so E[y | w] is exact) on a
   * trapezoid rule in w over +-9 standard deviations with a node at the kink w = 0.
   */
  function alongCombination(C: Mat, c: number[], sample: (X: Float64Array) => number): number {
    const Cc = C.map((row) => row.reduce((s, x, j) => s + x * c[j], 0));
    const varW = c.reduce((s, x, i) => s + x * Cc[i], 0);
    const b = Cc.map((x) => x / varW);
    const sd = Math.sqrt(varW);
    const h = 0.005;
    let sum = 0;
    for (let t = -1800; t <= 1800; t++) {
      const w = t * h * sd;
      const weight = (h * Math.exp(-0.5 * (t * h) ** 2)) / Math.sqrt(2 * Math.PI);
      sum += weight * sample(Float64Array.from(b, (x) => x * w));
    }
    return sum;
  }

  it("separation and pair force along r2 - r1 against the Gaussian law of r: sqrt(2/pi) sigma_r and -k sqrt(2/pi) sigma_r", () => {
    const probe = new ParticleProbe(model, 0.01, fieldsOf(model));
    const out = new Float64Array(probe.size);
    const sep = indexOf(probe, "pair", "separation |r2 - r1|");
    const force = indexOf(probe, "pair", "pair force on 2 along r2 - r1");
    const sigmaR = Math.sqrt(S[0][0] + S[1][1] - 2 * S[0][1]);
    const at = (spec: EstimandSpec) =>
      alongCombination(S, [-1, 1], (x) => {
        probe.sample(state(x, x), out);
        return evaluate(spec, out);
      });
    // The trapezoid rule errs by O(h^2) at the kink of |r|: 2e-6 relative.
    const within = (got: number, exact: number) => expect(Math.abs(got - exact)).toBeLessThan(1e-5 * Math.abs(exact));
    within(at(sep), Math.sqrt(2 / Math.PI) * sigmaR);
    within(at(force), -k * Math.sqrt(2 / Math.PI) * sigmaR);
  });

  it("run-and-chase velocity: Stratonovich (e at the step's midpoint) and Ito (e at its start) closed forms", () => {
    // With a_cm = (f_0/gamma_0 + f_1/gamma_1)/2 the centre of mass's drift (linear in x) and r = x_1 - x_0:
    // Ito <a_cm sign(r)> = sqrt(2/pi) Cov(a_cm, r) / sigma_r; Stratonovich adds half of <d sign/dr> = 2 p_r(0) times
    // the noises' covariation d<r, x_cm>/dt = T_1/gamma_1 - T_0/gamma_0: p_r(0) (T_1/gamma_1 - T_0/gamma_0).
    const V = potentialMatrix(twin);
    const drift = [0, 1].map((j) => -0.5 * (V.data[j] / gamma[0] + V.data[2 + j] / gamma[1]));
    const cov = (u: number[], v: number[]) =>
      u.reduce((s, ui, i) => s + ui * v.reduce((t, vj, j) => t + vj * S[i][j], 0), 0);
    const sigmaR = Math.sqrt(cov([-1, 1], [-1, 1]));
    const ito = (Math.sqrt(2 / Math.PI) * cov(drift, [-1, 1])) / sigmaR;
    const stratonovich = ito + (T[1] / gamma[1] - T[0] / gamma[0]) / (Math.sqrt(2 * Math.PI) * sigmaR);
    // Both resolved and different: the hot particle runs, the cold one chases.
    expect(Math.abs(stratonovich - ito)).toBeGreaterThan(0.1 * Math.abs(ito));
    const got: { s: number; i: number }[] = [];
    for (const dt of [0.004, 0.002]) {
      const probe = new ParticleProbe(model, dt, fieldsOf(model));
      const out = new Float64Array(probe.size);
      const s = indexOf(probe, "pair", "centre-of-mass velocity along r2 - r1");
      const i = indexOf(probe, "pair", "centre-of-mass velocity along r2 - r1 (Ito)");
      const C = joint(dt);
      const along = (spec: EstimandSpec, c: number[]) =>
        alongCombination(C, c, (X) => {
          probe.sample(state(X.subarray(0, 2), X.subarray(2)), out);
          return evaluate(spec, out);
        });
      // Stratonovich: sign of r at the midpoint (x0 + x1)/2; Ito: sign of r at x0.
      got.push({ s: along(s, [-0.5, 0.5, -0.5, 0.5]), i: along(i, [-1, 1, 0, 0]) });
    }
    const extrapolate = (f: (g: { s: number; i: number }) => number) => 2 * f(got[1]) - f(got[0]);
    expect(Math.abs(extrapolate((g) => g.s) - stratonovich)).toBeLessThan(1e-3 * Math.abs(stratonovich));
    expect(Math.abs(extrapolate((g) => g.i) - ito)).toBeLessThan(1e-3 * Math.abs(ito));
  });
});
