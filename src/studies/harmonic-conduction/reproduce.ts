/**
 * The figures of `ness reproduce harmonic-conduction`, each planned as a name and a builder (data first, then the
 * figure from the shared chart builders): current against length for disordered chains with fixed and free ends,
 * temperature profiles (ordered chain, disordered chain, 2D strip), and transmission spectra.
 */
import type { Figure, Table } from "../../figures/figure.js";
import { solveNetworkTransmission } from "../../exact/transmission.js";
import { profileFigure, scalingFigure, spectrumFigure } from "./figures.js";
import { DEFAULT_PARAMS, type ConductionParams } from "./params.js";
import { spectrumEnvelope, spectrumTable } from "./spectrum.js";
import { chainModel, chainProfile, scalingStudy, stripProfile, type Profile, type ScalingResult } from "./study.js";

export interface PlannedFigure {
  name: string;
  build(): Figure;
}

const g = (x: number, d = 3) => String(Number(x.toPrecision(d)));

/** The scaling data as a table (one row per boundary and length). */
export function scalingTable(results: ScalingResult[]): Table {
  return {
    columns: ["boundary", "N", "J", "J_error", "quadrature_error", "fit_alpha", "fit_alpha_error", "expected_alpha"],
    rows: results.flatMap((r) =>
      r.points.map((q) => [r.boundary, q.N, q.J, q.error, q.quadratureError, r.fit.alpha, r.fit.alphaError, r.expected]),
    ),
  };
}

function profileTable(profiles: Profile[]): Table {
  return {
    columns: ["profile", "position", "kinetic_temperature", "error"],
    rows: profiles.flatMap((p) => p.x.map((x, k) => [p.name, x, p.temperature[k], p.error[k]])),
  };
}

