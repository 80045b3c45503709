/**
 * Figures of the particle-bath chain study (Krekels, Maes, Santra and Zhai, arXiv:2604.00777), drawn from the data
 * computed by the study (definition.ts) with the shared chart builders: pure, they compute nothing.
 * Captions name the corrections of shared/physics-notes.md (sign of the k_eff correction, factor 2 of the closed form).
 */
import { linePanel, mergePanelTables, panelFigure, type Series } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import type { CurrentMaximum } from "./ndc.js";
import type { ParticleBathChainParams } from "./params.js";
import type { CurrentSimulationPoint, FrictionPoint, MeanForceCurve, MethodRow } from "./study.js";

const COLORS = ["blue", "orange", "green", "red", "purple", "brown"];

function g(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function paramLine(p: ParticleBathChainParams, keys: (keyof ParticleBathChainParams)[]): string {
  const names: Partial<Record<keyof ParticleBathChainParams, string>> = { Nb: "N_b", eps: "eps", rho: "rho", zeta: "zeta", gammaR: "gamma_R", TL: "T_L", TR: "T_R" };
  return keys.map((k) => `${names[k] ?? k} = ${g(p[k])}`).join(", ");
}

/** Figure 2a: the bath's mean force on a probe held at q, exact and linearised. */
export function meanForceFigure(p: ParticleBathChainParams, curves: MeanForceCurve[], criticalTemperature: number): Figure {
  const series: Series[] = [];
  curves.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    series.push({ name: `T_L = ${g(c.TL)} (exact)`, x: c.q, y: c.force, color });
    series.push({ name: `T_L = ${g(c.TL)}: linear, slope K - k_eff`, x: c.q, y: c.linear, color, style: "dashed", strokeWidth: 1.5 });
  });
  const qs = curves[0]?.q ?? [];
  series.push({ name: "K q: the pinning's restoring force, reversed", x: qs, y: qs.map((x) => p.K * x), color: "#555", style: "dotted", strokeWidth: 1.2 });
  const panel = linePanel({
    xLabel: "probe position q (held fixed)",
    yLabel: "mean force of the bath (compensated)",
    series,
    width: 620,
    height: 380,
    referenceLines: [{ y: 0, color: "#999", style: "dotted" }],
  });
  return panelFigure({
    name: "fig2a-mean-force",
    title: "Mean force of the particle bath on a probe held at q (Krekels et al., Figure 2a)",
    caption:
      `N_b eps (A - <F>_q) with <F>_q the average of the von Mises coupling over the Boltzmann density exp(-eps q F(x)/T_L) ` +
      `on the ring (exact quadrature), against its O(eps^2) linearisation N_b eps^2 Var(F) q / T_L. The force grows with q: ` +
      `the bath softens the pinning, k_eff = K - N_b eps^2 A^2 (I0(2 rho)/I0(rho)^2 - 1)/T_L (minus sign as corrected in ` +
      `physics-notes.md; the arXiv text as extracted shows a plus), and where its slope exceeds K (dotted) the linearised ` +
      `probe is unstable: T_L < ${g(criticalTemperature)}. ${paramLine(p, ["Nb", "eps", "A", "rho", "L"])}.`,
    panels: [panel],
    labels: false,
    legend: "shared",
  });
}

