import type { SlicedPencil } from "./slices.js";
import { StripSweepKernel } from "./stripSweep.js";

/**
 * The damped pencil Q(z) = V - z^2 M - i z Gamma of a sliced network (SlicedPencil: block tridiagonal, levels
 * 0..L-1) at a complex frequency z, by the left-connected recursive Green's function
 *   S_0 = A_0,  S_x = A_x - C_(x-1)^T g_(x-1) C_(x-1),  g_x = S_x^-1,  P_x = G^L_(0,x) = -P_(x-1) C_(x-1) g_x
 * (A_x = V_x - z^2 M_x - i z Gamma_x), O(w^3) complex operations per level: the end-to-end block
 * G_(0,L-1)(z) = P_(L-1) of Q(z)^-1 without any full column (the bath fluxes of a network whose two groups of baths
 * sit on the first and the last level need nothing else). With `derivative`, also
 *   d ln det Q / dz = sum_x tr(g_x S_x'),  S_x' = A_x' - C^T g_(x-1)' C,  g_x' = -g_x S_x' g_x,
 * since det Q = prod_x det S_x (block LDL^T): Newton steps on ln det Q locate the damped poles (the zeros of det Q).
 * At a simple pole z where the last Schur complement S_(L-1) is singular with null vector y (S complex symmetric),
 * S_(L-1)^-1 has the residue y y^T / (y^T S' y), so G_(0,L-1) has the rank-one residue x_0 y^T / (y^T S' y) with
 * x_0 = -P_(L-2) C_(L-2) y (`residue`). If the pole is one of the levels 0..L-2 as well (a mode with no weight on the
 * last level, to rounding), S_(L-1) is not singular and `residueCheck` says so.
 */
export class StripGreen {
  /** Width of the first and of the last level. */
  readonly w0: number;
  readonly wL: number;
  /** G_(0,L-1) (w0 x wL, row-major), real and imaginary parts. */
  readonly eRe: Float64Array;
  readonly eIm: Float64Array;
  /** d ln det Q / dz (after evaluate with derivative). */
  dRe = 0;
  dIm = 0;
  /** After evaluate with residue: residue of G_(0,L-1) (w0 x wL) and |S y| / (|S| |y|) of the null vector. */
  readonly rRe: Float64Array;
  readonly rIm: Float64Array;
  residueCheck = 0;
  private readonly gamma: Float64Array;
  private readonly gRe: Float64Array;
  private readonly gIm: Float64Array;
  private readonly hRe: Float64Array;
  private readonly hIm: Float64Array;
  private readonly sRe: Float64Array;
  private readonly sIm: Float64Array;
  private readonly spRe: Float64Array;
  private readonly spIm: Float64Array;
  private readonly tRe: Float64Array;
  private readonly tIm: Float64Array;
  private readonly uRe: Float64Array;
  private readonly uIm: Float64Array;
  private readonly pRe: Float64Array;
  private readonly pIm: Float64Array;
  private readonly qRe: Float64Array;
  private readonly qIm: Float64Array;
  private readonly keepRe: Float64Array;
  private readonly keepIm: Float64Array;
  private readonly perm: Int32Array;
  /**
   * The nonzeros of every coupling C_x (row q, column j, value; C_x's at nzStart[x]..nzEnd[x]) where each column
   * of C_x holds at most one (a strip's C_x is diagonal): then S -= C^T g C and P C are sums of single terms, done
   * over the nonzeros only (the same arithmetic as the dense loops, term for term); nzEnd[x] < 0 keeps the dense
   * loops for that level.
   */
  private readonly nzStart: Int32Array;
  private readonly nzEnd: Int32Array;
  private readonly nzRow: Int32Array;
  private readonly nzCol: Int32Array;
  private readonly nzVal: Float64Array;
  /** The WebAssembly sweep (stripSweep.ts; undefined: the JavaScript loops below). */
  private readonly kernel: StripSweepKernel | undefined;

