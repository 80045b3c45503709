/**
 * Sparse symmetric matrices on a graph (a network's sites and springs): a breadth-first (Cuthill-McKee) ordering
 * from chosen start vertices, the elimination tree and symbolic analysis of an LDL^T factorisation, and numeric
 * LDL^T factorisations without pivoting, complex symmetric (A = A^T, not Hermitian: V - w^2 M - i w Gamma) and real
 * symmetric (V - lambda M, whose inertia counts eigenvalues below lambda).
 *
 * The numeric factorisation is the up-looking (row by row) algorithm of T. A. Davis's LDL package (ACM TOMS 31,
 * 587 (2005)): row k of L is the solution of a sparse triangular system whose pattern is the reach of column k of A
 * in the elimination tree. Here the pattern of every row is computed once (symbolic step) and reused for every
 * frequency, so a numeric factorisation is one pass over the entries of L.
 *
 * No pivoting: the caller orders the matrix so that pivots stay away from zero (for V - w^2 M - i w Gamma, an
 * ordering that starts at the damped sites keeps every pivot's imaginary part strictly negative), and checks the
 * residual of its solves.
 */
import { ChainSweepKernel } from "./chainSweeps.js";
import { MatrixArgumentError } from "./errors.js";

/** Pattern of a symmetric n x n matrix: adjacency lists (no diagonal), CSR. */
export interface SymmetricPattern {
  n: number;
  /** Neighbours of vertex i are idx[ptr[i] .. ptr[i+1]). */
  ptr: Int32Array;
  idx: Int32Array;
  /** edge[q]: the index in the edge list of the edge behind adjacency entry q. */
  edge: Int32Array;
}

/** Pattern from an edge list (pairs i != j, no duplicates). */
export function symmetricPattern(n: number, ei: ArrayLike<number>, ej: ArrayLike<number>): SymmetricPattern {
  const deg = new Int32Array(n);
  for (let k = 0; k < ei.length; k++) {
    deg[ei[k]]++;
    deg[ej[k]]++;
  }
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + deg[i];
  const fill = ptr.slice(0, n);
  const idx = new Int32Array(ptr[n]);
  const edge = new Int32Array(ptr[n]);
  for (let k = 0; k < ei.length; k++) {
    edge[fill[ei[k]]] = k;
    idx[fill[ei[k]]++] = ej[k];
    edge[fill[ej[k]]] = k;
    idx[fill[ej[k]]++] = ei[k];
  }
  return { n, ptr, idx, edge };
}

/**
 * Cuthill-McKee ordering: breadth-first from the start vertices (in the order given), each vertex's unvisited
 * neighbours in increasing degree. Vertices not reached from any start are appended in a breadth-first order of
 * their own (from a vertex of least degree). Returns perm with perm[newIndex] = oldIndex.
 */
export function cuthillMcKee(p: SymmetricPattern, start: readonly number[]): Int32Array {
  const { n, ptr, idx } = p;
  const perm = new Int32Array(n);
  const seen = new Uint8Array(n);
  let head = 0;
  let tail = 0;
  const degree = (v: number) => ptr[v + 1] - ptr[v];
  const visit = (v: number) => {
    seen[v] = 1;
    perm[tail++] = v;
  };
  for (const s of start) if (!seen[s]) visit(s);
  const nbrs: number[] = [];
  for (;;) {
    while (head < tail) {
      const v = perm[head++];
      nbrs.length = 0;
      for (let q = ptr[v]; q < ptr[v + 1]; q++) if (!seen[idx[q]]) nbrs.push(idx[q]);
      nbrs.sort((a, b) => degree(a) - degree(b) || a - b);
      for (const w of nbrs) if (!seen[w]) visit(w);
    }
    if (tail === n) break;
    let best = -1;
    for (let v = 0; v < n; v++) if (!seen[v] && (best < 0 || degree(v) < degree(best))) best = v;
    visit(best);
  }
  return perm;
}

/** Symbolic LDL^T analysis of a symmetric pattern under an ordering. */
export interface SymbolicLdl {
  n: number;
  /** perm[new] = old, iperm[old] = new. */
  perm: Int32Array;
  iperm: Int32Array;
  /** Elimination tree (new indices), -1 at roots. */
  parent: Int32Array;
  /** Column k of L (new indices) has rows Li[Lp[k] .. Lp[k+1]), increasing. */
  Lp: Int32Array;
  Li: Int32Array;
  /**
   * Row k of L: its nonzero columns in the order the up-looking factorisation visits them, rowCols[rowPtr[k] ..
   * rowPtr[k+1]), with the position of each entry in Li/Lx (rowPos).
   */
  rowPtr: Int32Array;
  rowCols: Int32Array;
  rowPos: Int32Array;
  /** Strict upper part of the permuted A by columns: column k has rows Ai[Ap[k] .. Ap[k+1]) < k, and aSrc maps
   * each entry to the position of the edge in the original adjacency (SymmetricPattern.idx) for value lookup. */
  Ap: Int32Array;
  Ai: Int32Array;
  aSrc: Int32Array;
  nnzL: number;
}

/**
 * Elimination tree, row patterns and column structure of L for the pattern under `perm` (perm[new] = old).
 * Memory and time O(nnz(L)).
 */
export function symbolicLdl(p: SymmetricPattern, perm: Int32Array): SymbolicLdl {
  const n = p.n;
  const iperm = new Int32Array(n);
  for (let k = 0; k < n; k++) iperm[perm[k]] = k;
  // Upper part of the permuted matrix by columns (rows < column).
  const count = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) {
    const k = iperm[v];
    for (let q = p.ptr[v]; q < p.ptr[v + 1]; q++) if (iperm[p.idx[q]] < k) count[k + 1]++;
  }
  const Ap = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) Ap[k + 1] = Ap[k] + count[k + 1];
  const Ai = new Int32Array(Ap[n]);
  const aSrc = new Int32Array(Ap[n]);
  const fillA = Ap.slice(0, n);
  for (let v = 0; v < n; v++) {
    const k = iperm[v];
    for (let q = p.ptr[v]; q < p.ptr[v + 1]; q++) {
      const i = iperm[p.idx[q]];
      if (i < k) {
        Ai[fillA[k]] = i;
        aSrc[fillA[k]] = q;
        fillA[k]++;
      }
    }
  }
  // Elimination tree and column counts (LDL's symbolic step).
  const parent = new Int32Array(n).fill(-1);
  const flag = new Int32Array(n).fill(-1);
  const lnz = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    flag[k] = k;
    for (let q = Ap[k]; q < Ap[k + 1]; q++) {
      for (let i = Ai[q]; flag[i] !== k; i = parent[i]) {
        if (parent[i] === -1) parent[i] = k;
        lnz[i]++;
        flag[i] = k;
      }
    }
  }
  const Lp = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) Lp[k + 1] = Lp[k] + lnz[k];
  const nnzL = Lp[n];
  const Li = new Int32Array(nnzL);
  // Row patterns in the visiting order of the numeric step (a topological order of the reach), and positions.
  const rowPtr = new Int32Array(n + 1);
  const rowCols = new Int32Array(nnzL);
  const rowPos = new Int32Array(nnzL);
  const next = Lp.slice(0, n);
  const stack = new Int32Array(n);
  const path = new Int32Array(n);
  flag.fill(-1);
  let r = 0;
  for (let k = 0; k < n; k++) {
    flag[k] = k;
    let top = n;
    for (let q = Ap[k]; q < Ap[k + 1]; q++) {
      let len = 0;
      for (let i = Ai[q]; flag[i] !== k; i = parent[i]) {
        path[len++] = i;
        flag[i] = k;
      }
      while (len > 0) stack[--top] = path[--len];
    }
    rowPtr[k] = r;
    for (let t = top; t < n; t++) {
      const i = stack[t];
      rowCols[r] = i;
      rowPos[r] = next[i];
      Li[next[i]++] = k;
      r++;
    }
  }
  rowPtr[n] = r;
  return { n, perm, iperm, parent, Lp, Li, rowPtr, rowCols, rowPos, Ap, Ai, aSrc, nnzL };
}

/** Workspace and values of a complex symmetric LDL^T factorisation (reused across frequencies). */
export class ComplexLdl {
  readonly Lr: Float64Array;
  readonly Li: Float64Array;
  readonly Dr: Float64Array;
  readonly Di: Float64Array;
  private readonly yr: Float64Array;
  private readonly yi: Float64Array;

  constructor(readonly sym: SymbolicLdl) {
    this.Lr = new Float64Array(sym.nnzL);
    this.Li = new Float64Array(sym.nnzL);
    this.Dr = new Float64Array(sym.n);
    this.Di = new Float64Array(sym.n);
    this.yr = new Float64Array(sym.n);
    this.yi = new Float64Array(sym.n);
  }

