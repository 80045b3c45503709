/**
 * Figures of the energy-correlations study (browser-safe Figure objects): C12 against the bath difference for the
 * four models (positive for the ideal gas, Fermi gases and blackbodies, negative for the exclusion process), its
 * boundary/bulk noise decomposition, the bound of eq. 15, off-diagonal correlation profiles of long chains against
 * their continuum form, the accuracy of the paper's noise approximations (eqs. 13, A.6), and the verification of
 * the exact C by simulating the energy SDE. Captions state the corrections taken from docs/corrections.md. Pure: each
 * draws the data computed by the study (definition.ts).
 */
import type { Figure, Table } from "../../figures/figure.js";
import { lineChart, linePanel, panelFigure, type Panel, type Series } from "../../figures/charts.js";
import type { BuiltinModelName } from "./models.js";
import type { BiasSweep, ProfileSet, SingleSweep } from "./study.js";
import type { VerificationSweep } from "./verification.js";

/** How each model's C12 is scaled on the figures (the figures use T0 = 1, Cv = N = kappa = coupling = aV = 1, T_F = 100). */
export const MODEL_AXES: Record<
  BuiltinModelName,
  { title: string; x: string; y: string; scale: number; sign: string }
> = {
  "ideal-gas": {
    title: "Ideal gases (linear A, eq. 4)",
    x: "T₃ − T₀  (T₀ = 1)",
    y: "C₁₂ / (Cv T₀²)",
    scale: 1,
    sign: "C₁₂ > 0",
  },
  ssep: {
    title: "Boxed exclusion process",
    x: "ε₃ − ε₀  (ε₀ + ε₃ = 1)",
    y: "10³ C₁₂ / N",
    scale: 1000,
    sign: "C₁₂ < 0",
  },
  fermi: {
    title: "Fermi gases (eqs. 11-12)",
    x: "T₃ − T₀  (T₀ = 1)",
    y: "C₁₂ T_F / (N T₀³)",
    scale: 100,
    sign: "C₁₂ > 0",
  },
  blackbody: {
    title: "Blackbody cavities (A.5)",
    x: "T₃ − T₀  (T₀ = 1)",
    y: "C₁₂ / (aV T₀⁸)",
    scale: 1,
    sign: "C₁₂ > 0",
  },
};

const CORRECTIONS =
  "Equations of [Bunin et al. 2013]; Fermi and blackbody junctions use the exact noise integral, not eq. 13 or A.6 (docs/corrections.md).";

/** Unicode subscript digits of a non-negative integer. */
function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);
}

function scaled(v: readonly number[], k: number): number[] {
  return v.map((y) => y * k);
}