  /** @param gammaSite friction of every site (0 where there is no bath), in the network's site order. */
  constructor(
    private readonly sliced: SlicedPencil,
    gammaSite: Float64Array,
  ) {
    const n = sliced.sites.length;
    this.gamma = new Float64Array(n);
    for (let k = 0; k < n; k++) this.gamma[k] = gammaSite[sliced.sites[k]];
    const L = sliced.levels;
    this.w0 = sliced.widthOf(0);
    this.wL = sliced.widthOf(L - 1);
    const w = sliced.width;
    const w2 = w * w;
    const mk = () => new Float64Array(w2);
    this.gRe = mk();
    this.gIm = mk();
    this.hRe = mk();
    this.hIm = mk();
    this.sRe = mk();
    this.sIm = mk();
    this.spRe = mk();
    this.spIm = mk();
    this.tRe = mk();
    this.tIm = mk();
    this.uRe = mk();
    this.uIm = mk();
    this.keepRe = mk();
    this.keepIm = mk();
    this.pRe = new Float64Array(this.w0 * w);
    this.pIm = new Float64Array(this.w0 * w);
    this.qRe = new Float64Array(this.w0 * w);
    this.qIm = new Float64Array(this.w0 * w);
    this.eRe = new Float64Array(this.w0 * this.wL);
    this.eIm = new Float64Array(this.w0 * this.wL);
    this.rRe = new Float64Array(this.w0 * this.wL);
    this.rIm = new Float64Array(this.w0 * this.wL);
    this.perm = new Int32Array(w);
    // Couplings with at most one nonzero per column, as lists of nonzeros.
    this.nzStart = new Int32Array(Math.max(L - 1, 0));
    this.nzEnd = new Int32Array(Math.max(L - 1, 0));
    const row: number[] = [];
    const col: number[] = [];
    const val: number[] = [];
    for (let x = 0; x + 1 < L; x++) {
      const wp = sliced.widthOf(x);
      const wn = sliced.widthOf(x + 1);
      const c0 = sliced.cOff[x];
      let single = true;
      for (let j = 0; j < wn && single; j++) {
        let count = 0;
        for (let q = 0; q < wp; q++) if (sliced.cBlock[c0 + q * wn + j] !== 0) count++;
        single = count <= 1;
      }
      this.nzStart[x] = row.length;
      if (single) {
        for (let q = 0; q < wp; q++)
          for (let j = 0; j < wn; j++) {
            const c = sliced.cBlock[c0 + q * wn + j];
            if (c === 0) continue;
            row.push(q);
            col.push(j);
            val.push(c);
          }
      }
      this.nzEnd[x] = single ? row.length : -1;
    }
    this.nzRow = Int32Array.from(row);
    this.nzCol = Int32Array.from(col);
    this.nzVal = Float64Array.from(val);
    this.kernel = StripSweepKernel.for(sliced, this.gamma, {
      start: this.nzStart,
      end: this.nzEnd,
      row: this.nzRow,
      col: this.nzCol,
      val: this.nzVal,
    });
  }

  /** Whether the sweeps run in WebAssembly (stripSweep.ts). */
  get wasm(): boolean {
    return this.kernel !== undefined;
  }

  /** S -= C_x^T g C_x (g complex symmetric, wp x wp; S w x w): over the nonzeros where C_x has them listed. */
  private congruence(
    x: number,
    wp: number,
    w: number,
    gRe: Float64Array,
    gIm: Float64Array,
    sRe: Float64Array,
    sIm: Float64Array,
  ): void {
    const e = this.nzEnd[x];
    if (e < 0) {
      congruence(this.sliced.cBlock, this.sliced.cOff[x], wp, w, gRe, gIm, sRe, sIm, this.tRe, this.tIm);
      return;
    }
    const { nzRow, nzCol, nzVal } = this;
    const b = this.nzStart[x];
    // (C^T g C)_ij = C_qi (g_qp C_pj): one term per entry, as the dense loops compute it.
    for (let u = b; u < e; u++) {
      const q = nzRow[u];
      const i = nzCol[u];
      const c = nzVal[u];
      for (let v = b; v < e; v++) {
        const k = q * wp + nzRow[v];
        const d = nzVal[v];
        const o = i * w + nzCol[v];
        sRe[o] -= c * (gRe[k] * d);
        sIm[o] -= c * (gIm[k] * d);
      }
    }
  }

  /** out = P C_x (P complex m x wp, out m x w): over the nonzeros where C_x has them listed. */
  private timesC(
    x: number,
    pRe: Float64Array,
    pIm: Float64Array,
    m: number,
    wp: number,
    w: number,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const e = this.nzEnd[x];
    if (e < 0) {
      rightTimesC(pRe, pIm, this.sliced.cBlock, this.sliced.cOff[x], m, wp, w, outRe, outIm);
      return;
    }
    outRe.fill(0, 0, m * w);
    outIm.fill(0, 0, m * w);
    const { nzRow, nzCol, nzVal } = this;
    for (let u = this.nzStart[x]; u < e; u++) {
      const q = nzRow[u];
      const j = nzCol[u];
      const c = nzVal[u];
      for (let i = 0; i < m; i++) {
        outRe[i * w + j] += pRe[i * wp + q] * c;
        outIm[i * w + j] += pIm[i * wp + q] * c;
      }
    }
  }

