// The frequency-domain (transmission) engine against the dense Lyapunov engine: the crossover size on chains, the
// current of a 1000-site chain both ways (interleaved rounds, CPU time, target of issue 17: >= 10x faster), fluxes
// of long disordered chains and of 2D strips (CPU time, evaluations, resident memory), and the projection to 10^5
// sites from the measured growth (target: < 10 s on one core). NESS_BENCH_LARGE=1 also runs the 10^4-site strip.
import { interleave, measure, report, roundsFor } from "./rounds.js";
import { solveNetwork } from "../dist/exact/network.js";
import { solveNetworkTransmission } from "../dist/exact/transmission.js";
import { chainModel, stripModel } from "../dist/studies/harmonic-conduction/study.js";
import { DEFAULT_PARAMS } from "../dist/studies/harmonic-conduction/params.js";

export const title =
  "Transmission (frequency-domain) engine vs dense Lyapunov: crossover, 1000 sites, long chains, 2D strips";

let quick = process.env.NESS_BENCH_QUICK === "1";

/** CPU time of one call (this process): { value, seconds }. */
function time(f) {
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, seconds: (c.user + c.system) / 1e6 };
}

function fmt(s) {
  return s < 1 ? `${(s * 1e3).toFixed(0)} ms` : `${s.toFixed(2)} s`;
}

function pad(x, w) {
  return String(x).padStart(w);
}

/**
 * Ordered chain with fixed ends (Rieder-Lebowitz-Lieb): the dense engine's numerical Lemma-1 test refuses even 5%
 * mass disorder at 200 sites (end amplitudes ~1e-5), so the comparison with it uses ordered chains.
 */
function orderedChain(n) {
  return chainModel(n, { ...DEFAULT_PARAMS, disorder: 0 }, "fixed", 0);
}

export async function run(log, options = {}) {
  quick ||= options.quick === true;
  // 1. Crossover: dense solve against the frequency integrals (fluxes and kinetic temperatures) on chains.
  log("ordered chains, fixed ends, baths at both ends (dense: Lyapunov; transmission: fluxes + kinetic temperatures)");
  log(
    `${pad("N", 6)} ${pad("dense", 10)} ${pad("transm.", 10)} ${pad("dense/tr", 9)} ${pad("|dJ|/J", 9)} ${pad("max |dT|", 9)} ${pad("evals", 7)}`,
  );
  const sizes = quick ? [50, 100, 200] : [50, 100, 200, 400];
  let crossover;
  for (const n of sizes) {
    const m = orderedChain(n);
    const d = time(() => solveNetwork(m, { bySource: false }));
    const t = time(() => solveNetworkTransmission(m, { bySource: false }));
    const dJ = Math.abs(d.value.baths[0].flux - t.value.baths[0].flux) / Math.abs(d.value.baths[0].flux);
    let dT = 0;
    d.value.kineticTemperature.forEach((x, i) => (dT = Math.max(dT, Math.abs(x - t.value.kineticTemperature[i]))));
    if (crossover === undefined && t.seconds < d.seconds) crossover = n;
    log(
      `${pad(n, 6)} ${pad(fmt(d.seconds), 10)} ${pad(fmt(t.seconds), 10)} ${pad((d.seconds / t.seconds).toFixed(2), 9)} ` +
        `${pad(dJ.toExponential(1), 9)} ${pad(dT.toExponential(1), 9)} ${pad(t.value.evaluations, 7)}`,
    );
  }
  log(
    `crossover: the transmission method is faster from N = ${crossover ?? `> ${sizes[sizes.length - 1]}`} on (dense cost ~n^3, transmission ~n^2)`,
  );

  // 2. The current of a 1000-site chain: dense against transmission (fluxes only), interleaved rounds, CPU time.
  if (!quick) {
    log("");
    const m = orderedChain(1000);
    const rounds = roundsFor(options, 3, 1);
    const out = await interleave(
      [
        {
          name: "transmission",
          round: () => measure(() => solveNetworkTransmission(m, { bySource: false, temperatures: false })),
        },
        { name: "dense", round: () => measure(() => solveNetwork(m, { bySource: false })) },
      ],
      rounds,
      log,
    );
    const t = out.transmission?.[0]?.value;
    const d = out.dense?.[0]?.value;
    if (t && d) {
      const rel = Math.abs(d.baths[0].flux - t.baths[0].flux) / Math.abs(d.baths[0].flux);
      log(
        `1000-site ordered chain, current J: relative difference ${rel.toExponential(1)}, quadratureError ` +
          `${t.quadratureError.toExponential(1)}, ${t.evaluations} evaluations`,
      );
      report(log, "J of a 1000-site chain, transmission (fluxes only) vs dense Lyapunov", out.transmission, out.dense, {
        target: { min: 10 },
        anchorName: "dense",
      });
    }
  }

  // 3. Long disordered chains (masses 1 +- 50%, fixed ends), fluxes only: time, memory, and growth.
  log("");
  log("disordered chains (masses 1 +- 50%, fixed ends), fluxes only, tolerance 1e-8:");
  log(`${pad("N", 7)} ${pad("time", 10)} ${pad("evals", 8)} ${pad("rss MB", 7)} ${pad("J", 12)} ${pad("qErr", 8)}`);
  const long = quick ? [256, 512] : [1024, 2048, 4096];
  const points = [];
  for (const n of long) {
    const m = chainModel(n, DEFAULT_PARAMS, "fixed", 0);
    const t = time(() => solveNetworkTransmission(m, { bySource: false, temperatures: false, tolerance: 1e-8 }));
    points.push([n, t.seconds]);
    log(
      `${pad(n, 7)} ${pad(fmt(t.seconds), 10)} ${pad(t.value.evaluations, 8)} ${pad((process.memoryUsage().rss / 1e6).toFixed(0), 7)} ` +
        `${pad(t.value.baths[0].flux.toExponential(4), 12)} ${pad(t.value.quadratureError.toExponential(1), 8)}`,
    );
  }
  const [n0, s0] = points[points.length - 2];
  const [n1, s1] = points[points.length - 1];
  const growth = Math.log(s1 / s0) / Math.log(n1 / n0);
  const projected = s1 * (1e5 / n1) ** growth;
  log(
    `time grows as N^${growth.toFixed(2)}: a 10^5-site chain would take ~${fmt(projected)} ` +
      `(a projection from ${n0} and ${n1} sites, not a measurement: the engine refuses more than 30000 sites; target < 10 s; ` +
      `every mode is located by Sturm counts, O(N) each, and every transmitting peak integrated)`,
  );

  // 4. 2D strips (baths on every site of the first and last columns), fluxes only.
  log("");
  log("2D strips W x L (masses 1 +- 50%, baths on the end columns), fluxes only, tolerance 1e-8:");
  const strips = quick
    ? [[4, 32]]
    : [
        [4, 64],
        [8, 128],
      ];
  if (process.env.NESS_BENCH_LARGE === "1") strips.push([10, 1000]);
  for (const [W, L] of strips) {
    const m = stripModel(W, L, DEFAULT_PARAMS);
    const t = time(() => solveNetworkTransmission(m, { bySource: false, temperatures: false, tolerance: 1e-8 }));
    log(
      `  ${W} x ${L} = ${W * L} sites: ${fmt(t.seconds)}, ${t.value.evaluations} evaluations, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, ` +
        `quadratureError ${t.value.quadratureError.toExponential(1)}`,
    );
  }
  log("(CPU times of one run on a shared machine; the 10^4-site strip 10 x 1000 runs with NESS_BENCH_LARGE=1)");
}
