/**
 * The harmonic-conduction study as a contract (src/studies/contract.ts): the current through disordered mass
 * chains against their length with fixed and free ends (`ness study harmonic-conduction`), and the figure sets of
 * `ness reproduce harmonic-conduction` (scaling, temperature profiles of chains and of a 2D strip, transmission
 * spectra). compute() runs the frequency-domain engine; figures() and report() only draw and write.
 */
import { solveNetworkTransmission } from "../../exact/transmission.js";
import type { Figure, Table } from "../../figures/figure.js";
import { DHAR_2001, RIEDER_LEBOWITZ_LIEB_1967 } from "../citations.js";
import { defineStudy } from "../contract.js";
import { mapSet } from "../pointMap.js";
import { num, table } from "../text.js";
import { profileFigure, scalingFigure, spectrumFigure, type ProfileSeries } from "./figures.js";
import {
  checkConductionParams,
  conductionSchema,
  DEFAULT_PARAMS,
  type ConductionInput,
  type ConductionParams,
} from "./params.js";
import { spectrumEnvelope, spectrumTable, type SpectrumSeries } from "./spectrum.js";
import {
  chainLengths,
  chainModel,
  chainProfile,
  scalingOf,
  scalingPoint,
  scalingSample,
  scalingStudy,
  type ScalingSample,
  stripProfile,
  type Boundary,
  type Profile,
  type ScalingResult,
} from "./study.js";

const g = (x: number, d = 3) => String(Number(x.toPrecision(d)));
/** A small positive number as m·10^-k (typeset makes the power a superscript): 10^-6, not 0.000001. */
const small = (x: number): string => {
  if (x >= 1e-3 || x <= 0) return g(x);
  const k = Math.floor(Math.log10(x));
  const m = Number((x / 10 ** k).toPrecision(3));
  return m === 1 ? `10^${k}` : `${m}·10^${k}`;
};

/** One boundary condition of a run: the points, the fit and the known exponent. */
export interface BoundaryScaling {
  boundary: Boundary;
  points: ScalingResult["points"];
  fit: ScalingResult["fit"];
  /** The known asymptotic exponent for white-noise baths: 3/2 fixed, 1/2 free. */
  expectedAlpha: number;
}

export interface ConductionResults {
  /** The parameters used (with the seed of the masses). */
  parameters: ConductionParams;
  /** One entry per boundary condition (named `results` as in the --json of earlier versions). */
  results: BoundaryScaling[];
}

/** The scaling data as a table (one row per boundary and length). */
export function scalingTable(results: BoundaryScaling[]): Table {
  return {
    columns: ["boundary", "N", "J", "J_error", "quadrature_error", "fit_alpha", "fit_alpha_error", "expected_alpha"],
    rows: results.flatMap((r) =>
      r.points.map((q) => [
        r.boundary,
        q.N,
        q.J,
        q.error,
        q.quadratureError,
        r.fit.alpha,
        r.fit.alphaError,
        r.expectedAlpha,
      ]),
    ),
  };
}

/**
 * The scaling figure; `quick`: the short chains of a --quick run, whose title says "quick: not resolved" when a
 * fitted exponent is more than 4 error bars from its white-noise limit (chains shorter than the localisation length).
 */
