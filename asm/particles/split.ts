// The phases of split runs (src/stochastic/splitDisks.ts, SplitKernel: the moves, the sort's count and scatter, the
// list's build, the force loop and its gathers, the combine with the trapezoid sums) in AssemblyScript,
// compiled by scripts/build-wasm.js into src/stochastic/splitForcesWasm.ts twice: over a shared memory (the threads
// of a split run each instantiate it over the run's one `WebAssembly.Memory`, `shared: true`) and over a plain one
// (the serial executor). The same pairs in the same order with the same arithmetic as the JavaScript loops, so the
// same numbers to the bit (test/stochastic/splitWasm.test.ts compares them).
//
// Memory is the caller's: every argument is a byte address or a count; no allocation here.

@inline function i32At(base: usize, k: i32): i32 {
  return load<i32>(base + (<usize>k << 2));
}
@inline function f64At(base: usize, k: i32): f64 {
  return load<f64>(base + (<usize>k << 3));
}
@inline function addF64(base: usize, k: i32, v: f64): void {
  const a = base + (<usize>k << 3);
  store<f64>(a, load<f64>(a) + v);
}
@inline function subF64(base: usize, k: i32, v: f64): void {
  const a = base + (<usize>k << 3);
  store<f64>(a, load<f64>(a) - v);
}

/**
 * Cell-order positions [lo, hi) (SplitKernel.gather): s[2q..] = pos[2 ids[q]..] - wrap[2q..]; with du nonzero (a
 * byte address), the displacements pos - x0 at each id into du.
 */
export function gather(ids: usize, pos: usize, wrap: usize, s: usize, x0: usize, du: usize, lo: i32, hi: i32): void {
  if (du == 0) {
    for (let q = lo; q < hi; q++) {
      const a = <i32>(i32At(ids, q) << 1),
        b = q << 1;
      store<f64>(s + (<usize>b << 3), f64At(pos, a) - f64At(wrap, b));
      store<f64>(s + (<usize>(b + 1) << 3), f64At(pos, a + 1) - f64At(wrap, b + 1));
    }
    return;
  }
  for (let q = lo; q < hi; q++) {
    const a = <i32>(i32At(ids, q) << 1),
      b = q << 1;
    const px = f64At(pos, a),
      py = f64At(pos, a + 1);
    store<f64>(s + (<usize>b << 3), px - f64At(wrap, b));
    store<f64>(s + (<usize>(b + 1) << 3), py - f64At(wrap, b + 1));
    store<f64>(du + (<usize>b << 3), px - f64At(x0, a));
    store<f64>(du + (<usize>(b + 1) << 3), py - f64At(x0, a + 1));
  }
}

/**
 * The pair forces of rows [r0, r1) over the thread's list (SplitKernel.forces, the same arithmetic in the same
 * order): partner (i32), code (u8), mid, end (i32 per cell-order position) the list; s the sorted positions; start
 * (i32, ncell + 1) the cell starts; A, H the cell-order sums; en the energy per row; sx, sy the image shifts per
 * code. l2 = l^2, il = 1/l, kl = k il. With hrows nonzero (a byte address): the step's pair heat too, du the
 * sorted displacements, sp the species at sorted positions (i32), share (S x S), hrows the heat per row and species.
 */