/** Figure 2b: effective friction (and stiffness) of one probe from the decay of its mean velocity. */
export function frictionFigure(p: ParticleBathChainParams, points: FrictionPoint[], theory: FrictionPoint[]): Figure {
  const zetas = [...new Set(theory.map((t) => t.zeta))];
  const fr: Series[] = [];
  const st: Series[] = [];
  zetas.forEach((zeta, i) => {
    const color = COLORS[i % COLORS.length];
    const th = theory.filter((t) => t.zeta === zeta);
    const sim = points.filter((t) => t.zeta === zeta && t.simulated);
    const x = th.map((t) => t.TL);
    fr.push({ name: `zeta = ${g(zeta)}: formula (Markov)`, x, y: th.map((t) => t.gammaL), color, style: "dashed" });
    fr.push({ name: `zeta = ${g(zeta)}: with bath memory`, x, y: th.map((t) => t.memoryFriction), color, style: "dotted" });
    fr.push({
      name: `zeta = ${g(zeta)}: simulation`,
      x: sim.map((t) => t.TL),
      y: sim.map((t) => t.simulated!.friction.value),
      err: sim.map((t) => t.simulated!.friction.error),
      color,
      line: false,
      marker: i % 2 === 0 ? "circle" : "square",
    });
    if (i === 0) st.push({ name: "k_eff formula (Markov, any zeta)", x, y: th.map((t) => t.kEff), color: "black", style: "dashed" });
    st.push({ name: `zeta = ${g(zeta)}: with bath memory`, x, y: th.map((t) => t.memoryStiffness), color, style: "dotted" });
    st.push({
      name: `zeta = ${g(zeta)}: simulation`,
      x: sim.map((t) => t.TL),
      y: sim.map((t) => t.simulated!.stiffness.value),
      err: sim.map((t) => t.simulated!.stiffness.error),
      color,
      line: false,
      marker: i % 2 === 0 ? "circle" : "square",
    });
  });
  const pairs = points.find((t) => t.simulated)?.simulated;
  return panelFigure({
    name: "fig2b-effective-friction",
    title: "Effective friction and stiffness of one oscillator in the particle bath (Krekels et al., Figure 2b)",
    caption:
      `Points: a single probe (k = 0) simulated with its ${p.Nb} bath particles, started at q = 0 with v = ±${g(pairs?.v0 ?? NaN)} ` +
      `(antithetic pairs sharing their noise, ${pairs?.pairs ?? 0} pairs per point); gamma = 2m x (decay rate of the mean ` +
      `velocity's envelope) and the stiffness from a damped-oscillator fit, with jackknife error bars. Dashed: the formula ` +
      `gamma_L = N_b eps^2 zeta L^2 (A/I0)^2 sum I_n^2/n^2 / (2 pi^2 T_L^2) and k_eff (minus sign, physics-notes.md). Dotted: ` +
      `the same linear response with the bath's memory kernel (finite zeta). The formula holds once the slowest bath time ` +
      `zeta L^2/(4 pi^2 T_L) is short against the probe's period (large T_L, small zeta) and the kick is within linear ` +
      `response (eps v0 (max F - min F) / T_L not large): at low T_L the kick drives the bath nonlinearly. ${paramLine(p, ["m", "K", "Nb", "eps", "A", "rho", "L"])}.`,
    panels: [
      linePanel({ title: "friction", xLabel: "particle-bath temperature T_L", yLabel: "effective friction gamma", series: fr, xType: "log", yType: "log", width: 520, height: 360 }),
      linePanel({
        title: "stiffness",
        xLabel: "particle-bath temperature T_L",
        yLabel: "effective stiffness of the probe",
        series: st,
        xType: "log",
        width: 520,
        height: 360,
        referenceLines: [{ y: p.K, label: "K", color: "#777", style: "dotted" }],
      }),
    ],
    columns: 2,
    legend: "shared",
  });
}

/** The current three ways (exact engine, frequency integral, closed form) and the convergence of finite chains. */
export function methodsFigure(p: ParticleBathChainParams, rows: MethodRow[], convergence: { TL: number; gammaL: number; rows: MethodRow[] }[]): Figure {
  const N = rows.map((r) => r.N);
  const long = rows[0].longChain;
  const a = linePanel({
    title: `current against chain length (T_L = ${g(p.TL)}, T_R = ${g(p.TR)})`,
    xLabel: "chain length N",
    yLabel: "heat current J",
    series: [
      { name: "exact engine (Lyapunov)", x: N, y: rows.map((r) => r.exact), color: "blue", line: false, marker: "circle" },
      { name: "frequency integral", x: N, y: rows.map((r) => r.frequency), color: "orange", style: "dotted", strokeWidth: 1.5 },
      { name: "long-chain closed form (corrected)", x: [N[0], N[N.length - 1]], y: [long, long], color: "green", style: "dashed" },
      { name: "closed form as printed (x2)", x: [N[0], N[N.length - 1]], y: [2 * long, 2 * long], color: "red", style: "dashdot", strokeWidth: 1.5 },
    ],
    width: 500,
    height: 340,
  });
  const b = linePanel({
    title: "finite chains converge exponentially to the closed form",
    xLabel: "chain length N",
    yLabel: "relative deviation from the closed form",
    yType: "log",
    series: convergence.map((c, i) => ({
      name: `T_L = ${g(c.TL)} (gamma_L = ${g(c.gammaL)})`,
      x: c.rows.map((r) => r.N),
      y: c.rows.map((r) => r.deviation),
      color: COLORS[(i + 2) % COLORS.length],
      marker: "circle" as const,
    })),
    width: 500,
    height: 340,
  });
  const worst = Math.max(...rows.map((r) => Math.abs(r.exact / r.frequency - 1)));
  return panelFigure({
    name: "current-three-ways",
    title: "Heat current through the effective chain, three ways (Krekels et al., Section 4 and Appendix B)",
    caption:
      `(a) The exact engine on the effective chain (J = gamma_L (T_L - m<v1^2>)/m), the frequency integral ` +
      `2 gamma_L gamma_R (T_L - T_R) int (d omega/2 pi) omega^2 |G_1N|^2 over the whole real line (largest relative ` +
      `difference ${worst.toExponential(1)}), and the long-chain closed form 2 gamma_L gamma_R k^2 (T_L - T_R) / ` +
      `(m (D0 - D1 + sqrt(D0 (D0 - 2 D1)))). The paper prints 4 instead of 2 in the numerator (twice too large, ` +
      `physics-notes.md; red); the last term of D1 is (2k/m) gamma_L gamma_R (gamma_L + gamma_R). (b) Relative distance of ` +
      `the finite chain from the closed form, down to rounding. ${paramLine(p, ["m", "K", "k", "zeta", "gammaR"])}, Figure 2 bath.`,
    panels: [a, b],
    columns: 2,
    legend: "per-panel",
  });
}