function scalingFigureOf(r: ConductionResults, quick = false): Figure {
  const p = r.parameters;
  const unresolved = quick && r.results.some((b) => Math.abs(b.fit.alpha - b.expectedAlpha) > 4 * b.fit.alphaError);
  return scalingFigure({
    name: "disordered-chain-scaling",
    // One line at the figure's width: the quick title drops "heat current" (the y axis says it).
    title: unresolved
      ? `Disordered mass chains, masses 1 ± ${g(p.disorder)} (quick: not resolved)`
      : `Heat current through disordered mass chains (masses 1 ± ${g(p.disorder)})`,
    caption:
      `Mean J from the hot bath (T_L = ${g(p.TL)}, T_R = ${g(p.TR)}, friction ${g(p.gamma)}) over ${p.samples} mass realisations ` +
      `(standard errors); dashed: fits J ~ N^-alpha over the longer chains. Only beyond the localisation length of the ` +
      `low-frequency modes do white-noise baths give alpha = 3/2 with fixed ends (Casher-Lebowitz; arXiv:1003.1076) and 1/2 with ` +
      `free ends (pinned by ${small(p.freePin)}; A. Dhar, Phys. Rev. Lett. 86, 5882 (2001)).`,
    series: r.results.map((b) => ({
      name: `${b.boundary} ends`,
      N: b.points.map((q) => q.N),
      J: b.points.map((q) => q.J),
      err: b.points.map((q) => q.error),
      fit: b.fit,
    })),
    table: scalingTable(r.results),
  });
}

function report(r: ConductionResults): string {
  const p = r.parameters;
  const out: string[] = [];
  out.push(
    `Heat current through disordered mass chains (masses 1 ± ${num(p.disorder)}, baths T_L = ${num(p.TL)}, T_R = ${num(p.TR)}, friction ${num(p.gamma)})`,
  );
  out.push(
    `${p.samples} realisation${p.samples > 1 ? "s" : ""} per length (random seed ${p.seed}); frequency-domain engine, tolerance ${p.tolerance}`,
    "",
  );
  for (const b of r.results) {
    out.push(`${b.boundary} ends`);
    out.push(
      table(
        ["N", "J", "error", "quadrature error"],
        b.points.map((q) => [q.N, q.J, q.error, q.quadratureError]),
      ),
    );
    out.push(
      `fit over N = ${b.fit.from}..${b.fit.to}: J ~ N^-alpha, alpha = ${b.fit.alpha.toFixed(3)} ± ${b.fit.alphaError.toFixed(3)} ` +
        `(white-noise baths, N -> infinity: ${b.expectedAlpha}; conductivity kappa ~ N^${(1 - b.expectedAlpha).toFixed(1)})`,
      "",
    );
  }
  out.push(
    "References: the Casher-Lebowitz chain and arXiv:1003.1076, fixed ends; Dhar, Phys. Rev. Lett. 86, 5882 (2001), free ends.",
  );
  return out.join("\n");
}

export const harmonicConduction = defineStudy({
  name: "harmonic-conduction",
  title: "Heat conduction through disordered harmonic chains",
  units:
    "kB = 1 with unit spring stiffness and unit mean mass: temperatures in energy units, time in sqrt(mass/stiffness), heat currents in energy/time",
  summary:
    "heat current through disordered harmonic chains against their length N (fixed and free ends), with fitted exponents " +
    "J ~ N^-alpha against the known 3/2 (fixed) and 1/2 (free), by the frequency-domain engine",
  citations: [RIEDER_LEBOWITZ_LIEB_1967, DHAR_2001],
  parameters: conductionSchema,
  check: (p, name) => checkConductionParams(p, name),
  seeded: true,
  async compute(input, ctx): Promise<ConductionResults> {
    const { boundary, ...rest } = input;
    const p: ConductionParams = { ...rest, seed: ctx.seed };
    const which: Boundary[] = boundary === "both" ? ["fixed", "free"] : [boundary];
    const boundaries = which.map((b) => {
      const s = scalingStudy(p, b, ctx.log);
      return { boundary: s.boundary, points: s.points, fit: s.fit, expectedAlpha: s.expected };
    });
    return { parameters: p, results: boundaries };
  },
  figures: (r) => [scalingFigureOf(r)],
  report,
  numbers: (r) =>
    r.results.flatMap((b) => {
      const last = b.points[b.points.length - 1];
      return [
        {
          key: `${b.boundary}.J`,
          label: `J at N = ${last.N}, ${b.boundary} ends`,
          value: last.J,
          error: last.error,
          unit: "energy/time",
        },
        {
          key: `${b.boundary}.alpha`,
          label: `exponent α of J ~ N^−α, ${b.boundary} ends (N → ∞: ${b.expectedAlpha})`,
          value: b.fit.alpha,
          error: b.fit.alphaError,
        },
      ];
    }),
  outputs: { figure: "draw J against N with the fits", csv: "write the table (N, J, errors, fits) as CSV" },
  examples: [
    "study harmonic-conduction --n-min 16 --n-max 256 --samples 8 --figure scaling.png",
    "reproduce harmonic-conduction --out out/harmonic-conduction",
  ],
  reproduce: [],
});

