// Measures the coverage of the stochastic engine's error bars for NONLINEAR models (docs/stochastic.md, "Error bars
// measured"), whose exact values are known independently: every bath at one temperature, so the steady state is
// Boltzmann's, exp(-V/T) (exact second moments and mean potential energy by numerical quadrature, heat fluxes and
// drift zero). Counts, over many seeds, the estimates within 2 error bars of the exact value among those flagged
// reliable: by the lag-1 batch correlation of each estimate alone, with the correlated-run rule, and by the engine
// (with the slowest-mode rule on the relaxation rate estimated from the model too: src/stochastic/relaxation.ts); and
// the share of runs whose estimates that pass their own lag-1 check all keep their flags. Uses `simulate` alone (no
// exact engine). Needs dist/ (`npm run build`).
//   node scripts/errorbar-coverage-nonlinear.js [seeds] [model] [time] [replicas]   (one row or model; all rows at
//   100 seeds: about 1000 CPU-seconds)
import { loadModel, simulateSync } from "../dist/index.js";
import { modelRelaxation } from "../dist/stochastic/relaxation.js";

// Composite Simpson weights on n + 1 points (n even) over [a, b].
function simpson(a, b, n) {
  const h = (b - a) / n;
  const x = new Float64Array(n + 1),
    w = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    x[i] = a + i * h;
    w[i] = ((i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * h) / 3;
  }
  return { x, w };
}

// Boltzmann averages exp(-V/T) over a grid in 1 or 2 dimensions: { name: f(q) } -> averages.
function boltzmann(dim, V, T, range, n, fs) {
  const { x, w } = simpson(-range, range, n);
  let Z = 0;
  const acc = Object.fromEntries(Object.keys(fs).map((k) => [k, 0]));
  const visit = (q, weight) => {
    const p = weight * Math.exp(-V(q) / T);
    Z += p;
    for (const [k, f] of Object.entries(fs)) acc[k] += p * f(q);
  };
  if (dim === 1) for (let i = 0; i <= n; i++) visit([x[i]], w[i]);
  else for (let i = 0; i <= n; i++) for (let j = 0; j <= n; j++) visit([x[i], x[j]], w[i] * w[j]);
  for (const k of Object.keys(acc)) acc[k] /= Z;
  return acc;
}

// FPU-beta-like pair: two unit masses, harmonic and quartic pinning, a harmonic + quartic spring, weak friction
// (energy relaxes in about 1/friction = 50), both baths at T = 1.
const fpuV = ([a, b]) => (a * a + b * b) / 2 + (a ** 4 + b ** 4) / 4 + (a - b) ** 2 / 2 + (a - b) ** 4 / 4;
const fpuQ = boltzmann(2, fpuV, 1, 6, 1200, { aa: (q) => q[0] * q[0], ab: (q) => q[0] * q[1], V: fpuV });
const FPU = {
  yaml: `kind: network
sites: [a, b]
pinning: 1
quarticPinning: 1
springs: [{between: [a, b], stiffness: 1, quartic: 1}]
baths: [{site: a, friction: 0.02, temperature: 1}, {site: b, friction: 0.02, temperature: 1}]`,
  exact: {
    "mean|q:a": 0,
    "mean|q:b": 0,
    "covariance|q:a q:a": fpuQ.aa,
    "covariance|q:b q:b": fpuQ.aa,
    "covariance|q:a q:b": fpuQ.ab,
    "covariance|q:a p:a": 0,
    "covariance|q:a p:b": 0,
    "covariance|q:b p:a": 0,
    "covariance|q:b p:b": 0,
    "covariance|p:a p:a": 1,
    "covariance|p:b p:b": 1,
    "covariance|p:a p:b": 0,
    "kinetic temperature|a": 1,
    "kinetic temperature|b": 1,
    "spring flux|a -> b": 0,
    "bath flux|into a": 0,
    "bath flux|into b": 0,
    "entropy production|rate": 0,
    "energy balance|sum of bath fluxes": 0,
  },
};

// A double well: one overdamped particle in x^2/2 + 2 cos(pi x) (wells near x = +-1, barrier about 3.5 T at T = 1):
// <x^2> feels the rare hops between the wells.
const dwV = ([x]) => (x * x) / 2 + 2 * Math.cos(Math.PI * x);
const dwQ = boltzmann(1, dwV, 1, 12, 24000, { xx: (q) => q[0] * q[0], V: dwV });
const DW = {
  yaml: `kind: particles
dynamics: overdamped
dimension: 1
species:
  - {name: a, count: 1, temperature: 1}
external:
  - {potential: harmonic, stiffness: 1}
  - {potential: cosine, amplitude: 2, period: 2}`,
  exact: {
    "covariance|x:0 x:0": dwQ.xx,
    "potential energy|per particle": dwQ.V,
    "drift velocity|a x": 0,
    "drift velocity|centre of mass x": 0,
    "bath flux|into a": 0,
    "entropy production|rate": 0,
    "energy balance|sum of bath fluxes": 0,
  },
};

