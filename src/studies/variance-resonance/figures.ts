/**
 * Figures of the variance-resonance study (Boffi and De Gregorio, Entropy 26, 1087 (2024)) as Figure objects
 * (browser-safe): the paper's Figures 1, 4, 5, 6, 7a-d, 8a-d and 9, figures beyond the paper (displacement spectra,
 * apparent temperatures, the width of the resonance against eq. 48, the inverse problem), and a four-panel overview
 * of any user sweep. Pure: each draws the data computed by figureData.ts (exact-engine sweeps on grids that resolve
 * the narrow peaks, checked against the closed forms) or by the study. Captions name the misprints of the published
 * text that each figure corrects (docs/corrections.md).
 */
import type { Figure, LineStyle, Table } from "../../figures/figure.js";
import {
  lineChart,
  linePanel,
  panelFigure,
  type Panel,
  type ReferenceLine,
  type Series,
} from "../../figures/charts.js";
import { COVARIANCE_COLUMNS } from "./closedForms.js";
import type { DimensionlessParameters, ParameterName } from "./parameters.js";

export type Element = (typeof COVARIANCE_COLUMNS)[number];

/** Unicode labels of the covariance elements. */
export const SYMBOL: Record<Element, string> = {
  sigma11: "σ₁₁",
  sigma12: "σ₁₂",
  sigma22: "σ₂₂",
  sigma33: "σ₃₃",
  sigma34: "σ₃₄",
  sigma44: "σ₄₄",
  sigma23: "σ₂₃",
};

/** A temperature setting drawn as one styled curve. */
export interface Setting {
  T1: number;
  T2: number;
  label: string;
  color: string;
  style: LineStyle;
}

export const NEQ: Setting = { T1: 1, T2: 11, label: "T₁ = 1, T₂ = 11", color: "blue", style: "solid" };
export const EQ1: Setting = { T1: 1, T2: 1, label: "T₁ = T₂ = 1", color: "orange", style: "dashed" };
export const EQ6: Setting = {
  T1: 6,
  T2: 6,
  label: "T₁ = T₂ = 6 (mean temperature)",
  color: "magenta",
  style: "dotted",
};
export const EQ6_ORANGE: Setting = { ...EQ6, label: "T₁ = T₂ = 6", color: "orange", style: "dashed" };

const PARAMS_NOTE =
  "Conventions (docs/corrections.md): q = Q₂ = √(k₂m)/γ is the quality factor itself (eq. 29 contains q², i.e. Q₂²), k = k₁/k₂, k₀ = K/k₂, temperatures in units of T₀ = k₂L²/k_B.";

/** Cut a curve at the edges of a y window: points outside become gaps, with the crossing points inserted. */
export function clipToWindow(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  lo: number,
  hi: number,
): { x: number[]; y: number[] } {
  const ox: number[] = [],
    oy: number[] = [];
  const inside = (v: number) => v >= lo && v <= hi;
  for (let i = 0; i < x.length; i++) {
    if (i > 0) {
      const y0 = y[i - 1],
        y1 = y[i];
      for (const edge of [lo, hi]) {
        if ((y0 - edge) * (y1 - edge) < 0) {
          ox.push(x[i - 1] + ((edge - y0) * (x[i] - x[i - 1])) / (y1 - y0));
          oy.push(edge);
        }
      }
    }
    ox.push(x[i]);
    oy.push(inside(y[i]) ? y[i] : NaN);
  }
  // Keep crossings in x order (both edges can be crossed between two samples).
  const order = ox.map((_, i) => i).sort((a, b) => ox[a] - ox[b] || a - b);
  return { x: order.map((i) => ox[i]), y: order.map((i) => oy[i]) };
}

/** y window: 0 (or the lowest value) to 8% above the highest value for k in [from, to]. */
function windowOf(
  ks: ArrayLike<number>,
  ys: ArrayLike<number>[],
  from = 0.5,
  to = Infinity,
  symmetric = false,
): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const y of ys) {
    for (let i = 0; i < ks.length; i++) {
      if (ks[i] < from || ks[i] > to || !Number.isFinite(y[i])) continue;
      lo = Math.min(lo, y[i]);
      hi = Math.max(hi, y[i]);
    }
  }
  if (symmetric) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) * 1.1;
    return [-m, m];
  }
  const span = hi - Math.min(lo, 0);
  return [Math.min(0, lo - 0.05 * span), hi + 0.08 * span];
}

function series(s: Setting, ks: ArrayLike<number>, ys: ArrayLike<number>, window?: [number, number]): Series {
  const c = window ? clipToWindow(ks, ys, window[0], window[1]) : { x: Array.from(ks), y: Array.from(ys) };
  return { name: s.label, x: c.x, y: c.y, color: s.color, style: s.style, strokeWidth: s.style === "dotted" ? 2.6 : 2 };
}