// ---------------------------------------------------------------------------------------------------------------
// Figure sets beyond the study's own parameters.

interface ProfileSet {
  parameters: ConductionParams & { N: number };
  profiles: Profile[];
}

function profileTable(profiles: Pick<Profile, "name" | "x" | "temperature" | "error">[], position: string): Table {
  return {
    columns: ["profile", "position", "kinetic_temperature", "kinetic_temperature_error"],
    rows: profiles.flatMap((p) => p.x.map((x, k) => [p.name, x, p.temperature[k], p.error[k]])),
    descriptions: {
      position,
      kinetic_temperature: "<p^2>/m of a site from the exact stationary covariance (energy units, kB = 1)",
      kinetic_temperature_error:
        "the engine's error estimate: large only where modes too narrow for the quadrature to resolve carry the " +
        "temperature (their weak-coupling share is then used)",
    },
  };
}

const series = (profiles: Profile[]): ProfileSeries[] =>
  profiles.map((q) => ({ name: q.name, x: q.x, temperature: q.temperature, err: q.error }));
const references = (p: ConductionParams) => [
  { y: p.TL, label: `T_L = ${g(p.TL)}` },
  { y: p.TR, label: `T_R = ${g(p.TR)}` },
];

const base = (quick: boolean): ConductionParams =>
  quick
    ? { ...DEFAULT_PARAMS, nMin: 16, nMax: 128, samples: 2 }
    : { ...DEFAULT_PARAMS, nMin: 32, nMax: 2048, samples: 4 };

/** A point of a two-solve set's map: the set's parameters (with its seed) and which chain, ordered or disordered. */
interface PairPoint<P> {
  p: P;
  disordered: boolean;
}

/** The two points (ordered, then disordered) of a set whose two exact solves are independent. */
const pairPoints = <P extends object>(parameters: P, at: { seed: number }): PairPoint<P & { seed: number }>[] =>
  [false, true].map((disordered) => ({ p: { ...parameters, seed: at.seed }, disordered }));

/**
 * The profiles of an ordered and a disordered chain as a map of its two exact solves (mapSet), so that `ness
 * reproduce` runs them on its worker threads; assembled in order, the same numbers as one solve after the other.
 */
const temperatureProfiles = mapSet<
  ConductionParams & { N: number },
  PairPoint<ConductionParams & { N: number }>,
  Profile,
  ProfileSet
>({
  id: "temperature-profiles",
  title: "kinetic-temperature profiles of an ordered and a disordered chain",
  parameters: (quick) => ({ ...base(quick), N: quick ? 32 : 128 }),
  map: {
    points: pairPoints,
    point({ p, disordered }, ctx) {
      ctx.log?.(`  temperature profile of the ${disordered ? "disordered" : "ordered"} ${p.N}-site chain`);
      return disordered
        ? chainProfile(chainModel(p.N, p, "fixed"), `disordered chain (masses 1 ± ${g(p.disorder)})`, p.tolerance)
        : chainProfile(
            chainModel(p.N, { ...p, disorder: 0 }, "fixed"),
            `ordered chain (Rieder-Lebowitz-Lieb)`,
            p.tolerance,
          );
    },
    assemble: (p, profiles, at) => ({ parameters: { ...p, seed: at.seed }, profiles }),
  },
  figures: ({ parameters: p, profiles }) => [
    profileFigure({
      name: "temperature-profiles",
      title: `Kinetic temperature along ${p.N}-site chains between baths at ${g(p.TL)} and ${g(p.TR)}`,
      caption:
        "Ordered chain (fixed ends): flat in the interior at about the mean bath temperature, turning the 'wrong' way at the " +
        "ends (Z. Rieder, J. L. Lebowitz and E. Lieb, J. Math. Phys. 8, 1073 (1967)). Disordered chain: no linear profile " +
        "either; localised modes take the temperature of the bath they couple to more strongly. Error bars and method: " +
        "docs/studies/harmonic-conduction.md.",
      xLabel: "site",
      series: series(profiles),
      references: references(p),
      table: profileTable(profiles, "site index along the chain (1 next to the hot bath)"),
    }),
  ],
});

