/**
 * Why a network has no unique steady state, in physical terms: an unconfined part (a connected group of sites with
 * no pinning translates freely) or a normal mode that vanishes on every bath site (seed 001, Lemma 1: the span of
 * V^k e_i over bath sites i is not the whole space, so that mode never meets a bath).
 */
import { symmetricEigen } from "../linalg/eigen.js";
import { matrix } from "../linalg/matrix.js";
import type { NetworkModel } from "../model/network.js";
import { potentialMatrix } from "./network.js";

/** Connected groups of sites (through springs) with no pinning at all: each can translate freely. */
export function unpinnedComponents(model: NetworkModel): string[][] {
  const n = model.sites.length;
  const parent = Int32Array.from({ length: n }, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]];
    return k;
  };
  for (const s of model.springs) parent[find(s.i)] = find(s.j);
  const groups = new Map<number, number[]>();
  for (let k = 0; k < n; k++) {
    const r = find(k);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(k);
  }
  const out: string[][] = [];
  for (const members of groups.values()) {
    if (members.every((k) => model.pinning[k] === 0)) out.push(members.map((k) => model.sites[k]));
  }
  return out;
}

export interface DecoupledMode {
  /** Displacement pattern over the sites (largest component 1). */
  shape: Float64Array;
  /** Angular frequency of the undamped mode. */
  frequency: number;
  /** Readable form, e.g. "q3 - q4". */
  description: string;
}

/**
 * Normal modes of the undamped network (V u = omega^2 M u) that vanish on every bath site. Within a degenerate
 * eigenspace, the combinations vanishing on all bath sites are found from the null space of its bath rows.
 */
export function decoupledModes(model: NetworkModel): DecoupledMode[] {
  const n = model.sites.length;
  const V = potentialMatrix(model);
  // Mass-weighted potential: M^-1/2 V M^-1/2.
  const W = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) W.data[i * n + j] = V.data[i * n + j] / Math.sqrt(model.mass[i] * model.mass[j]);
  }
  const { values, vectors } = symmetricEigen(W);
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  const tol = 1e-9 * Math.max(scale, 1e-300);
  const bathSites = model.baths.map((b) => b.site);
  const out: DecoupledMode[] = [];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[end] - values[start] <= tol) end++;
    const d = end - start;
    // G = U_H^T U_H (d x d), U_H = bath rows of the eigenspace's vectors.
    const G = matrix(d, d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
      let s = 0;
      for (const h of bathSites) s += vectors.data[h * n + start + a] * vectors.data[h * n + start + b];
      G.data[a * d + b] = s;
    }
    const g = symmetricEigen(G);
    for (let c = 0; c < d; c++) {
      if (g.values[c] > 1e-16 + 1e-10 * bathSites.length) continue;
      const shape = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += vectors.data[i * n + start + a] * g.vectors.data[a * d + c];
        shape[i] = s / Math.sqrt(model.mass[i]);
      }
      let big = 0;
      for (const x of shape) if (Math.abs(x) > Math.abs(big)) big = x;
      for (let i = 0; i < n; i++) {
        shape[i] /= big;
        if (Math.abs(shape[i]) < 1e-9) shape[i] = 0;
      }
      out.push({ shape, frequency: Math.sqrt(Math.max(values[start], 0)), description: describeShape(model.sites, shape) });
    }
    start = end;
  }
  return out;
}

function describeShape(sites: string[], shape: Float64Array): string {
  const terms: string[] = [];
  shape.forEach((c, i) => {
    if (c === 0) return;
    const mag = Math.abs(c);
    const coef = Math.abs(mag - 1) < 1e-6 ? "" : `${Number(mag.toPrecision(3))} `;
    const sign = c < 0 ? "-" : "+";
    terms.push(`${terms.length === 0 ? (sign === "-" ? "-" : "") : ` ${sign} `}${coef}q[${sites[i]}]`);
  });
  return terms.join("");
}
