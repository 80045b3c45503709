// Generates a sample of every figure builder (SVG, PNG, CSV) into a temp dir
// (or $NESS_SAMPLES_DIR) so they can be looked at, and checks the files are real.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  heatmapFigure,
  heatmapPanel,
  lineChart,
  linePanel,
  panelFigure,
  particleScatter,
  particleScatterPanel,
  type Series,
} from "../../src/figures/charts.js";
import { networkFigure } from "../../src/figures/network.js";
import type { Figure } from "../../src/figures/figure.js";
import { writeFigure } from "../../src/io/render.js";
import { darkPixels, decodePng } from "../io/png.js";

const outDir = process.env.NESS_SAMPLES_DIR ?? mkdtempSync(path.join(tmpdir(), "ness-samples-"));

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

async function writeSample(figure: Figure): Promise<void> {
  const files = await writeFigure(figure, outDir);
  expect(files.map((f) => path.basename(f))).toEqual([
    `${figure.name}.svg`,
    `${figure.name}.png`,
    `${figure.name}.csv`,
  ]);
  const svg = readFileSync(files[0], "utf8");
  const w = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
  const h = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)![1]);
  expect(pngSize(files[1])).toEqual([Math.round(w * 2), Math.round(h * 2)]);
  const img = decodePng(readFileSync(files[1]));
  expect(darkPixels(img)).toBeGreaterThan(2000); // text, axes and marks were drawn
  const csv = readFileSync(files[2], "utf8");
  // `#` lines first (what the columns hold), then the named columns.
  const lines = csv.split("\n");
  expect(lines.find((l) => !l.startsWith("#"))).toBe(figure.table.columns.join(","));
  expect(csv).not.toMatch(/NaN|Infinity/);
}

export const triangle = networkFigure({
  name: "sample-network-triangle",
  title: "Three-site network with a heat circulation",
  sites: [
    { name: "1", kineticTemperature: 9.02, bath: { temperature: 11, flux: 0.298 } },
    { name: "2", kineticTemperature: 2.61, bath: { temperature: 2, flux: -0.298 } },
    { name: "3", kineticTemperature: 2.35 },
  ],
  springs: [
    { between: ["1", "2"], flux: 0.29 },
    { between: ["2", "3"], flux: -0.008 },
    { between: ["1", "3"], flux: 0.008 },
  ],
});