const LIN_MAX = 25;

/** Figure 3: the full simulation (chain + particles + Langevin bath) against the effective theory. */
export function currentSimulationFigure(
  p: ParticleBathChainParams,
  points: CurrentSimulationPoint[],
  curves: { zeta: number; TL: number[]; theory: number[]; memory: number[]; highTemperatureCoefficient: number }[],
): Figure {
  const lin: Series[] = [];
  const log: Series[] = [];
  curves.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    const sim = points.filter((t) => t.zeta === c.zeta);
    const marker = (["circle", "square", "triangle", "diamond"] as const)[i % 4];
    const name = `zeta = ${g(c.zeta)}`;
    const k = c.TL.filter((t) => t <= LIN_MAX).length;
    const sl = sim.filter((t) => t.TL <= LIN_MAX);
    lin.push({ name: `${name}: effective theory`, x: c.TL.slice(0, k), y: c.theory.slice(0, k).map((j) => j / c.zeta), color });
    lin.push({ name: `${name}: with bath memory`, x: c.TL.slice(0, k), y: c.memory.slice(0, k).map((j) => j / c.zeta), color, style: "dotted", strokeWidth: 1.5 });
    lin.push({
      name: `${name}: simulation`,
      x: sl.map((t) => t.TL),
      y: sl.map((t) => t.simulated.value / c.zeta),
      err: sl.map((t) => t.simulated.error / c.zeta),
      color,
      line: false,
      marker,
    });
    log.push({ name: `${name}: effective theory`, x: c.TL, y: c.theory, color });
    log.push({ name: `${name}: with bath memory`, x: c.TL, y: c.memory, color, style: "dotted", strokeWidth: 1.5 });
    log.push({
      name: `${name}: simulation`,
      x: sim.map((t) => t.TL),
      y: sim.map((t) => t.simulated.value),
      err: sim.map((t) => t.simulated.error),
      color,
      line: false,
      marker,
    });
  });
  // The high-T_L asymptotes C/T_L of all zeta as one series (broken between zeta by a NaN point).
  const ax: number[] = [];
  const ay: number[] = [];
  for (const c of curves) {
    const hi = c.TL.filter((t) => t >= c.TL[c.TL.length - 1] / 5);
    if (ax.length > 0) {
      ax.push(hi[0]);
      ay.push(NaN);
    }
    for (const t of hi) {
      ax.push(t);
      ay.push(c.highTemperatureCoefficient / t);
    }
  }
  log.push({ name: "C / T_L (high-T_L limit)", x: ax, y: ay, color: "#555", style: "dashed", strokeWidth: 1 });
  const maxTL = Math.max(...curves.map((c) => c.TL[c.TL.length - 1]));
  const panels = [
    linePanel({ title: "linear scale", xLabel: "particle-bath temperature T_L", yLabel: "J / zeta", series: lin, xDomain: [0, Math.min(maxTL, LIN_MAX)], width: 520, height: 360 }),
    linePanel({ title: "log-log", xLabel: "particle-bath temperature T_L", yLabel: "heat current J", series: log, xType: "log", yType: "log", width: 520, height: 360 }),
  ];
  // The data table without the NaN points that only break the asymptote line.
  const table = mergePanelTables(
    panels.map((pn, i) => ({
      label: `(${"ab"[i]}) ${pn.title}`,
      table: { columns: pn.table.columns, rows: pn.table.rows.filter((r) => r.every((v) => typeof v !== "number" || Number.isFinite(v))) },
    })),
  );
  return panelFigure({
    name: "fig3-current-simulation",
    title: "Current through the chain driven by the particle bath: full simulation against the effective theory (Krekels et al., Figure 3)",
    caption:
      `Points: the full system (N = ${p.N} sites, ${p.Nb} overdamped bath particles on site 1, Langevin bath at T_R = ${g(p.TR)} ` +
      `on site N) simulated; J = gamma_R (m<v_N^2> - T_R)/m with batch-means error bars. Lines: the effective chain ` +
      `(gamma_L(T_L), k_eff(T_L) with the corrected minus sign) solved exactly; dotted: with the bath's memory kernel. ` +
      `Smaller zeta separates the time scales (slowest bath time zeta L^2/(4 pi^2 T_L)) and the simulation meets the ` +
      `effective theory; at larger zeta it meets the memory theory. (a) J/zeta (gamma_L is proportional to zeta); ` +
      `(b) log-log: J ~ C/T_L at high T_L (dashed), the current vanishes as T_L grows. ${paramLine(p, ["m", "K", "k", "gammaR", "eps", "rho", "L"])}.`,
    panels,
    table,
    columns: 2,
    legend: "shared",
  });
}

