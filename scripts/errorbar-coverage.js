// Measures the coverage of the stochastic engine's error bars (docs/stochastic.md, "Error bars measured"): over many
// seeds, the fraction of estimates within 2 error bars of the exact value (plus the exact time-step bias), among the
// estimates flagged reliable and among all, for slow (strongly autocorrelated) observables, short runs and few
// replicas, by each estimate's own lag-1 batch correlation, by the engine alone (`simulate`: with the correlated-run
// rule) and with the slowest-mode rule (`simulateAndVerify`). Linear networks, exact Ornstein-Uhlenbeck steps. Needs
// dist/ (`npm run build`). Nonlinear models: scripts/errorbar-coverage-nonlinear.js.
//   node scripts/errorbar-coverage.js [seeds]      (default 100 seeds per row: about 20 CPU-seconds)
import { exactOU, loadModel, simulateAndVerifySync } from "../dist/index.js";

const MODELS = {
  // two weakly damped oscillators: slowest rate 0.01, energy correlation time 50
  weak: `kind: network
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 0.02, temperature: 2}, {site: b, friction: 0.02, temperature: 1}]`,
  // overdamped and nearly unpinned: slowest rate 0.01 (centre of mass), the spring's mode 2.01
  slow: `kind: network
dynamics: overdamped
sites: [a, b]
pinning: 0.01
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]`,
  // a well-damped pair: slowest rate 0.5
  fast: `kind: network
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]`,
};

// [model, time per replica, replicas, dt]
const ROWS = [
  ["weak", 200, 1, 0.5],
  ["weak", 1000, 1, 0.5],
  ["weak", 5000, 1, 0.5],
  ["weak", 200, 4, 0.5],
  ["weak", 200, 16, 0.5],
  ["weak", 2000, 16, 0.5],
  ["weak", 20000, 1, 0.5],
  ["slow", 200, 1, 0.5],
  ["slow", 1000, 1, 0.5],
  ["slow", 200, 4, 0.5],
  ["slow", 100, 32, 0.5],
  ["slow", 2000, 16, 0.5],
  ["slow", 20000, 1, 0.5],
  ["fast", 50, 1, 0.1],
  ["fast", 200, 4, 0.1],
  ["fast", 500, 1, 0.1],
  ["fast", 100, 2, 0.1],
];

const seeds = Number(process.argv[2] ?? 100);
const RUN_RULE = "in this run are correlated";
// the notes of the rule on each estimate's own correlation time (measured from its sub-batches)
const OWN_RULES = ["from its sub-batches", "cannot be measured from its"];
const pct = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(0)}%` : "-");
console.log(`${seeds} seeds per row; "covered": |value - (exact + time-step bias)| < 2 error bars`);
console.log(
  "| model | time | replicas | estimates | covered (all) | lag-1 correlation of each estimate only: reliable, covered, rms z | " +
    "the engine alone (with the correlated-run rule): reliable, covered, rms z | " +
    "with the slowest-mode rule: reliable, covered, rms z, largest \\|z\\| |",
);
console.log(
  "| ----- | ---- | -------- | --------- | ------------- | ------------------------------ | ------------------------------ | ------------------------------ |",
);
for (const [name, time, replicas, dt] of ROWS) {
  const model = loadModel(MODELS[name]);
  let n = 0,
    rel = 0,
    inRel = 0,
    inAll = 0,
    z2 = 0,
    worst = 0,
    relOld = 0,
    inOld = 0,
    z2Old = 0,
    relEng = 0,
    inEng = 0,
    z2Eng = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const r = simulateAndVerifySync(model, exactOU({ dt }), { time, seed, replicas, burnIn: 0 });
    for (const [k, e] of r.estimates.entries()) {
      // the means and the energy balance are 0 exactly; their coverage is that of the rest
      if (e.exact === undefined || !(e.error > 0)) continue;
      const z = (e.value - e.exact - (e.timeStepBias ?? 0)) / e.error;
      n++;
      if (Math.abs(z) < 2) inAll++;
      const unbiased = !(Math.abs(e.timeStepBias ?? 0) > 0.5 * e.error);
      // the verdict of each estimate's own batch correlation (and the time-step bias), before the correlated-run rule
      const st = r.statistical[k];
      const notes = (st.note ?? "").split("; ");
      if (unbiased && (st.reliable || notes.every((t) => [RUN_RULE, ...OWN_RULES].some((rule) => t.includes(rule))))) {
        relOld++;
        if (Math.abs(z) < 2) inOld++;
        z2Old += z * z;
      }
      // the engine's own verdict (simulate alone: every rule but the slowest-mode one)
      if (unbiased && st.reliable) {
        relEng++;
        if (Math.abs(z) < 2) inEng++;
        z2Eng += z * z;
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
      `${pct(relEng, n)}, ${pct(inEng, relEng)}, ${relEng ? Math.sqrt(z2Eng / relEng).toFixed(2) : "-"} | ` +
      `${pct(rel, n)}, ${pct(inRel, rel)}, ${rel ? Math.sqrt(z2 / rel).toFixed(2) : "-"}, ${rel ? worst.toFixed(1) : "-"} |`,
  );
}