  /**
   * Factorises A with diagonal (diagRe + i diagIm)[old index] and real off-diagonal values offValue[q] for the
   * adjacency entry q of the pattern. Returns the smallest |pivot| relative to the largest |diagonal|.
   */
  factor(diagRe: Float64Array, diagIm: Float64Array, offValue: Float64Array): number {
    const s = this.sym;
    const { n, perm, Ap, Ai, aSrc, rowPtr, rowCols, rowPos, Lp } = s;
    const Lr = this.Lr,
      Lim = this.Li,
      Dr = this.Dr,
      Di = this.Di,
      yr = this.yr,
      yi = this.yi;
    const Lrow = s.Li;
    let minPivot = Infinity;
    let maxDiag = 0;
    for (let k = 0; k < n; k++) {
      for (let q = Ap[k]; q < Ap[k + 1]; q++) yr[Ai[q]] = offValue[aSrc[q]];
      let dr = diagRe[perm[k]];
      let di = diagIm[perm[k]];
      maxDiag = Math.max(maxDiag, Math.abs(dr) + Math.abs(di));
      for (let r = rowPtr[k]; r < rowPtr[k + 1]; r++) {
        const i = rowCols[r];
        const ar = yr[i];
        const ai = yi[i];
        yr[i] = 0;
        yi[i] = 0;
        // y[Li[p]] -= L[p] * y_i over the entries of column i above row k.
        const end = rowPos[r];
        for (let p = Lp[i]; p < end; p++) {
          const j = Lrow[p];
          const lr = Lr[p];
          const li = Lim[p];
          yr[j] -= lr * ar - li * ai;
          yi[j] -= lr * ai + li * ar;
        }
        // l = y_i / D_i; D_k -= l * y_i.
        const pr = Dr[i];
        const pi = Di[i];
        const den = pr * pr + pi * pi;
        const lr = (ar * pr + ai * pi) / den;
        const li = (ai * pr - ar * pi) / den;
        dr -= lr * ar - li * ai;
        di -= lr * ai + li * ar;
        Lr[end] = lr;
        Lim[end] = li;
      }
      Dr[k] = dr;
      Di[k] = di;
      minPivot = Math.min(minPivot, Math.abs(dr) + Math.abs(di));
    }
    return minPivot / maxDiag;
  }

  /**
   * Forward solve L y = e_b (b an old index): y is nonzero only on the path from b to the root of the elimination
   * tree. Writes the path (new indices, ascending) into `path` and y along it into (yr, yi); returns its length.
   * With A = L D L^T (complex symmetric), (A^-1)_bc = sum over the common path of y_b y_c / D: an entry of the inverse
   * needs no back-substitution. (wr, wi): zeroed scratch of length n, left zeroed.
   */
  forwardPath(
    b: number,
    path: Int32Array,
    yr: Float64Array,
    yi: Float64Array,
    wr: Float64Array,
    wi: Float64Array,
  ): number {
    const { iperm, parent, Lp, Li: Lrow } = this.sym;
    const Lr = this.Lr,
      Lim = this.Li;
    let len = 0;
    const start = iperm[b];
    wr[start] = 1;
    for (let j = start; j !== -1; j = parent[j]) {
      const ar = wr[j];
      const ai = wi[j];
      wr[j] = 0;
      wi[j] = 0;
      path[len] = j;
      yr[len] = ar;
      yi[len] = ai;
      len++;
      if (ar === 0 && ai === 0) continue;
      for (let p = Lp[j]; p < Lp[j + 1]; p++) {
        const i = Lrow[p];
        wr[i] -= Lr[p] * ar - Lim[p] * ai;
        wi[i] -= Lr[p] * ai + Lim[p] * ar;
      }
    }
    return len;
  }

  /** (A^-1)_bc from two forward paths (see forwardPath), as [re, im]. */
  inverseEntry(
    pb: Int32Array,
    yrb: Float64Array,
    yib: Float64Array,
    nb: number,
    pc: Int32Array,
    yrc: Float64Array,
    yic: Float64Array,
    nc: number,
  ): [number, number] {
    const Dr = this.Dr,
      Di = this.Di;
    let sr = 0;
    let si = 0;
    let u = 0;
    let v = 0;
    while (u < nb && v < nc) {
      if (pb[u] < pc[v]) u++;
      else if (pb[u] > pc[v]) v++;
      else {
        const j = pb[u];
        // y_b y_c / D_j
        const pr = yrb[u] * yrc[v] - yib[u] * yic[v];
        const pi = yrb[u] * yic[v] + yib[u] * yrc[v];
        const den = Dr[j] * Dr[j] + Di[j] * Di[j];
        sr += (pr * Dr[j] + pi * Di[j]) / den;
        si += (pi * Dr[j] - pr * Di[j]) / den;
        u++;
        v++;
      }
    }
    return [sr, si];
  }

  /**
   * Solves A x = e_b (b an old index) into (xr, xi), in old (site) order. `work` arrays of length n are scratch.
   */
  solveUnit(b: number, xr: Float64Array, xi: Float64Array, wr: Float64Array, wi: Float64Array): void {
    const { n, perm, iperm, parent, Lp, Li: Lrow } = this.sym;
    const Lr = this.Lr,
      Lim = this.Li,
      Dr = this.Dr,
      Di = this.Di;
    wr.fill(0);
    wi.fill(0);
    const start = iperm[b];
    wr[start] = 1;
    // Forward: only the ancestors of `start` in the elimination tree become nonzero.
    for (let j = start; j !== -1; j = parent[j]) {
      const ar = wr[j];
      const ai = wi[j];
      if (ar === 0 && ai === 0) continue;
      for (let p = Lp[j]; p < Lp[j + 1]; p++) {
        const i = Lrow[p];
        wr[i] -= Lr[p] * ar - Lim[p] * ai;
        wi[i] -= Lr[p] * ai + Lim[p] * ar;
      }
    }
    for (let j = start; j !== -1; j = parent[j]) {
      const ar = wr[j];
      const ai = wi[j];
      const pr = Dr[j];
      const pi = Di[j];
      const den = pr * pr + pi * pi;
      wr[j] = (ar * pr + ai * pi) / den;
      wi[j] = (ai * pr - ar * pi) / den;
    }
    // Backward: x_j -= sum_i L_ij x_i.
    for (let j = n - 1; j >= 0; j--) {
      let sr = wr[j];
      let si = wi[j];
      for (let p = Lp[j]; p < Lp[j + 1]; p++) {
        const i = Lrow[p];
        sr -= Lr[p] * wr[i] - Lim[p] * wi[i];
        si -= Lr[p] * wi[i] + Lim[p] * wr[i];
      }
      wr[j] = sr;
      wi[j] = si;
    }
    for (let k = 0; k < n; k++) {
      xr[perm[k]] = wr[k];
      xi[perm[k]] = wi[k];
    }
  }
}

/** Solves A x = b for a general complex right-hand side (old order); x and b may not alias. */
export function complexLdlSolve(
  ldl: ComplexLdl,
  br: Float64Array,
  bi: Float64Array,
  xr: Float64Array,
  xi: Float64Array,
  wr: Float64Array,
  wi: Float64Array,
): void {
  const { n, perm, Lp, Li: Lrow } = ldl.sym;
  const Lr = ldl.Lr,
    Lim = ldl.Li,
    Dr = ldl.Dr,
    Di = ldl.Di;
  for (let k = 0; k < n; k++) {
    wr[k] = br[perm[k]];
    wi[k] = bi[perm[k]];
  }
  for (let j = 0; j < n; j++) {
    const ar = wr[j];
    const ai = wi[j];
    if (ar === 0 && ai === 0) continue;
    for (let p = Lp[j]; p < Lp[j + 1]; p++) {
      const i = Lrow[p];
      wr[i] -= Lr[p] * ar - Lim[p] * ai;
      wi[i] -= Lr[p] * ai + Lim[p] * ar;
    }
  }
  for (let j = 0; j < n; j++) {
    const ar = wr[j];
    const ai = wi[j];
    const pr = Dr[j];
    const pi = Di[j];
    const den = pr * pr + pi * pi;
    wr[j] = (ar * pr + ai * pi) / den;
    wi[j] = (ai * pr - ar * pi) / den;
  }
  for (let j = n - 1; j >= 0; j--) {
    let sr = wr[j];
    let si = wi[j];
    for (let p = Lp[j]; p < Lp[j + 1]; p++) {
      const i = Lrow[p];
      sr -= Lr[p] * wr[i] - Lim[p] * wi[i];
      si -= Lr[p] * wi[i] + Lim[p] * wr[i];
    }
    wr[j] = sr;
    wi[j] = si;
  }
  for (let k = 0; k < n; k++) {
    xr[perm[k]] = wr[k];
    xi[perm[k]] = wi[k];
  }
}

/** The check of a pivot threshold (RealLdl, BlockLdl): a NaN one would replace every pivot, an infinite one too. */
export function checkTiny(tiny: number): void {
  if (!(tiny >= 0 && tiny < Infinity))
    throw new MatrixArgumentError(`LDL^T: the pivot threshold must be finite and >= 0, got ${String(tiny)}`);
}

/** The error of a NaN pivot (RealLdl, BlockLdl): the inertia count of such a factorisation would be meaningless. */
export function nanPivot(k: number): MatrixArgumentError {
  return new MatrixArgumentError(
    `LDL^T: pivot ${k} is NaN (a NaN entry or shift, or infinite entries that cancel): no inertia count`,
  );
}

/** Workspace and values of a real symmetric LDL^T factorisation. */
export class RealLdl {
  readonly L: Float64Array;
  readonly D: Float64Array;
  private readonly y: Float64Array;
  private readonly w: Float64Array;

  constructor(readonly sym: SymbolicLdl) {
    this.L = new Float64Array(sym.nnzL);
    this.D = new Float64Array(sym.n);
    this.y = new Float64Array(sym.n);
    this.w = new Float64Array(sym.n);
  }

