/**
 * The real block LDL^T of a sliced pencil V - lambda M (SlicedPencil: block tridiagonal, level x of width w_x, the
 * coupling C_x of level x to level x + 1), for the inertia counts and the inverse iteration that locate the normal
 * modes of a strip: O(sum_x w_x^3) per factorisation in dense loops over the levels, with no index arrays.
 *
 * The Schur complements S_0 = A_0, S_(x+1) = A_(x+1) - C_x^T S_x^-1 C_x are each factorised densely,
 * S_x = L_x D_x L_x^T (unit lower L_x, diagonal pivots without interchanges, as the sparse RealLdl), and
 * S_(x+1) is formed from Y_x = L_x^-1 C_x as A_(x+1) - Y_x^T D_x^-1 Y_x. Then A = L D L^T with the block unit lower
 * L (diagonal blocks L_x, subdiagonal blocks Y_x^T) and D = diag(D_x): by Sylvester's law of inertia the negative
 * pivots count the eigenvalues of the pencil below lambda. A pivot smaller than `tiny` in magnitude is replaced by
 * +tiny (a perturbation of A of that size), and a NaN pivot (a NaN shift or entry) is refused, as in RealLdl.
 */
import type { SlicedPencil } from "./slices.js";
import { checkTiny, nanPivot, type SymbolicLdl } from "./sparse.js";

/**
 * Multiply-adds per second of the block loops over the sparse ones (blockLdlCheaper). Measured on a 10 x 200 strip
 * (random masses and springs): 1.10 times the sparse count of multiply-adds in 0.76-0.81 of its time.
 */
const BLOCK_ADVANTAGE = 1.3;

export class BlockLdl {
  private readonly n: number;
  /** L_x (unit lower, w_x x w_x row-major, at sliced.aOff[x]; only the strict lower triangle is read). */
  private readonly l: Float64Array;
  /** D in level order. */
  private readonly d: Float64Array;
  /** Y_x = L_x^-1 C_x (w_x x w_(x+1) row-major, at sliced.cOff[x]). */
  private readonly y: Float64Array;
  /** Per level: the first row of C_x with a nonzero, 0..w_x (Y_x is zero above it). */
  private readonly cFirst: Int32Array;
  /**
   * Per row of every Y_x (at sliced.start[x] + i): the end of its nonzero columns, at most the last nonzero column
   * of rows 0..i of C_x plus one (L_x^-1 is lower triangular): i + 1 for a strip's diagonal couplings.
   */
  private readonly yEnd: Int32Array;
  /** Work vectors of the solve, in level order. */
  private readonly t: Float64Array;
  private readonly u: Float64Array;
  private readonly col: Float64Array;
  /** Negative pivots of the last factorisation. */
  negative = 0;

  constructor(private readonly sliced: SlicedPencil) {
    const L = sliced.levels;
    this.n = sliced.start[L];
    this.l = new Float64Array(sliced.aOff[L]);
    this.d = new Float64Array(this.n);
    this.y = new Float64Array(sliced.cBlock.length);
    this.cFirst = new Int32Array(L);
    for (let x = 0; x + 1 < L; x++) {
      const w = sliced.widthOf(x);
      const w1 = sliced.widthOf(x + 1);
      let first = w;
      for (let i = 0; i < w && first === w; i++)
        for (let j = 0; j < w1; j++) if (sliced.cBlock[sliced.cOff[x] + i * w1 + j] !== 0) first = i;
      this.cFirst[x] = first;
    }
    this.yEnd = couplingRowEnds(sliced);
    this.t = new Float64Array(this.n);
    this.u = new Float64Array(this.n);
    this.col = new Float64Array(sliced.width);
  }