export function forces(
  r0: i32,
  r1: i32,
  nx: i32,
  ny: i32,
  partner: usize,
  code: usize,
  mid: usize,
  end: usize,
  s: usize,
  start: usize,
  A: usize,
  H: usize,
  en: usize,
  sx: usize,
  sy: usize,
  k: f64,
  l2: f64,
  il: f64,
  kl: f64,
  du: usize,
  sp: usize,
  S: i32,
  share: usize,
  invDt: f64,
  hrows: usize,
): void {
  const heat = hrows != 0;
  let j: i32 = 0;
  for (let r = r0; r < r1; r++) {
    const row = r * nx,
      up = r + 1 == ny ? 0 : r + 1,
      urow = up * nx;
    const q0 = i32At(start, row),
      q1 = i32At(start, row + nx);
    memory.fill(A + (<usize>q0 << 4), 0, <usize>(q1 - q0) << 4);
    const h0 = i32At(start, urow),
      h1 = i32At(start, urow + nx);
    memory.fill(H + (<usize>h0 << 4), 0, <usize>(h1 - h0) << 4);
    const hr = hrows + (<usize>(r * S) << 3);
    if (heat) memory.fill(hr, 0, <usize>S << 3);
    let e: f64 = 0;
    for (let q = q0; q < q1; q++) {
      const xi = f64At(s, q << 1),
        yi = f64At(s, (q << 1) + 1);
      let fx: f64 = 0,
        fy: f64 = 0;
      const m = i32At(mid, q),
        jEnd = i32At(end, q);
      if (!heat) {
        for (; j < jEnd; j++) {
          const p = i32At(partner, j),
            cd = <i32>load<u8>(code + <usize>j);
          const ddx = xi + f64At(sx, cd) - f64At(s, p << 1),
            ddy = yi - f64At(sy, cd) - f64At(s, (p << 1) + 1);
          const r2 = ddx * ddx + ddy * ddy;
          if (r2 < l2) {
            const rr = Math.sqrt(r2);
            const u = 1 - rr * il;
            if (rr > 0) {
              const a = (kl * u) / rr;
              const ax = a * ddx,
                ay = a * ddy;
              fx += ax;
              fy += ay;
              const acc = j < m ? A : H;
              subF64(acc, p << 1, ax);
              subF64(acc, (p << 1) + 1, ay);
            }
            e += u * u;
          }
        }
      } else {
        const uxi = f64At(du, q << 1),
          uyi = f64At(du, (q << 1) + 1),
          si = i32At(sp, q),
          srow = si * S;
        for (; j < jEnd; j++) {
          const p = i32At(partner, j),
            cd = <i32>load<u8>(code + <usize>j);
          const ddx = xi + f64At(sx, cd) - f64At(s, p << 1),
            ddy = yi - f64At(sy, cd) - f64At(s, (p << 1) + 1);
          const r2 = ddx * ddx + ddy * ddy;
          const ux = uxi - f64At(du, p << 1),
            uy = uyi - f64At(du, (p << 1) + 1);
          const s0x = ddx - ux,
            s0y = ddy - uy;
          const qq0 = s0x * s0x + s0y * s0y;
          let u1: f64 = 0,
            g1: f64 = 0;
          if (r2 < l2) {
            const rr = Math.sqrt(r2);
            const u = 1 - rr * il;
            if (rr > 0) {
              const a = (kl * u) / rr;
              const ax = a * ddx,
                ay = a * ddy;
              fx += ax;
              fy += ay;
              const acc = j < m ? A : H;
              subF64(acc, p << 1, ax);
              subF64(acc, (p << 1) + 1, ay);
            }
            e += u * u;
            if (r2 == 0) u1 = 0.5 * k;
            else {
              const ir = 1 / Math.sqrt(r2);
              const hh = 1 - r2 * ir * il;
              g1 = k * il * (ir - il);
              u1 = 0.5 * k * hh * hh;
            }
          } else if (qq0 >= l2) continue;
          let u0: f64 = 0,
            g0: f64 = 0;
          if (qq0 < l2) {
            if (qq0 == 0) u0 = 0.5 * k;
            else {
              const ir = 1 / Math.sqrt(qq0);
              const hh = 1 - qq0 * ir * il;
              g0 = k * il * (ir - il);
              u0 = 0.5 * k * hh * hh;
            }
          }
          const error = (u1 - u0 + 0.5 * ((g0 * s0x + g1 * ddx) * ux + (g0 * s0y + g1 * ddy) * uy)) * invDt;
          const sj = i32At(sp, p),
            w = f64At(share, srow + sj);
          addF64(hr, si, w * error);
          addF64(hr, sj, (1 - w) * error);
        }
      }
      addF64(A, q << 1, fx);
      addF64(A, (q << 1) + 1, fy);
    }
    store<f64>(en + (<usize>r << 3), 0.5 * k * e);
  }
}