  /**
   * Factorises A with diagonal diag[old] and off-diagonal offValue[q]. A pivot smaller than `tiny` in magnitude is
   * replaced by +tiny (a perturbation of A of that size). Returns the number of negative pivots (by Sylvester's law,
   * the number of negative eigenvalues of A when no pivot was replaced). Throws MatrixArgumentError for a NaN pivot
   * (a NaN entry or shift, or infinite entries that cancel) or a `tiny` that is NaN, negative or infinite: the count
   * would be meaningless.
   */
  factor(diag: Float64Array, offValue: Float64Array, tiny: number): number {
    checkTiny(tiny);
    const s = this.sym;
    const { n, perm, Ap, Ai, aSrc, rowPtr, rowCols, rowPos, Lp } = s;
    const L = this.L,
      D = this.D,
      y = this.y;
    const Lrow = s.Li;
    let negative = 0;
    for (let k = 0; k < n; k++) {
      for (let q = Ap[k]; q < Ap[k + 1]; q++) y[Ai[q]] = offValue[aSrc[q]];
      let d = diag[perm[k]];
      for (let r = rowPtr[k]; r < rowPtr[k + 1]; r++) {
        const i = rowCols[r];
        const a = y[i];
        y[i] = 0;
        const end = rowPos[r];
        for (let p = Lp[i]; p < end; p++) y[Lrow[p]] -= L[p] * a;
        const l = a / D[i];
        d -= l * a;
        L[end] = l;
      }
      if (!(Math.abs(d) >= tiny)) {
        if (d !== d) throw nanPivot(k);
        d = tiny;
      }
      D[k] = d;
      if (d < 0) negative++;
    }
    return negative;
  }

  /** Solves A x = b (old order, in place allowed: b and x may be the same array). */
  solve(b: Float64Array, x: Float64Array): void {
    const { n, perm, Lp, Li: Lrow } = this.sym;
    const L = this.L,
      D = this.D,
      w = this.w;
    for (let k = 0; k < n; k++) w[k] = b[perm[k]];
    for (let j = 0; j < n; j++) {
      const a = w[j];
      if (a === 0) continue;
      for (let p = Lp[j]; p < Lp[j + 1]; p++) w[Lrow[p]] -= L[p] * a;
    }
    for (let j = 0; j < n; j++) w[j] /= D[j];
    for (let j = n - 1; j >= 0; j--) {
      let s = w[j];
      for (let p = Lp[j]; p < Lp[j + 1]; p++) s -= L[p] * w[Lrow[p]];
      w[j] = s;
    }
    for (let k = 0; k < n; k++) x[perm[k]] = w[k];
  }
}

/**
 * Two-terminal chains: the entries G_00, G_nn and G_0n (the two ends, n = N - 1) of the inverse of a complex
 * symmetric tridiagonal matrix A whose diagonal is real except at the two ends (a chain damped at its ends only:
 * V - w^2 M - i w Gamma), O(N) operations and no allocation per frequency (the general sparse LDL^T costs several
 * times more per site through its index arrays).
 *
 * The pivots of A = L D L^T eliminated from one damped end, f_k = a_k - b_(k-1)^2 / f_(k-1), keep Im f_k < 0 (the
 * damping reaches every pivot), so none comes near zero, also at the narrow resonances of modes localised far from
 * the ends; the determinant recurrence (d_k = a_k d_(k-1) - b^2 d_(k-2)) would lose them to cancellation there. Then
 * G_nn = 1 / f_n and G_0n = G_nn prod_(k<n) (-b_k / f_k) (the product kept as mantissa and power of 2); the pivots
 * from the other end give G_00. A non-finite result is reported to the caller by non-finite g** fields.
 */
export class ChainGreen {
  readonly n: number;
  /** Sites along the chain, from one end to the other. */
  readonly order: Int32Array;
  /** The off-diagonal entries along the chain and their squares. */
  private readonly off: Float64Array;
  private readonly b2: Float64Array;
  /** Results of the last evaluate(): [re, im] of G_00, G_nn, G_0n. */
  g00re = 0;
  g00im = 0;
  gnnre = 0;
  gnnim = 0;
  g0nre = 0;
  g0nim = 0;

  /**
   * order: the N >= 1 sites along the chain; off: A_(order[k], order[k+1]) for k < N - 1 (nonzero). With N = 1 the
   * one site is both ends (its diagonal gets i alpha + i beta).
   */
  constructor(order: Int32Array, off: Float64Array) {
    this.n = order.length;
    if (this.n < 1 || off.length !== this.n - 1)
      throw new Error("ChainGreen: a chain of at least one site and N - 1 couplings");
    this.order = order;
    this.off = off;
    this.b2 = off.map((b) => b * b);
  }

  /**
   * The diagonal a_k = v[k] - w2 m[k] along the chain (real parts; v, m indexed along the chain, not by site), plus
   * i alpha at order[0] and i beta at order[N - 1] (alpha, beta < 0; both at the one site when N = 1). Sets the g**
   * fields; with first = false, G_00 is not computed (set to 0: one sweep instead of two).
   */
  evaluate(v: Float64Array, m: Float64Array, w2: number, alpha: number, beta: number, first = true): void {
    const { n, b2, off } = this;
    // Forward pivots f_k = a_k - b_(k-1)^2 / f_(k-1) from the damped end (Im f_k < 0 throughout: no cancellation),
    // carrying p = prod_(j<k) (-b_j / f_j) as mantissa and power of 2.
    let fRe = v[0] - w2 * m[0];
    let fIm = n === 1 ? alpha + beta : alpha;
    let pRe = 1;
    let pIm = 0;
    let log2p = 0;
    for (let k = 1; k < n; k++) {
      // 1 / f_(k-1)
      const d = 1 / (fRe * fRe + fIm * fIm);
      const iRe = fRe * d;
      const iIm = -fIm * d;
      // p *= -b_(k-1) / f_(k-1)
      const c = -off[k - 1];
      const nRe = c * (pRe * iRe - pIm * iIm);
      pIm = c * (pRe * iIm + pIm * iRe);
      pRe = nRe;
      const s = b2[k - 1];
      fRe = v[k] - w2 * m[k] - s * iRe;
      fIm = (k === n - 1 ? beta : 0) - s * iIm;
      if ((k & 7) === 0) {
        const big = Math.max(Math.abs(pRe), Math.abs(pIm));
        if (big > 2 ** 200 || (big < 2 ** -200 && big > 0)) {
          const e = Math.floor(Math.log2(big));
          const f = 2 ** -e;
          pRe *= f;
          pIm *= f;
          log2p += e;
        }
      }
    }
    // G_nn = 1 / f_n; G_0n = p G_nn.
    let d = 1 / (fRe * fRe + fIm * fIm);
    this.gnnre = fRe * d;
    this.gnnim = -fIm * d;
    const scale = 2 ** log2p;
    this.g0nre = scale * (pRe * this.gnnre - pIm * this.gnnim);
    this.g0nim = scale * (pRe * this.gnnim + pIm * this.gnnre);
    if (!first) {
      this.g00re = this.g00im = 0;
      return;
    }
    // Backward pivots for G_00 = 1 / g_0.
    let gRe = v[n - 1] - w2 * m[n - 1];
    let gIm = n === 1 ? alpha + beta : beta;
    for (let k = n - 2; k >= 0; k--) {
      d = 1 / (gRe * gRe + gIm * gIm);
      const s = b2[k];
      gRe = v[k] - w2 * m[k] - s * gRe * d;
      gIm = (k === 0 ? alpha : 0) + s * gIm * d;
    }
    d = 1 / (gRe * gRe + gIm * gIm);
    this.g00re = gRe * d;
    this.g00im = -gIm * d;
  }

  /** Scratch of backwardError: pivots and a column of G (allocated at its first call). */
  private work?: { fr: Float64Array; fi: Float64Array; xr: Float64Array; xi: Float64Array };

