// The O(N) sweeps of a chain's tridiagonal pencil (src/linalg/sparse.ts, ChainPencil: countLanes, sweepLanes,
// complexSweepLanes) in AssemblyScript with WebAssembly SIMD, compiled by scripts/build-wasm.js into
// src/linalg/chainSweepsWasm.ts (base64, plain SIMD: no fused multiply-add, so that every lane does exactly the
// arithmetic of the JavaScript kernels, operation for operation, and the results are the same to the bit; the tests
// compare them) and run by src/linalg/chainSweeps.ts. Each recurrence is bound by the latency of its division; the
// real sweeps run eight shifts as four f64x2 vectors, the complex ones four frequencies as two pairs of vectors
// (real and imaginary parts).
//
// Memory is the caller's: every argument is a byte address or a count; no allocation here. b2 is padded: b2 + 8
// holds b_0^2 .. b_(n-2)^2, with one unused double before and after, so that the sweep reads the next coupling
// at every site in either direction.

@inline function f64At(base: usize, k: i32): f64 {
  return load<f64>(base + (<usize>k << 3));
}

/** Two lane counts (i64x2) stored as doubles. */
@inline function storeCounts(p: usize, c: v128): void {
  store<f64>(p, <f64>i64x2.extract_lane(c, 0));
  store<f64>(p, <f64>i64x2.extract_lane(c, 1), 8);
}

/**
 * Sturm counts at eight shifts lam[0..7] (ChainPencil.countLanes): out[0..7] the number of negative pivots of
 * V - lam M, the pivots r_k = a_k - b_(k-1)^2 / r_(k-1) with |r| below tiny replaced by tiny.
 */
export function countLanes(n: i32, v: usize, m: usize, b2: usize, tiny: f64, lam: usize, out: usize): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1);
  const t = f64x2.splat(tiny), nt = f64x2.splat(-tiny);
  const lA = v128.load(lam, 0);
  let rA = one, nA = i64x2.splat(0);
  const lB = v128.load(lam, 16);
  let rB = one, nB = i64x2.splat(0);
  const lC = v128.load(lam, 32);
  let rC = one, nC = i64x2.splat(0);
  const lD = v128.load(lam, 48);
  let rD = one, nD = i64x2.splat(0);
  let s = zero;
  for (let k = 0; k < n; k++) {
    const vk = f64x2.splat(f64At(v, k)), mk = f64x2.splat(f64At(m, k));
      rA = f64x2.sub(f64x2.sub(vk, f64x2.mul(lA, mk)), f64x2.div(s, rA));
      rA = v128.bitselect(rA, t, v128.or(f64x2.ge(rA, t), f64x2.le(rA, nt)));
      nA = i64x2.sub(nA, f64x2.lt(rA, zero));
      rB = f64x2.sub(f64x2.sub(vk, f64x2.mul(lB, mk)), f64x2.div(s, rB));
      rB = v128.bitselect(rB, t, v128.or(f64x2.ge(rB, t), f64x2.le(rB, nt)));
      nB = i64x2.sub(nB, f64x2.lt(rB, zero));
      rC = f64x2.sub(f64x2.sub(vk, f64x2.mul(lC, mk)), f64x2.div(s, rC));
      rC = v128.bitselect(rC, t, v128.or(f64x2.ge(rC, t), f64x2.le(rC, nt)));
      nC = i64x2.sub(nC, f64x2.lt(rC, zero));
      rD = f64x2.sub(f64x2.sub(vk, f64x2.mul(lD, mk)), f64x2.div(s, rD));
      rD = v128.bitselect(rD, t, v128.or(f64x2.ge(rD, t), f64x2.le(rD, nt)));
      nD = i64x2.sub(nD, f64x2.lt(rD, zero));
    s = f64x2.splat(f64At(b2, k + 1));
  }
  storeCounts(out + 0, nA);
  storeCounts(out + 16, nB);
  storeCounts(out + 32, nC);
  storeCounts(out + 48, nD);
}