/**
 * Thread's list of rows [r0, r1) at the sorted positions s (SplitKernel.build, the same candidates in the same order
 * with the same arithmetic): for each cell-order position q the partners p of its cell's half stencil closer than
 * sqrt(reach2), with the code of their image shift, those of its own row up to mid[q], all up to end[q]. Returns the
 * number of pairs, or -1 when the list would need more than `cap` (the caller builds it in JavaScript then).
 */
export function build(
  r0: i32,
  r1: i32,
  nx: i32,
  ny: i32,
  start: usize,
  s: usize,
  sx: usize,
  sy: usize,
  partner: usize,
  code: usize,
  mid: usize,
  end: usize,
  cap: i32,
  reach2: f64,
): i32 {
  let np: i32 = 0;
  // Runs of a cell's half stencil: cell-order ranges [lo, hi) and shift codes (at most four).
  let lo0: i32 = 0,
    hi0: i32 = 0,
    lo1: i32 = 0,
    hi1: i32 = 0,
    cd1: i32 = 0,
    lo2: i32 = 0,
    hi2: i32 = 0,
    cd2: i32 = 0,
    lo3: i32 = 0,
    hi3: i32 = 0,
    cd3: i32 = 0;
  for (let r = r0; r < r1; r++) {
    const row = r * nx;
    let up = r + 1,
      cy: i32 = 0;
    if (up == ny) {
      up = 0;
      cy = 1;
    }
    const urow = up * nx;
    for (let cx: i32 = 0; cx < nx; cx++) {
      const c = row + cx,
        cEnd = i32At(start, c + 1);
      let nseg: i32 = 0;
      if (cx == nx - 1) {
        hi0 = cEnd;
        lo1 = i32At(start, row);
        hi1 = i32At(start, row + 1);
        cd1 = 0;
        nseg = 2;
      } else {
        hi0 = i32At(start, c + 2);
        nseg = 1;
      }
      const aStart = nseg;
      // The row above's runs, as segments aStart.. (codes: x shift index + 3 y shift index).
      let ua: i32 = 0,
        ub: i32 = 0,
        uc: i32 = 0,
        va: i32 = 0,
        vb: i32 = 0,
        vc: i32 = 0,
        nup: i32 = 1;
      if (cx == 0) {
        ua = i32At(start, urow + nx - 1);
        ub = i32At(start, urow + nx);
        uc = 2 + 3 * cy;
        va = i32At(start, urow);
        vb = i32At(start, urow + 2);
        vc = 1 + 3 * cy;
        nup = 2;
      } else if (cx == nx - 1) {
        ua = i32At(start, urow + cx - 1);
        ub = i32At(start, urow + nx);
        uc = 1 + 3 * cy;
        va = i32At(start, urow);
        vb = i32At(start, urow + 1);
        vc = 3 * cy;
        nup = 2;
      } else {
        ua = i32At(start, urow + cx - 1);
        ub = i32At(start, urow + cx + 2);
        uc = 1 + 3 * cy;
      }
      if (aStart == 1) {
        lo1 = ua;
        hi1 = ub;
        cd1 = uc;
        lo2 = va;
        hi2 = vb;
        cd2 = vc;
      } else {
        lo2 = ua;
        hi2 = ub;
        cd2 = uc;
        lo3 = va;
        hi3 = vb;
        cd3 = vc;
      }
      nseg += nup;
      for (let q = i32At(start, c); q < cEnd; q++) {
        const xi = f64At(s, q << 1),
          yi = f64At(s, (q << 1) + 1);
        lo0 = q + 1;
        for (let g: i32 = 0; g < nseg; g++) {
          if (g == aStart) store<i32>(mid + (<usize>q << 2), np);
          let lo: i32, hi: i32, cd: i32;
          if (g == 0) {
            lo = lo0;
            hi = hi0;
            cd = 1;
          } else if (g == 1) {
            lo = lo1;
            hi = hi1;
            cd = cd1;
          } else if (g == 2) {
            lo = lo2;
            hi = hi2;
            cd = cd2;
          } else {
            lo = lo3;
            hi = hi3;
            cd = cd3;
          }
          if (np + (hi - lo) > cap) return -1;
          const bx = xi + f64At(sx, cd),
            by = yi - f64At(sy, cd);
          for (let p = lo; p < hi; p++) {
            const ddx = bx - f64At(s, p << 1),
              ddy = by - f64At(s, (p << 1) + 1);
            store<i32>(partner + (<usize>np << 2), p);
            store<u8>(code + <usize>np, <u8>cd);
            np += i32(ddx * ddx + ddy * ddy < reach2);
          }
        }
        store<i32>(end + (<usize>q << 2), np);
      }
    }
  }
  return np;
}