  /**
   * The normwise backward error of the last evaluate() (same arguments): the last column of G (and with first, the
   * first) by back-substitution through the same pivots, x_(n-1) = 1 / f_(n-1), x_k = -b_k x_(k+1) / f_k, its
   * residual r = A x - e against max|r| / (||A|| max|x| + 1) (the measure of the sparse solves' check, |re| + |im|),
   * and the entries evaluate() returned against that column's from the same pivots (relative to max|x|: G_nn and
   * G_00 to the bit, G_0n the same product in another order). O(N); for checks at a few frequencies.
   */
  backwardError(v: Float64Array, m: Float64Array, w2: number, alpha: number, beta: number, first = true): number {
    const { n, b2, off } = this;
    const W = (this.work ??= {
      fr: new Float64Array(n),
      fi: new Float64Array(n),
      xr: new Float64Array(n),
      xi: new Float64Array(n),
    });
    const { fr, fi, xr, xi } = W;
    let worst = 0;
    for (let pass = 0; pass < (first ? 2 : 1); pass++) {
      const fromEnd = pass === 1;
      // Pivots eliminated towards site t (the last, or with fromEnd the first); the column of G at t. The arithmetic
      // of evaluate(), operation for operation (the same pivots to the bit); the loops run by direction (no index
      // map per site).
      const t = fromEnd ? 0 : n - 1;
      if (!fromEnd) {
        fr[0] = v[0] - w2 * m[0];
        fi[0] = n === 1 ? alpha + beta : alpha;
        for (let k = 1; k < n; k++) {
          const d = 1 / (fr[k - 1] * fr[k - 1] + fi[k - 1] * fi[k - 1]);
          const s = b2[k - 1];
          const iRe = fr[k - 1] * d;
          const iIm = -fi[k - 1] * d;
          fr[k] = v[k] - w2 * m[k] - s * iRe;
          fi[k] = (k === n - 1 ? beta : 0) - s * iIm;
        }
      } else {
        fr[n - 1] = v[n - 1] - w2 * m[n - 1];
        fi[n - 1] = n === 1 ? alpha + beta : beta;
        for (let k = n - 2; k >= 0; k--) {
          const d = 1 / (fr[k + 1] * fr[k + 1] + fi[k + 1] * fi[k + 1]);
          const s = b2[k];
          fr[k] = v[k] - w2 * m[k] - s * fr[k + 1] * d;
          fi[k] = (k === 0 ? alpha : 0) + s * fi[k + 1] * d;
        }
      }
      let d = 1 / (fr[t] * fr[t] + fi[t] * fi[t]);
      xr[t] = fr[t] * d;
      xi[t] = -fi[t] * d;
      // x_k = c x_q / f_k, q the site before k towards t, c = -b between them.
      if (!fromEnd) {
        for (let k = n - 2; k >= 0; k--) {
          const c = -off[k];
          d = 1 / (fr[k] * fr[k] + fi[k] * fi[k]);
          const ar = c * xr[k + 1];
          const ai = c * xi[k + 1];
          xr[k] = (ar * fr[k] + ai * fi[k]) * d;
          xi[k] = (ai * fr[k] - ar * fi[k]) * d;
        }
      } else {
        for (let k = 1; k < n; k++) {
          const c = -off[k - 1];
          d = 1 / (fr[k] * fr[k] + fi[k] * fi[k]);
          const ar = c * xr[k - 1];
          const ai = c * xi[k - 1];
          xr[k] = (ar * fr[k] + ai * fi[k]) * d;
          xi[k] = (ai * fr[k] - ar * fi[k]) * d;
        }
      }
      let rmax = 0;
      let xmax = 0;
      let amax = 0;
      for (let k = 0; k < n; k++) {
        const damp = n === 1 ? alpha + beta : k === 0 ? alpha : k === n - 1 ? beta : 0;
        const aRe = v[k] - w2 * m[k];
        let rr = aRe * xr[k] - damp * xi[k];
        let ri = aRe * xi[k] + damp * xr[k];
        let arow = Math.abs(aRe) + Math.abs(damp);
        if (k > 0) {
          rr += off[k - 1] * xr[k - 1];
          ri += off[k - 1] * xi[k - 1];
          arow += Math.abs(off[k - 1]);
        }
        if (k + 1 < n) {
          rr += off[k] * xr[k + 1];
          ri += off[k] * xi[k + 1];
          arow += Math.abs(off[k]);
        }
        if (k === t) rr -= 1;
        rmax = Math.max(rmax, Math.abs(rr) + Math.abs(ri));
        xmax = Math.max(xmax, Math.abs(xr[k]) + Math.abs(xi[k]));
        amax = Math.max(amax, arow);
      }
      // The entries returned against the column's from the same pivots: the diagonal one at t, and (the last column)
      // G_0n, the same product in another order. (G_0n from the first column's pivots is another elimination: at a
      // frequency on a narrow peak the two differ by up to eps times the condition number, both backward stable.)
      const diag = t === 0 ? [this.g00re, this.g00im] : [this.gnnre, this.gnnim];
      let diff = Math.abs(diag[0] - xr[t]) + Math.abs(diag[1] - xi[t]);
      if (t !== 0) diff = Math.max(diff, Math.abs(this.g0nre - xr[0]) + Math.abs(this.g0nim - xi[0]));
      const r = Math.max(rmax / (amax * xmax + 1), diff / Math.max(xmax, 1e-300));
      worst = Number.isNaN(r) ? Infinity : Math.max(worst, r);
    }
    return worst;
  }
}

/**
 * ChainPencil.sweepLanes and countLanes: shifts swept together in one pass (eight: four f64x2 vectors in the
 * WebAssembly kernels, two passes of four in JavaScript).
 */
export const SWEEP_LANES = 8;
/**
 * ChainPencil.complexSweepLanes: frequencies swept together in one pass (eight: four pairs of f64x2 vectors in the
 * WebAssembly kernel, two passes of four in JavaScript).
 */
export const POLE_LANES = 8;

/** countLanes' exponent split (JavaScript kernel): SPLIT[0] is the double split, SPLIT_HI its high word. */
const SPLIT = new Float64Array(1);
const SPLIT_HI = new Uint32Array(SPLIT.buffer);
const HI_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The biased exponent of |p| (p normal, not zero); leaves p's mantissa in [1, 2) in SPLIT[0]: the bit operations of
 * the WebAssembly kernel's split, so that both give the same ln |det| to the bit.
 */
function splitExponent(p: number): number {
  SPLIT[0] = p;
  const hi = SPLIT_HI[HI_WORD];
  SPLIT_HI[HI_WORD] = (hi & 0x000fffff) | 0x3ff00000;
  return (hi >>> 20) & 0x7ff;
}

/**
 * Whether lanes 4..7 repeat lane 3's input (padding after the last lane in use): the JavaScript lane kernels then
 * copy lane 3's results there instead of sweeping them. Every other second half is swept: the callers may leave any
 * lanes free (a mode or pole done in lane 2 while lane 6 still iterates), and the results of all eight lanes are
 * those of the WebAssembly kernels, which always sweep eight (a half skipped by a count of lanes in use left lane
 * 6's results stale, read as a new sweep's).
 */
function padded(x: Float64Array): boolean {
  for (let l = 4; l < 8; l++) if (!Object.is(x[l], x[3])) return false;
  return true;
}

/**
 * The real symmetric tridiagonal pencil A(lambda) = V - lambda M of a chain (V, M along the chain; M diagonal):
 * the pivots r_k = a_k - b_(k-1)^2 / r_(k-1) of its LDL^T (Sturm sequence: the number of negative pivots is the
 * number of eigenvalues below lambda) and their derivatives in lambda, r_k' = -m_k + b_(k-1)^2 r'_(k-1) / r_(k-1)^2,
 * in one O(N) sweep without allocation. From them: the logarithmic derivative det' / det = sum r_k' / r_k (a Newton
 * step towards an eigenvalue), and at an eigenvalue the squared end component of its M-normalised eigenvector,
 * u_end^2 = -det A[..n-1] / det' (the residue of (V - lambda M)^-1 at the end site), from the sweep towards that end.
 */
export class ChainPencil {
  readonly n: number;
  private readonly v: Float64Array;
  private readonly m: Float64Array;
  private readonly b2: Float64Array;
  /** A pivot smaller than this in magnitude is replaced by -tiny (as RealLdl, a perturbation of that size). */
  readonly tiny: number;
  counts = 0;
  /** Results of the last sweep: negative pivots, det'/det, and u_end^2 (meaningful at an eigenvalue). */
  negative = 0;
  logDerivative = 0;
  /** -(det'/det)' = sum over the eigenvalues mu (weighted as roots of det) of 1 / (lambda - mu)^2 (Laguerre). */
  logCurvature = 0;
  endWeight = 0;
  /** r'' of the last pivot (see lanes.endCurvature). */
  endCurvature = 0;

  /** The WebAssembly kernels of the lane sweeps (chainSweeps.ts; the same results), or undefined: JavaScript. */
  private readonly kernel: ChainSweepKernel | undefined;

  /**
   * v, m: diagonals along the chain; off: the off-diagonal entries of V along the chain. kernels "js": the
   * JavaScript lane sweeps even where the WebAssembly ones run (the tests' cross-check).
   */
  constructor(v: Float64Array, m: Float64Array, off: Float64Array, kernels: "auto" | "js" = "auto") {
    this.n = v.length;
    this.v = v;
    this.m = m;
    this.b2 = off.map((b) => b * b);
    let scale = 0;
    for (const x of v) scale = Math.max(scale, Math.abs(x));
    this.tiny = 1e-15 * scale;
    this.kernel = kernels === "js" ? undefined : ChainSweepKernel.for(v, m, this.b2, this.tiny);
  }

  /** Which kernels the lane sweeps run. */
  get kernels(): "wasm" | "js" {
    return this.kernel ? "wasm" : "js";
  }

  /** Number of eigenvalues of (V, M) below lambda. */
  count(lambda: number): number {
    const { n, v, m, b2, tiny } = this;
    let neg = 0;
    let r = 1;
    let s = 0;
    for (let k = 0; k < n; k++) {
      r = v[k] - lambda * m[k] - s / r;
      if (!(r >= tiny || r <= -tiny)) r = tiny;
      if (r < 0) neg++;
      if (k + 1 < n) s = b2[k];
    }
    this.counts++;
    return neg;
  }

  /**
   * Growth of the undamped solution started at one end: with psi_1 = 1 at the first site of the sweep (reverse: the
   * last site) and the three-term recurrence of (V - lambda M) psi = 0 continued along the chain, returns
   * ln max_x |psi_x| (>= 0) in `growthLog` and the number of eigenvalues below lambda in `negative` (the pivots
   * are the same). |psi_(k+1)| = |D_k| / prod_(j <= k) |b_j| with D_k the leading determinant, D_k / D_(k-1) the
   * pivot: one pass, no logarithm per site (mantissa and power of 2).
   */
  growth(lambda: number, reverse = false): number {
    const { n, v, m, b2, tiny } = this;
    let neg = 0;
    let r = 1;
    let s = 0;
    // |psi| = p 2^e; cap = 2^(best - e): p above it is a new maximum.
    let p = 1;
    let e = 0;
    let best = 0;
    let cap = 1;
    const step = reverse ? -1 : 1;
    let k = reverse ? n - 1 : 0;
    for (let j = 0; j < n; j++, k += step) {
      r = v[k] - lambda * m[k] - s / r;
      if (!(r >= tiny || r <= -tiny)) r = tiny;
      if (r < 0) neg++;
      if (j + 1 === n) break;
      s = b2[reverse ? k - 1 : k];
      p *= Math.abs(r) / Math.sqrt(s);
      if (p > cap) {
        best = e + Math.log2(p);
        cap = p;
      }
      if (p > 2 ** 256 || p < 2 ** -256) {
        const x = Math.floor(Math.log2(p));
        p *= 2 ** -x;
        e += x;
        cap = 2 ** Math.min(best - e, 1000);
      }
    }
    this.counts++;
    this.negative = neg;
    return best * Math.LN2;
  }