  /**
   * One sweep at z = zr + i zi: G_(0,L-1) into eRe/eIm; with `derivative` d ln det Q/dz into dRe/dIm (then `ends`
   * false skips the end block); with `residue` (implies both) the residue at a pole z into rRe/rIm.
   */
  evaluate(zr: number, zi: number, derivative = false, residue = false, ends = true): void {
    const sl = this.sliced;
    const L = sl.levels;
    const { gRe, gIm, hRe, hIm, sRe, sIm, spRe, spIm, uRe, uIm, pRe, pIm, qRe, qIm } = this;
    if (residue) derivative = ends = true;
    const k = this.kernel;
    if (k) {
      k.sweep(zr, zi, derivative, residue, ends);
      this.dRe = k.dRe;
      this.dIm = k.dIm;
      const v = k.views;
      if (ends) {
        this.eRe.set(v.pRe.subarray(0, this.w0 * this.wL));
        this.eIm.set(v.pIm.subarray(0, this.w0 * this.wL));
      }
      if (residue) this.residueAt(L, v);
      return;
    }
    const z2r = zr * zr - zi * zi;
    const z2i = 2 * zr * zi;
    const w0 = this.w0;
    let dr = 0;
    let di = 0;
    for (let x = 0; x < L; x++) {
      const w = sl.widthOf(x);
      const ww = w * w;
      const a0 = sl.aOff[x];
      const s0 = sl.start[x];
      // S = A_x; S' = A_x'.
      for (let i = 0; i < ww; i++) {
        sRe[i] = sl.vBlock[a0 + i];
        sIm[i] = 0;
      }
      if (derivative) {
        spRe.fill(0, 0, ww);
        spIm.fill(0, 0, ww);
      }
      for (let a = 0; a < w; a++) {
        const m = sl.mass[s0 + a];
        const g = this.gamma[s0 + a];
        // -z^2 m - i z gamma
        sRe[a * w + a] += -z2r * m + zi * g;
        sIm[a * w + a] += -z2i * m - zr * g;
        if (derivative) {
          // -2 z m - i gamma
          spRe[a * w + a] = -2 * zr * m;
          spIm[a * w + a] = -2 * zi * m - g;
        }
      }
      let wp = 0;
      if (x > 0) {
        wp = sl.widthOf(x - 1);
        // S -= C^T g C and S' -= C^T g' C (C real, wp x w; over its nonzeros).
        this.congruence(x - 1, wp, w, gRe, gIm, sRe, sIm);
        if (derivative) this.congruence(x - 1, wp, w, hRe, hIm, spRe, spIm);
      }
      if (residue && x === L - 1) {
        this.keepRe.set(sRe.subarray(0, ww));
        this.keepIm.set(sIm.subarray(0, ww));
      }
      // g = S^-1: from P S P^T = U^T D U (S is complex symmetric; P interchanges diagonal pivots where needed), or
      // where a pivot is too small for that, by Gauss-Jordan elimination with row interchanges.
      if (!invertComplexSymmetric(sRe, sIm, w, gRe, gIm, this.tRe, this.tIm, this.perm)) {
        gRe.set(sRe.subarray(0, ww));
        gIm.set(sIm.subarray(0, ww));
        invertComplex(gRe, gIm, w, this.perm);
      }
      if (derivative) {
        // U = g S'; tr U; g' = -U g.
        cmatmul(gRe, gIm, spRe, spIm, uRe, uIm, w, w, w);
        for (let a = 0; a < w; a++) {
          dr += uRe[a * w + a];
          di += uIm[a * w + a];
        }
        if (x + 1 < L) cmatmulSymmetricNeg(uRe, uIm, gRe, gIm, hRe, hIm, w);
      }
      if (!ends) continue;
      // P_x = -P_(x-1) C g_x (P_0 = g_0); at the last level keep Q = P_(L-2) C for the residue.
      if (x === 0) {
        pRe.set(gRe.subarray(0, ww));
        pIm.set(gIm.subarray(0, ww));
      } else {
        this.timesC(x - 1, pRe, pIm, w0, wp, w, qRe, qIm);
        cmatmul(qRe, qIm, gRe, gIm, pRe, pIm, w0, w, w);
        for (let i = 0; i < w0 * w; i++) {
          pRe[i] = -pRe[i];
          pIm[i] = -pIm[i];
        }
      }
    }
    this.dRe = dr;
    this.dIm = di;
    if (ends) {
      this.eRe.set(pRe.subarray(0, w0 * this.wL));
      this.eIm.set(pIm.subarray(0, w0 * this.wL));
    }
    if (residue) {
      const { gRe, gIm, spRe, spIm, qRe, qIm, keepRe, keepIm } = this;
      this.residueAt(L, { gRe, gIm, spRe, spIm, qRe, qIm, keepRe, keepIm });
    }
  }

