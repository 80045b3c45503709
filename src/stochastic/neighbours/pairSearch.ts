/**
 * Pair searches for analyses of configurations (not the force loops): every pair of particles closer than a
 * distance, on the one cell grid (cellGrid.ts), and the minimum image of a separation. Browser-safe.
 */
import { ModelError } from "../../errors.js";
import { CellGrid } from "./cellGrid.js";

/** The minimum image of a separation along an axis of length L (Infinity: open space). */
export function minimumImage(dx: number, L: number): number {
  return L === Infinity ? dx : dx - L * Math.round(dx / L);
}

/** Pairs of particles (indices i[k], j[k] for k < count, each unordered pair once, in no particular order). */
export interface PairsWithin {
  i: Int32Array;
  j: Int32Array;
  count: number;
}

/**
 * Every pair of particles closer than `cutoff` (minimum image), positions row-major N x dim (any periodic image),
 * `box` the side per axis (Infinity: open), in O(N) by a cell grid (an axis with fewer than 3 cells takes all pairs
 * along it). The cutoff must not exceed half a box side (ModelError otherwise).
 */
export function pairsWithin(x: Float64Array, dim: number, box: ArrayLike<number>, cutoff: number): PairsWithin {
  const N = Math.floor(x.length / dim);
  const L = [0, 1, 2].map((k) => (k < dim ? box[k] : Infinity));
  for (let k = 0; k < dim; k++)
    if (!(L[k] > 0)) throw new ModelError(`box sides must be > 0, got ${Array.from(box).join(", ")}`);
  if (!(cutoff > 0) || 2 * cutoff > Math.min(...L))
    throw new ModelError(`cutoff ${cutoff} must be > 0 and at most half the box side`);
  const c2 = cutoff * cutoff;
  let cap = Math.max(16, 8 * N);
  let pi = new Int32Array(cap),
    pj = new Int32Array(cap);
  let count = 0;
  const grid = new CellGrid(dim, L, N);
  grid.sort(x, cutoff, true);
  const { order, start, triples, wx, wy, wz } = grid;
  const [Lx, Ly, Lz] = L;
  for (let m = 0; m < triples.length; m += 3) {
    const c = triples[m],
      self = triples[m + 1] === c;
    const e1 = start[c + 1],
      s2 = start[triples[m + 1]],
      e2 = start[triples[m + 2] + 1];
    for (let u = start[c]; u < e1; u++) {
      const a = order[u];
      for (let v = self ? u + 1 : s2; v < e2; v++) {
        const b = order[v];
        const dx = minimumImage(wx[a] - wx[b], Lx),
          dy = minimumImage(wy[a] - wy[b], Ly),
          dz = minimumImage(wz[a] - wz[b], Lz);
        if (dx * dx + dy * dy + dz * dz >= c2) continue;
        if (count === cap) {
          cap *= 2;
          const ni = new Int32Array(cap),
            nj = new Int32Array(cap);
          ni.set(pi);
          nj.set(pj);
          pi = ni;
          pj = nj;
        }
        pi[count] = a;
        pj[count] = b;
        count++;
      }
    }
  }
  return { i: pi, j: pj, count };
}