  /**
   * `growth` at SWEEP_LANES shifts (lanes.growth, lanes.negative): the same values to the bit, eight in one pass of
   * the WebAssembly kernel where it runs (its rare rescaling steps call JavaScript's log2 and power); `used` lanes
   * are counted.
   */
  growthLanes(lambdas: Float64Array, reverse: boolean, used: number): void {
    if (this.kernel) this.kernel.growthLanes(lambdas, reverse, this.lanes.negative, this.lanes.growth);
    else
      for (let l = 0; l < SWEEP_LANES; l++) {
        if (l > 0 && Object.is(lambdas[l], lambdas[l - 1])) {
          // A padding lane (the shift of the lane before it): the same results without the sweep.
          this.lanes.growth[l] = this.lanes.growth[l - 1];
          this.lanes.negative[l] = this.lanes.negative[l - 1];
          continue;
        }
        this.lanes.growth[l] = this.growth(lambdas[l], reverse);
        this.lanes.negative[l] = this.negative;
        this.counts--;
      }
    this.counts += used;
  }

  /** A sweep with derivatives, from the first site (reverse: from the last), setting the result fields. */
  sweep(lambda: number, reverse = false): void {
    const { n, v, m, b2, tiny } = this;
    let neg = 0;
    // q = 1 / r of the previous pivot (one division per site); d, e: r' and r''.
    let q = 0;
    let r = 1;
    let d = 0;
    let e = 0;
    let logDer = 0;
    let curv = 0;
    let prevLogDer = 0;
    const step = reverse ? -1 : 1;
    let k = reverse ? n - 1 : 0;
    // Coupling to the previous site of the sweep: b2[k - 1] forwards, b2[k] backwards.
    let s = 0;
    for (let j = 0; j < n; j++, k += step) {
      const rn = v[k] - lambda * m[k] - s * q;
      // r_k' = -m_k + s r'_(k-1) / r_(k-1)^2, r_k'' = s (r''_(k-1) / r_(k-1)^2 - 2 r'_(k-1)^2 / r_(k-1)^3).
      const q2 = q * q;
      e = s * q2 * (e - 2 * d * d * q);
      d = -m[k] + s * d * q2;
      r = rn >= tiny || rn <= -tiny ? rn : tiny;
      q = 1 / r;
      if (r < 0) neg++;
      prevLogDer = logDer;
      const t = d * q;
      logDer += t;
      curv += t * t - e * q;
      if (j + 1 < n) s = b2[reverse ? k - 1 : k];
    }
    this.counts++;
    this.negative = neg;
    this.logDerivative = logDer;
    this.logCurvature = curv;
    // det' / det[..n-1] = r_n' + r_n (det[..n-1])' / det[..n-1].
    this.endWeight = -1 / (d + r * prevLogDer);
    this.endCurvature = e;
  }

  /**
   * SWEEP_LANES sweeps with derivatives at independent shifts in one pass (the same arithmetic as `sweep`, lane by
   * lane, so the results are identical to eight calls): the recurrences are latency-bound on their division, and
   * independent ones interleaved keep the divider busy. lambdas[0..7] in, lane results in `lanes`, every lane's set
   * (the lanes in use may be any of the eight; see `padded`); `used` lanes are counted in `counts`.
   */
  sweepLanes(lambdas: Float64Array, reverse: boolean, used: number): void {
    if (this.kernel) {
      this.kernel.sweepLanes(lambdas, reverse, this.lanes);
    } else {
      this.sweep4(lambdas, reverse, 0);
      if (padded(lambdas)) {
        const o = this.lanes;
        for (let l = 4; l < SWEEP_LANES; l++) {
          o.negative[l] = o.negative[3];
          o.logDerivative[l] = o.logDerivative[3];
          o.logCurvature[l] = o.logCurvature[3];
          o.endWeight[l] = o.endWeight[3];
          o.endCurvature[l] = o.endCurvature[3];
          o.endSlope[l] = o.endSlope[3];
        }
      } else this.sweep4(lambdas, reverse, 4);
    }
    this.counts += used;
  }

  /**
   * The end weights of sweepLanes only (lanes.endWeight and lanes.endCurvature; the other lane results are not set):
   * the same values to the bit, by a reduced kernel (no Laguerre curvature, no count) where WebAssembly runs; `used`
   * lanes are counted.
   */
  endWeightLanes(lambdas: Float64Array, reverse: boolean, used: number): void {
    if (this.kernel) {
      this.kernel.endWeightLanes(lambdas, reverse, this.lanes.endWeight, this.lanes.endCurvature, this.lanes.endSlope);
      this.counts += used;
    } else this.sweepLanes(lambdas, reverse, used);
  }

  /**
   * The counts and end slopes of sweepLanes only (lanes.negative and lanes.endSlope; the other lane results are not
   * set): the same values to the bit, by a reduced kernel (the pivots and r' only) where WebAssembly runs; `used`
   * lanes are counted.
   */
  slopeLanes(lambdas: Float64Array, reverse: boolean, used: number): void {
    if (this.kernel) {
      this.kernel.slopeLanes(lambdas, reverse, this.lanes.negative, this.lanes.endSlope);
      this.counts += used;
    } else this.sweepLanes(lambdas, reverse, used);
  }