/**
 * The long-form table of one element against k: one row per temperature setting and k (columns: the leading
 * parameters, T1, T2, k, the element), the CSV layout of every study (no values in column names).
 */
function longTable(
  ks: ArrayLike<number>,
  settings: Setting[],
  element: Element,
  ys: ArrayLike<number>[],
  leading: { name: string; value: number }[] = [],
): Table {
  return {
    columns: [...leading.map((l) => l.name), "T1", "T2", "k", element],
    rows: settings.flatMap((s, j) =>
      Array.from(ks, (k, i) => [...leading.map((l) => l.value), s.T1, s.T2, k, ys[j][i]]),
    ),
  };
}

export function fmt(x: number, digits = 3): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1).replace("e+", "e");
}

// ----------------------------------------------------------------------------------------------------------------
// The paper's figures.

/**
 * One covariance element against k for several temperature settings (the exact engine's sweeps on one grid), and
 * the largest relative difference of the sweeps from the closed forms.
 */
export interface KCurves {
  k0: number;
  q: number;
  settings: Setting[];
  element: Element;
  ks: number[];
  /** ys[s][i]: the element at ks[i] for setting s. */
  ys: number[][];
  deviation: number;
}

/** One panel of sigma_ii(k) for several temperature settings, clipped to a window that shows the resonance. */
function kPanel(
  c: KCurves,
  extra: {
    title?: string;
    yLabel?: string;
    width?: number;
    height?: number;
    symmetric?: boolean;
    window?: [number, number];
    from?: number;
  } = {},
): { panel: Panel; table: Table; deviation: number; ks: number[] } {
  const { k0, q, settings, element, ks, ys } = c;
  // Show the whole range unless the curves blow up near k = 0 (sigma11 ~ 1/(k + (1 + k) k0)); then cut them.
  const whole = windowOf(ks, ys, 0, Infinity, extra.symmetric);
  const part = windowOf(ks, ys, extra.from ?? 0.5, Infinity, extra.symmetric);
  const window = extra.window ?? (whole[1] <= 2.5 * part[1] ? whole : part);
  const panel = linePanel({
    title: extra.title,
    xLabel: "k = k₁/k₂",
    yLabel: extra.yLabel ?? `${SYMBOL[element]}(k)`,
    series: settings.map((s, i) => series(s, ks, ys[i], window)),
    xDomain: [0, 2],
    yDomain: window,
    width: extra.width,
    height: extra.height,
  });
  const table = longTable(ks, settings, element, ys, [
    { name: "k0", value: k0 },
    { name: "q", value: q },
  ]);
  return { panel, table, deviation: c.deviation, ks };
}

function engineNote(deviation: number, points: number): string {
  return `Exact engine on ${points} values of k; largest relative difference from the closed forms ${fmt(deviation, 2)}.`;
}

/** Figure 1 (introduction): sigma11(k) with its peak near k = 1, against the equilibrium curve (arbitrary units). */
export function figure1(d: { curves: KCurves }): Figure {
  const r = kPanel(d.curves, { yLabel: "σ₁₁ (arbitrary units)" });
  return panelFigure({
    name: "fig1-variance-resonance",
    title: "Variance of the colder oscillator against k = k₁/k₂ (Fig. 1 of [Boffi & De Gregorio 2024])",
    caption:
      "Blue: T₁ < T₂, a peak around k = 1. Orange: the monotonic equilibrium curve, T₂ lowered to T₁. " +
      "The paper gives no parameters; drawn with those of its Fig. 4 (k₀ = 0.01, q = 4000, T₁ = 1, T₂ = 11). " +
      engineNote(r.deviation, r.ks.length),
    panels: [r.panel],
    labels: false,
    legend: "shared",
    table: r.table,
  });
}

/** Figure 4: the cold oscillator's sigma11(k), k0 = 0.01, q = 4000, T1 = 1, T2 = 11 against T1 = T2 = 1. */
export function figure4(d: { curves: KCurves; peak: number; peakHighQ: number }): Figure {
  const r = kPanel(d.curves);
  const peak = d.peak;
  return panelFigure({
    name: "fig4-cold-oscillator",
    title: "Cold oscillator: σ₁₁ = ⟨u₁²⟩ against k = k₁/k₂ (Fig. 4 of [Boffi & De Gregorio 2024])",
    caption:
      "k₀ = K/k₂ = 0.01 (misprinted K/k₁ in the paper, docs/corrections.md), q = Q₂ = 4000. Blue: T₁ = 1, T₂ = 11; orange dashed: T₁ = T₂ = 1. " +
      `At k = 1, σ₁₁ = ${fmt(peak, 4)}, just under the mean temperature 6 (eq. 49: ${fmt(d.peakHighQ, 4)}). ` +
      engineNote(r.deviation, r.ks.length),
    panels: [r.panel],
    labels: false,
    legend: "shared",
    table: r.table,
  });
}