/** Number with a few digits for labels. */
function short(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/**
 * The axes of a sweep: the standard ones (scaled, MODEL_AXES), or for a study's own chain (BiasSweep.chain) C12
 * itself against the difference of its right bath from its left one.
 */
function axesOf(s: BiasSweep): { title: string; x: string; y: string; scale: number; sign: string } {
  const c = s.chain;
  if (!c) return MODEL_AXES[s.model];
  const density = c.variable === "density";
  const x0 = density ? "ε₀" : "T₀";
  return {
    title: `${c.label}, M = ${c.M}`,
    x: `${density ? "ε₃" : "T₃"} − ${x0}  (${x0} = ${short(c.left)})`,
    y: density ? "C₁₂ (particles²)" : "C₁₂ (energy²)",
    scale: 1,
    sign: `C₁₂ = ${short(c.c12)} at ${density ? "ε₃" : "T₃"} = ${short(c.right)}`,
  };
}

/** Finite table entries (a bound that does not apply is left empty). */
function cell(v: number | undefined): number | string {
  return v !== undefined && Number.isFinite(v) ? v : "";
}

function sweepTable(sweeps: BiasSweep[]): Table {
  const rows: (number | string)[][] = [];
  for (const s of sweeps) {
    const k = axesOf(s).scale;
    s.difference.forEach((d, i) => {
      rows.push([
        s.model,
        d,
        s.c12[i] * k,
        cell(s.closedForm[i] * k),
        s.c12Approx ? s.c12Approx[i] * k : "",
        s.boundary[i] * k,
        s.bulk[i] * k,
        cell(s.bound[i] * k),
      ]);
    });
  }
  return {
    columns: [
      "model",
      "bath_difference",
      "C12_scaled",
      "closed_form_scaled",
      "C12_approx_noise_scaled",
      "boundary_scaled",
      "bulk_scaled",
      "bound_eq15_scaled",
    ],
    rows,
  };
}

/** C12 against the bath difference, one panel per model, with the closed forms and the approximate-noise curves. */
export function c12Figure(data: BiasSweep[]): Figure {
  const panels: Panel[] = data.map((s) => {
    const ax = axesOf(s);
    const every = Math.max(1, Math.round((s.difference.length - 1) / 10));
    const pick = <T>(v: readonly T[]) => v.filter((_, i) => i % every === 0);
    const series: Series[] = [
      {
        name: "Lyapunov solution (exact noise)",
        x: s.difference,
        y: scaled(s.c12, ax.scale),
        color: s.model === "ssep" ? "red" : "blue",
      },
    ];
    if (s.c12Approx) {
      series.push({
        name: "with the approximate noise (eq. 13 / A.6)",
        x: s.difference,
        y: scaled(s.c12Approx, ax.scale),
        color: "orange",
        style: "dashed",
      });
    }
    const closedLabel =
      s.model === "ideal-gas"
        ? "closed form Cv(T₀−T₃)²/27"
        : s.model === "ssep"
          ? "closed form −N(ε₀−ε₃)²/27 (eq. 10)"
          : s.model === "fermi"
            ? "eq. 14"
            : "eq. 9";
    if (s.closedForm.length === s.difference.length) {
      series.push({
        name: closedLabel,
        x: pick(s.difference),
        y: pick(scaled(s.closedForm, ax.scale)),
        color: "black",
        line: false,
        marker: "circle",
      });
    }
    if (s.chain) {
      series.push({
        name: "this chain",
        x: [s.chain.right - s.chain.left],
        y: [s.chain.c12],
        color: "green",
        line: false,
        marker: "square",
      });
    }
    return linePanel({
      title: `${ax.title}: ${ax.sign}`,
      xLabel: ax.x,
      yLabel: ax.y,
      series,
      referenceLines: [{ y: 0, color: "#555", style: "dotted" }],
      width: 420,
      height: 290,
    });
  });
  return panelFigure({
    name: "energy-correlations-c12",
    title: "Energy correlation C₁₂ of two subsystems against the bath difference",
    caption: data.every((s) => s.chain)
      ? "C₁₂ = ⟨E₁E₂⟩ − ⟨E₁⟩⟨E₂⟩ of the first two subsystems from R C + C Rᵀ = −Q (eq. 7), for this chain (its model, parameters, " +
        "M and left bath) with the right bath varied; square: the chain itself; circles (M = 2): the closed forms (eqs. 8-10, 14). kB = 1. " +
        CORRECTIONS
      : "C₁₂ = ⟨E₁E₂⟩ − ⟨E₁⟩⟨E₂⟩ from R C + C Rᵀ = −Q (eq. 7), T₀ = 1, T₃ = 1 … 5 (exclusion process: ε₀, ε₃ = 0.5 ∓ d/2); " +
        "markers: the closed forms (eqs. 9, 10, 14). Positive except for the exclusion process, whose bulk noise B₁₂ dominates. " +
        "kB = 1; Fermi gases with T_F = 100; blackbodies with E = aV T⁴. " +
        CORRECTIONS,
    panels,
    columns: 2,
    legend: "per-panel",
    table: sweepTable(data),
  });
}

/** Boundary (links to the baths) and bulk (middle link) noise contributions to C12. */
export function decompositionFigure(data: BiasSweep[]): Figure {
  const panels: Panel[] = data.map((s) => {
    const ax = axesOf(s);
    return linePanel({
      title: ax.title,
      xLabel: ax.x,
      yLabel: ax.y,
      series: [
        {
          name: "boundary noise (B₀₁, B₂₃)",
          x: s.difference,
          y: scaled(s.boundary, ax.scale),
          color: "blue",
          style: "dashed",
        },
        { name: "bulk noise (B₁₂)", x: s.difference, y: scaled(s.bulk, ax.scale), color: "red", style: "dashdot" },
        { name: "total C₁₂", x: s.difference, y: scaled(s.c12, ax.scale), color: "black" },
      ],
      referenceLines: [{ y: 0, color: "#555", style: "dotted" }],
      width: 420,
      height: 290,
    });
  });
  return panelFigure({
    name: "energy-correlations-decomposition",
    title: "Boundary noise against bulk noise: the sign of C₁₂",
    caption:
      "C is linear in the link noises, so C₁₂ splits into the links touching a bath (positive) and the middle link (negative), as in " +
      "Section 4; for linear A, N(B₀₁ + B₂₃)/(12γ) and −2N B₁₂/(12γ) (eq. 9). Convex B gives net positive correlations, concave B negative ones. " +
      CORRECTIONS,
    panels,
    columns: 2,
    legend: "shared",
    table: sweepTable(data),
  });
}

/** |C12| against the bound of eq. 15. */
export function boundFigure(data: BiasSweep[]): Figure {
  const panels: Panel[] = data.map((s) => {
    const ax = MODEL_AXES[s.model];
    const keep = s.difference.map((d, i) => (d > 0 ? i : -1)).filter((i) => i >= 0);
    const lo = Math.min(...keep.map((i) => Math.abs(s.c12[i]) * ax.scale));
    const hi = Math.max(...keep.map((i) => s.bound[i] * ax.scale));
    return linePanel({
      title: ax.title,
      xLabel: ax.x,
      // The panel shows |C₁₂| (negative for the exclusion process): the label says so, in every panel alike.
      yLabel: ax.y.replace("C₁₂", "|C₁₂|"),
      yType: "log",
      yDomain: [lo / 2, hi * 3],
      xDomain: [0, s.difference[s.difference.length - 1]],
      series: [
        {
          name: "|C₁₂|",
          x: keep.map((i) => s.difference[i]),
          y: keep.map((i) => Math.abs(s.c12[i]) * ax.scale),
          color: "black",
        },
        {
          name: "bound 18 |⟨J⟩| τ max|βᵢ − βᵢ₊₁|⁻¹ (eq. 15)",
          x: keep.map((i) => s.difference[i]),
          y: keep.map((i) => s.bound[i] * ax.scale),
          color: "green",
          style: "dashed",
        },
      ],
      width: 420,
      height: 290,
    });
  });
  return panelFigure({
    name: "energy-correlations-bound",
    title: "The correlations stay below the bound of eq. 15",
    caption:
      "Eq. 15 of [Bunin et al. 2013] with τ = 1/(smallest |eigenvalue| of R) and |⟨J⟩| (docs/corrections.md). It is derived assuming eq. 4 " +
      "(exact for the ideal gas, near equilibrium for the quantum junctions, approximate for the exclusion process) and holds with a wide margin in every case shown.",
    panels,
    columns: 2,
    legend: "shared",
    table: sweepTable(data),
  });
}

function profileTable(sets: ProfileSet[]): Table {
  const rows: (number | string)[][] = [];
  for (const p of sets) {
    p.columns.forEach((j, c) => {
      p.position.forEach((x, i) => {
        if (i + 1 === j) return;
        rows.push([p.model, p.M, j, i + 1, x, p.values[c][i], p.continuum ? p.continuum[c][i] : ""]);
      });
    });
  }
  return { columns: ["model", "M", "j", "i", "x_i", "C_ij", "continuum_form"], rows };
}

/** Off-diagonal correlation profiles C_ij of long chains, with the continuum form for the linear-A models. */
export function profilesFigure(M: number, sets: ProfileSet[]): Figure {
  const colors = ["blue", "orange", "green"];
  const right = subscript(M + 1);
  const bathText: Record<BuiltinModelName, string> = {
    "ideal-gas": `T₀ = 1, T${right} = 3`,
    ssep: `ε₀ = 0.1, ε${right} = 0.9`,
    fermi: `T₀ = 1, T${right} = 3`,
    blackbody: `T₀ = 1, T${right} = 3`,
  };
  const panels: Panel[] = sets.map((p) => {
    const ax = MODEL_AXES[p.model];
    const series: Series[] = [];
    p.columns.forEach((j, c) => {
      // The diagonal (the local-equilibrium variance) is not drawn.
      const offDiagonal = p.values[c].map((v, i) => (i + 1 === j ? NaN : v));
      series.push({
        name: `C_ij, j = ${j}`,
        x: p.position,
        y: scaled(offDiagonal, ax.scale),
        color: colors[c],
        line: false,
        marker: "circle",
      });
    });
    if (p.continuum) {
      // The three continuum curves as one series, separated by gaps (NaN), so the legend has one entry.
      const x: number[] = [];
      const y: number[] = [];
      p.continuum.forEach((curve, c) => {
        if (c > 0) {
          x.push(p.position[p.position.length - 1]);
          y.push(NaN);
        }
        x.push(...p.position);
        y.push(
          ...scaled(
            curve.map((v, i) => (i + 1 === p.columns[c] ? NaN : v)),
            ax.scale,
          ),
        );
      });
      series.push({ name: "continuum form x(1 − y)", x, y, color: "#444", style: "dashed", strokeWidth: 1.2 });
    }
    return linePanel({
      title: `${ax.title}, M = ${p.M} (${bathText[p.model]})`,
      xLabel: "position xᵢ = i/(M+1)",
      yLabel: ax.y.replace("C₁₂", "Cᵢⱼ"),
      series,
      referenceLines: [{ y: 0, color: "#555", style: "dotted" }],
      width: 420,
      height: 290,
    });
  });
  return panelFigure({
    name: "energy-correlations-profiles",
    title: `Correlation profiles of a chain of M = ${M} subsystems (toward the continuum of Fig. 2 of [Bunin et al. 2013])`,
    caption:
      "Off-diagonal C_ij against the position of subsystem i for three fixed j. Dashed: the continuum form b₂Δ²/(2r(M+1)) x(1 − y) " +
      "(x, y = min, max of i/(M+1), j/(M+1)) for linear A and quadratic noise, which the solver reproduces to round-off (positive for the ideal gas, " +
      "negative for the exclusion process). The Fermi and blackbody profiles keep the positive sign. " +
      CORRECTIONS,
    panels,
    columns: 2,
    legend: "per-panel",
    table: profileTable(sets),
  });
}

/** Relative error of eq. 13 and A.6 against the exact noise integral. */
export function noiseApproximationFigure(e: { ratio: number[]; fermi: number[]; blackbody: number[] }): Figure {
  const pct = (v: number[]) => v.map((x) => 100 * x);
  const panel = linePanel({
    xLabel: "T_min / T_max of the two sides of a junction",
    yLabel: "B_approx / B_exact − 1  (%)",
    series: [
      { name: "Fermi gases, eq. 13: 4κ(T_c⁵ + T_d⁵)", x: e.ratio, y: pct(e.fermi), color: "blue" },
      { name: "blackbodies, eq. A.6", x: e.ratio, y: pct(e.blackbody), color: "red", style: "dashed" },
    ],
    referenceLines: [
      { y: 1.5, color: "#555", style: "dotted", label: "+1.5 %" },
      { y: -1.5, color: "#555", style: "dotted", label: "−1.5 %" },
      { x: 0.7, color: "#555", style: "dotted", label: "0.7" },
    ],
    width: 620,
    height: 340,
  });
  const maxF = Math.max(...e.fermi.map(Math.abs));
  const maxB = Math.max(...e.blackbody.map(Math.abs));
  return panelFigure({
    name: "energy-correlations-noise-approximations",
    title: "Accuracy of the closed-form noise strengths of [Bunin et al. 2013]",
    caption:
      "Relative error of eq. 13 (Fermi) and A.6 (blackbody) of [Bunin et al. 2013] against the exact B = (15κ/π⁴) ∫ ω⁴ [n_c(1 + n_d) + n_d(1 + n_c)] dω. " +
      `Eq. 13 is within 1.5 % only for T_min/T_max ≥ 0.7 and off by up to ${(100 * maxF).toFixed(1)} %, not "within 1.5 %" as printed; ` +
      `A.6 is off by up to ${(100 * maxB).toFixed(1)} % (docs/corrections.md). Both are exact at T_c = T_d.`,
    panels: [panel],
    labels: false,
    legend: "shared",
    table: {
      columns: ["Tmin_over_Tmax", "eq13_relative_error", "A6_relative_error"],
      rows: e.ratio.map((r, i) => [r, e.fermi[i], e.blackbody[i]]),
    },
  });
}

/** Simulated C12 (points with one-sigma error bars) against the exact curve, one panel per model. */
export function verificationFigure(data: VerificationSweep[]): Figure {
  const panels: Panel[] = data.map((v) => {
    const ax = MODEL_AXES[v.model];
    return linePanel({
      title: `${ax.title}`,
      xLabel: ax.x,
      yLabel: ax.y,
      series: [
        { name: "exact (Lyapunov)", x: v.curve.difference, y: scaled(v.curve.c12, ax.scale), color: "black" },
        {
          name: "simulated energy SDE (±1σ)",
          x: v.difference,
          y: scaled(v.simulated, ax.scale),
          err: scaled(v.error, ax.scale),
          color: "magenta",
          line: false,
          marker: "diamond",
        },
      ],
      referenceLines: [{ y: 0, color: "#555", style: "dotted" }],
      width: 420,
      height: 290,
    });
  });
  const worst = Math.max(...data.flatMap((v) => v.deviation));
  const s = data[0].settings;
  return panelFigure({
    name: "energy-correlations-verification",
    title: "Simulating the energy SDE (eqs. 2-3) reproduces the exact C₁₂",
    caption:
      `Points: C₁₂ from ${s.replicas} replicas of ${s.duration} relaxation times of the nonlinear energy SDE (one standard error, jackknife); ` +
      `lines: the exact C. Largest |simulated − exact| / error bar over all entries of C: ${worst.toFixed(2)}. ` +
      "Scheme, subsystem sizes and units: docs/studies/energy-correlations.md. " +
      CORRECTIONS,
    panels,
    columns: 2,
    legend: "shared",
    table: {
      columns: [
        "model",
        "bath_difference",
        "C12_simulated_scaled",
        "error_scaled",
        "C12_exact_scaled",
        "max_deviation_sigma",
      ],
      rows: data.flatMap((v) =>
        v.difference.map((d, i) => [
          v.model,
          d,
          v.simulated[i] * MODEL_AXES[v.model].scale,
          v.error[i] * MODEL_AXES[v.model].scale,
          v.exact[i] * MODEL_AXES[v.model].scale,
          v.deviation[i],
        ]),
      ),
    },
  });
}

/**
 * One subsystem between two baths (M = 1): its energy variance <dE^2> = C11 against the bath difference, from the
 * Lyapunov equation, with the closed form <J> tau (beta_R - beta_L)/((beta_1 - beta_L)(beta_R - beta_1)) where eq. 4
 * gives it, the chain itself and, when it was simulated, the simulated variance with its error bar.
 */
export function singleVarianceFigure(s: SingleSweep, simulated?: { value: number; error: number }): Figure {
  const density = s.variable === "density";
  const x0 = density ? "ε₀" : "T₀",
    x3 = density ? "ε₃" : "T₃";
  const every = Math.max(1, Math.round((s.difference.length - 1) / 10));
  const closed = s.difference
    .map((d, i) => [d, s.formula[i]] as const)
    .filter(([, f], i) => i % every === 0 && Number.isFinite(f));
  const series: Series[] = [
    { name: "Lyapunov solution", x: s.difference, y: s.variance, color: "blue" },
    {
      name: "closed form ⟨J⟩τ(β_R − β_L)/((β₁ − β_L)(β_R − β₁))",
      x: closed.map(([d]) => d),
      y: closed.map(([, f]) => f),
      color: "black",
      line: false,
      marker: "circle",
    },
    {
      name: "this chain",
      x: [s.right - s.left],
      y: [s.chainVariance],
      color: "green",
      line: false,
      marker: "square",
    },
  ];
  if (simulated)
    series.push({
      name: "simulated energy SDE",
      x: [s.right - s.left],
      y: [simulated.value],
      err: [simulated.error],
      color: "red",
      line: false,
      marker: "diamond",
    });
  return lineChart({
    name: "energy-correlations-variance",
    title: `Energy variance of one subsystem between two baths (${s.label})`,
    caption:
      `⟨δE²⟩ = C₁₁ of a single subsystem (M = 1) from R C + C Rᵀ = −Q (eq. 7) with its right bath varied (${x0} = ${short(s.left)}); ` +
      "circles: the closed form quoted in Section 6 of Bunin et al. (valid where eq. 4 holds; not defined at equal baths); " +
      `square: the chain itself (${x3} = ${short(s.right)}). kB = 1.`,
    xLabel: `${x3} − ${x0}`,
    yLabel: density ? "⟨δn²⟩ (particles²)" : "⟨δE²⟩ (energy²)",
    series,
  });
}
