/**
 * The data of the variance-resonance figures (Boffi and De Gregorio, Entropy 26, 1087 (2024)), computed for
 * `ness reproduce variance-resonance`: exact-engine sweeps over k on grids that resolve the narrow peaks (with
 * their deviation from the closed forms), spectra, apparent temperatures, resonance widths and the inverse problem.
 * figures.ts draws them and computes nothing. Browser-safe.
 */
import { COVARIANCE_COLUMNS, resonanceHalfWidth, sigma11HighQAtResonance, type Covariance } from "./closedForms.js";
import type {
  ApparentTemperatureData,
  Element,
  InverseData,
  KCurves,
  PointSpectrum,
  PsdCase,
  ResonanceWidthData,
  Setting,
} from "./figures.js";
import { EQ1, EQ6, EQ6_ORANGE, NEQ } from "./figures.js";
import { inferK } from "./inverse.js";
import { normalModeFrequencies, type DimensionlessParameters } from "./parameters.js";
import { displacementPsdCurve, varianceFromPsd } from "./psd.js";
import { findResonance } from "./resonance.js";
import { apparentTemperatures, steadyState } from "./steadyState.js";
import { focusedGrid, linspace, resonanceGrid, sweep } from "./sweep.js";

/** Points of the k grids of the paper's figures. */
export function gridPoints(quick: boolean): number {
  return quick ? 401 : 2001;
}

/** One curve request of a figure: an element against k for several temperature settings, at (k0, q). */
export interface CurveRequest {
  k0: number;
  q: number;
  settings: Setting[];
  element: Element;
}

/** One element against k for several temperature settings on the resonance grid of (k0, q). */
export function kCurves(k0: number, q: number, settings: Setting[], element: Element, points: number): KCurves {
  const ks = resonanceGrid(k0, q, 0, 2, points);
  const runs = settings.map((s) => sweep({ k: ks[0], k0, q, T1: s.T1, T2: s.T2 }, "k", ks));
  return {
    k0,
    q,
    settings,
    element,
    ks: Array.from(ks),
    ys: runs.map((r) => Array.from(r[element])),
    deviation: Math.max(...runs.map((r) => r.closedFormDeviation!)),
  };
}

/**
 * A figure of curves against k: the curves it needs (each one scan over k, a point of `ness reproduce`'s map) and
 * its data made from them (pure).
 */
export interface KFigure<R> {
  curves: CurveRequest[];
  assemble(curves: KCurves[]): R;
}

/** The data of a k figure, its curves computed here one after another. */
export function kFigureData<R>(f: KFigure<R>, points: number): R {
  return f.assemble(f.curves.map((c) => kCurves(c.k0, c.q, c.settings, c.element, points)));
}

const one = (k0: number, q: number, settings: Setting[], element: Element): CurveRequest[] => [
  { k0, q, settings, element },
];

export const FIGURE1: KFigure<{ curves: KCurves }> = {
  curves: one(
    0.01,
    4000,
    [
      { ...NEQ, label: "T₁ < T₂ (T₁ = 1, T₂ = 11)" },
      { ...EQ1, label: "T₂ lowered to T₁", style: "solid" },
    ],
    "sigma11",
  ),
  assemble: ([curves]) => ({ curves }),
};

export const FIGURE4: KFigure<{ curves: KCurves; peak: number; peakHighQ: number }> = {
  curves: one(0.01, 4000, [NEQ, EQ1], "sigma11"),
  assemble: ([curves]) => ({
    curves,
    peak: steadyState({ k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 }).covariance.sigma11,
    peakHighQ: sigma11HighQAtResonance(0.01, 1, 11),
  }),
};

export const FIGURE5: KFigure<{ curves: KCurves; dip: number }> = {
  curves: one(
    0.01,
    4000,
    [
      { T1: 11, T2: 1, label: "T₁ = 11, T₂ = 1", color: "blue", style: "solid" },
      { T1: 11, T2: 11, label: "T₁ = T₂ = 11", color: "orange", style: "dashed" },
    ],
    "sigma11",
  ),
  assemble: ([curves]) => ({
    curves,
    dip: steadyState({ k: 1, k0: 0.01, q: 4000, T1: 11, T2: 1 }).covariance.sigma11,
  }),
};

export const FIGURE6: KFigure<{ curves: KCurves }> = {
  curves: one(0.01, 4000, [NEQ, { ...EQ1, label: "T₁ = T₂ = 1" }], "sigma12"),
  assemble: ([curves]) => ({ curves }),
};

export const FIGURE7: KFigure<{ panels: KCurves[] }> = {
  curves: [10, 0.25, 0.02, 0.001].map((k0) => ({ k0, q: 8000, settings: [NEQ, EQ1, EQ6], element: "sigma11" })),
  assemble: (panels) => ({ panels }),
};

