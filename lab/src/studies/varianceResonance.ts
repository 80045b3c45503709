/**
 * A thin local adapter of the variance-resonance study to the shape of the study contract (parameters as a zod
 * schema with .describe() and .meta(), compute, pure figures and report), until the contract of the architecture
 * branch lands on main; then the lab takes the study's own declaration instead and this file goes.
 * The exact sweep: the 4x4 Lyapunov equation per point on the allocation-free path (src/studies/variance-resonance).
 */
import { z } from "zod";
import type { Figure } from "../../../src/figures/figure.js";
import {
  DIMENSIONLESS_RANGES,
  linspace,
  sigma11Equilibrium,
  sigma22Equilibrium,
  sweep,
  sweepFigure,
  type DimensionlessParameters,
  type Sweep,
} from "../../../src/studies/variance-resonance/index.js";

/**
 * What the lab needs of a study: a subset of the contract's Study interface (src/studies/contract.ts on the
 * architecture branch), so that a Study is a LabStudy as it is. `numbers` is the lab's own optional extra: named
 * numbers shown beside the figures (and checked by the tests); without it the page shows report() as text.
 */
export interface LabStudy<S extends z.ZodObject, R> {
  name: string;
  title: string;
  summary: string;
  citations: { authors: string; title: string; venue: string }[];
  parameters: S;
  /** Checks across parameters; `name(key)` is how a message names a parameter (the CLI: its flag). */
  check?(parameters: z.output<S>, name: (key: string) => string): void;
  /** Whether the study draws random numbers (the page then has a seed field). */
  seeded: boolean;
  compute(parameters: z.output<S>, context: { seed: number; quick: boolean; signal?: AbortSignal }): Promise<R>;
  figures(results: R): Figure[];
  report(results: R): string;
  numbers?(results: R): { key: string; label: string; value: number }[];
}

const R = DIMENSIONLESS_RANGES;

export const varianceResonanceParameters = z.object({
  k: z
    .number()
    .default(1)
    .describe("k = k1/k2, the ratio of the pinning stiffnesses (the resonance is at k = 1)")
    .meta({ unit: "1", range: R.k, flag: "k" }),
  k0: z
    .number()
    .default(0.01)
    .describe("k0 = K/k2, the coupling between the oscillators")
    .meta({ unit: "1", range: R.k0, flag: "k0" }),
  q: z
    .number()
    .default(100)
    .describe("q = Q2 = sqrt(k2 m)/gamma, the quality factor of oscillator 2")
    .meta({ unit: "1", range: R.q, flag: "q" }),
  T1: z
    .number()
    .default(2)
    .describe("bath temperature of oscillator 1")
    .meta({ unit: "T0 = k2 L²/kB", range: R.T1, flag: "T1" }),
  T2: z
    .number()
    .default(1)
    .describe("bath temperature of oscillator 2")
    .meta({ unit: "T0 = k2 L²/kB", range: R.T2, flag: "T2" }),
  // The sweep is the page's own (the CLI sweeps with a range, --k 0.9:1.1:801): no flags.
  parameter: z
    .enum(["k", "k0", "q", "T1", "T2"])
    .default("k")
    .describe("the parameter swept along the figure's axis")
    .meta({ cli: false }),
  from: z
    .number()
    .default(0.9)
    .describe("first value of the swept parameter")
    .meta({ unit: "as the parameter", cli: false }),
  to: z
    .number()
    .default(1.1)
    .describe("last value of the swept parameter")
    .meta({ unit: "as the parameter", cli: false }),
  points: z
    .number()
    .int()
    .min(2)
    .max(100000)
    .default(801)
    .describe("points of the sweep")
    .meta({ unit: "points", range: { min: 2, max: 100000, integer: true }, flag: "points", cli: false }),
});

export interface VarianceResonanceResults {
  base: DimensionlessParameters;
  sweep: Sweep;
  point: Sweep;
}

export const varianceResonance: LabStudy<typeof varianceResonanceParameters, VarianceResonanceResults> = {
  name: "variance-resonance",
  title: "Variance resonance of two weakly coupled oscillators",
  summary:
    "Two underdamped oscillators, each in its own heat bath (T1, T2), coupled by a weak spring k0. The stationary " +
    "covariance is exact (the 4x4 Lyapunov equation, checked against the closed forms); near k = 1 the variance of " +
    "oscillator 1 shows a resonance whose height grows with the temperature difference and the quality factor.",
  citations: [
    {
      authors: "T. Boffi and P. De Gregorio",
      title: "Variance Resonance in Weakly Coupled Harmonic Oscillators Driven by Thermal Gradients",
      venue: "Entropy 26, 1087 (2024)",
    },
  ],
  parameters: varianceResonanceParameters,
  seeded: false,
  async compute(p) {
    const base: DimensionlessParameters = { k: p.k, k0: p.k0, q: p.q, T1: p.T1, T2: p.T2 };
    const point = sweep(base, "k", [p.k]);
    const s = sweep(base, p.parameter, linspace(p.from, p.to, p.points));
    return { base, sweep: s, point };
  },
  figures: (r) => {
    // The dashed curves: each oscillator's variances if the whole system sat at its bath temperature.
    const s = r.sweep,
      n = s.values.length,
      eq11 = new Float64Array(n),
      eq22 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = { ...s.base, [s.parameter]: s.values[i] };
      eq11[i] = sigma11Equilibrium(p, p.T1);
      eq22[i] = sigma22Equilibrium(p, p.T2);
    }
    return [
      sweepFigure({
        parameter: s.parameter,
        values: s.values,
        base: s.base,
        maxResidual: s.maxResidual,
        columns: s,
        localEquilibrium: { sigma11: eq11, sigma22: eq22 },
      }),
    ];
  },
  report: (r) =>
    `sigma11 = ${r.point.sigma11[0]} at ${JSON.stringify(r.base)}; sweep of ${r.sweep.parameter} over ${r.sweep.values.length} values, largest residual ${r.sweep.maxResidual}`,
  numbers: (r) => [
    { key: "sigma11", label: "⟨u₁²⟩ at these parameters", value: r.point.sigma11[0] },
    { key: "sigma22", label: "⟨u₂²⟩", value: r.point.sigma22[0] },
    { key: "sigma12", label: "⟨u₁u₂⟩", value: r.point.sigma12[0] },
    { key: "sigma33", label: "⟨v₁²⟩ (kinetic temperature of 1)", value: r.point.sigma33[0] },
    { key: "sigma44", label: "⟨v₂²⟩ (kinetic temperature of 2)", value: r.point.sigma44[0] },
    { key: "peak", label: `largest ⟨u₁²⟩ over the sweep`, value: Math.max(...r.sweep.sigma11) },
    { key: "residual", label: "largest Lyapunov residual", value: r.sweep.maxResidual },
  ],
};
