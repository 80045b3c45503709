/**
 * The figures of `ness reproduce particle-bath-chain`, each built on demand (so the caller can write one before
 * computing the next): Figure 2a/2b (the effective bath), the current three ways, Figure 3 (full simulation) and
 * Figure 4 (NDC). Parameters not given in the seed (zeta, N, k, gamma_R, the temperatures) are stated in captions.
 */
import type { Figure } from "../../figures/figure.js";
import { effectiveBath } from "./effectiveBath.js";
import { currentSimulationFigure, frictionFigure, meanForceFigure, methodsFigure, ndcFigure } from "./figures.js";
import { currentMaximum, effectiveCurrent, logSpace } from "./ndc.js";
import { DEFAULT_PARAMS, type ParticleBathChainParams } from "./params.js";
import { currentSimulationScan, currentTheoryCurves, frictionScan, frictionTheory, meanForceCurves, methodComparison } from "./study.js";

export interface FigurePlanOptions {
  quick: boolean;
  log: (line: string) => void;
  /** Base parameters (default: DEFAULT_PARAMS, i.e. the seed's Figure 2 bath). */
  params?: ParticleBathChainParams;
  seed?: number;
}

export interface PlannedFigure {
  name: string;
  build(): Figure;
}

export function figurePlan(o: FigurePlanOptions): PlannedFigure[] {
  const p = o.params ?? DEFAULT_PARAMS;
  const seed = o.seed ?? 2024;
  const quick = o.quick;
  return [
    {
      name: "fig2a-mean-force",
      build: () => meanForceFigure(p, meanForceCurves(p, [0.5, 1, 2, 5], 20, quick ? 41 : 161)),
    },
    {
      name: "fig2b-effective-friction",
      build: () => {
        const zetas = [0.1, 1];
        const TLs = quick ? [[2, 10], [2, 20]] : [[1, 2, 3, 5, 10, 20], [1, 2, 3, 5, 10, 20, 50, 100]];
        o.log(`particle-bath-chain: single probe, ${quick ? 3 : 16} antithetic pairs per point (Figure 2b)`);
        const points = frictionScan(p, { zetas, TLs, pairs: quick ? 3 : 16, v0: 50, seed, log: o.log });
        const grid = logSpace(0.55, 100, quick ? 20 : 60);
        const theory = zetas.flatMap((zeta) => grid.map((TL) => frictionTheory(p, zeta, TL)));
        return frictionFigure(p, points, theory);
      },
    },
    {
      name: "current-three-ways",
      build: () => {
        const Ns = quick ? [2, 4, 8, 16, 24] : Array.from({ length: 31 }, (_, i) => i + 2);
        // zeta = 1: a strongly coupled effective bath (gamma_L = 1.6 at T_L = 2), where the three methods and the
        // factor 2 of the closed form are most visible (this compares methods for the effective chain itself).
        const q: ParticleBathChainParams = { ...p, zeta: 1 };
        const rows = methodComparison(q, Ns);
        const convergence = [0.6, 2, 5].map((TL) => ({ TL, rows: methodComparison({ ...q, TL, TR: 0 }, Ns.filter((n) => n % 2 === 0)) }));
        return methodsFigure(q, rows, convergence);
      },
    },
    {
      name: "fig3-current-simulation",
      build: () => {
        const q: ParticleBathChainParams = { ...p, N: 8, TR: 0 };
        const zetas = [0.01, 0.1, 1];
        const TLs = quick
          ? [[1, 3], [1, 5], [1, 5, 20]]
          : [[0.6, 1, 2, 3, 5, 8, 13, 20], [0.6, 1, 2, 3, 5, 8, 13, 20, 35, 50], [0.6, 1, 2, 3, 5, 8, 13, 20, 35, 50]];
        o.log(`particle-bath-chain: full simulation of the chain (N = ${q.N}), ${quick ? "short" : "2 x 2000 time units per point"} (Figure 3)`);
        const points = currentSimulationScan(q, {
          zetas,
          TLs,
          replicas: 2,
          duration: quick ? 400 : 2000,
          burnIn: quick ? 100 : 200,
          seed: seed + 7,
          log: o.log,
        });
        return currentSimulationFigure(q, points, currentTheoryCurves(q, zetas, 60, quick ? 25 : 60));
      },
    },
    {
      name: "fig4-ndc",
      build: () => {
        // zeta = 0.1: above T_R = 10 the slowest bath time is < 0.16 (omega_c tau < 0.32): close to separated.
        const q: ParticleBathChainParams = { ...p, zeta: 0.1, TR: 10 };
        const Tc = effectiveBath({ ...q, TL: 1 }).criticalTemperature;
        const grid = logSpace(Tc * 1.05, 1000, quick ? 40 : 160);
        const byK = [0.5, 1, 2].map((k) => {
          const r = { ...q, k };
          return { k, TL: grid, current: grid.map((TL) => effectiveCurrent({ ...r, TL }, "longChain")), maximum: currentMaximum(r, "longChain") };
        });
        const delta = Array.from({ length: quick ? 21 : 81 }, (_, i) => (40 * i) / (quick ? 20 : 80));
        const fixedTR = 10;
        const fixedTL = 50;
        const memory = grid.filter((TL) => TL > 5).map((TL) => ({ TL, current: effectiveCurrent({ ...q, N: 32, TL }, "memory") }));
        return ndcFigure(q, byK, memory, {
          delta,
          varyTL: delta.map((d) => effectiveCurrent({ ...q, TR: fixedTR, TL: fixedTR + d }, "longChain")),
          varyTR: delta.map((d) => effectiveCurrent({ ...q, TL: fixedTL, TR: fixedTL - d }, "longChain")),
          fixedTR,
          fixedTL,
        });
      },
    },
  ];
}