/** Figure 5: the hot oscillator, T1 = 11, T2 = 1, against T1 = T2 = 11. */
export function figure5(d: { curves: KCurves; dip: number }): Figure {
  const r = kPanel(d.curves, { window: [5, 13] });
  const dip = d.dip;
  return panelFigure({
    name: "fig5-hot-oscillator",
    title: "Hot oscillator: σ₁₁ against k = k₁/k₂ (Fig. 5 of [Boffi & De Gregorio 2024])",
    caption:
      "k₀ = 0.01, q = 4000. Blue: T₁ = 11, T₂ = 1, a dip around k = 1; orange dashed: T₁ = T₂ = 11. " +
      `At k = 1, σ₁₁ = ${fmt(dip, 4)}, close to (T₁ + T₂)/2 = 6. The y axis is cut at 5 and 13. ` +
      engineNote(r.deviation, r.ks.length),
    panels: [r.panel],
    labels: false,
    legend: "shared",
    table: r.table,
  });
}

/** Figure 6: the covariance sigma12(k). */
export function figure6(d: { curves: KCurves }): Figure {
  const r = kPanel(d.curves, { window: [-3, 3] });
  return panelFigure({
    name: "fig6-covariance",
    title: "The covariance σ₁₂ = ⟨u₁u₂⟩ against k = k₁/k₂ (Fig. 6 of [Boffi & De Gregorio 2024])",
    caption:
      "k₀ = 0.01, q = 4000. Blue: T₁ = 1, T₂ = 11, a sigmoid-like swing through k = 1; orange dashed: equal temperatures, almost 0. " +
      "The closed form of σ₁₂ (not in the paper) is derived in docs/studies/variance-resonance.md. " +
      engineNote(r.deviation, r.ks.length),
    panels: [r.panel],
    labels: false,
    legend: "shared",
    table: r.table,
  });
}

function fourPanels(
  name: string,
  title: string,
  caption: (deviation: number, points: number) => string,
  cases: { curves: KCurves; title: string }[],
): Figure {
  const built = cases.map((c) => kPanel(c.curves, { title: c.title, width: 440, height: 290 }));
  const table: Table = {
    columns: ["panel", ...built[0].table.columns],
    rows: built.flatMap((b, i) => b.table.rows.map((row) => [`(${"abcd"[i]})`, ...row])),
  };
  const deviation = Math.max(...built.map((b) => b.deviation));
  return panelFigure({
    name,
    title,
    caption: caption(deviation, built[0].ks.length),
    panels: built.map((b) => b.panel),
    columns: 2,
    legend: "shared",
    table,
  });
}

/** Figure 7 (a)-(d): decreasing coupling k0 = 10, 0.25, 0.02, 0.001 at q = 8000. */
export function figure7(d: { panels: KCurves[] }): Figure {
  const cases = d.panels.map((curves) => ({ curves, title: `k₀ = ${curves.k0}, q = ${curves.q}` }));
  return fourPanels(
    "fig7-coupling",
    "Changing the coupling k₀ = K/k₂: σ₁₁ against k (Fig. 7 of [Boffi & De Gregorio 2024])",
    (dev, n) =>
      "q = 8000. Blue: T₁ = 1, T₂ = 11; orange dashed: T₁ = T₂ = 1; magenta dotted: T₁ = T₂ = 6. (a) strong coupling: the first oscillator " +
      "sits near the mean temperature; (b) the peak starts to develop; (c) the variance resonance; (d) a peak of full width ≈ 4k₀ (eq. 48). " +
      engineNote(dev, n),
    cases,
  );
}

/** Figure 8 (a)-(d): increasing quality factor q = 50, 100, 200, 1000 at k0 = 0.01. */
export function figure8(d: { panels: KCurves[] }): Figure {
  const cases = d.panels.map((curves) => ({ curves, title: `q = ${curves.q}, k₀ = ${curves.k0}` }));
  return fourPanels(
    "fig8-quality-factor",
    "Changing the quality factor q = Q₂: σ₁₁ against k (Fig. 8 of [Boffi & De Gregorio 2024])",
    (dev, n) =>
      "k₀ = 0.01. Blue: T₁ = 1, T₂ = 11; orange dashed: T₁ = T₂ = 1; magenta dotted: T₁ = T₂ = 6. The peak emerges at q = 50 and saturates " +
      "by q = 1000 (width 2√(4k₀² + 4(1 + k₀)/q²) → 4k₀). q is Q₂ itself, not Q₂² (docs/corrections.md). " +
      engineNote(dev, n),
    cases,
  );
}

