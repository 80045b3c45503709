/**
 * Figures of the particle-bath chain study (Krekels, Maes, Santra and Zhai, arXiv:2604.00777), drawn from the data
 * computed by the study (definition.ts) with the shared chart builders: pure, they compute nothing.
 * Captions name the corrections of docs/corrections.md (sign of the k_eff correction, factor 2 of the closed form).
 */
import { linePanel, mergePanelTables, panelFigure, type Series } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import type { CurrentMaximum } from "./ndc.js";
import type { ParticleBathChainParams } from "./params.js";
import type { CurrentSimulationPoint, FrictionPoint, MeanForceCurve, MethodRow, NdcSimulation } from "./study.js";

const COLORS = ["blue", "orange", "green", "red", "purple", "brown"];

function g(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function paramLine(p: ParticleBathChainParams, keys: (keyof ParticleBathChainParams)[]): string {
  const names: Partial<Record<keyof ParticleBathChainParams, string>> = {
    Nb: "N_b",
    eps: "eps",
    rho: "rho",
    zeta: "zeta",
    gammaR: "gamma_R",
    TL: "T_L",
    TR: "T_R",
  };
  return keys.map((k) => `${names[k] ?? k} = ${g(p[k])}`).join(", ");
}

/** Figure 2a: the bath's mean force on a probe held at q, exact and linearised. */
export function meanForceFigure(
  p: ParticleBathChainParams,
  curves: MeanForceCurve[],
  criticalTemperature: number,
): Figure {
  const series: Series[] = [];
  curves.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    series.push({ name: `T_L = ${g(c.TL)} (exact)`, x: c.q, y: c.force, color });
    series.push({
      name: `T_L = ${g(c.TL)}: linear, slope K - k_eff`,
      x: c.q,
      y: c.linear,
      color,
      style: "dashed",
      strokeWidth: 1.5,
    });
  });
  const qs = curves[0]?.q ?? [];
  series.push({
    name: "K q: the pinning's restoring force, reversed",
    x: qs,
    y: qs.map((x) => p.K * x),
    color: "#555",
    style: "dotted",
    strokeWidth: 1.2,
  });
  const panel = linePanel({
    xLabel: "probe position q (held fixed)",
    xColumn: "q",
    yLabel: "mean force of the bath (compensated)",
    yColumn: "mean_force",
    series,
    width: 620,
    height: 380,
    referenceLines: [{ y: 0, color: "#999", style: "dotted" }],
  });
  return panelFigure({
    name: "fig2a-mean-force",
    title: "Mean force of the particle bath on a probe held at q (Fig. 2a of [Krekels et al. 2026])",
    caption:
      `The bath's mean force N_b eps (A - <F>_q) (exact quadrature) against its O(eps^2) linearisation. It grows with q: the bath ` +
      `softens the pinning, k_eff = K - N_b eps^2 Var(F)/T_L (minus sign, docs/corrections.md); where its slope exceeds K (dotted) ` +
      `the linearised probe is unstable: T_L < ${g(criticalTemperature)}. ${paramLine(p, ["Nb", "eps", "A", "rho", "L"])}.`,
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
    fr.push({
      name: `zeta = ${g(zeta)}: with bath memory`,
      x,
      y: th.map((t) => t.memoryFriction),
      color,
      style: "dotted",
    });
    fr.push({
      name: `zeta = ${g(zeta)}: simulation`,
      x: sim.map((t) => t.TL),
      y: sim.map((t) => t.simulated!.friction.value),
      err: sim.map((t) => t.simulated!.friction.error),
      color,
      line: false,
      marker: i % 2 === 0 ? "circle" : "square",
    });
    if (i === 0)
      st.push({
        name: "k_eff formula (Markov, any zeta)",
        x,
        y: th.map((t) => t.kEff),
        color: "black",
        style: "dashed",
      });
    st.push({
      name: `zeta = ${g(zeta)}: with bath memory`,
      x,
      y: th.map((t) => t.memoryStiffness),
      color,
      style: "dotted",
    });
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
    title: "Effective friction and stiffness of one oscillator in the particle bath (Fig. 2b of [Krekels et al. 2026])",
    caption:
      `Points: one probe (k = 0) with its ${p.Nb} bath particles, kicked with v = ±${g(pairs?.v0 ?? NaN)} (${pairs?.pairs ?? 0} antithetic pairs ` +
      `per point), friction and stiffness fitted (jackknife error bars). Dashed: gamma_L and k_eff (docs/corrections.md); dotted: with the ` +
      `bath's memory kernel. The formula holds for a fast bath and a kick within linear response (large T_L, small zeta). ` +
      `${paramLine(p, ["m", "K", "Nb", "eps", "A", "rho", "L"])}.`,
    panels: [
      linePanel({
        title: "friction",
        xLabel: "particle-bath temperature T_L",
        xColumn: "T_L",
        yLabel: "effective friction gamma",
        yColumn: "gamma_eff",
        series: fr,
        xType: "log",
        yType: "log",
        width: 520,
        height: 360,
      }),
      linePanel({
        title: "stiffness",
        xLabel: "particle-bath temperature T_L",
        xColumn: "T_L",
        yLabel: "effective stiffness of the probe",
        yColumn: "k_eff",
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
export function methodsFigure(
  p: ParticleBathChainParams,
  rows: MethodRow[],
  convergence: { TL: number; gammaL: number; rows: MethodRow[] }[],
): Figure {
  const N = rows.map((r) => r.N);
  const long = rows[0].longChain;
  const a = linePanel({
    title: `current against chain length (T_L = ${g(p.TL)}, T_R = ${g(p.TR)})`,
    xLabel: "chain length N",
    xColumn: "N",
    yLabel: "heat current J",
    yColumn: "J",
    series: [
      {
        name: "exact engine (Lyapunov)",
        x: N,
        y: rows.map((r) => r.exact),
        color: "blue",
        line: false,
        marker: "circle",
      },
      {
        name: "frequency integral",
        x: N,
        y: rows.map((r) => r.frequency),
        color: "orange",
        style: "dotted",
        strokeWidth: 1.5,
      },
      {
        name: "long-chain closed form (corrected)",
        x: [N[0], N[N.length - 1]],
        y: [long, long],
        color: "green",
        style: "dashed",
      },
      {
        name: "closed form as printed (×2)",
        x: [N[0], N[N.length - 1]],
        y: [2 * long, 2 * long],
        color: "red",
        style: "dashdot",
        strokeWidth: 1.5,
      },
    ],
    width: 500,
    height: 340,
  });
  const b = linePanel({
    title: "finite chains converge exponentially to the closed form",
    xLabel: "chain length N",
    xColumn: "N",
    yLabel: "relative deviation from the closed form",
    yColumn: "J_relative_deviation",
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
    title: "Heat current through the effective chain, three ways (Section 4 and Appendix B of [Krekels et al. 2026])",
    caption:
      `(a) The exact engine on the effective chain, the frequency integral (largest relative difference ${worst.toExponential(1)}) and ` +
      `the long-chain closed form; the printed closed form (red) is twice too large (docs/corrections.md). (b) Relative distance of ` +
      `the finite chain from the closed form, down to rounding. ${paramLine(p, ["m", "K", "k", "zeta", "gammaR"])}, bath of Fig. 2.`,
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
    lin.push({
      name: `${name}: effective theory`,
      x: c.TL.slice(0, k),
      y: c.theory.slice(0, k).map((j) => j / c.zeta),
      color,
    });
    lin.push({
      name: `${name}: with bath memory`,
      x: c.TL.slice(0, k),
      y: c.memory.slice(0, k).map((j) => j / c.zeta),
      color,
      style: "dotted",
      strokeWidth: 1.5,
    });
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
    linePanel({
      title: "linear scale",
      xLabel: "particle-bath temperature T_L",
      xColumn: "T_L",
      yLabel: "J / zeta",
      series: lin,
      xDomain: [0, Math.min(maxTL, LIN_MAX)],
      width: 520,
      height: 360,
    }),
    linePanel({
      title: "log-log",
      xLabel: "particle-bath temperature T_L",
      xColumn: "T_L",
      yLabel: "heat current J",
      yColumn: "J",
      series: log,
      xType: "log",
      yType: "log",
      width: 520,
      height: 360,
    }),
  ];
  // The data table without the NaN points that only break the asymptote line.
  const table = mergePanelTables(
    panels.map((pn, i) => ({
      label: `(${"ab"[i]}) ${pn.title}`,
      table: {
        columns: pn.table.columns,
        rows: pn.table.rows.filter((r) => r.every((v) => typeof v !== "number" || Number.isFinite(v))),
      },
    })),
  );
  // Without simulated points (the study's own figure): the theory curves only, and their maximum (NDC) if any.
  const theoryOnly = points.length === 0;
  return panelFigure({
    name: "fig3-current-simulation",
    title: theoryOnly
      ? `Current through the chain driven by the particle bath against T_L (effective theory, T_R = ${g(p.TR)}, after [Krekels et al. 2026])`
      : "Current through the chain driven by the particle bath: full simulation against the effective theory (Fig. 3 of [Krekels et al. 2026])",
    caption:
      (theoryOnly
        ? `N = ${p.N} sites, ${p.Nb} bath particles on site 1, Langevin bath at T_R = ${g(p.TR)} on site N. `
        : `Points: the full system simulated (N = ${p.N} sites, ${p.Nb} bath particles on site 1, Langevin bath at T_R = ${g(p.TR)} on site N; ` +
          `batch-means error bars). `) +
      `Lines: the effective chain solved exactly; dotted: with the bath's memory kernel, which larger zeta needs. ` +
      `(a) J/zeta; (b) log-log, J ~ C/T_L at high T_L (dashed). ${paramLine(p, ["m", "K", "k", "gammaR", "eps", "rho", "L"])}.`,
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
  sim?: NdcSimulation,
): Figure {
  const above: Series[] = [];
  const below: Series[] = [];
  byK.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    const up = c.TL.map((t, j) => [t, c.current[j]]).filter(([t]) => t >= p.TR);
    const down = c.TL.map((t, j) => [t, c.current[j]]).filter(([t]) => t <= p.TR);
    above.push({ name: `k = ${g(c.k)}`, x: up.map((r) => r[0]), y: up.map((r) => r[1]), color });
    above.push({
      name: `k = ${g(c.k)}: maximum`,
      x: [c.maximum.TL],
      y: [c.maximum.current],
      color,
      line: false,
      marker: "diamond",
    });
    below.push({ name: `k = ${g(c.k)}`, x: down.map((r) => r[0]), y: down.map((r) => r[1]), color });
  });
  const mem = memory.filter((m) => m.TL >= p.TR);
  above.push({
    name: `k = ${g(p.k)}, N = 32: with bath memory`,
    x: mem.map((m) => m.TL),
    y: mem.map((m) => m.current),
    color: "#333",
    style: "dotted",
    strokeWidth: 1.5,
  });
  const maxima = byK.map((c) => `k = ${g(c.k)}: T_L = ${g(c.maximum.TL)}, J = ${g(c.maximum.current)}`).join("; ");
  const simPanels = sim ? ndcSimulationPanels(sim) : [];
  return panelFigure({
    name: "fig4-ndc",
    title: "Negative differential thermal conductivity of the effective chain (Fig. 4 of [Krekels et al. 2026])",
    caption:
      `Long-chain current (corrected closed form, docs/corrections.md) at T_R = ${g(p.TR)}. (a) T_L > T_R: it peaks (${maxima}) and falls ` +
      `as 1/T_L (dotted: 32 sites with the memory kernel). (b) T_L < T_R: negative, non-monotonic, down to k_eff = 0. (c) Against the ` +
      `temperature difference: raising T_L at T_R = ${g(delta.fixedTR)} (NDC) or lowering T_R at T_L = ${g(delta.fixedTL)} (linear). ` +
      (sim ? ndcSimulationCaption(sim) : "") +
      `${paramLine(p, ["m", "K", "zeta", "gammaR", "Nb", "eps", "A", "rho", "L"])}.`,
    panels: [
      linePanel({
        title: "T_L > T_R",
        xLabel: "particle-bath temperature T_L",
        xColumn: "T_L",
        yLabel: "heat current J",
        yColumn: "J",
        series: above,
        xType: "log",
        width: 430,
        height: 330,
      }),
      linePanel({
        title: "T_L < T_R",
        xLabel: "particle-bath temperature T_L",
        xColumn: "T_L",
        yLabel: "heat current J",
        yColumn: "J",
        series: below,
        width: 430,
        height: 330,
        referenceLines: [{ y: 0, color: "#999", style: "dotted" }],
      }),
      linePanel({
        title: "against the temperature difference",
        xLabel: "temperature difference |T_L - T_R|",
        xColumn: "abs_T_L_minus_T_R",
        yLabel: "heat current J",
        yColumn: "J",
        series: [
          { name: `vary T_L (T_R = ${g(delta.fixedTR)})`, x: delta.delta, y: delta.varyTL, color: "purple" },
          {
            name: `vary T_R (T_L = ${g(delta.fixedTL)})`,
            x: delta.delta,
            y: delta.varyTR,
            color: "brown",
            style: "dashed",
          },
        ],
        width: 430,
        height: 330,
      }),
      ...simPanels,
    ],
    columns: 3,
    legend: "per-panel",
  });
}

/** The caption's sentence on panels (d, e). */
function ndcSimulationCaption(sim: NdcSimulation): string {
  const low = sim.points.find((q) => q.k === sim.kMid && q.TL < sim.TR);
  const markov = low ? ` (a Markov bath predicts ${g(low.markov)} at T_L = ${g(low.TL)}, k = ${g(low.k)})` : "";
  return `(d, e) Points: the full system simulated (N = ${sim.N}, ζ = ${g(sim.zeta)}); lines: its effective chain with the bath's memory${markov}. `;
}

/** Fig. 4 (d, e): the full system simulated beside the effective theories of the same chain. */
function ndcSimulationPanels(sim: NdcSimulation) {
  const byT: Series[] = [];
  sim.lines.forEach((l, i) => {
    const color = COLORS[i % COLORS.length];
    byT.push({ name: `k = ${g(l.k)}: theory`, x: l.TL, y: l.memory, color });
    const pts = sim.points.filter((q) => q.k === l.k && q.TR === sim.TR);
    byT.push({
      name: `k = ${g(l.k)}: simulation`,
      x: pts.map((q) => q.TL),
      y: pts.map((q) => q.simulated.value),
      err: pts.map((q) => q.simulated.error),
      color,
      line: false,
      marker: "circle",
    });
  });
  const vTL = sim.points.filter((q) => q.k === sim.kMid && q.TR === sim.TR && q.TL >= sim.TR);
  const vTR = sim.points.filter((q) => q.k === sim.kMid && q.TL === sim.fixedTL);
  const d = sim.delta;
  // A short run (--quick) leaves points within 4 error bars of zero: the panel's title says how many (kept short, so
  // that the title stays on one line).
  const unresolved = (pts: NdcSimulation["points"]) => {
    const n = pts.filter((q) => !(Math.abs(q.simulated.value) > 4 * q.simulated.error)).length;
    return n > 0 ? ` (${n} of ${pts.length} not resolved)` : "";
  };
  const onT = sim.points.filter((q) => q.TR === sim.TR);
  return [
    linePanel({
      title: `simulation: T_R = ${g(sim.TR)}${unresolved(onT)}`,
      yDomain: domainOf(byT),
      xLabel: "particle-bath temperature T_L",
      xColumn: "T_L",
      yLabel: "heat current J",
      yColumn: "J",
      series: byT,
      width: 430,
      height: 330,
      referenceLines: [{ y: 0, color: "#999", style: "dotted" }],
    }),
    linePanel({
      title: `simulation vs |T_L - T_R|, k = ${g(sim.kMid)}${unresolved([...vTL, ...vTR.filter((q) => !vTL.includes(q))])}`,
      xLabel: "temperature difference |T_L - T_R|",
      xColumn: "abs_T_L_minus_T_R",
      yLabel: "heat current J",
      yColumn: "J",
      series: [
        { name: `vary T_L (T_R = ${g(sim.TR)})`, x: d.delta, y: d.varyTL, color: "purple" },
        { name: `vary T_R (T_L = ${g(sim.fixedTL)})`, x: d.delta, y: d.varyTR, color: "brown", style: "dashed" },
        {
          name: "vary T_L: simulation",
          x: vTL.map((q) => q.TL - q.TR),
          y: vTL.map((q) => q.simulated.value),
          err: vTL.map((q) => q.simulated.error),
          color: "purple",
          line: false,
          marker: "circle",
        },
        {
          name: "vary T_R: simulation",
          x: vTR.map((q) => q.TL - q.TR),
          y: vTR.map((q) => q.simulated.value),
          err: vTR.map((q) => q.simulated.error),
          color: "brown",
          line: false,
          marker: "square",
        },
      ],
      width: 430,
      height: 330,
    }),
  ];
}

/** The y range of some series, error bars included, with a 5% margin. */
function domainOf(series: Series[]): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const sr of series)
    sr.y.forEach((y, i) => {
      const e = sr.err?.[i] ?? 0;
      if (Number.isFinite(y)) {
        lo = Math.min(lo, y - e);
        hi = Math.max(hi, y + e);
      }
    });
  const pad = 0.05 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}