/**
 * Sweeps with derivatives at eight shifts lam[0..7] (ChainPencil.sweepLanes), from the first site (reverse: from
 * the last): out[0..7] ln det' , out[8..15] the Laguerre curvature, out[16..23] the end weight, out[24..31] the
 * number of negative pivots.
 */
export function sweepLanes(n: i32, v: usize, m: usize, b2: usize, tiny: f64, lam: usize, reverse: i32, out: usize): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1), two = f64x2.splat(2), mone = f64x2.splat(-1);
  const t = f64x2.splat(tiny), nt = f64x2.splat(-tiny);
  const lA = v128.load(lam, 0);
  let qA = zero, rA = one, dA = zero, eA = zero, gA = zero, cA = zero, pA = zero, nA = i64x2.splat(0);
  const lB = v128.load(lam, 16);
  let qB = zero, rB = one, dB = zero, eB = zero, gB = zero, cB = zero, pB = zero, nB = i64x2.splat(0);
  const lC = v128.load(lam, 32);
  let qC = zero, rC = one, dC = zero, eC = zero, gC = zero, cC = zero, pC = zero, nC = i64x2.splat(0);
  const lD = v128.load(lam, 48);
  let qD = zero, rD = one, dD = zero, eD = zero, gD = zero, cD = zero, pD = zero, nD = i64x2.splat(0);
  let s = zero;
  // Forwards: site k, then b2[k] (at b2 + 8 (k + 1)); backwards: site k, then b2[k - 1] (at b2 + 8 k).
  const step: isize = reverse ? -8 : 8;
  let pv: isize = <isize>v + (reverse ? <isize>(n - 1) << 3 : 0);
  let pm: isize = <isize>m + (reverse ? <isize>(n - 1) << 3 : 0);
  let pb: isize = <isize>b2 + (reverse ? <isize>(n - 1) << 3 : 8);
  for (let j = 0; j < n; j++) {
    const vk = f64x2.splat(load<f64>(<usize>pv)), mk = f64x2.splat(load<f64>(<usize>pm));
    const nmk = f64x2.neg(mk);
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lA, mk)), f64x2.mul(s, qA));
        const qq = f64x2.mul(qA, qA);
        eA = f64x2.mul(f64x2.mul(s, qq), f64x2.sub(eA, f64x2.mul(f64x2.mul(f64x2.mul(two, dA), dA), qA)));
        dA = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dA), qq));
        rA = v128.bitselect(rn, t, v128.or(f64x2.ge(rn, t), f64x2.le(rn, nt)));
        qA = f64x2.div(one, rA);
        nA = i64x2.sub(nA, f64x2.lt(rA, zero));
        pA = gA;
        const u = f64x2.mul(dA, qA);
        gA = f64x2.add(gA, u);
        cA = f64x2.add(cA, f64x2.sub(f64x2.mul(u, u), f64x2.mul(eA, qA)));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lB, mk)), f64x2.mul(s, qB));
        const qq = f64x2.mul(qB, qB);
        eB = f64x2.mul(f64x2.mul(s, qq), f64x2.sub(eB, f64x2.mul(f64x2.mul(f64x2.mul(two, dB), dB), qB)));
        dB = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dB), qq));
        rB = v128.bitselect(rn, t, v128.or(f64x2.ge(rn, t), f64x2.le(rn, nt)));
        qB = f64x2.div(one, rB);
        nB = i64x2.sub(nB, f64x2.lt(rB, zero));
        pB = gB;
        const u = f64x2.mul(dB, qB);
        gB = f64x2.add(gB, u);
        cB = f64x2.add(cB, f64x2.sub(f64x2.mul(u, u), f64x2.mul(eB, qB)));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lC, mk)), f64x2.mul(s, qC));
        const qq = f64x2.mul(qC, qC);
        eC = f64x2.mul(f64x2.mul(s, qq), f64x2.sub(eC, f64x2.mul(f64x2.mul(f64x2.mul(two, dC), dC), qC)));
        dC = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dC), qq));
        rC = v128.bitselect(rn, t, v128.or(f64x2.ge(rn, t), f64x2.le(rn, nt)));
        qC = f64x2.div(one, rC);
        nC = i64x2.sub(nC, f64x2.lt(rC, zero));
        pC = gC;
        const u = f64x2.mul(dC, qC);
        gC = f64x2.add(gC, u);
        cC = f64x2.add(cC, f64x2.sub(f64x2.mul(u, u), f64x2.mul(eC, qC)));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lD, mk)), f64x2.mul(s, qD));
        const qq = f64x2.mul(qD, qD);
        eD = f64x2.mul(f64x2.mul(s, qq), f64x2.sub(eD, f64x2.mul(f64x2.mul(f64x2.mul(two, dD), dD), qD)));
        dD = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dD), qq));
        rD = v128.bitselect(rn, t, v128.or(f64x2.ge(rn, t), f64x2.le(rn, nt)));
        qD = f64x2.div(one, rD);
        nD = i64x2.sub(nD, f64x2.lt(rD, zero));
        pD = gD;
        const u = f64x2.mul(dD, qD);
        gD = f64x2.add(gD, u);
        cD = f64x2.add(cD, f64x2.sub(f64x2.mul(u, u), f64x2.mul(eD, qD)));
      }
    s = f64x2.splat(load<f64>(<usize>pb));
    pv += step;
    pm += step;
    pb += step;
  }
  v128.store(out, gA, 0);
  v128.store(out, cA, 64);
  v128.store(out, f64x2.div(mone, f64x2.add(dA, f64x2.mul(rA, pA))), 128);
  storeCounts(out + 192, nA);
  v128.store(out, gB, 16);
  v128.store(out, cB, 80);
  v128.store(out, f64x2.div(mone, f64x2.add(dB, f64x2.mul(rB, pB))), 144);
  storeCounts(out + 208, nB);
  v128.store(out, gC, 32);
  v128.store(out, cC, 96);
  v128.store(out, f64x2.div(mone, f64x2.add(dC, f64x2.mul(rC, pC))), 160);
  storeCounts(out + 224, nC);
  v128.store(out, gD, 48);
  v128.store(out, cD, 112);
  v128.store(out, f64x2.div(mone, f64x2.add(dD, f64x2.mul(rD, pD))), 176);
  storeCounts(out + 240, nD);
}