/** Figure 9: sigma23(k) (left) and sigma34(k) (right), the detailed-balance indicators. */
export function figure9(d: { left: KCurves; right: KCurves }): Figure {
  const left = kPanel(d.left, {
    title: "energy flux σ₂₃ = −σ₁₄ (from 2 to 1)",
    width: 440,
    height: 300,
    from: 0,
  });
  const right = kPanel(d.right, {
    title: "velocity correlation σ₃₄ = ⟨u̇₁u̇₂⟩",
    width: 440,
    height: 300,
    symmetric: true,
    from: 0,
  });
  // The same settings and k on both sides: one row per setting and k with both elements.
  const table: Table = {
    columns: [...left.table.columns, "sigma34"],
    rows: left.table.rows.map((row, i) => [...row, right.table.rows[i][right.table.columns.length - 1]]),
  };
  return panelFigure({
    name: "fig9-detailed-balance",
    title: "Energy flux σ₂₃ and velocity correlation σ₃₄ against k (Fig. 9 of [Boffi & De Gregorio 2024])",
    caption:
      "k₀ = 0.01, q = 4000. Blue: T₁ = 1, T₂ = 11; orange dashed: T₁ = T₂ = 6 (detailed balance: both zero). (a) σ₂₃ (eq. 38); the flux from " +
      "2 to 1 is k₀σ₂₃ in units k₂L²/τ. (b) σ₃₄ = q(k − 1)σ₂₃/2 (eq. 41 prints (k² − 1), docs/corrections.md). " +
      engineNote(Math.max(left.deviation, right.deviation), left.ks.length),
    panels: [left.panel, right.panel],
    columns: 2,
    legend: "shared",
    table,
  });
}

// ----------------------------------------------------------------------------------------------------------------
// Beyond the paper.

/** One panel of the spectra figure: a parameter point, its frequency grid and the spectra on it. */
export interface PsdCase {
  k: number;
  title: string;
  window: [number, number];
  omega: number[];
  u1: number[];
  u2: number[];
  /** u1's spectrum if T2 were T1. */
  u1Equilibrium: number[];
  /** The integrals of the spectra and the variances they must equal. */
  variance1: number;
  variance2: number;
  sigma11: number;
  sigma22: number;
}

/** Displacement PSDs near (k = 1) and away from (k = 0.8) the resonance, Figure 4's other parameters. */
export function figurePsd(d: { cases: PsdCase[] }): Figure {
  const rows: (number | string)[][] = [];
  const notes: string[] = [];
  const panels = d.cases.map((c) => {
    const w = c.omega;
    for (let i = 0; i < w.length; i++) rows.push([c.k, w[i], c.u1[i], c.u2[i], c.u1Equilibrium[i]]);
    notes.push(
      `k = ${c.k}: ∫S₁ dω/2π = ${fmt(c.variance1, 6)} (σ₁₁ = ${fmt(c.sigma11, 6)}), ∫S₂ dω/2π = ${fmt(c.variance2, 6)} (σ₂₂ = ${fmt(c.sigma22, 6)})`,
    );
    return linePanel({
      title: c.title,
      xLabel: "ω τ (angular frequency)",
      yLabel: "S(ω) (two-sided)",
      yType: "log",
      xDomain: c.window,
      width: 440,
      height: 300,
      series: [
        { name: "u₁ (cold oscillator, T₁ = 1)", x: w, y: c.u1, color: "blue" },
        { name: "u₂ (hot oscillator, T₂ = 11)", x: w, y: c.u2, color: "red" },
        { name: "u₁ if T₂ = T₁ = 1", x: w, y: c.u1Equilibrium, color: "orange", style: "dashed" },
      ],
    });
  });
  return panelFigure({
    name: "psd-displacement",
    title: "Displacement power spectra near and away from the variance resonance",
    caption:
      "Two-sided PSDs (∫S dω/2π = variance; one-sided per hertz: 2S(2πf)), k₀ = 0.01, q = 4000, T₁ = 1, T₂ = 11. At k = 1 both modes are shared, " +
      "so the cold oscillator carries the hot bath's noise; at k = 0.8 each line belongs to one oscillator. " +
      `Check: ${notes.join("; ")}.`,
    panels,
    columns: 2,
    legend: "shared",
    table: { columns: ["k", "omega", "S_u1", "S_u2", "S_u1_equal_temperatures"], rows },
  });
}