// Three wells: the same particle in 0.25 x^2/2 - 1.5 cos(pi x) (wells near 0 and +-2, barriers about 3 T; the
// outer wells near +-4 are 2 T higher).
const twV = ([x]) => (0.25 * x * x) / 2 - 1.5 * Math.cos(Math.PI * x);
const twQ = boltzmann(1, twV, 1, 16, 32000, { xx: (q) => q[0] * q[0], V: twV });
const TW = {
  yaml: `kind: particles
dynamics: overdamped
dimension: 1
species:
  - {name: a, count: 1, temperature: 1}
external:
  - {potential: harmonic, stiffness: 0.25}
  - {potential: cosine, amplitude: 1.5, period: 2, phase: 3.141592653589793}`,
  exact: {
    "covariance|x:0 x:0": twQ.xx,
    "potential energy|per particle": twQ.V,
    "drift velocity|a x": 0,
    "drift velocity|centre of mass x": 0,
    "bath flux|into a": 0,
    "entropy production|rate": 0,
    "energy balance|sum of bath fluxes": 0,
  },
};

// A weakly anharmonic chain of 6 unit masses (harmonic and 0.1 quartic pinning and springs), baths at both ends only
// (friction 0.1, T = 1): about 90 estimates, of which those known exactly at one temperature are compared (kinetic
// temperatures 1, momentum covariances, position-momentum covariances, heat fluxes, entropy production and means 0).
const CHAIN_SITES = ["s1", "s2", "s3", "s4", "s5", "s6"];
const chainExact = {};
for (const [i, a] of CHAIN_SITES.entries()) {
  chainExact[`mean|q:${a}`] = 0;
  chainExact[`kinetic temperature|${a}`] = 1;
  for (const [j, b] of CHAIN_SITES.entries()) {
    chainExact[`covariance|q:${a} p:${b}`] = 0;
    if (j >= i) chainExact[`covariance|p:${a} p:${b}`] = i === j ? 1 : 0;
  }
  if (i + 1 < CHAIN_SITES.length) chainExact[`spring flux|${a} -> ${CHAIN_SITES[i + 1]}`] = 0;
}
Object.assign(chainExact, {
  "bath flux|into s1": 0,
  "bath flux|into s6": 0,
  "entropy production|rate": 0,
  "energy balance|sum of bath fluxes": 0,
});
const CHAIN = {
  yaml: `kind: network
sites: [${CHAIN_SITES.join(", ")}]
pinning: 1
quarticPinning: 0.1
springs: [${CHAIN_SITES.slice(1)
    .map((b, i) => `{between: [${CHAIN_SITES[i]}, ${b}], stiffness: 1, quartic: 0.1}`)
    .join(", ")}]
baths: [{site: s1, friction: 0.1, temperature: 1}, {site: s6, friction: 0.1, temperature: 1}]`,
  exact: chainExact,
};

const MODELS = { fpu: FPU, dw: DW, tw: TW, chain: CHAIN };
// [model, time per replica, replicas, dt]
const ROWS = [
  ["fpu", 100, 1, 0.02],
  ["fpu", 200, 1, 0.02],
  ["fpu", 500, 1, 0.02],
  ["fpu", 200, 4, 0.02],
  ["fpu", 2000, 1, 0.02],
  ["fpu", 10000, 1, 0.02],
  ["fpu", 1000, 16, 0.02],
  ["dw", 20, 1, 0.002],
  ["dw", 50, 1, 0.002],
  ["dw", 100, 1, 0.002],
  ["dw", 50, 4, 0.002],
  ["dw", 500, 1, 0.002],
  ["dw", 2500, 1, 0.002],
  ["dw", 300, 8, 0.002],
  ["dw", 20, 4, 0.002],
  ["dw", 20, 16, 0.002],
  ["tw", 50, 1, 0.002],
  ["tw", 50, 4, 0.002],
  ["tw", 500, 1, 0.002],
  ["tw", 300, 8, 0.002],
  ["chain", 200, 1, 0.02],
  ["chain", 100, 4, 0.02],
  ["chain", 2000, 1, 0.02],
  ["chain", 10000, 1, 0.02],
];