const HI: f64 = 1.6069380442589903e60; // 2^200
const LO: f64 = 6.223015277861142e-61; // 2^-200

/** 2^e for |e| <= 1022 (exact). */
@inline function pow2(e: i32): f64 {
  return reinterpret<f64>(<u64>(e + 1023) << 52);
}

/** floor(log2(x)) for 0 < x < Infinity, from the exponent bits (subnormals scaled up first). */
function floorLog2(x: f64): i32 {
  let bias = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18446744073709551616.0; // 2^64
    bias = 64;
  }
  return <i32>((reinterpret<u64>(x) >> 52) & 0x7ff) - 1023 - bias;
}

/**
 * Four complex sweeps of the damped pencil V - w^2 M - i w Gamma (Gamma = diag(g0, 0, ..., 0, g1)) at the
 * frequencies wr[l] + i wi[l] (ChainPencil.complexSweepLanes), from the first site: out (4 doubles each) ln det'
 * (re, im), the last pivot (re, im) and its derivative (re, im), p = prod b_k / f_k (re, im) times 2^(out[32..35]).
 * b: the couplings b_k = sqrt(b_k^2) (unpadded).
 */
export function complexSweepLanes(
  n: i32,
  v: usize,
  m: usize,
  b2: usize,
  bb: usize,
  wr: usize,
  wi: usize,
  g0: f64,
  g1: f64,
  out: usize,
): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1), two = f64x2.splat(2), mtwo = f64x2.splat(-2);
  const hi = f64x2.splat(HI), lo = f64x2.splat(LO);
  const aA = v128.load(wr, 0), cA = v128.load(wi, 0);
  const w2rA = f64x2.sub(f64x2.mul(aA, aA), f64x2.mul(cA, cA));
  const nw2iA = f64x2.neg(f64x2.mul(f64x2.mul(two, aA), cA));
  const m2aA = f64x2.mul(mtwo, aA), m2cA = f64x2.mul(mtwo, cA);
  let frA = one, fiA = zero, irA = zero, iiA = zero, drA = zero, diA = zero;
  let lrA = zero, liA = zero, prA = one, piA = zero;
  const aB = v128.load(wr, 16), cB = v128.load(wi, 16);
  const w2rB = f64x2.sub(f64x2.mul(aB, aB), f64x2.mul(cB, cB));
  const nw2iB = f64x2.neg(f64x2.mul(f64x2.mul(two, aB), cB));
  const m2aB = f64x2.mul(mtwo, aB), m2cB = f64x2.mul(mtwo, cB);
  let frB = one, fiB = zero, irB = zero, iiB = zero, drB = zero, diB = zero;
  let lrB = zero, liB = zero, prB = one, piB = zero;
  let x0: i32 = 0, x1: i32 = 0, x2: i32 = 0, x3: i32 = 0;
  let s = zero;
  for (let k = 0; k < n; k++) {
    const g = f64x2.splat(k === 0 ? g0 : k === n - 1 ? g1 : 0);
    const vk = f64x2.splat(f64At(v, k)), mk = f64x2.splat(f64At(m, k));
      {
        const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rA, mk)), f64x2.mul(g, cA)), f64x2.mul(s, irA));
        const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iA, mk), f64x2.mul(g, aA)), f64x2.mul(s, iiA));
        frA = fr;
        fiA = fi;
        const sqr = f64x2.sub(f64x2.mul(irA, irA), f64x2.mul(iiA, iiA));
        const sqi = f64x2.mul(f64x2.mul(two, irA), iiA);
        const nr = f64x2.add(f64x2.mul(m2aA, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drA, sqr), f64x2.mul(diA, sqi))));
        diA = f64x2.add(f64x2.sub(f64x2.mul(m2cA, mk), g), f64x2.mul(s, f64x2.add(f64x2.mul(drA, sqi), f64x2.mul(diA, sqr))));
        drA = nr;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irA = f64x2.mul(fr, q);
        iiA = f64x2.mul(f64x2.neg(fi), q);
        lrA = f64x2.add(lrA, f64x2.sub(f64x2.mul(drA, irA), f64x2.mul(diA, iiA)));
        liA = f64x2.add(liA, f64x2.add(f64x2.mul(drA, iiA), f64x2.mul(diA, irA)));
      }
      {
        const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rB, mk)), f64x2.mul(g, cB)), f64x2.mul(s, irB));
        const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iB, mk), f64x2.mul(g, aB)), f64x2.mul(s, iiB));
        frB = fr;
        fiB = fi;
        const sqr = f64x2.sub(f64x2.mul(irB, irB), f64x2.mul(iiB, iiB));
        const sqi = f64x2.mul(f64x2.mul(two, irB), iiB);
        const nr = f64x2.add(f64x2.mul(m2aB, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drB, sqr), f64x2.mul(diB, sqi))));
        diB = f64x2.add(f64x2.sub(f64x2.mul(m2cB, mk), g), f64x2.mul(s, f64x2.add(f64x2.mul(drB, sqi), f64x2.mul(diB, sqr))));
        drB = nr;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irB = f64x2.mul(fr, q);
        iiB = f64x2.mul(f64x2.neg(fi), q);
        lrB = f64x2.add(lrB, f64x2.sub(f64x2.mul(drB, irB), f64x2.mul(diB, iiB)));
        liB = f64x2.add(liB, f64x2.add(f64x2.mul(drB, iiB), f64x2.mul(diB, irB)));
      }
    if (k + 1 < n) {
      s = f64x2.splat(f64At(b2, k + 1));
      const b = f64x2.splat(f64At(bb, k));
        {
          const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prA, irA), f64x2.mul(piA, iiA)));
          piA = f64x2.mul(b, f64x2.add(f64x2.mul(prA, iiA), f64x2.mul(piA, irA)));
          prA = tr;
        }
        {
          const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prB, irB), f64x2.mul(piB, iiB)));
          piB = f64x2.mul(b, f64x2.add(f64x2.mul(prB, iiB), f64x2.mul(piB, irB)));
          prB = tr;
        }
      if ((k & 7) === 7) {
          {
            const big = f64x2.max(f64x2.abs(prA), f64x2.abs(piA));
            if (v128.any_true(v128.or(f64x2.gt(big, hi), v128.and(f64x2.lt(big, lo), f64x2.gt(big, zero))))) {
              let r0 = f64x2.extract_lane(prA, 0), i0 = f64x2.extract_lane(piA, 0);
              let r1 = f64x2.extract_lane(prA, 1), i1 = f64x2.extract_lane(piA, 1);
              const b0 = f64x2.extract_lane(big, 0), b1 = f64x2.extract_lane(big, 1);
              if (b0 > HI || (b0 < LO && b0 > 0)) {
                const e = floorLog2(b0);
                const f = pow2(-e);
                r0 *= f;
                i0 *= f;
                x0 += e;
              }
              if (b1 > HI || (b1 < LO && b1 > 0)) {
                const e = floorLog2(b1);
                const f = pow2(-e);
                r1 *= f;
                i1 *= f;
                x1 += e;
              }
              prA = f64x2.replace_lane(f64x2.splat(r0), 1, r1);
              piA = f64x2.replace_lane(f64x2.splat(i0), 1, i1);
            }
          }
          {
            const big = f64x2.max(f64x2.abs(prB), f64x2.abs(piB));
            if (v128.any_true(v128.or(f64x2.gt(big, hi), v128.and(f64x2.lt(big, lo), f64x2.gt(big, zero))))) {
              let r0 = f64x2.extract_lane(prB, 0), i0 = f64x2.extract_lane(piB, 0);
              let r1 = f64x2.extract_lane(prB, 1), i1 = f64x2.extract_lane(piB, 1);
              const b0 = f64x2.extract_lane(big, 0), b1 = f64x2.extract_lane(big, 1);
              if (b0 > HI || (b0 < LO && b0 > 0)) {
                const e = floorLog2(b0);
                const f = pow2(-e);
                r0 *= f;
                i0 *= f;
                x2 += e;
              }
              if (b1 > HI || (b1 < LO && b1 > 0)) {
                const e = floorLog2(b1);
                const f = pow2(-e);
                r1 *= f;
                i1 *= f;
                x3 += e;
              }
              prB = f64x2.replace_lane(f64x2.splat(r0), 1, r1);
              piB = f64x2.replace_lane(f64x2.splat(i0), 1, i1);
            }
          }
      }
    }
  }
  v128.store(out, lrA, 0);
  v128.store(out, liA, 32);
  v128.store(out, frA, 64);
  v128.store(out, fiA, 96);
  v128.store(out, drA, 128);
  v128.store(out, diA, 160);
  v128.store(out, prA, 192);
  v128.store(out, piA, 224);
  v128.store(out, lrB, 16);
  v128.store(out, liB, 48);
  v128.store(out, frB, 80);
  v128.store(out, fiB, 112);
  v128.store(out, drB, 144);
  v128.store(out, diB, 176);
  v128.store(out, prB, 208);
  v128.store(out, piB, 240);
  store<f64>(out, <f64>x0, 256);
  store<f64>(out, <f64>x1, 264);
  store<f64>(out, <f64>x2, 272);
  store<f64>(out, <f64>x3, 280);
}