interface StripSet {
  parameters: ConductionParams & { W: number; L: number };
  profiles: Profile[];
}

/** The strip's two exact solves (ordered, disordered) as a map (mapSet), as the chain profiles. */
const stripProfiles = mapSet<
  ConductionParams & { W: number; L: number },
  PairPoint<ConductionParams & { W: number; L: number }>,
  Profile,
  StripSet
>({
  id: "strip-profile",
  title: "kinetic temperature along a 2D strip, ordered and disordered",
  parameters: (quick) => ({ ...base(quick), W: quick ? 3 : 8, L: quick ? 16 : 64 }),
  map: {
    points: pairPoints,
    point({ p, disordered }, ctx) {
      ctx.log?.(`  ${disordered ? "disordered" : "ordered"} ${p.W} x ${p.L} strip`);
      const { ss: _ss, ...profile } = disordered
        ? stripProfile(p.W, p.L, p, `disordered ${p.W} x ${p.L} strip (masses 1 ± ${g(p.disorder)})`)
        : stripProfile(p.W, p.L, { ...p, disorder: 0 }, `ordered ${p.W} x ${p.L} strip`);
      return profile;
    },
    assemble: (p, profiles, at) => ({ parameters: { ...p, seed: at.seed }, profiles }),
  },
  figures: ({ parameters: p, profiles: [ordered, disordered] }) => [
    profileFigure({
      name: "strip-profile",
      title: `Kinetic temperature along a ${p.W} x ${p.L} square-lattice strip`,
      caption:
        `Baths (T_L = ${g(p.TL)}, T_R = ${g(p.TR)}, friction ${g(p.gamma)}) on every site of the first and last columns, unit ` +
        `springs, weak pinning 0.01 on every site; the profile is the mean over each column (error bars: the largest site error ` +
        `of the column). Currents from the hot side: ordered J = ${g(ordered.J, 4)}, disordered J = ${g(disordered.J, 4)}.`,
      xLabel: "column",
      series: series([ordered, disordered]),
      references: references(p),
      table: profileTable(
        [ordered, disordered],
        "column index of the strip (1 next to the hot baths), its sites averaged",
      ),
    }),
  ],
});

interface SpectraSet {
  parameters: ConductionParams & { N: number };
  chains: { label: string; envelope: SpectrumSeries[]; table: Table }[];
}

/** One chain's spectrum: its label, the envelope drawn and the full table (plain JSON: a point's result). */
type SpectrumChain = SpectraSet["chains"][number];

/** The two chains' spectra (ordered, disordered) as a map of their exact solves (mapSet), as the profiles. */
const transmissionSpectra = mapSet<
  ConductionParams & { N: number },
  PairPoint<ConductionParams & { N: number }>,
  SpectrumChain,
  SpectraSet