/** The apparent temperatures of both oscillators on a grid of k, and the resonance the finder locates. */
export interface ApparentTemperatureData {
  ks: number[];
  /** Configurational temperatures sigma_ii / (sigma_ii at equilibrium per unit T). */
  configurational1: number[];
  configurational2: number[];
  /** Kinetic temperatures sigma33, sigma44. */
  kinetic1: number[];
  kinetic2: number[];
  resonance: { location: number; width?: number };
}

/** Apparent temperatures of both oscillators against k (configurational and kinetic). */
export function figureApparentTemperature(d: ApparentTemperatureData): Figure {
  const t1 = d.configurational1,
    t2 = d.configurational2;
  const s = { sigma33: d.kinetic1, sigma44: d.kinetic2 };
  const res = d.resonance;
  const x = d.ks;
  const refs: ReferenceLine[] = [
    { y: 1, label: "T₁", color: "#555", style: "dotted" },
    { y: 6, label: "(T₁ + T₂)/2", color: "#555", style: "dotted" },
    { y: 11, label: "T₂", color: "#555", style: "dotted" },
  ];
  return lineChart({
    name: "apparent-temperature",
    title: "Apparent temperatures of the two oscillators against k",
    xLabel: "k = k₁/k₂",
    yLabel: "apparent temperature (units of T₀)",
    xDomain: [0, 2],
    yDomain: [0, 12],
    referenceLines: refs,
    series: [
      { name: "oscillator 1, σ₁₁ / (σ₁₁ at equilibrium per unit T)", x, y: t1, color: "blue", strokeWidth: 3 },
      { name: "oscillator 2, σ₂₂ / (σ₂₂ at equilibrium per unit T)", x, y: t2, color: "red", strokeWidth: 3 },
      { name: "oscillator 1, kinetic ⟨u̇₁²⟩ = σ₃₃", x, y: s.sigma33, color: "cyan", style: "dotted", strokeWidth: 2.4 },
      {
        name: "oscillator 2, kinetic ⟨u̇₂²⟩ = σ₄₄",
        x,
        y: s.sigma44,
        color: "orange",
        style: "dotted",
        strokeWidth: 2.4,
      },
    ],
    caption:
      "What an observer assuming equilibrium reads: σᵢᵢ over its equilibrium value per unit T, and (dotted) the kinetic ⟨u̇ᵢ²⟩. " +
      "k₀ = 0.01, q = 4000, T₁ = 1, T₂ = 11. At the resonance both read almost the mean temperature; " +
      `the finder puts it at k = ${fmt(res.location, 6)}, full width ${fmt(res.width ?? NaN, 3)} (eq. 48: 4k₀ = 0.04).`,
    table: {
      columns: ["k", "T_apparent_1", "T_kinetic_1", "T_apparent_2", "T_kinetic_2"],
      rows: x.map((k, i) => [k, t1[i], s.sigma33[i], t2[i], s.sigma44[i]]),
    },
  });
}

/** The resonance finder's width against k0 for a few q, with its table. */
export interface ResonanceWidthData {
  k0s: number[];
  /** One entry per q: the measured widths (absent where the finder could not resolve one). */
  byQ: { q: number; color: string; width: (number | "")[]; halfWidth: number[] }[];
  rows: (number | string)[][];
}

/** The measured width of the resonance against k0, compared with eq. 48 (4 k0) and the finite-q width. */
export function figureResonanceWidth(d: ResonanceWidthData): Figure {
  const k0s = d.k0s;
  const rows = d.rows;
  const measured: Series[] = d.byQ.map(({ q, color, width }) => ({
    name: `measured FWHM, q = ${q}`,
    x: k0s,
    y: width.map((w) => (w === "" ? NaN : w)),
    color,
    line: false,
    marker: "circle",
  }));
  const lorentz: Series = {
    name: "eq. 48: 4k₀ (q → ∞)",
    x: k0s,
    y: k0s.map((k0) => 4 * k0),
    color: "black",
    style: "dashed",
    strokeWidth: 1.5,
  };
  const finite: Series[] = d.byQ.map(({ q, color, halfWidth }) => ({
    name: `2√(4k₀² + 4(1 + k₀)/q²), q = ${q}`,
    x: k0s,
    y: halfWidth.map((h) => 2 * h),
    color,
    style: "dotted",
    strokeWidth: 2,
  }));
  return lineChart({
    name: "resonance-width",
    title: "Width of the variance resonance against the coupling k₀",
    xLabel: "k₀ = K/k₂",
    yLabel: "full width at half maximum in k",
    xType: "log",
    yType: "log",
    yDomain: [5e-5, 2],
    series: [...measured, lorentz, ...finite],
    caption:
      "Full width at half maximum of the excess σ₁₁ − σ₁₁(eq, T₁) (T₁ = 1, T₂ = 11). For q ≫ 1/k₀ it is 4k₀ (eq. 48): the weak coupling acts as " +
      "the damping. For k₀ < 1/q it saturates at ≈ 4/q and the peak falls (as in Fig. 8 of [Boffi & De Gregorio 2024]).",
    table: { columns: ["q", "k0", "location", "fwhm", "excess", "fwhm_eq48", "fwhm_finite_q"], rows },
  });
}