  /** Four lanes of sweepLanes in JavaScript: lambdas[o..o + 3] into lanes o..o + 3. */
  private sweep4(lambdas: Float64Array, reverse: boolean, o: number): void {
    const { n, v, m, b2, tiny } = this;
    const l0 = lambdas[o];
    let q0 = 0,
      r0 = 1,
      d0 = 0,
      e0 = 0,
      ld0 = 0,
      cv0 = 0,
      pl0 = 0,
      ng0 = 0;
    const l1 = lambdas[o + 1];
    let q1 = 0,
      r1 = 1,
      d1 = 0,
      e1 = 0,
      ld1 = 0,
      cv1 = 0,
      pl1 = 0,
      ng1 = 0;
    const l2 = lambdas[o + 2];
    let q2 = 0,
      r2 = 1,
      d2 = 0,
      e2 = 0,
      ld2 = 0,
      cv2 = 0,
      pl2 = 0,
      ng2 = 0;
    const l3 = lambdas[o + 3];
    let q3 = 0,
      r3 = 1,
      d3 = 0,
      e3 = 0,
      ld3 = 0,
      cv3 = 0,
      pl3 = 0,
      ng3 = 0;
    let s = 0;
    // One loop per direction (constant index arithmetic in the loop).
    if (reverse) {
      for (let k = n - 1; k >= 0; k--) {
        const vk = v[k];
        const mk = m[k];
        const rn0 = vk - l0 * mk - s * q0;
        const qq0 = q0 * q0;
        e0 = s * qq0 * (e0 - 2 * d0 * d0 * q0);
        d0 = -mk + s * d0 * qq0;
        r0 = rn0 >= tiny || rn0 <= -tiny ? rn0 : tiny;
        q0 = 1 / r0;
        if (r0 < 0) ng0++;
        pl0 = ld0;
        const t0 = d0 * q0;
        ld0 += t0;
        cv0 += t0 * t0 - e0 * q0;
        const rn1 = vk - l1 * mk - s * q1;
        const qq1 = q1 * q1;
        e1 = s * qq1 * (e1 - 2 * d1 * d1 * q1);
        d1 = -mk + s * d1 * qq1;
        r1 = rn1 >= tiny || rn1 <= -tiny ? rn1 : tiny;
        q1 = 1 / r1;
        if (r1 < 0) ng1++;
        pl1 = ld1;
        const t1 = d1 * q1;
        ld1 += t1;
        cv1 += t1 * t1 - e1 * q1;
        const rn2 = vk - l2 * mk - s * q2;
        const qq2 = q2 * q2;
        e2 = s * qq2 * (e2 - 2 * d2 * d2 * q2);
        d2 = -mk + s * d2 * qq2;
        r2 = rn2 >= tiny || rn2 <= -tiny ? rn2 : tiny;
        q2 = 1 / r2;
        if (r2 < 0) ng2++;
        pl2 = ld2;
        const t2 = d2 * q2;
        ld2 += t2;
        cv2 += t2 * t2 - e2 * q2;
        const rn3 = vk - l3 * mk - s * q3;
        const qq3 = q3 * q3;
        e3 = s * qq3 * (e3 - 2 * d3 * d3 * q3);
        d3 = -mk + s * d3 * qq3;
        r3 = rn3 >= tiny || rn3 <= -tiny ? rn3 : tiny;
        q3 = 1 / r3;
        if (r3 < 0) ng3++;
        pl3 = ld3;
        const t3 = d3 * q3;
        ld3 += t3;
        cv3 += t3 * t3 - e3 * q3;
        if (k > 0) s = b2[k - 1];
      }
    } else {
      for (let k = 0; k < n; k++) {
        const vk = v[k];
        const mk = m[k];
        const rn0 = vk - l0 * mk - s * q0;
        const qq0 = q0 * q0;
        e0 = s * qq0 * (e0 - 2 * d0 * d0 * q0);
        d0 = -mk + s * d0 * qq0;
        r0 = rn0 >= tiny || rn0 <= -tiny ? rn0 : tiny;
        q0 = 1 / r0;
        if (r0 < 0) ng0++;
        pl0 = ld0;
        const t0 = d0 * q0;
        ld0 += t0;
        cv0 += t0 * t0 - e0 * q0;
        const rn1 = vk - l1 * mk - s * q1;
        const qq1 = q1 * q1;
        e1 = s * qq1 * (e1 - 2 * d1 * d1 * q1);
        d1 = -mk + s * d1 * qq1;
        r1 = rn1 >= tiny || rn1 <= -tiny ? rn1 : tiny;
        q1 = 1 / r1;
        if (r1 < 0) ng1++;
        pl1 = ld1;
        const t1 = d1 * q1;
        ld1 += t1;
        cv1 += t1 * t1 - e1 * q1;
        const rn2 = vk - l2 * mk - s * q2;
        const qq2 = q2 * q2;
        e2 = s * qq2 * (e2 - 2 * d2 * d2 * q2);
        d2 = -mk + s * d2 * qq2;
        r2 = rn2 >= tiny || rn2 <= -tiny ? rn2 : tiny;
        q2 = 1 / r2;
        if (r2 < 0) ng2++;
        pl2 = ld2;
        const t2 = d2 * q2;
        ld2 += t2;
        cv2 += t2 * t2 - e2 * q2;
        const rn3 = vk - l3 * mk - s * q3;
        const qq3 = q3 * q3;
        e3 = s * qq3 * (e3 - 2 * d3 * d3 * q3);
        d3 = -mk + s * d3 * qq3;
        r3 = rn3 >= tiny || rn3 <= -tiny ? rn3 : tiny;
        q3 = 1 / r3;
        if (r3 < 0) ng3++;
        pl3 = ld3;
        const t3 = d3 * q3;
        ld3 += t3;
        cv3 += t3 * t3 - e3 * q3;
        if (k + 1 < n) s = b2[k];
      }
    }
    const out = this.lanes;
    out.negative[o] = ng0;
    out.logDerivative[o] = ld0;
    out.logCurvature[o] = cv0;
    out.endWeight[o] = -1 / (d0 + r0 * pl0);
    out.endCurvature[o] = e0;
    out.endSlope[o] = -d0 / (r0 * r0);
    out.negative[o + 1] = ng1;
    out.logDerivative[o + 1] = ld1;
    out.logCurvature[o + 1] = cv1;
    out.endWeight[o + 1] = -1 / (d1 + r1 * pl1);
    out.endCurvature[o + 1] = e1;
    out.endSlope[o + 1] = -d1 / (r1 * r1);
    out.negative[o + 2] = ng2;
    out.logDerivative[o + 2] = ld2;
    out.logCurvature[o + 2] = cv2;
    out.endWeight[o + 2] = -1 / (d2 + r2 * pl2);
    out.endCurvature[o + 2] = e2;
    out.endSlope[o + 2] = -d2 / (r2 * r2);
    out.negative[o + 3] = ng3;
    out.logDerivative[o + 3] = ld3;
    out.logCurvature[o + 3] = cv3;
    out.endWeight[o + 3] = -1 / (d3 + r3 * pl3);
    out.endCurvature[o + 3] = e3;
    out.endSlope[o + 3] = -d3 / (r3 * r3);
  }

  /**
   * Sturm counts (as `count`) at SWEEP_LANES shifts in one pass, into lanes.negative, and ln |det (V - lambda M)|
   * (the sum of ln |r_k| over the pivots, tiny ones replaced as in the count) into lanes.logDet; `used` lanes are
   * counted. The determinant is the pivots' product multiplied up eight sites at a time, its exponent split off
   * after every eighth site and at the end, exactly so in both kernels (the same bits): a product of eight pivots,
   * each between tiny and ~ b^2 / tiny, stays within the doubles' range while the pencil's scale (its largest
   * diagonal entry) is within 1e-20 .. 1e20 (logDetReliable).
   */
  countLanes(lambdas: Float64Array, used: number): void {
    if (this.kernel) {
      this.kernel.countLanes(lambdas, this.lanes.negative, this.lanes.logDet);
    } else {
      this.count4(lambdas, 0);
      if (padded(lambdas)) {
        this.lanes.negative.fill(this.lanes.negative[3], 4);
        this.lanes.logDet.fill(this.lanes.logDet[3], 4);
      } else this.count4(lambdas, 4);
    }
    this.counts += used;
  }

  /** Whether countLanes' lanes.logDet stays within the doubles' range (see there). */
  get logDetReliable(): boolean {
    const scale = this.tiny / 1e-15;
    return scale >= 1e-20 && scale <= 1e20;
  }

  /** Four lanes of countLanes in JavaScript: lambdas[o..o + 3] into lanes.negative[o..o + 3] and lanes.logDet. */
  private count4(lambdas: Float64Array, o: number): void {
    const { n, v, m, b2, tiny } = this;
    const l0 = lambdas[o];
    let r0 = 1;
    let ng0 = 0;
    let p0 = 1;
    let e0 = 0;
    const l1 = lambdas[o + 1];
    let r1 = 1;
    let ng1 = 0;
    let p1 = 1;
    let e1 = 0;
    const l2 = lambdas[o + 2];
    let r2 = 1;
    let ng2 = 0;
    let p2 = 1;
    let e2 = 0;
    const l3 = lambdas[o + 3];
    let r3 = 1;
    let ng3 = 0;
    let p3 = 1;
    let e3 = 0;
    let splits = 0;
    let s = 0;
    for (let k = 0; k < n; k++) {
      const vk = v[k];
      const mk = m[k];
      r0 = vk - l0 * mk - s / r0;
      if (!(r0 >= tiny || r0 <= -tiny)) r0 = tiny;
      if (r0 < 0) ng0++;
      p0 *= r0;
      r1 = vk - l1 * mk - s / r1;
      if (!(r1 >= tiny || r1 <= -tiny)) r1 = tiny;
      if (r1 < 0) ng1++;
      p1 *= r1;
      r2 = vk - l2 * mk - s / r2;
      if (!(r2 >= tiny || r2 <= -tiny)) r2 = tiny;
      if (r2 < 0) ng2++;
      p2 *= r2;
      r3 = vk - l3 * mk - s / r3;
      if (!(r3 >= tiny || r3 <= -tiny)) r3 = tiny;
      if (r3 < 0) ng3++;
      p3 *= r3;
      if ((k & 7) === 7) {
        e0 += splitExponent(p0);
        p0 = SPLIT[0];
        e1 += splitExponent(p1);
        p1 = SPLIT[0];
        e2 += splitExponent(p2);
        p2 = SPLIT[0];
        e3 += splitExponent(p3);
        p3 = SPLIT[0];
        splits++;
      }
      if (k + 1 < n) s = b2[k];
    }
    e0 += splitExponent(p0);
    p0 = SPLIT[0];
    e1 += splitExponent(p1);
    p1 = SPLIT[0];
    e2 += splitExponent(p2);
    p2 = SPLIT[0];
    e3 += splitExponent(p3);
    p3 = SPLIT[0];
    splits++;
    const out = this.lanes.negative;
    out[o] = ng0;
    out[o + 1] = ng1;
    out[o + 2] = ng2;
    out[o + 3] = ng3;
    const ld = this.lanes.logDet;
    const bias = 1023 * splits;
    ld[o] = (e0 - bias + Math.log2(p0)) * Math.LN2;
    ld[o + 1] = (e1 - bias + Math.log2(p1)) * Math.LN2;
    ld[o + 2] = (e2 - bias + Math.log2(p2)) * Math.LN2;
    ld[o + 3] = (e3 - bias + Math.log2(p3)) * Math.LN2;
  }

  readonly lanes = {
    negative: new Int32Array(SWEEP_LANES),
    /** countLanes: ln |det (V - lambda M)|. */
    logDet: new Float64Array(SWEEP_LANES),
    logDerivative: new Float64Array(SWEEP_LANES),
    logCurvature: new Float64Array(SWEEP_LANES),
    endWeight: new Float64Array(SWEEP_LANES),
    /**
     * r'' of the last pivot (d^2/dlambda^2; sweepLanes, endWeightLanes): with the end weight u^2 = -1 / r' at an
     * eigenvalue, the regular part of the end's undamped Green's function 1 / r there is -r'' u^4 / 2.
     */
    endCurvature: new Float64Array(SWEEP_LANES),
    /**
     * endWeightLanes (and the JavaScript sweepLanes): the slope -r' / r^2 of the end's undamped Green's function 1 / r
     * (r: the last pivot), sum_j u_j^2 / (lambda_j - lambda)^2 over the modes' weights u_j^2 at that end.
     */
    endSlope: new Float64Array(SWEEP_LANES),
    /** growthLanes: ln max |psi|. */
    growth: new Float64Array(SWEEP_LANES),
  };