  /**
   * The end block against the defining equations at z = zr + i zi (a run-time check; O(L w^3) and O(N w) memory):
   * one sweep gives the recursion's G_(0,L-1) (eRe/eIm, as `evaluate`); an independent block forward elimination
   * and back substitution give the whole columns X = Q(z)^-1 E of the last level's sites. Returns the larger of
   *  - the normwise backward error of those columns, max |Q X - E| / (|Q| max|X| + 1) (infinity norms, as the general
   *    path's sparse solves), with the recursion's block in place of X's level-0 rows, and
   *  - the recursion's block against X's level-0 rows, max |difference| / max |X_0| (the block may be far smaller
   *    than the rest of the columns, where the backward error alone would not see it).
   * With `block` the given block (w0 x wL, re/im) is checked instead of the recursion's (tests).
   */
  residual(zr: number, zi: number, block?: { re: Float64Array; im: Float64Array }): number {
    const sl = this.sliced;
    const L = sl.levels;
    const n = sl.sites.length;
    const wL = this.wL;
    const w0 = this.w0;
    this.evaluate(zr, zi);
    const eRe = block ? block.re : this.eRe;
    const eIm = block ? block.im : this.eIm;
    const z2r = zr * zr - zi * zi;
    const z2i = 2 * zr * zi;
    const { sRe, sIm, tRe, tIm } = this;
    // Forward elimination keeping every g_x.
    const gRe = new Float64Array(sl.aOff[L]);
    const gIm = new Float64Array(sl.aOff[L]);
    for (let x = 0; x < L; x++) {
      const w = sl.widthOf(x);
      const a0 = sl.aOff[x];
      for (let i = 0; i < w * w; i++) {
        sRe[i] = sl.vBlock[a0 + i];
        sIm[i] = 0;
      }
      for (let a = 0; a < w; a++) {
        const m = sl.mass[sl.start[x] + a];
        const g = this.gamma[sl.start[x] + a];
        sRe[a * w + a] += -z2r * m + zi * g;
        sIm[a * w + a] += -z2i * m - zr * g;
      }
      if (x > 0) {
        const wp = sl.widthOf(x - 1);
        const p0 = sl.aOff[x - 1];
        congruence(sl.cBlock, sl.cOff[x - 1], wp, w, gRe.subarray(p0), gIm.subarray(p0), sRe, sIm, tRe, tIm);
      }
      // The sweep's inverse (the same g_x as the recursion's): the block is compared with columns built on it.
      const gr = gRe.subarray(a0, a0 + w * w);
      const gi = gIm.subarray(a0, a0 + w * w);
      if (!invertComplexSymmetric(sRe, sIm, w, gr, gi, tRe, tIm, this.perm)) {
        gr.set(sRe.subarray(0, w * w));
        gi.set(sIm.subarray(0, w * w));
        invertComplex(gr, gi, w, this.perm);
      }
    }
    // Back substitution: X_(L-1) = g_(L-1), X_x = -g_x C_x X_(x+1) (rows in level order, wL columns).
    const xRe = new Float64Array(n * wL);
    const xIm = new Float64Array(n * wL);
    const last = sl.start[L - 1];
    xRe.set(gRe.subarray(sl.aOff[L - 1], sl.aOff[L]), last * wL);
    xIm.set(gIm.subarray(sl.aOff[L - 1], sl.aOff[L]), last * wL);
    const cxRe = new Float64Array(sl.width * wL);
    const cxIm = new Float64Array(sl.width * wL);
    for (let x = L - 2; x >= 0; x--) {
      const w = sl.widthOf(x);
      const wn = sl.widthOf(x + 1);
      const c0 = sl.cOff[x];
      const nx = sl.start[x + 1] * wL;
      cxRe.fill(0);
      cxIm.fill(0);
      for (let a = 0; a < w; a++)
        for (let b = 0; b < wn; b++) {
          const c = sl.cBlock[c0 + a * wn + b];
          if (c === 0) continue;
          for (let j = 0; j < wL; j++) {
            cxRe[a * wL + j] += c * xRe[nx + b * wL + j];
            cxIm[a * wL + j] += c * xIm[nx + b * wL + j];
          }
        }
      const o = sl.start[x] * wL;
      const a0 = sl.aOff[x];
      cmatmul(
        gRe.subarray(a0),
        gIm.subarray(a0),
        cxRe,
        cxIm,
        xRe.subarray(o, o + w * wL),
        xIm.subarray(o, o + w * wL),
        w,
        w,
        wL,
      );
      for (let i = o; i < o + w * wL; i++) {
        xRe[i] = -xRe[i];
        xIm[i] = -xIm[i];
      }
    }
    // The recursion's block against X_0, then in its place.
    let dmax = 0;
    let bmax = 0;
    for (let i = 0; i < w0 * wL; i++) {
      dmax = Math.max(dmax, Math.hypot(eRe[i] - xRe[i], eIm[i] - xIm[i]));
      bmax = Math.max(bmax, Math.hypot(xRe[i], xIm[i]));
    }
    xRe.set(eRe.subarray(0, w0 * wL));
    xIm.set(eIm.subarray(0, w0 * wL));
    // Q X - E, level by level: C_(x-1)^T X_(x-1) + A_x X_x + C_x X_(x+1).
    let rmax = 0;
    let xmax = 0;
    let qmax = 0;
    for (let i = 0; i < n * wL; i++) xmax = Math.max(xmax, Math.abs(xRe[i]) + Math.abs(xIm[i]));
    for (let x = 0; x < L; x++) {
      const w = sl.widthOf(x);
      const s0 = sl.start[x];
      const a0 = sl.aOff[x];
      const wp = x > 0 ? sl.widthOf(x - 1) : 0;
      const wn = x + 1 < L ? sl.widthOf(x + 1) : 0;
      for (let a = 0; a < w; a++) {
        const m = sl.mass[s0 + a];
        const g = this.gamma[s0 + a];
        const dRe = sl.vBlock[a0 + a * w + a] - z2r * m + zi * g;
        const dIm = -z2i * m - zr * g;
        let row = Math.abs(dRe) + Math.abs(dIm);
        for (let b = 0; b < w; b++) if (b !== a) row += Math.abs(sl.vBlock[a0 + a * w + b]);
        for (let q = 0; q < wp; q++) row += Math.abs(sl.cBlock[sl.cOff[x - 1] + q * w + a]);
        for (let b = 0; b < wn; b++) row += Math.abs(sl.cBlock[sl.cOff[x] + a * wn + b]);
        qmax = Math.max(qmax, row);
        for (let j = 0; j < wL; j++) {
          const k = (s0 + a) * wL + j;
          let rr = dRe * xRe[k] - dIm * xIm[k];
          let ri = dRe * xIm[k] + dIm * xRe[k];
          for (let b = 0; b < w; b++) {
            const v = b === a ? 0 : sl.vBlock[a0 + a * w + b];
            rr += v * xRe[(s0 + b) * wL + j];
            ri += v * xIm[(s0 + b) * wL + j];
          }
          for (let q = 0; q < wp; q++) {
            const c = sl.cBlock[sl.cOff[x - 1] + q * w + a];
            rr += c * xRe[(sl.start[x - 1] + q) * wL + j];
            ri += c * xIm[(sl.start[x - 1] + q) * wL + j];
          }
          for (let b = 0; b < wn; b++) {
            const c = sl.cBlock[sl.cOff[x] + a * wn + b];
            rr += c * xRe[(sl.start[x + 1] + b) * wL + j];
            ri += c * xIm[(sl.start[x + 1] + b) * wL + j];
          }
          if (x === L - 1 && a === j) rr -= 1;
          rmax = Math.max(rmax, Math.abs(rr) + Math.abs(ri));
        }
      }
    }
    const backward = rmax / (qmax * xmax + 1);
    const forward = bmax > 0 ? dmax / bmax : dmax > 0 ? Infinity : 0;
    const r = Math.max(backward, forward);
    return Number.isNaN(r) ? Infinity : r;
  }