/** A candidate k of the inverse problem near the resonance. */
export interface InverseCandidate {
  k: number;
  side: string;
  sensitivity11?: number;
  predicted: { sigma11: number; sigma22: number; sigma12: number };
}

/** The inverse problem's synthetic measurement, its candidates and fits, and the model curves near k = 1. */
export interface InverseData {
  trueK: number;
  truth: { sigma11: number; sigma22: number; sigma12: number };
  near: InverseCandidate[];
  /** Candidates from sigma11 far from the resonance. */
  far: number[];
  with22: { fits: { k: number; mismatch: number }[]; ambiguous: boolean };
  with12: { fits: { k: number; mismatch: number }[]; k?: number; kError?: number };
  ks: number[];
  sigma11: number[];
  sigma22: number[];
  sigma12: number[];
}

/** The inverse problem: k from a measured sigma11 (two candidates), told apart by sigma12 (not by sigma22). */
export function figureInverse(d: InverseData): Figure {
  const { trueK, truth, near } = d;
  const ks = d.ks;
  const s = { sigma11: d.sigma11, sigma22: d.sigma22, sigma12: d.sigma12 };
  // The candidate σ₁₂ decides for (the one nearest the joint fit), and the one it rules out.
  const decided = d.with12.k;
  const keptIndex =
    decided === undefined
      ? -1
      : near.reduce((best, x, i) => (Math.abs(x.k - decided) < Math.abs(near[best].k - decided) ? i : best), 0);
  const marks = (values: number[]): Series[] => {
    const pick = (keep: boolean) => near.map((_, i) => i).filter((i) => (i === keptIndex) === keep);
    const kept = pick(true);
    const other = pick(false);
    return [
      ...(kept.length > 0
        ? [
            {
              name: "candidate σ₁₂ confirms",
              x: kept.map((i) => near[i].k),
              y: kept.map((i) => values[i]),
              color: "green",
              line: false,
              marker: "diamond" as const,
            },
          ]
        : []),
      {
        name: kept.length > 0 ? "candidate σ₁₂ rules out" : "candidates from σ₁₁",
        x: other.map((i) => near[i].k),
        y: other.map((i) => values[i]),
        color: "red",
        line: false,
        marker: "diamond" as const,
      },
    ];
  };
  // One column at the width of a page: each panel's text stays legible when the figure is printed.
  const panel = (title: string, yLabel: string, y: number[], measured: number, label: string, at: number[]) =>
    linePanel({
      title,
      xLabel: "k = k₁/k₂",
      yLabel,
      width: 600,
      height: 200,
      xDomain: [0.9, 1.1],
      referenceLines: [{ y: measured, label, color: "#555" }],
      series: [{ name: "model (exact engine)", x: ks, y, color: "blue" }, ...marks(at)],
    });
  const panels = [
    panel(
      "σ₁₁ = measured: two candidates",
      "σ₁₁(k)",
      s.sigma11,
      truth.sigma11,
      "measured σ₁₁",
      near.map((x) => x.predicted.sigma11),
    ),
    panel(
      "σ₂₂ hardly tells them apart",
      "σ₂₂(k)",
      s.sigma22,
      truth.sigma22,
      "measured σ₂₂",
      near.map((x) => x.predicted.sigma22),
    ),
    panel(
      "σ₁₂ = ⟨u₁u₂⟩ changes sign: it decides",
      "σ₁₂(k)",
      s.sigma12,
      truth.sigma12,
      "measured σ₁₂",
      near.map((x) => x.predicted.sigma12),
    ),
  ];
  const candidates = near.map((x) => `k = ${fmt(x.k, 5)}`).join(" and ");
  const far = d.far.map((k) => fmt(k, 3));
  const mismatches = d.with22.fits.map((f) => fmt(f.mismatch, 2)).join(" and ");
  const ruledOut = near.filter((_, i) => i !== keptIndex);
  return panelFigure({
    name: "inverse-problem",
    title: "Inferring k = k₁/k₂ from measured second moments (Section 7 of [Boffi & De Gregorio 2024])",
    caption:
      `A synthetic measurement at k = ${trueK} (k₀ = 0.01, q = 4000, T₁ = 1, T₂ = 11; 1% uncertainties). (a) σ₁₁ alone is matched ` +
      `on both sides of the resonance, at ${candidates}${far.length > 0 ? ` (and at k = ${far.join(", ")}, far away, not drawn)` : ""}. ` +
      `(b) σ₂₂'s excess mirrors σ₁₁'s, so it cannot choose (fit mismatches ${mismatches}${d.with22.ambiguous ? ": ambiguous at 1%" : ""}). ` +
      (decided !== undefined
        ? `(c) σ₁₂ changes sign across the resonance and decides: k = ${fmt(decided, 6)} ± ${fmt(d.with12.kError ?? NaN, 2)} (green); ` +
          `${ruledOut.map((x) => `k = ${fmt(x.k, 5)} would need σ₁₂ = ${fmt(x.predicted.sigma12, 3)}`).join(", ")} (red).`
        : `(c) σ₁₂ changes sign across the resonance; here it does not single out one candidate.`),
    panels,
    columns: 1,
    legend: "shared",
    table: {
      columns: ["k", "sigma11", "sigma22", "sigma12"],
      rows: ks.map((k, i) => [k, s.sigma11[i], s.sigma22[i], s.sigma12[i]]),
    },
  });
}