  /** Results of the last complexSweep (see there). */
  readonly z = {
    /** det'(w) / det(w), d/dw of ln det A(w). */
    logDerRe: 0,
    logDerIm: 0,
    /** The last pivot f_n(w) and its derivative. */
    lastRe: 0,
    lastIm: 0,
    lastDerRe: 0,
    lastDerIm: 0,
    /** prod_(k<n) (b_k / f_k) = pRe + i pIm times 2^pLog2 (b_k = sqrt(b_k^2) > 0). */
    pRe: 0,
    pIm: 0,
    pLog2: 0,
  };

  /**
   * The phase of det A(w) at a real frequency w > 0 (A(w) = V - w^2 M - i w Gamma, Gamma = diag(g0, 0, ..., 0, g1),
   * g0, g1 > 0), continuous in w: the sum of arg f_k over the pivots f_k = a_k - b_(k-1)^2 / f_(k-1) eliminated from
   * the first site, each in (-pi, 0) (Im f_0 = -w g0 < 0, and Im f_k = Im a_k + b^2 Im f_(k-1) / |f_(k-1)|^2 < 0),
   * so the sum needs no unwrapping. Kept as the running product's turns (each factor turns it clockwise by less than
   * pi: it crosses the negative real axis when its imaginary part goes from negative to non-negative) and one atan2
   * at the end. With the zeros z_j of det A (the poles of G, Im z_j < 0), phase(w) = const + sum_j arg(w - z_j): each
   * pole contributes a decrease of pi as w passes its real part (the argument principle on the real axis).
   */
  phase(w: number, g0: number, g1: number): number {
    const { n, v, m, b2 } = this;
    const w2 = w * w;
    let fRe = 1;
    let fIm = 0;
    let qRe = 1;
    let qIm = 0;
    let turns = 0;
    let s = 0;
    for (let k = 0; k < n; k++) {
      const g = k === 0 ? g0 : k === n - 1 ? g1 : 0;
      const d = k === 0 ? 0 : s / (fRe * fRe + fIm * fIm);
      const aRe = v[k] - w2 * m[k];
      // f_k = a_k - s / f_(k-1) = a_k - s conj(f_(k-1)) / |f_(k-1)|^2.
      const nRe = aRe - d * fRe;
      fIm = -w * g + d * fIm;
      fRe = nRe;
      const tRe = qRe * fRe - qIm * fIm;
      const tIm = qRe * fIm + qIm * fRe;
      if (qIm < 0 && tIm >= 0) turns++;
      qRe = tRe;
      qIm = tIm;
      const big = Math.max(Math.abs(qRe), Math.abs(qIm));
      if (big > 2 ** 200 || big < 2 ** -200) {
        qRe /= big;
        qIm /= big;
      }
      if (k + 1 < n) s = b2[k];
    }
    return Math.atan2(qIm, qRe) - 2 * Math.PI * turns;
  }

  /**
   * The damped pencil at a complex frequency w: A(w) = V - w^2 M - i w Gamma with Gamma = diag(g0, 0, ..., 0, g1),
   * pivots f_k = a_k - b_(k-1)^2 / f_(k-1) eliminated from the first site and their derivatives in w,
   * f_k' = -2 w m_k - i gamma_k + b_(k-1)^2 f'_(k-1) / f_(k-1)^2, in one O(N) sweep without allocation. Sets `z`:
   * ln det's derivative (a Newton step towards a pole of the chain's Green's function is -1 / that), the last pivot
   * and its derivative, and p = prod_(k<n) b_k / f_k (kept as mantissa and power of 2). The end-to-end entry is
   * G_0n(w) = (-1)^(n-1) p / f_n; at a pole z (f_n(z) = 0) its residue is (-1)^(n-1) p / f_n'(z).
   */
  complexSweep(wRe: number, wIm: number, g0: number, g1: number): void {
    const { n, v, m, b2 } = this;
    const w2Re = wRe * wRe - wIm * wIm;
    const w2Im = 2 * wRe * wIm;
    let fRe = 1;
    let fIm = 0;
    let iRe = 0;
    let iIm = 0;
    let dRe = 0;
    let dIm = 0;
    let lRe = 0;
    let lIm = 0;
    let pRe = 1;
    let pIm = 0;
    let log2p = 0;
    let s = 0;
    for (let k = 0; k < n; k++) {
      // a_k = v_k - w^2 m_k - i w gamma_k; f_k = a_k - s / f_(k-1) = a_k - s (iRe + i iIm).
      const g = k === 0 ? g0 : k === n - 1 ? g1 : 0;
      fRe = v[k] - w2Re * m[k] + g * wIm - s * iRe;
      fIm = -w2Im * m[k] - g * wRe - s * iIm;
      // f' = -2 w m_k - i gamma_k + s f'_(k-1) (1 / f_(k-1))^2.
      const sqRe = iRe * iRe - iIm * iIm;
      const sqIm = 2 * iRe * iIm;
      const nRe = -2 * wRe * m[k] + s * (dRe * sqRe - dIm * sqIm);
      dIm = -2 * wIm * m[k] - g + s * (dRe * sqIm + dIm * sqRe);
      dRe = nRe;
      const q = 1 / (fRe * fRe + fIm * fIm);
      iRe = fRe * q;
      iIm = -fIm * q;
      lRe += dRe * iRe - dIm * iIm;
      lIm += dRe * iIm + dIm * iRe;
      if (k + 1 < n) {
        s = b2[k];
        // p *= b_k / f_k.
        const b = Math.sqrt(s);
        const tRe = b * (pRe * iRe - pIm * iIm);
        pIm = b * (pRe * iIm + pIm * iRe);
        pRe = tRe;
        if ((k & 7) === 7) {
          const big = Math.max(Math.abs(pRe), Math.abs(pIm));
          if (big > 2 ** 200 || (big < 2 ** -200 && big > 0)) {
            const e = Math.floor(Math.log2(big));
            const f = 2 ** -e;
            pRe *= f;
            pIm *= f;
            log2p += e;
          }
        }
      }
    }
    this.counts++;
    const z = this.z;
    z.logDerRe = lRe;
    z.logDerIm = lIm;
    z.lastRe = fRe;
    z.lastIm = fIm;
    z.lastDerRe = dRe;
    z.lastDerIm = dIm;
    z.pRe = pRe;
    z.pIm = pIm;
    z.pLog2 = log2p;
  }

  /**
   * POLE_LANES complex sweeps (as `complexSweep`, lane by lane the same arithmetic, so the same results) at
   * independent frequencies wRe[l] + i wIm[l] in one pass, into `zLanes`; `used` lanes are counted.
   */
  complexSweepLanes(wRe: Float64Array, wIm: Float64Array, g0: number, g1: number, used: number): void {
    this.counts += used;
    if (this.kernel) {
      this.kernel.complexSweepLanes(wRe, wIm, g0, g1, this.zLanes);
    } else {
      this.complex4(wRe, wIm, g0, g1, 0);
      if (padded(wRe) && padded(wIm)) {
        const z = this.zLanes;
        z.logDerRe.fill(z.logDerRe[3], 4);
        z.logDerIm.fill(z.logDerIm[3], 4);
        z.lastRe.fill(z.lastRe[3], 4);
        z.lastIm.fill(z.lastIm[3], 4);
        z.lastDerRe.fill(z.lastDerRe[3], 4);
        z.lastDerIm.fill(z.lastDerIm[3], 4);
        z.pRe.fill(z.pRe[3], 4);
        z.pIm.fill(z.pIm[3], 4);
        z.pLog2.fill(z.pLog2[3], 4);
      } else this.complex4(wRe, wIm, g0, g1, 4);
    }
  }

  /**
   * The last pivots and p of complexSweepLanes only (zLanes.lastRe/lastIm/pRe/pIm/pLog2; the others are not set):
   * G_0n at POLE_LANES frequencies, the same values to the bit, by a reduced kernel (no derivatives) where
   * WebAssembly runs; `used` lanes are counted.
   */
  complexEndLanes(wRe: Float64Array, wIm: Float64Array, g0: number, g1: number, used: number): void {
    if (this.kernel) {
      this.kernel.complexEndLanes(wRe, wIm, g0, g1, this.zLanes);
      this.counts += used;
    } else this.complexSweepLanes(wRe, wIm, g0, g1, used);
  }