  /** The residue of G_(0,L-1) at a pole (after a sweep there): see the class comment. */
  private residueAt(
    L: number,
    m: {
      gRe: Float64Array;
      gIm: Float64Array;
      spRe: Float64Array;
      spIm: Float64Array;
      qRe: Float64Array;
      qIm: Float64Array;
      keepRe: Float64Array;
      keepIm: Float64Array;
    },
  ): void {
    const w = this.wL;
    const w0 = this.w0;
    const { gRe, gIm, spRe, spIm, qRe, qIm, keepRe, keepIm } = m;
    // y: the largest column of g = S^-1 (rank one to rounding at a pole), unit norm; one more inverse step.
    let best = 0;
    let col = 0;
    for (let j = 0; j < w; j++) {
      let s = 0;
      for (let i = 0; i < w; i++) s += gRe[i * w + j] ** 2 + gIm[i * w + j] ** 2;
      if (s > best) {
        best = s;
        col = j;
      }
    }
    const yRe = new Float64Array(w);
    const yIm = new Float64Array(w);
    for (let i = 0; i < w; i++) {
      yRe[i] = gRe[i * w + col];
      yIm[i] = gIm[i * w + col];
    }
    for (let step = 0; step < 2; step++) {
      let s = 0;
      for (let i = 0; i < w; i++) s += yRe[i] ** 2 + yIm[i] ** 2;
      s = Math.sqrt(s);
      if (!(s > 0) || !Number.isFinite(s)) {
        this.residueCheck = Infinity;
        this.rRe.fill(0);
        this.rIm.fill(0);
        return;
      }
      for (let i = 0; i < w; i++) {
        yRe[i] /= s;
        yIm[i] /= s;
      }
      if (step === 1) break;
      const zr = new Float64Array(w);
      const zi = new Float64Array(w);
      for (let i = 0; i < w; i++)
        for (let j = 0; j < w; j++) {
          zr[i] += gRe[i * w + j] * yRe[j] - gIm[i * w + j] * yIm[j];
          zi[i] += gRe[i * w + j] * yIm[j] + gIm[i * w + j] * yRe[j];
        }
      yRe.set(zr);
      yIm.set(zi);
    }
    // |S y| / (|S| |y|) and d = y^T S' y.
    let smax = 0;
    let rmax = 0;
    let dRe = 0;
    let dIm = 0;
    for (let i = 0; i < w; i++) {
      let rr = 0;
      let ri = 0;
      let pr = 0;
      let pi = 0;
      for (let j = 0; j < w; j++) {
        const k = i * w + j;
        smax = Math.max(smax, Math.hypot(keepRe[k], keepIm[k]));
        rr += keepRe[k] * yRe[j] - keepIm[k] * yIm[j];
        ri += keepRe[k] * yIm[j] + keepIm[k] * yRe[j];
        pr += spRe[k] * yRe[j] - spIm[k] * yIm[j];
        pi += spRe[k] * yIm[j] + spIm[k] * yRe[j];
      }
      rmax = Math.max(rmax, Math.hypot(rr, ri));
      dRe += yRe[i] * pr - yIm[i] * pi;
      dIm += yRe[i] * pi + yIm[i] * pr;
    }
    this.residueCheck = rmax / Math.max(smax * w, 1e-300);
    // x_0 = -Q y (Q = P_(L-2) C_(L-2), w0 x w); a single level: x_0 = y.
    const xRe = new Float64Array(w0);
    const xIm = new Float64Array(w0);
    if (L === 1) {
      xRe.set(yRe);
      xIm.set(yIm);
    } else {
      for (let i = 0; i < w0; i++)
        for (let j = 0; j < w; j++) {
          xRe[i] -= qRe[i * w + j] * yRe[j] - qIm[i * w + j] * yIm[j];
          xIm[i] -= qRe[i * w + j] * yIm[j] + qIm[i * w + j] * yRe[j];
        }
    }
    const dd = dRe * dRe + dIm * dIm;
    const invRe = dRe / dd;
    const invIm = -dIm / dd;
    for (let i = 0; i < w0; i++) {
      const ar = xRe[i] * invRe - xIm[i] * invIm;
      const ai = xRe[i] * invIm + xIm[i] * invRe;
      for (let j = 0; j < w; j++) {
        this.rRe[i * w + j] = ar * yRe[j] - ai * yIm[j];
        this.rIm[i * w + j] = ar * yIm[j] + ai * yRe[j];
      }
    }
  }
}