  /**
   * Factorises V - lambda M; returns the number of negative pivots (the eigenvalues of the pencil below lambda
   * when no pivot was replaced). Throws MatrixArgumentError as RealLdl.factor does (a NaN pivot, a bad `tiny`).
   */
  factor(lambda: number, tiny: number): number {
    checkTiny(tiny);
    const { sliced, l, d, y, col, yEnd } = this;
    const { levels, start, aOff, cOff, vBlock, cBlock, mass } = sliced;
    let negative = 0;
    for (let x = 0; x < levels; x++) {
      const w = start[x + 1] - start[x];
      const s0 = start[x];
      const a0 = aOff[x];
      // S = A_x (its lower triangle, in place of L_x) ...
      for (let i = 0; i < w; i++) {
        for (let j = 0; j < i; j++) l[a0 + i * w + j] = vBlock[a0 + i * w + j];
        l[a0 + i * w + i] = vBlock[a0 + i * w + i] - lambda * mass[s0 + i];
      }
      // ... minus Y_(x-1)^T D_(x-1)^-1 Y_(x-1) (rows of Y_(x-1) from its first nonzero one).
      if (x > 0) {
        const wp = start[x] - start[x - 1];
        const y0 = cOff[x - 1];
        const sp = start[x - 1];
        for (let q = this.cFirst[x - 1]; q < wp; q++) {
          const f = 1 / d[sp + q];
          const row = y0 + q * w;
          const end = yEnd[sp + q];
          for (let i = 0; i < end; i++) {
            const a = y[row + i];
            if (a === 0) continue;
            const af = a * f;
            const li = a0 + i * w;
            for (let j = 0; j <= i; j++) l[li + j] -= af * y[row + j];
          }
        }
      }
      // Dense LDL^T of S (right-looking on the lower triangle, no interchanges).
      for (let k = 0; k < w; k++) {
        let p = l[a0 + k * w + k];
        if (!(Math.abs(p) >= tiny)) {
          if (p !== p) throw nanPivot(s0 + k);
          p = tiny;
        }
        d[s0 + k] = p;
        if (p < 0) negative++;
        const inv = 1 / p;
        for (let i = k + 1; i < w; i++) {
          const v = l[a0 + i * w + k];
          col[i] = v;
          l[a0 + i * w + k] = v * inv;
        }
        for (let i = k + 1; i < w; i++) {
          const li = l[a0 + i * w + k];
          if (li === 0) continue;
          const ri = a0 + i * w;
          for (let j = k + 1; j <= i; j++) l[ri + j] -= li * col[j];
        }
      }
      // Y_x = L_x^-1 C_x (forward substitution, rows from the first nonzero row of C_x).
      if (x + 1 < levels) {
        const w1 = start[x + 2] - start[x + 1];
        const c0 = cOff[x];
        const first = this.cFirst[x];
        for (let i = 0; i < first; i++) for (let j = 0; j < w1; j++) y[c0 + i * w1 + j] = 0;
        for (let i = first; i < w; i++) {
          const ri = c0 + i * w1;
          for (let j = 0; j < w1; j++) y[ri + j] = cBlock[ri + j];
          for (let k = first; k < i; k++) {
            const lik = l[a0 + i * w + k];
            if (lik === 0) continue;
            const rk = c0 + k * w1;
            const end = yEnd[s0 + k];
            for (let j = 0; j < end; j++) y[ri + j] -= lik * y[rk + j];
          }
        }
      }
    }
    this.negative = negative;
    return negative;
  }