// The moves, the sort's count and scatter, and the combine of split runs (SplitKernel's phases of the same names):
// linear passes over a thread's share, the same arithmetic in the same order as the JavaScript loops.

/**
 * Keeps x and f of ids [lo, hi) in xPrev and fPrev (SplitKernel.remember) when keep is nonzero, and scales the noise
 * z of those ids by sc (SplitKernel.noise: z was filled with the counter stream's normals).
 */
/**
 * A move of ids [lo, hi) and its check against the last sort (kind 0: Euler-Maruyama, x += mu f + z; 1: Heun's
 * predictor, xt = x + mu f + z; 2: Heun's corrector, x += mu (f + ft) / 2 + z with ft = A + H at each id's sorted
 * position posOf), with z the counter stream's normals scaled here by sc first (the corrector: already scaled by the
 * predictor) and, for kinds 0 and 1, x and f kept in xPrev and fPrev when keep is nonzero (SplitKernel.euler,
 * predict, correct). Then, in the same pass, the largest squared displacement since the sort (ref) into maxDisp: of
 * xt (kind 1), of x, or with heat nonzero of both ends of the step xPrev -> x, with the largest squared step into
 * maxStep and the step's midpoint into xt (SplitKernel.check, checkEnd). The largest values start from those stored
 * at maxDisp and maxStep (the caller clears them before the first of a share's calls: a share moves in blocks, each
 * block's noise drawn just before its move).
 */
export function move(
  kind: i32,
  lo: i32,
  hi: i32,
  x: usize,
  f: usize,
  x0: usize,
  f0: usize,
  keep: i32,
  z: usize,
  sc: usize,
  mu: usize,
  xt: usize,
  A: usize,
  H: usize,
  posOf: usize,
  ref: usize,
  heat: i32,
  maxDisp: usize,
  maxStep: usize,
): void {
  let md: f64 = load<f64>(maxDisp),
    ms: f64 = kind != 1 && heat != 0 ? load<f64>(maxStep) : 0;
  for (let i = lo; i < hi; i++) {
    const m = f64At(mu, i),
      a = i << 1;
    const xa = f64At(x, a),
      ya = f64At(x, a + 1);
    let nx: f64, ny: f64;
    if (kind != 2) {
      // The noise scaled (kept for the corrector) and, with keep, x and f kept as the step's start.
      const c = f64At(sc, i),
        fa = f64At(f, a),
        fb = f64At(f, a + 1);
      const za = f64At(z, a) * c,
        zb = f64At(z, a + 1) * c;
      store<f64>(z + (<usize>a << 3), za);
      store<f64>(z + (<usize>(a + 1) << 3), zb);
      if (keep != 0) {
        store<f64>(x0 + (<usize>a << 3), xa);
        store<f64>(x0 + (<usize>(a + 1) << 3), ya);
        store<f64>(f0 + (<usize>a << 3), fa);
        store<f64>(f0 + (<usize>(a + 1) << 3), fb);
      }
      if (kind == 0) {
        // x += m f + z: the move summed before it is added (the JavaScript loop's +=).
        nx = xa + (m * fa + za);
        ny = ya + (m * fb + zb);
      } else {
        nx = xa + m * fa + za;
        ny = ya + m * fb + zb;
      }
    } else {
      const q = i32At(posOf, i) << 1;
      const ftx = f64At(A, q) + f64At(H, q),
        fty = f64At(A, q + 1) + f64At(H, q + 1);
      nx = xa + (0.5 * m * (f64At(f, a) + ftx) + f64At(z, a));
      ny = ya + (0.5 * m * (f64At(f, a + 1) + fty) + f64At(z, a + 1));
    }
    const out = kind == 1 ? xt : x;
    store<f64>(out + (<usize>a << 3), nx);
    store<f64>(out + (<usize>(a + 1) << 3), ny);
    const rx = f64At(ref, a),
      ry = f64At(ref, a + 1);
    const ux = nx - rx,
      uy = ny - ry;
    if (kind == 1 || heat == 0) {
      const d2 = ux * ux + uy * uy;
      if (d2 > md) md = d2;
      continue;
    }
    // Both ends of the step: its start x0 (kept by the predictor or by this move).
    const a0 = f64At(x0, a),
      b0 = f64At(x0, a + 1);
    const vx = a0 - rx,
      vy = b0 - ry,
      sx = nx - a0,
      sy = ny - b0;
    const d2 = Math.max(ux * ux + uy * uy, vx * vx + vy * vy),
      s2 = sx * sx + sy * sy;
    if (d2 > md) md = d2;
    if (s2 > ms) ms = s2;
    store<f64>(xt + (<usize>a << 3), 0.5 * (a0 + nx));
    store<f64>(xt + (<usize>(a + 1) << 3), 0.5 * (b0 + ny));
  }
  store<f64>(maxDisp, md);
  if (kind != 1 && heat != 0) store<f64>(maxStep, ms);
}