/** S -= C^T g C for real C (wp x w, at cBlock[c0..]) and complex symmetric g (wp x wp); t: scratch (wp x w). */
function congruence(
  cBlock: Float64Array,
  c0: number,
  wp: number,
  w: number,
  gRe: Float64Array,
  gIm: Float64Array,
  sRe: Float64Array,
  sIm: Float64Array,
  tRe: Float64Array,
  tIm: Float64Array,
): void {
  // t = g C (wp x w).
  tRe.fill(0, 0, wp * w);
  tIm.fill(0, 0, wp * w);
  for (let q = 0; q < wp; q++) {
    for (let j = 0; j < w; j++) {
      const c = cBlock[c0 + q * w + j];
      if (c === 0) continue;
      for (let i = 0; i < wp; i++) {
        tRe[i * w + j] += gRe[i * wp + q] * c;
        tIm[i * w + j] += gIm[i * wp + q] * c;
      }
    }
  }
  // S -= C^T t.
  for (let q = 0; q < wp; q++) {
    for (let i = 0; i < w; i++) {
      const c = cBlock[c0 + q * w + i];
      if (c === 0) continue;
      for (let j = 0; j < w; j++) {
        sRe[i * w + j] -= c * tRe[q * w + j];
        sIm[i * w + j] -= c * tIm[q * w + j];
      }
    }
  }
}

/** out = P C (P complex m x k, C real k x n at cBlock[c0..]). */
function rightTimesC(
  pRe: Float64Array,
  pIm: Float64Array,
  cBlock: Float64Array,
  c0: number,
  m: number,
  k: number,
  n: number,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  outRe.fill(0, 0, m * n);
  outIm.fill(0, 0, m * n);
  for (let q = 0; q < k; q++) {
    for (let j = 0; j < n; j++) {
      const c = cBlock[c0 + q * n + j];
      if (c === 0) continue;
      for (let i = 0; i < m; i++) {
        outRe[i * n + j] += pRe[i * k + q] * c;
        outIm[i * n + j] += pIm[i * k + q] * c;
      }
    }
  }
}

/**
 * out = -(a b) for w x w complex matrices whose product is symmetric (g' = -g S' g with U = g S'): the upper triangle
 * by cmatmul's arithmetic, negated, then mirrored (half its multiply-adds). asm/strip/sweep.ts does the same.
 */
export function cmatmulSymmetricNeg(
  aRe: Float64Array,
  aIm: Float64Array,
  bRe: Float64Array,
  bIm: Float64Array,
  oRe: Float64Array,
  oIm: Float64Array,
  w: number,
): void {
  for (let i = 0; i < w; i++) {
    const o = i * w;
    for (let j = i; j < w; j++) {
      oRe[o + j] = 0;
      oIm[o + j] = 0;
    }
    for (let q = 0; q < w; q++) {
      const ar = aRe[o + q];
      const ai = aIm[o + q];
      if (ar === 0 && ai === 0) continue;
      const b = q * w;
      for (let j = i; j < w; j++) {
        const br = bRe[b + j];
        const bi = bIm[b + j];
        oRe[o + j] += ar * br - ai * bi;
        oIm[o + j] += ar * bi + ai * br;
      }
    }
    for (let j = i; j < w; j++) {
      oRe[o + j] = -oRe[o + j];
      oIm[o + j] = -oIm[o + j];
    }
  }
  for (let i = 1; i < w; i++)
    for (let j = 0; j < i; j++) {
      oRe[i * w + j] = oRe[j * w + i];
      oIm[i * w + j] = oIm[j * w + i];
    }
}

/** out = a b, complex (m x k times k x n, row-major). */
export function cmatmul(
  aRe: Float64Array,
  aIm: Float64Array,
  bRe: Float64Array,
  bIm: Float64Array,
  oRe: Float64Array,
  oIm: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) {
      oRe[o + j] = 0;
      oIm[o + j] = 0;
    }
    for (let q = 0; q < k; q++) {
      const ar = aRe[i * k + q];
      const ai = aIm[i * k + q];
      if (ar === 0 && ai === 0) continue;
      const b = q * n;
      for (let j = 0; j < n; j++) {
        const br = bRe[b + j];
        const bi = bIm[b + j];
        oRe[o + j] += ar * br - ai * bi;
        oIm[o + j] += ar * bi + ai * br;
      }
    }
  }
}