/** Figure 4: NDC in the effective theory. */
export function ndcFigure(
  p: ParticleBathChainParams,
  byK: { k: number; TL: number[]; current: number[]; maximum: CurrentMaximum }[],
  memory: { TL: number; current: number }[],
  delta: { delta: number[]; varyTL: number[]; varyTR: number[]; fixedTR: number; fixedTL: number },
): Figure {
  const above: Series[] = [];
  const below: Series[] = [];
  byK.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    const up = c.TL.map((t, j) => [t, c.current[j]]).filter(([t]) => t >= p.TR);
    const down = c.TL.map((t, j) => [t, c.current[j]]).filter(([t]) => t <= p.TR);
    above.push({ name: `k = ${g(c.k)}`, x: up.map((r) => r[0]), y: up.map((r) => r[1]), color });
    above.push({ name: `k = ${g(c.k)}: maximum`, x: [c.maximum.TL], y: [c.maximum.current], color, line: false, marker: "diamond" });
    below.push({ name: `k = ${g(c.k)}`, x: down.map((r) => r[0]), y: down.map((r) => r[1]), color });
  });
  const mem = memory.filter((m) => m.TL >= p.TR);
  above.push({ name: `k = ${g(p.k)}, N = 32: with bath memory`, x: mem.map((m) => m.TL), y: mem.map((m) => m.current), color: "#333", style: "dotted", strokeWidth: 1.5 });
  const maxima = byK.map((c) => `k = ${g(c.k)}: T_L = ${g(c.maximum.TL)}, J = ${g(c.maximum.current)}`).join("; ");
  return panelFigure({
    name: "fig4-ndc",
    title: "Negative differential thermal conductivity of the effective chain (Krekels et al., Figure 4)",
    caption:
      `Long-chain current (closed form with the factor 2 of physics-notes.md) at T_R = ${g(p.TR)} for several spring ` +
      `constants k. (a) T_L > T_R: the current rises, peaks (${maxima}) and falls as 1/T_L, since gamma_L ~ T_L^-2 ` +
      `decouples the particle bath (dotted: a 32-site chain with the bath's memory kernel; k = 1 and k = 2 nearly ` +
      `coincide: for k >= K/2 the weakly coupled current is gamma_L (T_L - T_R)/m whatever k). (b) T_L < T_R: the current ` +
      `is negative and also non-monotonic, down to the stability edge k_eff = 0. (c) The current against the ` +
      `temperature difference: raising T_L at T_R = ${g(delta.fixedTR)} (nonlinear, NDC) or lowering T_R at ` +
      `T_L = ${g(delta.fixedTL)} (linear: gamma_L and k_eff depend on T_L only). ` +
      `${paramLine(p, ["m", "K", "zeta", "gammaR", "Nb", "eps", "A", "rho", "L"])}.`,
    panels: [
      linePanel({ title: "T_L > T_R", xLabel: "particle-bath temperature T_L", yLabel: "heat current J", series: above, xType: "log", width: 430, height: 330 }),
      linePanel({
        title: "T_L < T_R",
        xLabel: "particle-bath temperature T_L",
        yLabel: "heat current J",
        series: below,
        width: 430,
        height: 330,
        referenceLines: [{ y: 0, color: "#999", style: "dotted" }],
      }),
      linePanel({
        title: "against the temperature difference",
        xLabel: "temperature difference |T_L - T_R|",
        yLabel: "heat current J",
        series: [
          { name: `vary T_L (T_R = ${g(delta.fixedTR)})`, x: delta.delta, y: delta.varyTL, color: "purple" },
          { name: `vary T_R (T_L = ${g(delta.fixedTL)})`, x: delta.delta, y: delta.varyTR, color: "brown", style: "dashed" },
        ],
        width: 430,
        height: 330,
      }),
    ],
    columns: 3,
    legend: "per-panel",
  });
}