// ----------------------------------------------------------------------------------------------------------------
// Any sweep (the CLI's --figure).

const AXIS_LABEL: Record<ParameterName, string> = {
  k: "k = k₁/k₂",
  k0: "k₀ = K/k₂",
  q: "q = Q₂",
  T1: "T₁ (units of T₀)",
  T2: "T₂ (units of T₀)",
};

/** What the overview figure of a sweep needs: x values, the covariance columns and the parameters at each point. */
export interface OverviewData {
  name: string;
  title: string;
  caption: string;
  /** Swept quantity: values, axis label, CSV column name. */
  x: ArrayLike<number>;
  xLabel: string;
  xName: string;
  log?: boolean;
  columns: Record<Element, ArrayLike<number>>;
  /** The variances if the whole system were at the local bath temperature: sigma11 at T1, sigma22 at T2. */
  localEquilibrium: { sigma11: ArrayLike<number>; sigma22: ArrayLike<number> };
}

/** A four-panel overview of a sweep: variances, sigma12, kinetic temperatures, detailed-balance indicators. */
export function overviewFigure(d: OverviewData): Figure {
  const x = Array.from(d.x);
  const c = d.columns;
  const eq11 = Array.from(d.localEquilibrium.sigma11);
  const eq22 = Array.from(d.localEquilibrium.sigma22);
  const sz = { width: 440, height: 280, xType: d.log ? "log" : "linear", xLabel: d.xLabel } as const;
  // Cut the variances at a window that ignores the 1/k blow-up near k = 0 when sweeping k.
  const varWindow =
    d.xName === "k" && x[x.length - 1] > 0.5
      ? windowOf(x, [c.sigma11, c.sigma22], Math.min(0.5, x[x.length - 1] / 2))
      : undefined;
  const clip = (y: ArrayLike<number>) =>
    varWindow ? clipToWindow(x, y, varWindow[0], varWindow[1]) : { x, y: Array.from(y) };
  const panels = [
    linePanel({
      ...sz,
      title: "displacement variances",
      yLabel: "σ₁₁, σ₂₂",
      yDomain: varWindow,
      series: [
        { name: "σ₁₁", ...clip(c.sigma11), color: "blue" },
        { name: "σ₂₂", ...clip(c.sigma22), color: "red" },
        { name: "σ₁₁ if all at T₁", ...clip(eq11), color: "blue", style: "dashed", strokeWidth: 1.4 },
        { name: "σ₂₂ if all at T₂", ...clip(eq22), color: "red", style: "dashed", strokeWidth: 1.4 },
      ],
    }),
    linePanel({
      ...sz,
      title: "cross-correlations",
      yLabel: "σ₁₂, σ₃₄",
      series: [
        { name: "σ₁₂ = ⟨u₁u₂⟩", x, y: Array.from(c.sigma12), color: "purple" },
        { name: "σ₃₄ = ⟨u̇₁u̇₂⟩ (detailed balance: 0)", x, y: Array.from(c.sigma34), color: "brown", style: "dashed" },
      ],
    }),
    linePanel({
      ...sz,
      title: "kinetic temperatures",
      yLabel: "σ₃₃, σ₄₄",
      series: [
        { name: "σ₃₃ = ⟨u̇₁²⟩", x, y: Array.from(c.sigma33), color: "blue" },
        { name: "σ₄₄ = ⟨u̇₂²⟩", x, y: Array.from(c.sigma44), color: "red", style: "dashed" },
      ],
    }),
    linePanel({
      ...sz,
      title: "energy flux",
      yLabel: "σ₂₃",
      series: [
        {
          name: "σ₂₃ = −σ₁₄: flux from 2 to 1 over k₀ (detailed balance: 0)",
          x,
          y: Array.from(c.sigma23),
          color: "green",
        },
      ],
    }),
  ];
  return panelFigure({
    name: d.name,
    title: d.title,
    caption: d.caption,
    panels,
    columns: 2,
    legend: "per-panel",
    table: {
      columns: [d.xName, ...COVARIANCE_COLUMNS],
      rows: x.map((v, i) => [v, ...COVARIANCE_COLUMNS.map((e) => c[e][i])]),
    },
  });
}