/** Small deterministic PRNG (mulberry32) so the samples never change. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const range = <T = number>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

// Temperature profile along a 20-site chain between baths at 11 and 2.
const sitesX = range(20, (i) => i + 1);
const profile = (k: number) => (i: number) => 6.5 + 4.5 * Math.tanh(-k * (i - 10.5)) * 0.9 - 0.02 * (i - 10.5);
const random = rng(7);
export const lines = lineChart({
  name: "sample-line-chart",
  title: "Kinetic temperature profile along a harmonic chain",
  caption:
    "Lines: exact (Lyapunov) steady state for three disorder strengths; points: Langevin estimate with one standard error. " +
    "Dashed grey lines mark the bath temperatures T_L\u00a0=\u00a011 and T_R\u00a0=\u00a02.",
  xLabel: "site index n",
  yLabel: "kinetic temperature <p_n²>/m",
  yDomain: [0, 12],
  series: [
    { name: "ordered chain", x: sitesX, y: sitesX.map(() => 6.5), color: "blue" },
    { name: "weak disorder σ = 0.3", x: sitesX, y: sitesX.map(profile(0.15)), color: "orange", style: "dashed" },
    { name: "strong disorder σ = 1", x: sitesX, y: sitesX.map(profile(0.5)), color: "magenta", style: "dotted" },
    {
      name: "Langevin, σ = 0.3",
      x: sitesX.filter((_, i) => i % 3 === 0),
      y: sitesX.filter((_, i) => i % 3 === 0).map((x) => profile(0.15)(x) + 0.3 * (random() - 0.5)),
      err: sitesX.filter((_, i) => i % 3 === 0).map(() => 0.25 + 0.2 * random()),
      color: "black",
      line: false,
      marker: "circle",
    },
  ],
  referenceLines: [
    { y: 11, label: "T_L = 11", color: "gray" },
    { y: 2, label: "T_R = 2", color: "gray", labelAt: "start" },
  ],
});

// Four panels sharing the same three series.
const sizes = range(12, (i) => Math.round(4 * Math.pow(1.6, i)));
const fluxSeries = (scale: number): Series[] => [
  { name: "ordered", x: sizes, y: sizes.map(() => 0.3 * scale), color: "blue" },
  {
    name: "disordered, fixed ends",
    x: sizes,
    y: sizes.map((n) => (scale * 1.5) / Math.pow(n, 0.5)),
    color: "orange",
    style: "dashed",
  },
  {
    name: "disordered, free ends",
    x: sizes,
    y: sizes.map((n) => (scale * 3) / Math.pow(n, 1.5)),
    color: "magenta",
    style: "dotted",
  },
];
export const grid = panelFigure({
  name: "sample-2x2",
  title: "Heat current J versus chain length N",
  caption: "Log–log axes. The published panel (c) has its y axis mislabelled as 'T'; here it is the current J.",
  columns: 2,
  panels: [
    linePanel({
      title: "weak coupling",
      xLabel: "N",
      yLabel: "J",
      xType: "log",
      yType: "log",
      series: fluxSeries(1),
      width: 380,
      height: 280,
    }),
    linePanel({
      title: "strong coupling",
      xLabel: "N",
      yLabel: "J",
      xType: "log",
      yType: "log",
      series: fluxSeries(4),
      width: 380,
      height: 280,
    }),
    linePanel({
      title: "pinned chain",
      xLabel: "N",
      yLabel: "J",
      xType: "log",
      yType: "log",
      series: fluxSeries(0.1),
      width: 380,
      height: 280,
    }),
    linePanel({
      title: "J·N (linear axes)",
      xLabel: "N",
      yLabel: "J·N",
      series: fluxSeries(1).map((s) => ({ ...s, y: s.y.map((y, k) => y * s.x[k]) })),
      referenceLines: [{ x: 100, label: "N = 100" }],
      width: 380,
      height: 280,
    }),
  ],
});

// Density of a 2D Ornstein–Uhlenbeck process with a circulating probability current.
const gx = range(41, (i) => -3 + (6 * i) / 40);
const gp = range(41, (i) => -3 + (6 * i) / 40);
const rho = (x: number, p: number) => Math.exp(-(x * x + p * p - 0.8 * x * p) / 2) / (2 * Math.PI);
export const heat = heatmapFigure({
  name: "sample-heatmap",
  title: "Phase-space density and probability current",
  caption:
    "Stationary density ρ(x, p) of a harmonic oscillator between two baths; arrows show the probability current J(x, p), which circulates.",
  xLabel: "position x",
  yLabel: "momentum p",
  x: gx,
  y: gp,
  values: gp.map((p) => gx.map((x) => rho(x, p))),
  color: { label: "probability density ρ(x, p)", scheme: "viridis" },
  vectors: {
    u: gp.map((p) => gx.map((x) => p * rho(x, p))),
    v: gp.map((p) => gx.map((x) => -x * rho(x, p))),
    label: "probability current J",
  },
});

// Hot and cold particles in a periodic box.
const pr = rng(3);
const px: number[] = [];
const py: number[] = [];
const cat: string[] = [];
for (let k = 0; k < 240; k++) {
  const hot = k % 2 === 0;
  let x = pr() * 20;
  if (!hot && pr() < 0.6) x = (x * 0.5 + 15) % 20; // cold particles gather on one side
  px.push(x);
  py.push(pr() * 20);
  cat.push(hot ? "hot" : "cold");
}
export const snapshot = particleScatter({
  name: "sample-particles",
  title: "Snapshot of hot and cold particles",
  caption:
    "Periodic box of side L = 20; hot particles (T = 10) in red, cold particles (T = 1) in blue, drawn to scale (radius 0.4).",
  box: [20, 20],
  x: px,
  y: py,
  category: cat,
  radius: 0.4,
  categories: [
    { name: "hot", label: "hot, T = 10" },
    { name: "cold", label: "cold, T = 1" },
  ],
});

// Mixed panels: heatmap and particle snapshot side by side (per-panel legends).
export const mixed = panelFigure({
  name: "sample-1x2-mixed",
  title: "Left: density with current; right: particle snapshot",
  caption:
    "Two panels of different kinds: the heatmap keeps its colour ramp under it, the swatch entries of both panels are merged under the figure.",
  panels: [
    heatmapPanel({
      title: "phase space",
      xLabel: "x",
      yLabel: "p",
      x: gx,
      y: gp,
      values: gp.map((p) => gx.map((x) => rho(x, p))),
      color: { label: "ρ(x, p)", scheme: "magma" },
      width: 380,
      height: 340,
      vectors: {
        u: gp.map((p) => gx.map((x) => p * rho(x, p))),
        v: gp.map((p) => gx.map((x) => -x * rho(x, p))),
        stride: 4,
      },
    }),
    particleScatterPanel({ title: "periodic box", box: [20, 20], x: px, y: py, category: cat, radius: 0.4, size: 340 }),
  ],
});

// A 6-site chain (line layout) and a 3x3 lattice (spectral + force layout), both without positions.
const chainT = [10.2, 8.1, 6.9, 5.5, 4.2, 2.6];
export const chain = networkFigure({
  name: "sample-network-chain",
  title: "Harmonic chain between two baths",
  sites: chainT.map((t, i) => ({
    name: `${i + 1}`,
    kineticTemperature: t,
    bath: i === 0 ? { temperature: 11, flux: 0.052 } : i === 5 ? { temperature: 2, flux: -0.052 } : undefined,
  })),
  springs: range(5, (i) => ({ between: [`${i + 1}`, `${i + 2}`] as [string, string], flux: 0.052 })),
});
const lattice = range(9, (i) => i);
export const square = networkFigure({
  name: "sample-network-lattice",
  title: "3 × 3 lattice, hot corner and cold corner",
  sites: lattice.map((i) => ({
    name: `s${i}`,
    kineticTemperature: 10 - i,
    bath: i === 0 ? { temperature: 11, flux: 0.4 } : i === 8 ? { temperature: 1, flux: -0.4 } : undefined,
  })),
  springs: [
    ...lattice
      .filter((i) => i % 3 < 2)
      .map((i) => ({ between: [`s${i}`, `s${i + 1}`] as [string, string], flux: 0.1 + 0.01 * i })),
    ...lattice
      .filter((i) => i < 6)
      .map((i) => ({ between: [`s${i}`, `s${i + 3}`] as [string, string], flux: i === 4 ? -0.05 : 0.1 })),
  ],
});

describe("figure samples", () => {
  for (const fig of [lines, grid, heat, snapshot, mixed, chain, square]) {
    it(fig.name, async () => {
      await writeSample(fig);
    });
  }
  it("network triangle", async () => {
    await writeSample(triangle);
    console.log(`samples in ${outDir}`);
  });
});