export const FIGURE8: KFigure<{ panels: KCurves[] }> = {
  curves: [50, 100, 200, 1000].map((q) => ({ k0: 0.01, q, settings: [NEQ, EQ1, EQ6], element: "sigma11" })),
  assemble: (panels) => ({ panels }),
};

export const FIGURE9: KFigure<{ left: KCurves; right: KCurves }> = {
  curves: [...one(0.01, 4000, [NEQ, EQ6_ORANGE], "sigma23"), ...one(0.01, 4000, [NEQ, EQ6_ORANGE], "sigma34")],
  assemble: ([left, right]) => ({ left, right }),
};

export const figure1Data = (points: number) => kFigureData(FIGURE1, points);
export const figure4Data = (points: number) => kFigureData(FIGURE4, points);
export const figure5Data = (points: number) => kFigureData(FIGURE5, points);
export const figure6Data = (points: number) => kFigureData(FIGURE6, points);
export const figure7Data = (points: number) => kFigureData(FIGURE7, points);
export const figure8Data = (points: number) => kFigureData(FIGURE8, points);
export const figure9Data = (points: number) => kFigureData(FIGURE9, points);

/** A frequency grid resolving both normal modes (Lorentzians of half width 1/(2q)). */
export function modeGrid(p: DimensionlessParameters, lo: number, hi: number, points: number): Float64Array {
  const [w1, w2] = normalModeFrequencies(p);
  const h = 1 / (2 * p.q);
  const a = focusedGrid(lo, hi, w1, h, Math.ceil(points / 3), Math.ceil(points / 3));
  const b = focusedGrid(lo, hi, w2, h, 2, Math.ceil(points / 3));
  return Float64Array.from([...a, ...b].sort((x, y) => x - y).filter((x, i, arr) => i === 0 || x > arr[i - 1]));
}

/** Displacement PSDs near (k = 1) and away from (k = 0.8) the resonance, Figure 4's other parameters. */
export function psdData(points: number): { cases: PsdCase[] } {
  const cases = [
    { k: 1, title: "near the resonance, k = 1", window: [0.985, 1.025] as [number, number] },
    { k: 0.8, title: "away from it, k = 0.8", window: [0.88, 1.03] as [number, number] },
  ];
  return {
    cases: cases.map((c) => {
      const p = { k: c.k, k0: 0.01, q: 4000, T1: 1, T2: 11 };
      const w = modeGrid(p, c.window[0], c.window[1], points);
      const s = displacementPsdCurve(p, w);
      const sEq = displacementPsdCurve({ ...p, T2: 1 }, w);
      const st = steadyState(p).covariance;
      return {
        ...c,
        omega: Array.from(w),
        u1: Array.from(s.u1),
        u2: Array.from(s.u2),
        u1Equilibrium: Array.from(sEq.u1),
        variance1: varianceFromPsd(p, 1).value,
        variance2: varianceFromPsd(p, 2).value,
        sigma11: st.sigma11,
        sigma22: st.sigma22,
      };
    }),
  };
}

/** Apparent temperatures of both oscillators against k (configurational and kinetic). */
export function apparentTemperatureData(points: number): ApparentTemperatureData {
  const p = { k0: 0.01, q: 4000, T1: 1, T2: 11 };
  const ks = resonanceGrid(p.k0, p.q, 0, 2, points).filter((k) => k > 0);
  const s = sweep({ ...p, k: ks[0] }, "k", ks);
  const t1: number[] = [],
    t2: number[] = [];
  for (let i = 0; i < ks.length; i++) {
    const c = {} as Covariance;
    for (const e of COVARIANCE_COLUMNS) c[e] = s[e][i];
    const a = apparentTemperatures({ k: ks[i], k0: p.k0 }, c);
    t1.push(a.configurational1);
    t2.push(a.configurational2);
  }
  const res = findResonance(p);
  return {
    ks: Array.from(ks),
    configurational1: t1,
    configurational2: t2,
    kinetic1: Array.from(s.sigma33),
    kinetic2: Array.from(s.sigma44),
    resonance: { location: res.location, ...(res.width !== undefined ? { width: res.width } : {}) },
  };
}

/** The values of k0 and q of the resonance-width figure (log-spaced k0, q = 1000 and 8000). */
export function resonanceWidthGrid(count: number): { k0s: number[]; qs: { q: number; color: string }[] } {
  return {
    k0s: Array.from(linspace(Math.log10(2e-5), Math.log10(0.2), count), (e) => 10 ** e),
    qs: [
      { q: 1000, color: "blue" },
      { q: 8000, color: "green" },
    ],
  };
}

/** One point of the resonance-width figure: the resonance finder at (k0, q). */
export function resonanceWidthPoint(k0: number, q: number): ResonanceWidthPoint {
  const r = findResonance({ k0, q, T1: 1, T2: 11 }, { domain: [0, 3] });
  return { location: r.location, width: r.width, excess: r.excess, widthFiniteQ: r.lorentzian.widthFiniteQ };
}