export function figurePlan(o: { quick: boolean; log: (line: string) => void; params?: ConductionParams }): PlannedFigure[] {
  const base = o.params ?? DEFAULT_PARAMS;
  const p: ConductionParams = o.quick ? { ...base, nMin: 16, nMax: 128, samples: 2 } : { ...base, nMin: 32, nMax: 2048, samples: 4 };
  return [
    {
      name: "disordered-chain-scaling",
      build: () => {
        o.log(`harmonic-conduction: disordered chains, N = ${p.nMin}..${p.nMax}, ${p.samples} realisations each`);
        const results = (["fixed", "free"] as const).map((b) => scalingStudy(p, b, o.log));
        return scalingFigure({
          name: "disordered-chain-scaling",
          title: `Heat current through disordered mass chains (masses 1 ± ${g(p.disorder)})`,
          caption:
            `Mean current J from the hot bath (T_L = ${g(p.TL)}, T_R = ${g(p.TR)}, friction ${g(p.gamma)}) over ${p.samples} mass realisations ` +
            `(error bars: standard error), with least-squares fits J ~ N^-alpha over the longer chains. Langevin (white-noise) baths ` +
            `give alpha = 3/2 with fixed ends (the ends tied to walls: A. Casher and J. L. Lebowitz, J. Math. Phys. 12, 1701 (1971); ` +
            `proved by O. Ajanki and F. Huveneers, Commun. Math. Phys. 301, 841 (2011)) and alpha = 1/2 with free ends (A. Dhar, ` +
            `Phys. Rev. Lett. 86, 5882 (2001)), i.e. conductivities kappa = J N / dT ~ N^-1/2 and N^1/2. The exponents are reached ` +
            `only for N beyond the localisation length of the low-frequency modes; the fits show how far these lengths are from it. ` +
            `Free ends are pinned by ${g(p.freePin)} (the engine needs a confined chain).`,
          series: results.map((r) => ({
            name: `${r.boundary} ends`,
            N: r.points.map((q) => q.N),
            J: r.points.map((q) => q.J),
            err: r.points.map((q) => q.error),
            fit: r.fit,
          })),
          table: scalingTable(results),
        });
      },
    },
    {
      name: "temperature-profiles",
      build: () => {
        const N = o.quick ? 32 : 128;
        o.log(`harmonic-conduction: temperature profiles of ${N}-site chains`);
        const ordered = chainProfile(chainModel(N, { ...p, disorder: 0 }, "fixed"), `ordered chain (Rieder-Lebowitz-Lieb)`, p.tolerance);
        const disordered = chainProfile(chainModel(N, p, "fixed"), `disordered chain (masses 1 ± ${g(p.disorder)})`, p.tolerance);
        const profiles = [ordered, disordered];
        return profileFigure({
          name: "temperature-profiles",
          title: `Kinetic temperature along ${N}-site chains between baths at ${g(p.TL)} and ${g(p.TR)}`,
          caption:
            "Ordered chain with fixed ends: the profile is flat in the interior, at about the mean of the bath temperatures, and " +
            "turns the 'wrong' way near the ends (colder next to the hot bath, hotter next to the cold one), as found exactly by " +
            "Z. Rieder, J. L. Lebowitz and E. Lieb, J. Math. Phys. 8, 1073 (1967); its current does not fall with N. Disordered " +
            "chain: no Fourier-like linear profile either; modes localised in the interior take the temperature of the bath they " +
            "couple to more strongly. Error bars are the engine's error estimates (large only where modes too narrow to resolve " +
            "carry the temperature; their weak-coupling share is then used).",
          xLabel: "site",
          series: profiles.map((q) => ({ name: q.name, x: q.x, temperature: q.temperature, err: q.error })),
          references: [
            { y: p.TL, label: `T_L = ${g(p.TL)}` },
            { y: p.TR, label: `T_R = ${g(p.TR)}` },
          ],
          table: profileTable(profiles),
        });
      },
    },
    {
      name: "strip-profile",
      build: () => {
        const [W, L] = o.quick ? [3, 16] : [8, 64];
        o.log(`harmonic-conduction: ${W} x ${L} strip, ordered and disordered`);
        const ordered = stripProfile(W, L, { ...p, disorder: 0 }, `ordered ${W} x ${L} strip`);
        const disordered = stripProfile(W, L, p, `disordered ${W} x ${L} strip (masses 1 ± ${g(p.disorder)})`);
        const profiles = [ordered, disordered];
        return profileFigure({
          name: "strip-profile",
          title: `Kinetic temperature along a ${W} x ${L} square-lattice strip`,
          caption:
            `Baths (T_L = ${g(p.TL)}, T_R = ${g(p.TR)}, friction ${g(p.gamma)}) on every site of the first and last columns, unit ` +
            `springs, weak pinning 0.01 on every site; the profile is the mean over each column (error bars: the largest site error ` +
            `of the column). Currents from the hot side: ordered J = ${g(ordered.J, 4)}, disordered J = ${g(disordered.J, 4)}.`,
          xLabel: "column",
          series: profiles.map((q) => ({ name: q.name, x: q.x, temperature: q.temperature, err: q.error })),
          references: [
            { y: p.TL, label: `T_L = ${g(p.TL)}` },
            { y: p.TR, label: `T_R = ${g(p.TR)}` },
          ],
          table: profileTable(profiles),
        });
      },
    },
    {
      name: "transmission-spectra",
      build: () => {
        const N = o.quick ? 24 : 96;
        o.log(`harmonic-conduction: transmission spectra of ${N}-site chains`);
        const runs = [
          { label: "ordered", model: chainModel(N, { ...p, disorder: 0 }, "fixed") },
          { label: `disordered (masses 1 ± ${g(p.disorder)})`, model: chainModel(N, p, "fixed") },
        ].map((r) => ({ ...r, ss: solveNetworkTransmission(r.model, { temperatures: false, spectrum: true, tolerance: p.tolerance }) }));
        const series = runs.flatMap((r) => spectrumEnvelope(r.ss).map((s) => ({ ...s, name: `${r.label} chain` })));
        const tables = runs.map((r) => spectrumTable(r.ss));
        return spectrumFigure({
          name: "transmission-spectra",
          title: `Transmission spectra of ${N}-site chains with fixed ends`,
          series,
          table: {
            columns: ["chain", ...tables[0].columns],
            rows: runs.flatMap((r, k) => tables[k].rows.map((row) => [r.label, ...row])),
          },
          caption:
            "T(omega) = 4 omega^2 gamma^2 |G_1N(omega)|^2 between the two end baths (friction " + g(p.gamma) + "): one peak per normal " +
            "mode. Disorder localises the modes: only low frequencies, whose localisation length exceeds N, still transmit, which is " +
            "why the current falls with N. Drawn as the envelope of the samples in ~1500 bins; the CSV has every sample.",
        });
      },
    },
  ];
}