/**
 * The sort's count over ids [lo, hi) (SplitKernel.count): wrapped positions of pos into w, pos into ref, each id's
 * cell into cellOf, the counts per cell into counts (this thread's nc words, cleared first). Returns 0, or 1 when a
 * position's cell is outside the grid (a coordinate not finite): the caller counts that share
 * again with the JavaScript loop (whose handling of such a position is the reference).
 */
export function count(
  lo: i32,
  hi: i32,
  pos: usize,
  w: usize,
  ref: usize,
  cellOf: usize,
  counts: usize,
  nx: i32,
  ny: i32,
  Lx: f64,
  Ly: f64,
  ihx: f64,
  ihy: f64,
): i32 {
  const nc = nx * ny,
    fnx = <f64>nx,
    fny = <f64>ny,
    fnc = <f64>nc;
  memory.fill(counts, 0, <usize>nc << 2);
  for (let i = lo; i < hi; i++) {
    const a = i << 1;
    const ox = f64At(pos, a),
      oy = f64At(pos, a + 1);
    const px = ox - Lx * Math.floor(ox / Lx),
      py = oy - Ly * Math.floor(oy / Ly);
    let cx = Math.floor(px * ihx),
      cy = Math.floor(py * ihy);
    if (cx >= fnx) cx = fnx - 1;
    else if (cx < 0) cx = 0;
    if (cy >= fny) cy = fny - 1;
    else if (cy < 0) cy = 0;
    const cf = cy * fnx + cx;
    if (!(cf >= 0 && cf < fnc)) return 1;
    const cell = <i32>cf;
    store<f64>(w + (<usize>a << 3), px);
    store<f64>(w + (<usize>(a + 1) << 3), py);
    store<f64>(ref + (<usize>a << 3), ox);
    store<f64>(ref + (<usize>(a + 1) << 3), oy);
    store<i32>(cellOf + (<usize>i << 2), cell);
    const c = counts + (<usize>cell << 2);
    store<i32>(c, load<i32>(c) + 1);
  }
  return 0;
}

/**
 * The sort's scatter by thread t of T (SplitKernel.scatter): the cell starts (t = 0 writes them), this thread's
 * cursors, then ids [lo, hi) into the cell order (ids, posOf) with their wrapped positions into s, their wraps
 * (ref - w) into wrap and, with sp nonzero, their species (speciesOf) into sp.
 */
