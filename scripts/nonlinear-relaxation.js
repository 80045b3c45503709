// Measures the slowest relaxation of the anharmonic networks of scripts/errorbar-coverage-nonlinear.js (`fpu`,
// `chain`) against the relaxation rate the engine estimates from the model (src/stochastic/relaxation.ts: the
// effective harmonic network; the network without its quartic terms beside it), with an integrator of its own (BAOAB,
// not the engine's): many replicas start at rest, and the mean energy of each harmonic normal mode (of the network
// without quartic terms) is recorded; the slowest mode's deficit from its plateau (the mean over the last quarter of
// the run) decays as exp(-r t), r fitted by least squares on log(deficit) over [t0, t1]. For a linear network r is
// twice the slowest rate (a mode energy is a product of two amplitudes); the same fit with the quartic terms off is
// printed beside, against the exact 2 lambda, to show the fit's own bias. Needs dist/ (`npm run build`).
// Read the slowest mode (the last of `chain`, both of `fpu`): a fast mode's deficit is gone before t0 and its fit is
// noise.
//   node scripts/nonlinear-relaxation.js [replicas] [model]   (default 2000 replicas, both models: ~35 CPU-s)
import { loadModel } from "../dist/index.js";
import { modelRelaxation, linearisedNetworkRate } from "../dist/stochastic/relaxation.js";

const MODELS = {
  // sites (unit masses, pinning and springs 1), quartic (pinning and springs), friction at the end sites, run time,
  // fit window
  fpu: { n: 2, quartic: 1, friction: 0.02, time: 300, fit: [10, 120] },
  chain: { n: 6, quartic: 0.1, friction: 0.1, time: 800, fit: [50, 400] },
};
const replicas = Number(process.argv[2] ?? 2000);
const only = process.argv[3];
const dt = 0.02,
  T = 1;

// xorshift32 and Box-Muller: this script's own noise
let state = 12345;
const uniform = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};
const gauss = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

function yaml({ n, quartic, friction }) {
  const sites = Array.from({ length: n }, (_, i) => `s${i + 1}`);
  return `kind: network
sites: [${sites.join(", ")}]
pinning: 1
quarticPinning: ${quartic}
springs: [${sites
    .slice(1)
    .map((b, i) => `{between: [${sites[i]}, ${b}], stiffness: 1, quartic: ${quartic}}`)
    .join(", ")}]
baths: [{site: s1, friction: ${friction}, temperature: ${T}}, {site: s${n}, friction: ${friction}, temperature: ${T}}]`;
}

/** The mean energy of each harmonic normal mode, every 10 time units, from rest (unit masses, pinning and springs 1). */
function modeEnergies({ n, friction, time }, quartic) {
  // free-end chain with uniform pinning: modes cos(pi k (j + 1/2) / n), omega_k^2 = 1 + 2 (1 - cos(pi k / n))
  const modes = [],
    omega2 = [];
  for (let k = 0; k < n; k++) {
    const v = Float64Array.from({ length: n }, (_, j) => Math.cos((Math.PI * k * (j + 0.5)) / n));
    const norm = Math.hypot(...v);
    modes.push(v.map((x) => x / norm));
    omega2.push(1 + 2 * (1 - Math.cos((Math.PI * k) / n)));
  }
  const R = replicas,
    q = new Float64Array(R * n),
    p = new Float64Array(R * n),
    f = new Float64Array(R * n);
  const force = () => {
    for (let r = 0; r < R; r++) {
      const o = r * n;
      for (let i = 0; i < n; i++) f[o + i] = -q[o + i] - quartic * q[o + i] * q[o + i] * q[o + i];
      for (let i = 0; i + 1 < n; i++) {
        const d = q[o + i] - q[o + i + 1],
          F = d + quartic * d * d * d;
        f[o + i] -= F;
        f[o + i + 1] += F;
      }
    }
  };
  const c1 = Math.exp(-friction * dt),
    c2 = Math.sqrt(T * (1 - c1 * c1));
  const steps = Math.round(time / dt),
    every = Math.round(10 / dt);
  const rows = [];
  force();
  for (let s = 0; s <= steps; s++) {
    if (s % every === 0) {
      const e = new Float64Array(n);
      for (let r = 0; r < R; r++) {
        for (let k = 0; k < n; k++) {
          let a = 0,
            b = 0;
          for (let j = 0; j < n; j++) {
            a += modes[k][j] * q[r * n + j];
            b += modes[k][j] * p[r * n + j];
          }
          e[k] += (b * b + omega2[k] * a * a) / 2 / R;
        }
      }
      rows.push({ t: s * dt, e });
    }
    for (let r = 0; r < R; r++) {
      const o = r * n;
      for (let i = 0; i < n; i++) {
        p[o + i] += (dt / 2) * f[o + i];
        q[o + i] += (dt / 2) * p[o + i];
      }
      p[o] = c1 * p[o] + c2 * gauss();
      p[o + n - 1] = c1 * p[o + n - 1] + c2 * gauss();
      for (let i = 0; i < n; i++) q[o + i] += (dt / 2) * p[o + i];
    }
    force();
    for (let i = 0; i < R * n; i++) p[i] += (dt / 2) * f[i];
  }
  return rows;
}

/** The decay rate of the plateau's deficit of mode k, fitted on [t0, t1]. */
function decay(rows, k, [t0, t1]) {
  const late = rows.filter((r) => r.t >= 0.75 * rows[rows.length - 1].t);
  const plateau = late.reduce((s, r) => s + r.e[k], 0) / late.length;
  const pts = rows
    .filter((r) => r.t >= t0 && r.t <= t1 && plateau > r.e[k])
    .map((r) => [r.t, Math.log(plateau - r.e[k])]);
  const mx = pts.reduce((s, x) => s + x[0], 0) / pts.length,
    my = pts.reduce((s, x) => s + x[1], 0) / pts.length;
  const slope = pts.reduce((s, x) => s + (x[0] - mx) * (x[1] - my), 0) / pts.reduce((s, x) => s + (x[0] - mx) ** 2, 0);
  return { rate: -slope, plateau };
}

console.log(`${replicas} replicas from rest, BAOAB dt = ${dt}, T = ${T}; mode energies' deficits fitted`);
for (const [name, m] of Object.entries(MODELS)) {
  if (only && only !== name) continue;
  const model = loadModel(yaml(m));
  const effective = modelRelaxation(model).rate,
    linearised = linearisedNetworkRate(model);
  const cpu = process.cpuUsage();
  const anharmonic = modeEnergies(m, m.quartic),
    harmonic = modeEnergies(m, 0);
  for (let k = 0; k < m.n; k++) {
    const a = decay(anharmonic, k, m.fit),
      h = decay(harmonic, k, m.fit);
    console.log(
      `${name} mode ${k}: energy relaxation rate with the quartic terms ${a.rate.toFixed(5)} (plateau ${a.plateau.toFixed(3)}), ` +
        `without ${h.rate.toFixed(5)}`,
    );
  }
  const u = process.cpuUsage(cpu);
  console.log(
    `${name}: model rate (effective harmonic) ${effective.toPrecision(4)}, 2x: ${(2 * effective).toPrecision(4)}; ` +
      `without the quartic terms ${linearised.toPrecision(4)}, 2x: ${(2 * linearised).toPrecision(4)} ` +
      `(${((u.user + u.system) / 1e6).toFixed(1)} CPU-s)`,
  );
}
