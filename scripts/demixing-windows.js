// Chooses the windows and replicas of a finite-size pair of the demixing study from measured per-replica spreads
// (docs/studies/two-temperature.md, fig7: "The schedule, chosen by statistics"). Runs `replicas` single-replica runs
// per size from the random start (burn-in 0, samples every `interval`) to the given end times, takes each window's
// time mean of S_cc(q_min) per replica, and prints for each pair of windows the replicas' mean and spread at each size
// and the standard errors the growth would be resolved at with n replicas, (M2 - M1) / sqrt((s1^2 + s2^2) / n), beside
// the Student-t threshold of n values, with the particle-steps of the pair at n. Needs dist/ (`npm run build`).
// Defaults: the stiff point at T_hot/T_cold = 100, N = 30 and 60 to t = 6.4e4 and 1e5, 16 replicas, seeds 1000 + r
// and 2000 + r (the pilot of the docs: 32 + 94 CPU-s).
//   node scripts/demixing-windows.js [replicas] [end time at N = 30] [end time at N = 60]
import { NESS_VERSION, resolvedStandardErrors } from "../dist/index.js";
import { runDemixing } from "../dist/studies/two-temperature/demixing.js";

const R = Number(process.argv[2] ?? 16);
const ends = [Number(process.argv[3] ?? 64000), Number(process.argv[4] ?? 100000)];
const sizes = [30, 60];
const interval = 1000;
const point = {
  phi: 0.7,
  Thot: 0.002,
  Tcold: 2e-5,
  stiffness: 1,
  range: 1,
  coldFraction: 0.5,
  dt: 0.1,
  neighbourCutoff: 1.5,
};
// [burn-in, production] at N = 30, then at N = 60.
const WINDOWS = [
  [21000, 21000, 42500, 42500],
  [10000, 30000, 55000, 30000],
  [10000, 20000, 60000, 20000],
  [10000, 30000, 42500, 42500],
  [5000, 20000, 60000, 20000],
];
const NS = [16, 20, 24, 32];

console.log(
  `ness ${NESS_VERSION}; ${JSON.stringify(point)}; N = ${sizes.join(", ")}; ${R} single-replica runs per size ` +
    `from t = 0 to ${ends.join(", ")}, samples every ${interval}; seeds 1000 + r (N = 30), 2000 + r (N = 60)`,
);
const runs = [];
for (let i = 0; i < sizes.length; i++) {
  const t0 = process.cpuUsage();
  const rows = [];
  for (let r = 0; r < R; r++) {
    const res = await runDemixing(
      {
        ...point,
        N: sizes[i],
        burnIn: 0,
        time: ends[i],
        sampleInterval: interval,
        replicas: 1,
        seed: 1000 * (i + 1) + r,
      },
      {},
      {},
    );
    rows.push({ time: res.series.time, scc: res.series.sccLowQ });
  }
  const c = process.cpuUsage(t0);
  runs.push(rows);
  const mean = (k) => rows.reduce((a, row) => a + row.scc[k], 0) / rows.length;
  const trace = rows[0].time.map((t, k) => `${t / 1000}k ${mean(k).toFixed(2)}`).filter((_, k) => k % 5 === 0);
  console.log(`N = ${sizes[i]}: ${((c.user + c.system) / 1e6).toFixed(1)} CPU-s; replica mean: ${trace.join(", ")}`);
}

// Each replica's time mean over (burn-in, burn-in + production], then their mean and standard deviation.
function window(rows, burnIn, production) {
  const m = rows.map((row) => {
    let sum = 0,
      count = 0;
    row.time.forEach((t, k) => {
      if (t > burnIn && t <= burnIn + production + 1e-9) {
        sum += row.scc[k];
        count++;
      }
    });
    return sum / count;
  });
  const mean = m.reduce((a, b) => a + b, 0) / m.length;
  const sd = Math.sqrt(m.reduce((a, b) => a + (b - mean) ** 2, 0) / (m.length - 1));
  return { mean, sd };
}

for (const [b1, p1, b2, p2] of WINDOWS) {
  if (b1 + p1 > ends[0] || b2 + p2 > ends[1]) continue;
  const a = window(runs[0], b1, p1),
    b = window(runs[1], b2, p2);
  const z = NS.map((n) => (b.mean - a.mean) / Math.sqrt((a.sd ** 2 + b.sd ** 2) / n));
  const steps = (n) => (n * (sizes[0] * (b1 + p1) + sizes[1] * (b2 + p2))) / point.dt;
  console.log(
    `${b1} + ${p1}; ${b2} + ${p2}: M ${a.mean.toFixed(3)}; ${b.mean.toFixed(3)}, s ${a.sd.toFixed(3)}; ${b.sd.toFixed(3)}, ` +
      `standard errors at n = ${NS.join("; ")}: ${z.map((x) => x.toFixed(1)).join("; ")}, over the threshold ` +
      `${z.map((x, j) => (x / resolvedStandardErrors(NS[j])).toFixed(2)).join("; ")}, particle-steps at 24: ` +
      `${steps(24).toExponential(2)}`,
  );
}
