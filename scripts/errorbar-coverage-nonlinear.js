// Measures the coverage of the stochastic engine's error bars for NONLINEAR models (docs/stochastic.md, "Error bars
// measured"), whose exact values are known independently: every bath at one temperature, so the steady state is
// Boltzmann's, exp(-V/T) (exact second moments and mean potential energy by numerical quadrature, heat fluxes and
// drift zero). Counts, over many seeds, the estimates within 2 error bars of the exact value among those flagged
// reliable, by the lag-1 batch correlation alone ("before") and with every rule of the engine ("now"). Uses `simulate`
// alone (no exact engine). Needs dist/ (`npm run build`).
//   node scripts/errorbar-coverage-nonlinear.js [seeds]     (default 100 seeds per row: about 200 CPU-seconds)
import { loadModel, simulateSync } from "../dist/index.js";

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

const MODELS = { fpu: FPU, dw: DW };
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
];

const seeds = Number(process.argv[2] ?? 100);
const only = process.argv[3];
const pct = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(0)}%` : "-");
const RUN_RULE = "in this run are correlated";
console.log(`${seeds} seeds per row; "covered": |value - exact| < 2 error bars; exact values by quadrature:`);
console.log(
  `fpu <q_a^2> = ${fpuQ.aa.toFixed(6)}, <q_a q_b> = ${fpuQ.ab.toFixed(6)}; dw <x^2> = ${dwQ.xx.toFixed(6)}, <V> = ${dwQ.V.toFixed(6)}`,
);
console.log(
  "| model | time | replicas | estimates | covered (all) | before (the lag-1 correlation of each estimate alone): reliable, covered, rms z | " +
    "now: reliable, covered, rms z, largest \\|z\\| |",
);
console.log(
  "| ----- | ---- | -------- | --------- | ------------- | ------------------------------ | ------------------------------ |",
);
for (const [name, time, replicas, dt] of ROWS) {
  if (only && only !== name) continue;
  const { yaml, exact } = MODELS[name];
  const model = loadModel(yaml);
  let n = 0,
    inAll = 0,
    relOld = 0,
    inOld = 0,
    z2Old = 0,
    rel = 0,
    inRel = 0,
    z2 = 0,
    worst = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const r = simulateSync(model, { dt }, { time, seed, replicas });
    for (const e of r.estimates) {
      const x = exact[`${e.group}|${e.name}`];
      if (x === undefined || !(e.error > 0)) continue;
      const z = (e.value - x) / e.error;
      n++;
      if (Math.abs(z) < 2) inAll++;
      // the verdict before the correlated-run rule: reliable now, or unreliable by that rule alone
      const notes = (e.note ?? "").split("; ");
      if (e.reliable || notes.every((t) => t.includes(RUN_RULE))) {
        relOld++;
        if (Math.abs(z) < 2) inOld++;
        z2Old += z * z;
      }
      if (!e.reliable) continue;
      rel++;
      if (Math.abs(z) < 2) inRel++;
      z2 += z * z;
      worst = Math.max(worst, Math.abs(z));
    }
  }
  console.log(
    `| ${name} | ${time} | ${replicas} | ${n} | ${pct(inAll, n)} | ` +
      `${pct(relOld, n)}, ${pct(inOld, relOld)}, ${relOld ? Math.sqrt(z2Old / relOld).toFixed(2) : "-"} | ` +
      `${pct(rel, n)}, ${pct(inRel, rel)}, ${rel ? Math.sqrt(z2 / rel).toFixed(2) : "-"}, ${rel ? worst.toFixed(1) : "-"} |`,
  );
}
