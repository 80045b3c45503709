// Deterministic test networks for the network figure: chains, rings, stars, trees, grids, ladders, complete and
// random graphs, with baths and fluxes drawn from a fixed-seed generator.
import type { NetworkFigureData } from "../../src/figures/network.js";

/** A small fixed-seed generator (LCG, Numerical Recipes constants) for the test graphs. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export type Edges = [number, number][];

export const chain = (n: number): Edges => Array.from({ length: n - 1 }, (_, i): [number, number] => [i, i + 1]);
export const ring = (n: number): Edges => Array.from({ length: n }, (_, i): [number, number] => [i, (i + 1) % n]);
export const star = (n: number): Edges => Array.from({ length: n - 1 }, (_, i): [number, number] => [0, i + 1]);
export const binaryTree = (n: number): Edges =>
  Array.from({ length: n - 1 }, (_, i): [number, number] => [Math.floor(i / 2), i + 1]);
export function randomTree(n: number, seed: number): Edges {
  const r = lcg(seed);
  return Array.from({ length: n - 1 }, (_, i): [number, number] => [Math.floor(r() * (i + 1)), i + 1]);
}
export function grid(rows: number, cols: number): Edges {
  const e: Edges = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (j + 1 < cols) e.push([i * cols + j, i * cols + j + 1]);
      if (i + 1 < rows) e.push([i * cols + j, (i + 1) * cols + j]);
    }
  }
  return e;
}
export const ladder = (n: number): Edges => [...grid(2, n)];
export function complete(n: number): Edges {
  const e: Edges = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) e.push([i, j]);
  return e;
}
/** A random spanning tree plus `extra` random edges (no duplicates): connected. */
export function randomGraph(n: number, extra: number, seed: number): Edges {
  const r = lcg(seed);
  const e = randomTree(n, seed + 1);
  const have = new Set(e.map(([a, b]) => `${Math.min(a, b)},${Math.max(a, b)}`));
  for (let tries = 0; extra > 0 && tries < 100 * n; tries++) {
    const a = Math.floor(r() * n);
    const b = Math.floor(r() * n);
    const key = `${Math.min(a, b)},${Math.max(a, b)}`;
    if (a === b || have.has(key)) continue;
    have.add(key);
    e.push([a, b]);
    extra--;
  }
  return e;
}

/**
 * Figure data for `n` sites joined by `edges`: names "1".."n" (or `names`), temperatures in [1, 10], fluxes of
 * random sign and magnitudes from 1e-3 to 10 (a few exactly 0), baths on the sites chosen by `baths`.
 */
export function figureData(
  n: number,
  edges: Edges,
  options: { seed?: number; baths?: "ends" | "all" | "some" | "none"; names?: string[]; title?: string } = {},
): NetworkFigureData {
  const r = lcg(options.seed ?? 7);
  const names = options.names ?? Array.from({ length: n }, (_, i) => String(i + 1));
  const flux = () => (r() < 0.06 ? 0 : (r() < 0.5 ? -1 : 1) * Math.pow(10, -3 + 4 * r()));
  const baths = options.baths ?? "some";
  const degree = new Array<number>(n).fill(0);
  for (const [a, b] of edges) {
    degree[a]++;
    degree[b]++;
  }
  const hasBath = (i: number) =>
    baths === "all" ||
    (baths === "ends" && degree[i] <= 1) ||
    (baths === "some" && (i === 0 || i === n - 1 || r() < 0.25));
  return {
    title: options.title ?? `${n} sites`,
    sites: names.map((name, i) => ({
      name,
      kineticTemperature: Number((1 + 9 * r()).toPrecision(3)),
      bath: hasBath(i) ? { temperature: Number((1 + 9 * r()).toPrecision(2)), flux: flux() } : undefined,
    })),
    springs: edges.map(([a, b]) => ({ between: [names[a], names[b]] as [string, string], flux: flux() })),
  };
}