/** What the overview figure of a dimensionless sweep needs. */
export interface SweepData {
  parameter: ParameterName;
  values: ArrayLike<number>;
  base: DimensionlessParameters;
  maxResidual: number;
  columns: Record<Element, ArrayLike<number>>;
  localEquilibrium: { sigma11: ArrayLike<number>; sigma22: ArrayLike<number> };
}

/** The overview figure of a dimensionless sweep (the CLI's --figure). */
export function sweepFigure(s: SweepData, options: { name?: string; log?: boolean } = {}): Figure {
  const fixed = (["k", "k0", "q", "T1", "T2"] as ParameterName[])
    .filter((n) => n !== s.parameter)
    .map((n) => `${n} = ${s.base[n]}`)
    .join(", ");
  return overviewFigure({
    name: options.name ?? `variance-resonance-${s.parameter}-sweep`,
    title: `Steady state of two coupled oscillators against ${s.parameter}`,
    caption:
      `Sweep of ${s.parameter} over ${s.values.length} values (${fixed}); exact engine (Lyapunov equation), largest residual ${fmt(s.maxResidual, 2)}. ` +
      `Dashed: the variances if the whole system were at the local bath temperature. ${PARAMS_NOTE}`,
    x: s.values,
    xLabel: AXIS_LABEL[s.parameter],
    xName: s.parameter,
    log: options.log,
    columns: s.columns,
    localEquilibrium: s.localEquilibrium,
  });
}

/** The displacement spectra of one parameter point around its two normal modes, with their checks. */
export interface PointSpectrum {
  parameters: DimensionlessParameters;
  /** Normal-mode frequencies and the plotted window. */
  modes: [number, number];
  window: [number, number];
  omega: number[];
  u1: number[];
  u2: number[];
  variance1: number;
  variance2: number;
  sigma11: number;
  sigma22: number;
}

/** Displacement spectra of one parameter point around its two normal modes (the CLI's --figure for one point). */
export function psdFigure(d: PointSpectrum, options: { name?: string } = {}): Figure {
  const p = d.parameters;
  const [w1, w2] = d.modes;
  const [lo, hi] = d.window;
  const w = d.omega;
  const s = { u1: d.u1, u2: d.u2 };
  const v1 = d.variance1,
    v2 = d.variance2;
  const st = { sigma11: d.sigma11, sigma22: d.sigma22 };
  return lineChart({
    name: options.name ?? "psd",
    title: "Displacement spectra of the two oscillators",
    xLabel: "ω τ (angular frequency)",
    yLabel: "S(ω) (two-sided)",
    yType: "log",
    xDomain: [lo, hi],
    series: [
      { name: "u₁", x: w, y: s.u1, color: "blue" },
      { name: "u₂", x: w, y: s.u2, color: "red" },
    ],
    caption:
      `k = ${p.k}, k₀ = ${p.k0}, q = ${p.q}, T₁ = ${p.T1}, T₂ = ${p.T2}. Two-sided PSDs normalised so that ∫S(ω)dω/2π over all ω is the variance; the one-sided PSD per unit frequency f = ω/2π is 2S(2πf). ` +
      `Normal modes at ω = ${fmt(w1, 6)} and ${fmt(w2, 6)}. Check: ∫S₁ = ${fmt(v1, 6)} (σ₁₁ = ${fmt(st.sigma11, 6)}), ∫S₂ = ${fmt(v2, 6)} (σ₂₂ = ${fmt(st.sigma22, 6)}).`,
    table: { columns: ["omega", "S_u1", "S_u2"], rows: w.map((x, i) => [x, s.u1[i], s.u2[i]]) },
  });
}