  /** Four lanes of complexSweepLanes in JavaScript: wRe/wIm[o..o + 3] into zLanes o..o + 3. */
  private complex4(wRe: Float64Array, wIm: Float64Array, g0: number, g1: number, o: number): void {
    const { n, v, m, b2 } = this;
    const a0 = wRe[o];
    const c0 = wIm[o];
    const w2Re0 = a0 * a0 - c0 * c0;
    const w2Im0 = 2 * a0 * c0;
    let fRe0 = 1;
    let fIm0 = 0;
    let iRe0 = 0;
    let iIm0 = 0;
    let dRe0 = 0;
    let dIm0 = 0;
    let lRe0 = 0;
    let lIm0 = 0;
    let pRe0 = 1;
    let pIm0 = 0;
    let log2p0 = 0;
    const a1 = wRe[o + 1];
    const c1 = wIm[o + 1];
    const w2Re1 = a1 * a1 - c1 * c1;
    const w2Im1 = 2 * a1 * c1;
    let fRe1 = 1;
    let fIm1 = 0;
    let iRe1 = 0;
    let iIm1 = 0;
    let dRe1 = 0;
    let dIm1 = 0;
    let lRe1 = 0;
    let lIm1 = 0;
    let pRe1 = 1;
    let pIm1 = 0;
    let log2p1 = 0;
    const a2 = wRe[o + 2];
    const c2 = wIm[o + 2];
    const w2Re2 = a2 * a2 - c2 * c2;
    const w2Im2 = 2 * a2 * c2;
    let fRe2 = 1;
    let fIm2 = 0;
    let iRe2 = 0;
    let iIm2 = 0;
    let dRe2 = 0;
    let dIm2 = 0;
    let lRe2 = 0;
    let lIm2 = 0;
    let pRe2 = 1;
    let pIm2 = 0;
    let log2p2 = 0;
    const a3 = wRe[o + 3];
    const c3 = wIm[o + 3];
    const w2Re3 = a3 * a3 - c3 * c3;
    const w2Im3 = 2 * a3 * c3;
    let fRe3 = 1;
    let fIm3 = 0;
    let iRe3 = 0;
    let iIm3 = 0;
    let dRe3 = 0;
    let dIm3 = 0;
    let lRe3 = 0;
    let lIm3 = 0;
    let pRe3 = 1;
    let pIm3 = 0;
    let log2p3 = 0;
    let s = 0;
    for (let k = 0; k < n; k++) {
      const g = k === 0 ? g0 : k === n - 1 ? g1 : 0;
      const vk = v[k];
      const mk = m[k];
      fRe0 = vk - w2Re0 * mk + g * c0 - s * iRe0;
      fIm0 = -w2Im0 * mk - g * a0 - s * iIm0;
      const sqRe0 = iRe0 * iRe0 - iIm0 * iIm0;
      const sqIm0 = 2 * iRe0 * iIm0;
      const nRe0 = -2 * a0 * mk + s * (dRe0 * sqRe0 - dIm0 * sqIm0);
      dIm0 = -2 * c0 * mk - g + s * (dRe0 * sqIm0 + dIm0 * sqRe0);
      dRe0 = nRe0;
      const q0 = 1 / (fRe0 * fRe0 + fIm0 * fIm0);
      iRe0 = fRe0 * q0;
      iIm0 = -fIm0 * q0;
      lRe0 += dRe0 * iRe0 - dIm0 * iIm0;
      lIm0 += dRe0 * iIm0 + dIm0 * iRe0;
      fRe1 = vk - w2Re1 * mk + g * c1 - s * iRe1;
      fIm1 = -w2Im1 * mk - g * a1 - s * iIm1;
      const sqRe1 = iRe1 * iRe1 - iIm1 * iIm1;
      const sqIm1 = 2 * iRe1 * iIm1;
      const nRe1 = -2 * a1 * mk + s * (dRe1 * sqRe1 - dIm1 * sqIm1);
      dIm1 = -2 * c1 * mk - g + s * (dRe1 * sqIm1 + dIm1 * sqRe1);
      dRe1 = nRe1;
      const q1 = 1 / (fRe1 * fRe1 + fIm1 * fIm1);
      iRe1 = fRe1 * q1;
      iIm1 = -fIm1 * q1;
      lRe1 += dRe1 * iRe1 - dIm1 * iIm1;
      lIm1 += dRe1 * iIm1 + dIm1 * iRe1;
      fRe2 = vk - w2Re2 * mk + g * c2 - s * iRe2;
      fIm2 = -w2Im2 * mk - g * a2 - s * iIm2;
      const sqRe2 = iRe2 * iRe2 - iIm2 * iIm2;
      const sqIm2 = 2 * iRe2 * iIm2;
      const nRe2 = -2 * a2 * mk + s * (dRe2 * sqRe2 - dIm2 * sqIm2);
      dIm2 = -2 * c2 * mk - g + s * (dRe2 * sqIm2 + dIm2 * sqRe2);
      dRe2 = nRe2;
      const q2 = 1 / (fRe2 * fRe2 + fIm2 * fIm2);
      iRe2 = fRe2 * q2;
      iIm2 = -fIm2 * q2;
      lRe2 += dRe2 * iRe2 - dIm2 * iIm2;
      lIm2 += dRe2 * iIm2 + dIm2 * iRe2;
      fRe3 = vk - w2Re3 * mk + g * c3 - s * iRe3;
      fIm3 = -w2Im3 * mk - g * a3 - s * iIm3;
      const sqRe3 = iRe3 * iRe3 - iIm3 * iIm3;
      const sqIm3 = 2 * iRe3 * iIm3;
      const nRe3 = -2 * a3 * mk + s * (dRe3 * sqRe3 - dIm3 * sqIm3);
      dIm3 = -2 * c3 * mk - g + s * (dRe3 * sqIm3 + dIm3 * sqRe3);
      dRe3 = nRe3;
      const q3 = 1 / (fRe3 * fRe3 + fIm3 * fIm3);
      iRe3 = fRe3 * q3;
      iIm3 = -fIm3 * q3;
      lRe3 += dRe3 * iRe3 - dIm3 * iIm3;
      lIm3 += dRe3 * iIm3 + dIm3 * iRe3;
      if (k + 1 < n) {
        s = b2[k];
        const b = Math.sqrt(s);
        const tRe0 = b * (pRe0 * iRe0 - pIm0 * iIm0);
        pIm0 = b * (pRe0 * iIm0 + pIm0 * iRe0);
        pRe0 = tRe0;
        const tRe1 = b * (pRe1 * iRe1 - pIm1 * iIm1);
        pIm1 = b * (pRe1 * iIm1 + pIm1 * iRe1);
        pRe1 = tRe1;
        const tRe2 = b * (pRe2 * iRe2 - pIm2 * iIm2);
        pIm2 = b * (pRe2 * iIm2 + pIm2 * iRe2);
        pRe2 = tRe2;
        const tRe3 = b * (pRe3 * iRe3 - pIm3 * iIm3);
        pIm3 = b * (pRe3 * iIm3 + pIm3 * iRe3);
        pRe3 = tRe3;
        if ((k & 7) === 7) {
          const big0 = Math.max(Math.abs(pRe0), Math.abs(pIm0));
          if (big0 > 2 ** 200 || (big0 < 2 ** -200 && big0 > 0)) {
            const e = Math.floor(Math.log2(big0));
            const f = 2 ** -e;
            pRe0 *= f;
            pIm0 *= f;
            log2p0 += e;
          }
          const big1 = Math.max(Math.abs(pRe1), Math.abs(pIm1));
          if (big1 > 2 ** 200 || (big1 < 2 ** -200 && big1 > 0)) {
            const e = Math.floor(Math.log2(big1));
            const f = 2 ** -e;
            pRe1 *= f;
            pIm1 *= f;
            log2p1 += e;
          }
          const big2 = Math.max(Math.abs(pRe2), Math.abs(pIm2));
          if (big2 > 2 ** 200 || (big2 < 2 ** -200 && big2 > 0)) {
            const e = Math.floor(Math.log2(big2));
            const f = 2 ** -e;
            pRe2 *= f;
            pIm2 *= f;
            log2p2 += e;
          }
          const big3 = Math.max(Math.abs(pRe3), Math.abs(pIm3));
          if (big3 > 2 ** 200 || (big3 < 2 ** -200 && big3 > 0)) {
            const e = Math.floor(Math.log2(big3));
            const f = 2 ** -e;
            pRe3 *= f;
            pIm3 *= f;
            log2p3 += e;
          }
        }
      }
    }
    const z = this.zLanes;
    z.logDerRe[o] = lRe0;
    z.logDerIm[o] = lIm0;
    z.lastRe[o] = fRe0;
    z.lastIm[o] = fIm0;
    z.lastDerRe[o] = dRe0;
    z.lastDerIm[o] = dIm0;
    z.pRe[o] = pRe0;
    z.pIm[o] = pIm0;
    z.pLog2[o] = log2p0;
    z.logDerRe[o + 1] = lRe1;
    z.logDerIm[o + 1] = lIm1;
    z.lastRe[o + 1] = fRe1;
    z.lastIm[o + 1] = fIm1;
    z.lastDerRe[o + 1] = dRe1;
    z.lastDerIm[o + 1] = dIm1;
    z.pRe[o + 1] = pRe1;
    z.pIm[o + 1] = pIm1;
    z.pLog2[o + 1] = log2p1;
    z.logDerRe[o + 2] = lRe2;
    z.logDerIm[o + 2] = lIm2;
    z.lastRe[o + 2] = fRe2;
    z.lastIm[o + 2] = fIm2;
    z.lastDerRe[o + 2] = dRe2;
    z.lastDerIm[o + 2] = dIm2;
    z.pRe[o + 2] = pRe2;
    z.pIm[o + 2] = pIm2;
    z.pLog2[o + 2] = log2p2;
    z.logDerRe[o + 3] = lRe3;
    z.logDerIm[o + 3] = lIm3;
    z.lastRe[o + 3] = fRe3;
    z.lastIm[o + 3] = fIm3;
    z.lastDerRe[o + 3] = dRe3;
    z.lastDerIm[o + 3] = dIm3;
    z.pRe[o + 3] = pRe3;
    z.pIm[o + 3] = pIm3;
    z.pLog2[o + 3] = log2p3;
  }

  /** Results of the last complexSweepLanes, lane by lane (as `z`). */
  readonly zLanes = {
    logDerRe: new Float64Array(POLE_LANES),
    logDerIm: new Float64Array(POLE_LANES),
    lastRe: new Float64Array(POLE_LANES),
    lastIm: new Float64Array(POLE_LANES),
    lastDerRe: new Float64Array(POLE_LANES),
    lastDerIm: new Float64Array(POLE_LANES),
    pRe: new Float64Array(POLE_LANES),
    pIm: new Float64Array(POLE_LANES),
    pLog2: new Float64Array(POLE_LANES),
  };
}