const seeds = Number(process.argv[2] ?? 100);
const only = process.argv[3];
const onlyTime = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const onlyReplicas = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
const pct = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(0)}%` : "-");
const RUN_RULE = "in this run are correlated";
// the notes of the slowest-mode rule on a rate estimated from the model
const MODEL_RULE = "estimated from the model";
// the notes of the rule on each estimate's own correlation time (measured from its sub-batches)
const OWN_RULE = "from its sub-batches";
const OWN_RULE_UNMEASURED = "cannot be measured from its";
console.log(`${seeds} seeds per row; "covered": |value - exact| < 2 error bars; exact values by quadrature:`);
console.log(
  `fpu <q_a^2> = ${fpuQ.aa.toFixed(6)}, <q_a q_b> = ${fpuQ.ab.toFixed(6)}; dw <x^2> = ${dwQ.xx.toFixed(6)}, <V> = ${dwQ.V.toFixed(6)}; ` +
    `tw <x^2> = ${twQ.xx.toFixed(6)}, <V> = ${twQ.V.toFixed(6)}`,
);
for (const [name, m] of Object.entries(MODELS)) {
  const r = modelRelaxation(loadModel(m.yaml));
  console.log(`${name}: relaxation rate from the model ${r ? `${r.rate.toPrecision(4)} (${r.source})` : "none"}`);
}
console.log(
  "| model | time | replicas | estimates | covered (all) | lag-1 of each estimate only | with the correlated-run rule | " +
    "the engine (with the model's slowest-mode rule): reliable, covered, rms z, largest \\|z\\| | runs keeping every flag: correlated-run rule, engine |",
);
console.log("| ----- | ---- | -------- | --------- | ------------- | --- | --- | --- | --- |");
const cell = (c) =>
  c.rel ? `${pct(c.rel, c.n)}, ${pct(c.in, c.rel)}, ${Math.sqrt(c.z2 / c.rel).toFixed(2)}` : `${pct(0, c.n)}`;
for (const [name, time, replicas, dt] of ROWS) {
  if ((only && only !== name) || (onlyTime !== undefined && onlyTime !== time)) continue;
  if (onlyReplicas !== undefined && onlyReplicas !== replicas) continue;
  const { yaml, exact } = MODELS[name];
  const model = loadModel(yaml);
  const fresh = () => ({ n: 0, rel: 0, in: 0, z2: 0, worst: 0 });
  const lag1 = fresh(),
    prev = fresh(),
    now = fresh();
  let n = 0,
    inAll = 0,
    keptPrev = 0,
    keptNow = 0,
    runs = 0;
  const add = (c, z) => {
    c.rel++;
    if (Math.abs(z) < 2) c.in++;
    c.z2 += z * z;
    c.worst = Math.max(c.worst, Math.abs(z));
  };
  for (let seed = 1; seed <= seeds; seed++) {
    const r = simulateSync(model, { dt }, { time, seed, replicas });
    // whether every estimate that passes its own lag-1 check keeps its flag (the rules of a whole run)
    let allPrev = true,
      allNow = true,
      any = false;
    for (const e of r.estimates) {
      const notes = e.note === undefined ? [] : e.note.split("; ");
      const onlyBy = (...rules) => notes.length > 0 && notes.every((t) => rules.some((rule) => t.includes(rule)));
      // the verdicts before the model's slowest-mode rule, and before it and the correlated-run rule (each
      // estimate's own lag-1 check)
      const okPrev = e.reliable || onlyBy(MODEL_RULE, OWN_RULE, OWN_RULE_UNMEASURED);
      const okLag1 = e.reliable || onlyBy(MODEL_RULE, OWN_RULE, OWN_RULE_UNMEASURED, RUN_RULE);
      if (okLag1) {
        any = true;
        if (!okPrev) allPrev = false;
        if (!e.reliable) allNow = false;
      }
      const x = exact[`${e.group}|${e.name}`];
      if (x === undefined || !(e.error > 0)) continue;
      const z = (e.value - x) / e.error;
      n++;
      if (Math.abs(z) < 2) inAll++;
      if (okLag1) add(lag1, z);
      if (okPrev) add(prev, z);
      if (e.reliable) add(now, z);
    }
    if (any) {
      runs++;
      if (allPrev) keptPrev++;
      if (allNow) keptNow++;
    }
  }
  for (const c of [lag1, prev, now]) c.n = n;
  console.log(
    `| ${name} | ${time} | ${replicas} | ${n} | ${pct(inAll, n)} | ${cell(lag1)} | ${cell(prev)} | ` +
      `${cell(now)}${now.rel ? `, ${now.worst.toFixed(1)}` : ""} | ${pct(keptPrev, runs)}, ${pct(keptNow, runs)} |`,
  );
}