export function scatter(
  t: i32,
  T: i32,
  nc: i32,
  counts: usize,
  cursors: usize,
  start: usize,
  lo: i32,
  hi: i32,
  cellOf: usize,
  ids: usize,
  posOf: usize,
  w: usize,
  ref: usize,
  wrap: usize,
  s: usize,
  speciesOf: usize,
  sp: usize,
): void {
  const mine = cursors + (<usize>(t * nc) << 2);
  let run: i32 = 0;
  for (let c = 0; c < nc; c++) {
    if (t == 0) store<i32>(start + (<usize>c << 2), run);
    let before: i32 = 0;
    for (let u = 0; u < t; u++) before += i32At(counts, u * nc + c);
    store<i32>(mine + (<usize>c << 2), run + before);
    for (let u = 0; u < T; u++) run += i32At(counts, u * nc + c);
  }
  if (t == 0) store<i32>(start + (<usize>nc << 2), run);
  for (let i = lo; i < hi; i++) {
    const cur = mine + (<usize>i32At(cellOf, i) << 2);
    const q = load<i32>(cur);
    store<i32>(cur, q + 1);
    store<i32>(ids + (<usize>q << 2), i);
    store<i32>(posOf + (<usize>i << 2), q);
    const a = i << 1,
      b = q << 1;
    const wx = f64At(w, a),
      wy = f64At(w, a + 1);
    store<f64>(s + (<usize>b << 3), wx);
    store<f64>(s + (<usize>(b + 1) << 3), wy);
    store<f64>(wrap + (<usize>b << 3), f64At(ref, a) - wx);
    store<f64>(wrap + (<usize>(b + 1) << 3), f64At(ref, a + 1) - wy);
    if (sp != 0) store<i32>(sp + (<usize>q << 2), i32At(speciesOf, i));
  }
}

/**
 * The forces A + H of cell-order positions [lo, hi) into out at each particle's id (SplitKernel.combine); with cs
 * nonzero, also per chunk of `chunk` positions the trapezoid sums of the step xPrev -> x per species
 * (SplitKernel.combineSums: the heat -(f0 + f) / 2 . dx / dt and the displacements dx / dt, 3 numbers per species).
 * With du nonzero (a byte address: the step's displacements x - xPrev in cell order, as the last force phase gathered
 * them, the same subtraction) and sp (the species at cell-order positions), dx and the species are read there in
 * order instead of at each id: the same numbers, two fewer scattered reads per particle.
 */
export function combine(
  lo: i32,
  hi: i32,
  out: usize,
  A: usize,
  H: usize,
  ids: usize,
  x: usize,
  x0: usize,
  f0: usize,
  cs: usize,
  S: i32,
  speciesOf: usize,
  invDt: f64,
  chunk: i32,
  du: usize,
  sp: usize,
): void {
  if (cs == 0) {
    for (let q = lo; q < hi; q++) {
      const i = i32At(ids, q),
        a = i << 1,
        b = q << 1;
      store<f64>(out + (<usize>a << 3), f64At(A, b) + f64At(H, b));
      store<f64>(out + (<usize>(a + 1) << 3), f64At(A, b + 1) + f64At(H, b + 1));
    }
    return;
  }
  for (let c0 = lo; c0 < hi; c0 += chunk) {
    const base = cs + (<usize>((c0 / chunk) * S * 3) << 3),
      c1 = min(hi, c0 + chunk);
    memory.fill(base, 0, <usize>(S * 3) << 3);
    for (let q = c0; q < c1; q++) {
      const i = i32At(ids, q),
        a = i << 1,
        b = q << 1;
      const fx = f64At(A, b) + f64At(H, b),
        fy = f64At(A, b + 1) + f64At(H, b + 1);
      store<f64>(out + (<usize>a << 3), fx);
      store<f64>(out + (<usize>(a + 1) << 3), fy);
      let o: usize, dx: f64, dy: f64;
      if (du != 0) {
        o = base + (<usize>(i32At(sp, q) * 3) << 3);
        dx = f64At(du, b) * invDt;
        dy = f64At(du, b + 1) * invDt;
      } else {
        o = base + (<usize>(i32At(speciesOf, i) * 3) << 3);
        dx = (f64At(x, a) - f64At(x0, a)) * invDt;
        dy = (f64At(x, a + 1) - f64At(x0, a + 1)) * invDt;
      }
      store<f64>(o, load<f64>(o) - 0.5 * (f64At(f0, a) + fx) * dx);
      store<f64>(o + 8, load<f64>(o + 8) + dx);
      store<f64>(o, load<f64>(o) - 0.5 * (f64At(f0, a + 1) + fy) * dy);
      store<f64>(o + 16, load<f64>(o + 16) + dy);
    }
  }
}