export interface ResonanceWidthPoint {
  location: number;
  width?: number;
  excess: number;
  widthFiniteQ: number;
}

/** The figure's data from its points (q outer, k0 inner, as resonanceWidthGrid lists them). Pure. */
export function resonanceWidthFromPoints(count: number, points: ResonanceWidthPoint[]): ResonanceWidthData {
  const { k0s, qs } = resonanceWidthGrid(count);
  const rows: (number | string)[][] = [];
  const byQ = qs.map(({ q, color }, i) => ({
    q,
    color,
    width: k0s.map((k0, j): number | "" => {
      const r = points[i * k0s.length + j];
      rows.push([q, k0, r.location, r.width ?? "", r.excess, 4 * k0, r.widthFiniteQ]);
      return r.width ?? "";
    }),
    halfWidth: k0s.map((k0) => resonanceHalfWidth(k0, q)),
  }));
  return { k0s, byQ, rows };
}

/** The resonance finder's width against k0 for q = 1000 and 8000. */
export function resonanceWidthData(count: number): ResonanceWidthData {
  const { k0s, qs } = resonanceWidthGrid(count);
  return resonanceWidthFromPoints(
    count,
    qs.flatMap(({ q }) => k0s.map((k0) => resonanceWidthPoint(k0, q))),
  );
}

/** The inverse problem at k = 0.985: candidates from sigma11, fits with sigma22 and with sigma12, model curves. */
export function inverseData(n: number): InverseData {
  const p = { k0: 0.01, q: 4000, T1: 1, T2: 11 };
  const trueK = 0.985;
  const truth = steadyState({ ...p, k: trueK }).covariance;
  const err = (x: number) => 0.01 * Math.abs(x);
  const from11 = inferK(p, { sigma11: truth.sigma11 });
  const with22 = inferK(p, {
    sigma11: truth.sigma11,
    sigma22: truth.sigma22,
    uncertainty: { sigma11: err(truth.sigma11), sigma22: err(truth.sigma22) },
  });
  const with12 = inferK(p, {
    sigma11: truth.sigma11,
    sigma12: truth.sigma12,
    uncertainty: { sigma11: err(truth.sigma11), sigma12: err(truth.sigma12) },
  });
  const ks = focusedGrid(0.9, 1.1, 1, resonanceHalfWidth(p.k0, p.q), n, n);
  const s = sweep({ ...p, k: ks[0] }, "k", ks);
  const near = from11.solutions.filter((x) => x.k >= 0.9 && x.k <= 1.1).sort((a, b) => a.k - b.k);
  const fits = (inf: typeof with22) => inf.jointFits.slice(0, 2).map((f) => ({ k: f.k, mismatch: f.mismatch }));
  return {
    trueK,
    truth: { sigma11: truth.sigma11, sigma22: truth.sigma22, sigma12: truth.sigma12 },
    near: near.map((x) => ({
      k: x.k,
      side: x.side,
      ...(x.sensitivity.sigma11 !== undefined ? { sensitivity11: x.sensitivity.sigma11 } : {}),
      predicted: { sigma11: x.predicted.sigma11, sigma22: x.predicted.sigma22, sigma12: x.predicted.sigma12 },
    })),
    far: from11.solutions.filter((x) => x.k < 0.9 || x.k > 1.1).map((x) => x.k),
    with22: { fits: fits(with22), ambiguous: with22.ambiguous },
    with12: {
      fits: fits(with12),
      ...(with12.jointFit ? { k: with12.jointFit.k } : {}),
      ...(with12.jointFit?.kError !== undefined ? { kError: with12.jointFit.kError } : {}),
    },
    ks: Array.from(ks),
    sigma11: Array.from(s.sigma11),
    sigma22: Array.from(s.sigma22),
    sigma12: Array.from(s.sigma12),
  };
}

/** The displacement spectra of one parameter point around its two normal modes (the CLI's --figure). */
export function pointSpectrum(p: DimensionlessParameters, points = 4000): PointSpectrum {
  const [w1, w2] = normalModeFrequencies(p);
  const h = 1 / (2 * p.q);
  const span = Math.max(w2 - w1, 10 * h);
  const lo = Math.max(0, w1 - Math.max(span, 40 * h)),
    hi = w2 + Math.max(span, 40 * h);
  const w = modeGrid(p, lo, hi, points);
  const s = displacementPsdCurve(p, w);
  const st = steadyState(p).covariance;
  return {
    parameters: p,
    modes: [w1, w2],
    window: [lo, hi],
    omega: Array.from(w),
    u1: Array.from(s.u1),
    u2: Array.from(s.u2),
    variance1: varianceFromPsd(p, 1).value,
    variance2: varianceFromPsd(p, 2).value,
    sigma11: st.sigma11,
    sigma22: st.sigma22,
  };
}