  /** Solves (V - lambda M) x = b with the last factorisation (b, x in site order, not level order; may alias). */
  solve(b: Float64Array, out: Float64Array): void {
    const { sliced, l, d, y, t, u, yEnd } = this;
    const { levels, start, aOff, cOff, sites } = sliced;
    // Forward: t_x = L_x^-1 (b_x - Y_(x-1)^T D_(x-1)^-1 t_(x-1)).
    for (let x = 0; x < levels; x++) {
      const w = start[x + 1] - start[x];
      const s0 = start[x];
      const a0 = aOff[x];
      for (let i = 0; i < w; i++) t[s0 + i] = b[sites[s0 + i]];
      if (x > 0) {
        const sp = start[x - 1];
        const wp = s0 - sp;
        const y0 = cOff[x - 1];
        for (let q = this.cFirst[x - 1]; q < wp; q++) {
          const v = t[sp + q] / d[sp + q];
          if (v === 0) continue;
          const row = y0 + q * w;
          const end = yEnd[sp + q];
          for (let i = 0; i < end; i++) t[s0 + i] -= y[row + i] * v;
        }
      }
      for (let i = 1; i < w; i++) {
        let s = t[s0 + i];
        const ri = a0 + i * w;
        for (let k = 0; k < i; k++) s -= l[ri + k] * t[s0 + k];
        t[s0 + i] = s;
      }
    }
    // Backward: u_x = L_x^-T D_x^-1 (t_x - Y_x u_(x+1)).
    for (let x = levels - 1; x >= 0; x--) {
      const w = start[x + 1] - start[x];
      const s0 = start[x];
      const a0 = aOff[x];
      for (let i = 0; i < w; i++) u[s0 + i] = t[s0 + i];
      if (x + 1 < levels) {
        const s1 = start[x + 1];
        const w1 = start[x + 2] - s1;
        const c0 = cOff[x];
        for (let i = this.cFirst[x]; i < w; i++) {
          let s = 0;
          const ri = c0 + i * w1;
          const end = yEnd[s0 + i];
          for (let j = 0; j < end; j++) s += y[ri + j] * u[s1 + j];
          u[s0 + i] -= s;
        }
      }
      for (let i = 0; i < w; i++) u[s0 + i] /= d[s0 + i];
      for (let i = w - 1; i >= 0; i--) {
        const v = u[s0 + i];
        if (v === 0) continue;
        const ri = a0 + i * w;
        for (let k = 0; k < i; k++) u[s0 + k] -= l[ri + k] * v;
      }
    }
    for (let i = 0; i < this.n; i++) out[sites[i]] = u[i];
  }
}

/**
 * Per row i of every coupling block C_x (at sliced.start[x] + i; the last level's rows 0): one past the last nonzero
 * column of rows 0..i, where Y_x = L_x^-1 C_x ends (L_x^-1 is lower triangular). BlockLdl's yEnd and the work
 * estimate of blockLdlCheaper.
 */
function couplingRowEnds(sliced: SlicedPencil): Int32Array {
  const ends = new Int32Array(sliced.start[sliced.levels]);
  for (let x = 0; x + 1 < sliced.levels; x++) {
    const w = sliced.widthOf(x);
    const w1 = sliced.widthOf(x + 1);
    let end = 0;
    for (let i = 0; i < w; i++) {
      for (let j = end; j < w1; j++) if (sliced.cBlock[sliced.cOff[x] + i * w1 + j] !== 0) end = j + 1;
      ends[sliced.start[x] + i] = end;
    }
  }
  return ends;
}

/**
 * Whether the block LDL^T over the levels is expected to be faster than the general sparse one of the symbolic
 * structure `sym`, from their multiply-adds: up-looking sparse, sum over the columns of L of c (c + 1) / 2 (c the
 * column's count); block, per level the dense LDL^T of S_x (w^3 / 6), Y_x and the Schur update over the nonzero
 * columns of Y_x's rows (yEnd). The dense loops do BLOCK_ADVANTAGE times more multiply-adds per second.
 */
export function blockLdlCheaper(sliced: SlicedPencil, sym: SymbolicLdl): boolean {
  const ends = couplingRowEnds(sliced);
  let dense = 0;
  for (let x = 0; x < sliced.levels; x++) {
    const w = sliced.widthOf(x);
    dense += (w * w * w) / 6;
    if (x + 1 === sliced.levels) continue;
    let before = 0;
    for (let i = 0; i < w; i++) {
      const end = ends[sliced.start[x] + i];
      dense += before + (end * (end + 1)) / 2;
      before += end;
    }
  }
  let sparse = 0;
  for (let k = 0; k < sym.n; k++) {
    const c = sym.Lp[k + 1] - sym.Lp[k];
    sparse += (c * (c + 1)) / 2;
  }
  return dense <= BLOCK_ADVANTAGE * sparse;
}