/**
 * The symmetric inverse's pivot rule: a pivot d_k is taken when |d_k| >= SYM_PIVOT max_(i>k) |a_ik| (multipliers at
 * most 1 / SYM_PIVOT) and |d_k| >= 1e-15 of the matrix's largest entry; where the diagonal entry in turn fails it,
 * the largest remaining diagonal entry is moved there (a symmetric interchange) and the rule applied to it; where
 * that fails too, Gauss-Jordan with row interchanges.
 */
export const SYM_PIVOT = 0.3;

/**
 * g = S^-1 for a complex symmetric w x w matrix S (S^T = S, read from its upper triangle; the Schur complements of a
 * strip's pencil V - z^2 M - i z Gamma are): P S P^T = U^T D U (U unit upper triangular) in g, then the inverse in
 * place from the last row up, g_(k,k+1:) = -u_k^T G_T and g_kk = 1/d_k - u_k . g_(k,k+1:) for the trailing block
 * G_T already inverted (LAPACK's zsytri), and S^-1 = P^T (U^T D U)^-1 P: about half the multiply-adds of Gauss-Jordan
 * elimination (w^3/2 against w^3). P is the identity unless a pivot fails the rule SYM_PIVOT: then the largest
 * remaining diagonal entry is interchanged with it (both its row and its column; perm[k] records which), the 1x1
 * diagonal pivoting of Bunch and Kaufman's scheme without its 2x2 pivots. Returns false where that pivot fails the
 * rule too (g is then overwritten: the caller inverts S by invertComplex). `tRe/tIm` (w) and `perm` (w) are scratch.
 * asm/strip/sweep.ts runs the same arithmetic, operation for operation.
 */
export function invertComplexSymmetric(
  sRe: Float64Array,
  sIm: Float64Array,
  w: number,
  gRe: Float64Array,
  gIm: Float64Array,
  tRe: Float64Array,
  tIm: Float64Array,
  perm: Int32Array,
): boolean {
  const ww = w * w;
  let scale = 0;
  for (let i = 0; i < ww; i++) scale = Math.max(scale, Math.abs(sRe[i]) + Math.abs(sIm[i]));
  const tiny = 1e-15 * (scale > 0 ? scale : 1);
  const tiny2 = tiny * tiny;
  const tau2 = SYM_PIVOT * SYM_PIVOT;
  for (let i = 0; i < ww; i++) {
    gRe[i] = sRe[i];
    gIm[i] = sIm[i];
  }
  let swapped = false;
  // P S P^T = U^T D U in g's upper triangle: 1/d_k on the diagonal, U's row k right of it.
  for (let k = 0; k < w; k++) {
    const q = k * w;
    perm[k] = k;
    let dr = gRe[q + k];
    let di = gIm[q + k];
    let dd = dr * dr + di * di;
    let cm = 0;
    for (let j = k + 1; j < w; j++) cm = Math.max(cm, gRe[q + j] * gRe[q + j] + gIm[q + j] * gIm[q + j]);
    if (!(dd >= tiny2 && dd >= tau2 * cm)) {
      // The largest remaining diagonal entry in its place (rows and columns k and p of the trailing block and the
      // columns k and p of U's rows above).
      let p = k;
      let pm = dd;
      for (let j = k + 1; j < w; j++) {
        const v = gRe[j * w + j] * gRe[j * w + j] + gIm[j * w + j] * gIm[j * w + j];
        if (v > pm) {
          pm = v;
          p = j;
        }
      }
      if (p === k) return false;
      perm[k] = p;
      swapped = true;
      const r = p * w;
      for (let i = 0; i < k; i++) swap(gRe, gIm, i * w + k, i * w + p);
      swap(gRe, gIm, q + k, r + p);
      for (let j = k + 1; j < p; j++) swap(gRe, gIm, q + j, j * w + p);
      for (let j = p + 1; j < w; j++) swap(gRe, gIm, q + j, r + j);
      dr = gRe[q + k];
      di = gIm[q + k];
      dd = dr * dr + di * di;
      cm = 0;
      for (let j = k + 1; j < w; j++) cm = Math.max(cm, gRe[q + j] * gRe[q + j] + gIm[q + j] * gIm[q + j]);
      if (!(dd >= tiny2 && dd >= tau2 * cm)) return false;
    }
    const ir = dr / dd;
    const ii = -di / dd;
    gRe[q + k] = ir;
    gIm[q + k] = ii;
    for (let i = k + 1; i < w; i++) {
      const lr = gRe[q + i] * ir - gIm[q + i] * ii;
      const li = gRe[q + i] * ii + gIm[q + i] * ir;
      const r = i * w;
      for (let j = i; j < w; j++) {
        gRe[r + j] -= lr * gRe[q + j] - li * gIm[q + j];
        gIm[r + j] -= lr * gIm[q + j] + li * gRe[q + j];
      }
    }
    for (let j = k + 1; j < w; j++) {
      const xr = gRe[q + j];
      const xi = gIm[q + j];
      gRe[q + j] = xr * ir - xi * ii;
      gIm[q + j] = xr * ii + xi * ir;
    }
  }
  // The inverse from the last row up; the trailing block is kept whole (mirrored below the diagonal).
  for (let k = w - 1; k >= 0; k--) {
    const q = k * w;
    for (let j = k + 1; j < w; j++) {
      tRe[j] = gRe[q + j];
      tIm[j] = gIm[q + j];
      gRe[q + j] = 0;
      gIm[q + j] = 0;
    }
    for (let m = k + 1; m < w; m++) {
      const cr = tRe[m];
      const ci = tIm[m];
      const r = m * w;
      for (let j = k + 1; j < w; j++) {
        gRe[q + j] -= cr * gRe[r + j] - ci * gIm[r + j];
        gIm[q + j] -= cr * gIm[r + j] + ci * gRe[r + j];
      }
    }
    let er = gRe[q + k];
    let ei = gIm[q + k];
    for (let j = k + 1; j < w; j++) {
      er -= tRe[j] * gRe[q + j] - tIm[j] * gIm[q + j];
      ei -= tRe[j] * gIm[q + j] + tIm[j] * gRe[q + j];
    }
    gRe[q + k] = er;
    gIm[q + k] = ei;
    for (let j = k + 1; j < w; j++) {
      gRe[j * w + k] = gRe[q + j];
      gIm[j * w + k] = gIm[q + j];
    }
  }
  // S^-1 = P^T X P: the interchanges undone in reverse order, rows and columns.
  if (swapped) {
    for (let k = w - 1; k >= 0; k--) {
      const p = perm[k];
      if (p === k) continue;
      for (let j = 0; j < w; j++) swap(gRe, gIm, k * w + j, p * w + j);
      for (let i = 0; i < w; i++) swap(gRe, gIm, i * w + k, i * w + p);
    }
  }
  return true;
}