>({
  id: "transmission-spectra",
  title: "transmission spectra of an ordered and a disordered chain",
  parameters: (quick) => ({ ...base(quick), N: quick ? 24 : 96 }),
  map: {
    points: pairPoints,
    point({ p, disordered }, ctx) {
      ctx.log?.(`  transmission spectrum of the ${disordered ? "disordered" : "ordered"} ${p.N}-site chain`);
      const model = chainModel(p.N, disordered ? p : { ...p, disorder: 0 }, "fixed");
      const ss = solveNetworkTransmission(model, { temperatures: false, spectrum: true, tolerance: p.tolerance });
      return {
        label: disordered ? `disordered (masses 1 ± ${g(p.disorder)})` : "ordered",
        envelope: spectrumEnvelope(ss),
        table: spectrumTable(ss),
      };
    },
    assemble: (p, chains, at) => ({ parameters: { ...p, seed: at.seed }, chains }),
  },
  figures: ({ parameters: p, chains }) => [
    spectrumFigure({
      name: "transmission-spectra",
      title: `Transmission spectra of ${p.N}-site chains with fixed ends`,
      series: chains.flatMap((r) => r.envelope.map((s) => ({ ...s, name: `${r.label} chain` }))),
      table: {
        columns: ["chain", ...chains[0].table.columns],
        rows: chains.flatMap((r) => r.table.rows.map((row) => [r.label, ...row])),
      },
      caption:
        "T(omega) = 4 omega^2 gamma^2 |G_1N(omega)|^2 between the two end baths (friction " +
        g(p.gamma) +
        "): one peak per normal " +
        "mode. Disorder localises the modes: only low frequencies, whose localisation length exceeds N, still transmit, which is " +
        "why the current falls with N. Drawn as the envelope of the samples in ~1500 bins; the CSV has every sample.",
    }),
  ],
});

/** A point of the scaling set's map: one disorder realisation of one length and boundary, with the run's parameters. */
interface ScalingMapPoint {
  p: ConductionParams;
  boundary: Boundary;
  N: number;
  sample: number;
}

/** The scaling set's parameters (the study's, without the seed, which is the set's) as the study's compute takes them. */
function scalingRun(parameters: Partial<ConductionInput>, seed: number): { p: ConductionParams; which: Boundary[] } {
  const { boundary, ...rest } = harmonicConduction.parameters.parse(parameters);
  return { p: { ...rest, seed }, which: boundary === "both" ? ["fixed", "free"] : [boundary] };
}

/**
 * The scaling figure as a map of its solves (mapSet): one point per (boundary, length, realisation), so that
 * `ness reproduce` runs them on its worker threads (resumable), and the same results as the study's compute (the same
 * solves, assembled in the same order).
 */
const scalingSet = mapSet<Partial<ConductionInput>, ScalingMapPoint, ScalingSample, ConductionResults>({
  id: "disordered-chain-scaling",
  title: "current against length of disordered chains, fixed and free ends",
  parameters: (quick) => {
    const { seed: _seed, ...p } = base(quick);
    return p;
  },
  map: {
    points(parameters, at) {
      const { p, which } = scalingRun(parameters, at.seed);
      const Ns = chainLengths(p.nMin, p.nMax);
      return which.flatMap((boundary) =>
        Ns.flatMap((N) => Array.from({ length: p.samples }, (_, sample) => ({ p, boundary, N, sample }))),
      );
    },
    point: (q) => scalingSample(q.p, q.boundary, q.N, q.sample),
    assemble(parameters, values, at) {
      const { p, which } = scalingRun(parameters, at.seed);
      const Ns = chainLengths(p.nMin, p.nMax);
      let k = 0;
      const results = which.map((b) => {
        const s = scalingOf(
          b,
          Ns.map((N) => scalingPoint(N, values.slice(k, (k += p.samples)))),
        );
        return { boundary: s.boundary, points: s.points, fit: s.fit, expectedAlpha: s.expected };
      });
      return { parameters: p, results };
    },
  },
  figures: (r, at) => [scalingFigureOf(r, at?.quick)],
});

harmonicConduction.reproduce.push(scalingSet, temperatureProfiles, stripProfiles, transmissionSpectra);