/** Exchanges entries a and b of a complex array (re/im apart). */
function swap(re: Float64Array, im: Float64Array, a: number, b: number): void {
  let t = re[a];
  re[a] = re[b];
  re[b] = t;
  t = im[a];
  im[a] = im[b];
  im[b] = t;
}

/**
 * In-place inverse of a complex w x w matrix by Gauss-Jordan elimination with partial (row) pivoting, the columns
 * unswapped at the end. A pivot below 1e-15 of the matrix's largest entry is replaced by that size (a perturbation at
 * rounding level: at a pole the inverse is then its rank-one singular part to rounding).
 */
export function invertComplex(aRe: Float64Array, aIm: Float64Array, w: number, perm: Int32Array): void {
  let scale = 0;
  for (let i = 0; i < w * w; i++) scale = Math.max(scale, Math.abs(aRe[i]) + Math.abs(aIm[i]));
  const tiny = 1e-15 * (scale > 0 ? scale : 1);
  for (let k = 0; k < w; k++) {
    let r = k;
    let rm = aRe[k * w + k] ** 2 + aIm[k * w + k] ** 2;
    for (let i = k + 1; i < w; i++) {
      const v = aRe[i * w + k] ** 2 + aIm[i * w + k] ** 2;
      if (v > rm) {
        rm = v;
        r = i;
      }
    }
    perm[k] = r;
    if (r !== k) {
      for (let j = 0; j < w; j++) {
        let t = aRe[k * w + j];
        aRe[k * w + j] = aRe[r * w + j];
        aRe[r * w + j] = t;
        t = aIm[k * w + j];
        aIm[k * w + j] = aIm[r * w + j];
        aIm[r * w + j] = t;
      }
    }
    let pr = aRe[k * w + k];
    let pi = aIm[k * w + k];
    if (!(Math.hypot(pr, pi) >= tiny)) {
      pr = tiny;
      pi = 0;
    }
    const d = pr * pr + pi * pi;
    const ir = pr / d;
    const ii = -pi / d;
    aRe[k * w + k] = 1;
    aIm[k * w + k] = 0;
    for (let j = 0; j < w; j++) {
      const xr = aRe[k * w + j];
      const xi = aIm[k * w + j];
      aRe[k * w + j] = xr * ir - xi * ii;
      aIm[k * w + j] = xr * ii + xi * ir;
    }
    for (let i = 0; i < w; i++) {
      if (i === k) continue;
      const fr = aRe[i * w + k];
      const fi = aIm[i * w + k];
      if (fr === 0 && fi === 0) continue;
      aRe[i * w + k] = 0;
      aIm[i * w + k] = 0;
      for (let j = 0; j < w; j++) {
        const xr = aRe[k * w + j];
        const xi = aIm[k * w + j];
        aRe[i * w + j] -= fr * xr - fi * xi;
        aIm[i * w + j] -= fr * xi + fi * xr;
      }
    }
  }
  for (let k = w - 1; k >= 0; k--) {
    const r = perm[k];
    if (r === k) continue;
    for (let i = 0; i < w; i++) {
      let t = aRe[i * w + k];
      aRe[i * w + k] = aRe[i * w + r];
      aRe[i * w + r] = t;
      t = aIm[i * w + k];
      aIm[i * w + k] = aIm[i * w + r];
      aIm[i * w + r] = t;
    }
  }
}
