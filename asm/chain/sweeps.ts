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

/** Mantissa bits of a double, and the bits of 1.0 (ChainPencil.countLanes' determinant). */
const MANT: u64 = 0x000fffffffffffff;
const ONE_BITS: u64 = 0x3ff0000000000000;

/**
 * The biased exponent of |p| added to e (i64x2), and p brought to its mantissa in [1, 2) (f64x2): the same exact
 * operations as ChainPencil's JavaScript split (p is a product of eight pivots: normal, never zero).
 */
@inline function splitExponent(p: v128, e: v128): v128 {
  return i64x2.add(e, i64x2.shr_u(v128.and(p, i64x2.splat(0x7ff0000000000000)), 52));
}
@inline function mantissa(p: v128): v128 {
  return v128.or(v128.and(p, i64x2.splat(MANT)), i64x2.splat(ONE_BITS));
}

/**
 * Sturm counts at eight shifts lam[0..7] (ChainPencil.countLanes): out[0..7] the number of negative pivots of
 * V - lam M, the pivots r_k = a_k - b_(k-1)^2 / r_(k-1) with |r| below tiny replaced by tiny; and ln |det| as
 * out[8..15] + log2 out[16..23] (times ln 2): the product of the pivots multiplied up eight at a time, its exponent
 * split off after every eighth site and at the end (out[8..15]: the biased exponents' sum, less 1023 per split).
 */
export function countLanes(n: i32, v: usize, m: usize, b2: usize, tiny: f64, lam: usize, out: usize): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1);
  const t = f64x2.splat(tiny);
  const lA = v128.load(lam, 0);
  let rA = one, nA = i64x2.splat(0), pA = one, eA = i64x2.splat(0);
  const lB = v128.load(lam, 16);
  let rB = one, nB = i64x2.splat(0), pB = one, eB = i64x2.splat(0);
  const lC = v128.load(lam, 32);
  let rC = one, nC = i64x2.splat(0), pC = one, eC = i64x2.splat(0);
  const lD = v128.load(lam, 48);
  let rD = one, nD = i64x2.splat(0), pD = one, eD = i64x2.splat(0);
  let s = zero;
  let splits = 0;
  // The sites in blocks ending at multiples of eight (the exponent split after each: the same steps as one loop
  // with the test at every site).
  let k = 0;
  while (k < n) {
    const stop = min(n, (k | 7) + 1);
    for (; k < stop; k++) {
      const vk = f64x2.splat(f64At(v, k)), mk = f64x2.splat(f64At(m, k));
        rA = f64x2.sub(f64x2.sub(vk, f64x2.mul(lA, mk)), f64x2.div(s, rA));
        rA = v128.bitselect(rA, t, f64x2.ge(f64x2.abs(rA), t));
        nA = i64x2.sub(nA, f64x2.lt(rA, zero));
        pA = f64x2.mul(pA, rA);
        rB = f64x2.sub(f64x2.sub(vk, f64x2.mul(lB, mk)), f64x2.div(s, rB));
        rB = v128.bitselect(rB, t, f64x2.ge(f64x2.abs(rB), t));
        nB = i64x2.sub(nB, f64x2.lt(rB, zero));
        pB = f64x2.mul(pB, rB);
        rC = f64x2.sub(f64x2.sub(vk, f64x2.mul(lC, mk)), f64x2.div(s, rC));
        rC = v128.bitselect(rC, t, f64x2.ge(f64x2.abs(rC), t));
        nC = i64x2.sub(nC, f64x2.lt(rC, zero));
        pC = f64x2.mul(pC, rC);
        rD = f64x2.sub(f64x2.sub(vk, f64x2.mul(lD, mk)), f64x2.div(s, rD));
        rD = v128.bitselect(rD, t, f64x2.ge(f64x2.abs(rD), t));
        nD = i64x2.sub(nD, f64x2.lt(rD, zero));
        pD = f64x2.mul(pD, rD);
      s = f64x2.splat(f64At(b2, k + 1));
    }
    if ((k & 7) == 0) {
      eA = splitExponent(pA, eA);
      pA = mantissa(pA);
      eB = splitExponent(pB, eB);
      pB = mantissa(pB);
      eC = splitExponent(pC, eC);
      pC = mantissa(pC);
      eD = splitExponent(pD, eD);
      pD = mantissa(pD);
      splits++;
    }
  }
  eA = splitExponent(pA, eA);
  pA = mantissa(pA);
  eB = splitExponent(pB, eB);
  pB = mantissa(pB);
  eC = splitExponent(pC, eC);
  pC = mantissa(pC);
  eD = splitExponent(pD, eD);
  pD = mantissa(pD);
  splits++;
  const bias = i64x2.splat(<i64>1023 * <i64>splits);
  storeCounts(out + 0, nA);
  storeCounts(out + 16, nB);
  storeCounts(out + 32, nC);
  storeCounts(out + 48, nD);
  storeCounts(out + 64, i64x2.sub(eA, bias));
  storeCounts(out + 80, i64x2.sub(eB, bias));
  storeCounts(out + 96, i64x2.sub(eC, bias));
  storeCounts(out + 112, i64x2.sub(eD, bias));
  v128.store(out, pA, 128);
  v128.store(out, pB, 144);
  v128.store(out, pC, 160);
  v128.store(out, pD, 176);
}

/**
 * Sweeps with derivatives at eight shifts lam[0..7] (ChainPencil.sweepLanes), from the first site (reverse: from
 * the last): out[0..7] ln det' , out[8..15] the Laguerre curvature, out[16..23] the end weight, out[24..31] the
 * number of negative pivots, out[32..39] the last pivot's second derivative r''.
 */
export function sweepLanes(n: i32, v: usize, m: usize, b2: usize, tiny: f64, lam: usize, reverse: i32, out: usize): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1), two = f64x2.splat(2), mone = f64x2.splat(-1);
  const t = f64x2.splat(tiny);
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
        rA = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
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
        rB = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
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
        rC = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
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
        rD = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
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
  v128.store(out, eA, 256);
  v128.store(out, eB, 272);
  v128.store(out, eC, 288);
  v128.store(out, eD, 304);
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

/** Whether a lane of p = re + i im has left [2^-200, 2^200] (and is not zero): the JavaScript kernel's test. */
@inline function needsRescale(re: v128, im: v128): bool {
  const big = f64x2.max(f64x2.abs(re), f64x2.abs(im));
  return v128.any_true(
    v128.or(f64x2.gt(big, f64x2.splat(HI)), v128.and(f64x2.lt(big, f64x2.splat(LO)), f64x2.gt(big, f64x2.splat(0)))),
  );
}

/**
 * The power-of-two factors that bring the lanes of p = re + i im that need it back to [1, 2) (1 for the others), as
 * the JavaScript kernel does lane by lane; their exponents are added to the two doubles at `exps`.
 */
function rescale(re: v128, im: v128, exps: usize): v128 {
  const big = f64x2.max(f64x2.abs(re), f64x2.abs(im));
  const b0 = f64x2.extract_lane(big, 0),
    b1 = f64x2.extract_lane(big, 1);
  let f0: f64 = 1,
    f1: f64 = 1;
  if (b0 > HI || (b0 < LO && b0 > 0)) {
    const e = floorLog2(b0);
    f0 = pow2(-e);
    store<f64>(exps, load<f64>(exps) + <f64>e);
  }
  if (b1 > HI || (b1 < LO && b1 > 0)) {
    const e = floorLog2(b1);
    f1 = pow2(-e);
    store<f64>(exps, load<f64>(exps, 8) + <f64>e, 8);
  }
  return f64x2.replace_lane(f64x2.splat(f0), 1, f1);
}

/**
 * Eight complex sweeps of the damped pencil V - w^2 M - i w Gamma (Gamma = diag(g0, 0, ..., 0, g1)) at the
 * frequencies wr[l] + i wi[l] (ChainPencil.complexSweepLanes), from the first site: out (8 doubles each) ln det'
 * (re, im), the last pivot (re, im) and its derivative (re, im), p = prod b_k / f_k (re, im) times 2^(out[64..71]), in 8 doubles each from out.
 * bb: the couplings b_k = sqrt(b_k^2) (unpadded).
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
  const zero = f64x2.splat(0),
    one = f64x2.splat(1),
    two = f64x2.splat(2),
    mtwo = f64x2.splat(-2);
  const aA = v128.load(wr, 0), cA = v128.load(wi, 0);
  const w2rA = f64x2.sub(f64x2.mul(aA, aA), f64x2.mul(cA, cA));
  const nw2iA = f64x2.neg(f64x2.mul(f64x2.mul(two, aA), cA));
  const m2aA = f64x2.mul(mtwo, aA),
    m2cA = f64x2.mul(mtwo, cA);
  let drA = zero,
    diA = zero,
    lrA = zero,
    liA = zero;
  let frA = one,
    fiA = zero,
    irA = zero,
    iiA = zero,
    prA = one,
    piA = zero;
  const aB = v128.load(wr, 16), cB = v128.load(wi, 16);
  const w2rB = f64x2.sub(f64x2.mul(aB, aB), f64x2.mul(cB, cB));
  const nw2iB = f64x2.neg(f64x2.mul(f64x2.mul(two, aB), cB));
  const m2aB = f64x2.mul(mtwo, aB),
    m2cB = f64x2.mul(mtwo, cB);
  let drB = zero,
    diB = zero,
    lrB = zero,
    liB = zero;
  let frB = one,
    fiB = zero,
    irB = zero,
    iiB = zero,
    prB = one,
    piB = zero;
  const aC = v128.load(wr, 32), cC = v128.load(wi, 32);
  const w2rC = f64x2.sub(f64x2.mul(aC, aC), f64x2.mul(cC, cC));
  const nw2iC = f64x2.neg(f64x2.mul(f64x2.mul(two, aC), cC));
  const m2aC = f64x2.mul(mtwo, aC),
    m2cC = f64x2.mul(mtwo, cC);
  let drC = zero,
    diC = zero,
    lrC = zero,
    liC = zero;
  let frC = one,
    fiC = zero,
    irC = zero,
    iiC = zero,
    prC = one,
    piC = zero;
  const aD = v128.load(wr, 48), cD = v128.load(wi, 48);
  const w2rD = f64x2.sub(f64x2.mul(aD, aD), f64x2.mul(cD, cD));
  const nw2iD = f64x2.neg(f64x2.mul(f64x2.mul(two, aD), cD));
  const m2aD = f64x2.mul(mtwo, aD),
    m2cD = f64x2.mul(mtwo, cD);
  let drD = zero,
    diD = zero,
    lrD = zero,
    liD = zero;
  let frD = one,
    fiD = zero,
    irD = zero,
    iiD = zero,
    prD = one,
    piD = zero;
  for (let l = 0; l < 8; l++) store<f64>(out + 512 + (<usize>l << 3), 0);
  let s = zero;
  // The loop over the sites k = 0 .. n - 1, its first and last steps peeled (n >= 2): the damped ends are the only
  // sites with a friction term, the interior ones skip its arithmetic (which would add exact zeros there) and the
  // test of k at every step (the same arithmetic, the same results to the bit; with the blocks of eight below,
  // complexSweepLanes and complexEndLanes take 0.81 and 0.75 of the time per pass with the tests in the loop).
  {
    const k = 0;
    const vk = f64x2.splat(f64At(v, k)),
      mk = f64x2.splat(f64At(m, k));
    const g = f64x2.splat(g0);
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
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rC, mk)), f64x2.mul(g, cC)), f64x2.mul(s, irC));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iC, mk), f64x2.mul(g, aC)), f64x2.mul(s, iiC));
      frC = fr;
      fiC = fi;
      const sqr = f64x2.sub(f64x2.mul(irC, irC), f64x2.mul(iiC, iiC));
      const sqi = f64x2.mul(f64x2.mul(two, irC), iiC);
      const nr = f64x2.add(f64x2.mul(m2aC, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drC, sqr), f64x2.mul(diC, sqi))));
      diC = f64x2.add(f64x2.sub(f64x2.mul(m2cC, mk), g), f64x2.mul(s, f64x2.add(f64x2.mul(drC, sqi), f64x2.mul(diC, sqr))));
      drC = nr;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irC = f64x2.mul(fr, q);
      iiC = f64x2.mul(f64x2.neg(fi), q);
      lrC = f64x2.add(lrC, f64x2.sub(f64x2.mul(drC, irC), f64x2.mul(diC, iiC)));
      liC = f64x2.add(liC, f64x2.add(f64x2.mul(drC, iiC), f64x2.mul(diC, irC)));
    }
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rD, mk)), f64x2.mul(g, cD)), f64x2.mul(s, irD));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iD, mk), f64x2.mul(g, aD)), f64x2.mul(s, iiD));
      frD = fr;
      fiD = fi;
      const sqr = f64x2.sub(f64x2.mul(irD, irD), f64x2.mul(iiD, iiD));
      const sqi = f64x2.mul(f64x2.mul(two, irD), iiD);
      const nr = f64x2.add(f64x2.mul(m2aD, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drD, sqr), f64x2.mul(diD, sqi))));
      diD = f64x2.add(f64x2.sub(f64x2.mul(m2cD, mk), g), f64x2.mul(s, f64x2.add(f64x2.mul(drD, sqi), f64x2.mul(diD, sqr))));
      drD = nr;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irD = f64x2.mul(fr, q);
      iiD = f64x2.mul(f64x2.neg(fi), q);
      lrD = f64x2.add(lrD, f64x2.sub(f64x2.mul(drD, irD), f64x2.mul(diD, iiD)));
      liD = f64x2.add(liD, f64x2.add(f64x2.mul(drD, iiD), f64x2.mul(diD, irD)));
    }
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
    {
      const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prC, irC), f64x2.mul(piC, iiC)));
      piC = f64x2.mul(b, f64x2.add(f64x2.mul(prC, iiC), f64x2.mul(piC, irC)));
      prC = tr;
    }
    {
      const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prD, irD), f64x2.mul(piD, iiD)));
      piD = f64x2.mul(b, f64x2.add(f64x2.mul(prD, iiD), f64x2.mul(piD, irD)));
      prD = tr;
    }
  }
  // The interior sites in blocks ending at multiples of eight (p rescaled after each: the same steps as one
  // loop with the test at every site).
  let k = 1;
  while (k < n - 1) {
    const stop = min(n - 1, (k | 7) + 1);
    for (; k < stop; k++) {
      const vk = f64x2.splat(f64At(v, k)),
        mk = f64x2.splat(f64At(m, k));
      {
        const fr = f64x2.sub(f64x2.sub(vk, f64x2.mul(w2rA, mk)), f64x2.mul(s, irA));
        const fi = f64x2.sub(f64x2.mul(nw2iA, mk), f64x2.mul(s, iiA));
        frA = fr;
        fiA = fi;
        const sqr = f64x2.sub(f64x2.mul(irA, irA), f64x2.mul(iiA, iiA));
        const sqi = f64x2.mul(f64x2.mul(two, irA), iiA);
        const nr = f64x2.add(f64x2.mul(m2aA, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drA, sqr), f64x2.mul(diA, sqi))));
        diA = f64x2.add(f64x2.mul(m2cA, mk), f64x2.mul(s, f64x2.add(f64x2.mul(drA, sqi), f64x2.mul(diA, sqr))));
        drA = nr;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irA = f64x2.mul(fr, q);
        iiA = f64x2.mul(f64x2.neg(fi), q);
        lrA = f64x2.add(lrA, f64x2.sub(f64x2.mul(drA, irA), f64x2.mul(diA, iiA)));
        liA = f64x2.add(liA, f64x2.add(f64x2.mul(drA, iiA), f64x2.mul(diA, irA)));
      }
      {
        const fr = f64x2.sub(f64x2.sub(vk, f64x2.mul(w2rB, mk)), f64x2.mul(s, irB));
        const fi = f64x2.sub(f64x2.mul(nw2iB, mk), f64x2.mul(s, iiB));
        frB = fr;
        fiB = fi;
        const sqr = f64x2.sub(f64x2.mul(irB, irB), f64x2.mul(iiB, iiB));
        const sqi = f64x2.mul(f64x2.mul(two, irB), iiB);
        const nr = f64x2.add(f64x2.mul(m2aB, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drB, sqr), f64x2.mul(diB, sqi))));
        diB = f64x2.add(f64x2.mul(m2cB, mk), f64x2.mul(s, f64x2.add(f64x2.mul(drB, sqi), f64x2.mul(diB, sqr))));
        drB = nr;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irB = f64x2.mul(fr, q);
        iiB = f64x2.mul(f64x2.neg(fi), q);
        lrB = f64x2.add(lrB, f64x2.sub(f64x2.mul(drB, irB), f64x2.mul(diB, iiB)));
        liB = f64x2.add(liB, f64x2.add(f64x2.mul(drB, iiB), f64x2.mul(diB, irB)));
      }
      {
        const fr = f64x2.sub(f64x2.sub(vk, f64x2.mul(w2rC, mk)), f64x2.mul(s, irC));
        const fi = f64x2.sub(f64x2.mul(nw2iC, mk), f64x2.mul(s, iiC));
        frC = fr;
        fiC = fi;
        const sqr = f64x2.sub(f64x2.mul(irC, irC), f64x2.mul(iiC, iiC));
        const sqi = f64x2.mul(f64x2.mul(two, irC), iiC);
        const nr = f64x2.add(f64x2.mul(m2aC, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drC, sqr), f64x2.mul(diC, sqi))));
        diC = f64x2.add(f64x2.mul(m2cC, mk), f64x2.mul(s, f64x2.add(f64x2.mul(drC, sqi), f64x2.mul(diC, sqr))));
        drC = nr;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irC = f64x2.mul(fr, q);
        iiC = f64x2.mul(f64x2.neg(fi), q);
        lrC = f64x2.add(lrC, f64x2.sub(f64x2.mul(drC, irC), f64x2.mul(diC, iiC)));
        liC = f64x2.add(liC, f64x2.add(f64x2.mul(drC, iiC), f64x2.mul(diC, irC)));
      }
      {
        const fr = f64x2.sub(f64x2.sub(vk, f64x2.mul(w2rD, mk)), f64x2.mul(s, irD));
        const fi = f64x2.sub(f64x2.mul(nw2iD, mk), f64x2.mul(s, iiD));
        frD = fr;
        fiD = fi;
        const sqr = f64x2.sub(f64x2.mul(irD, irD), f64x2.mul(iiD, iiD));
        const sqi = f64x2.mul(f64x2.mul(two, irD), iiD);
        const nr = f64x2.add(f64x2.mul(m2aD, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drD, sqr), f64x2.mul(diD, sqi))));
        diD = f64x2.add(f64x2.mul(m2cD, mk), f64x2.mul(s, f64x2.add(f64x2.mul(drD, sqi), f64x2.mul(diD, sqr))));
        drD = nr;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irD = f64x2.mul(fr, q);
        iiD = f64x2.mul(f64x2.neg(fi), q);
        lrD = f64x2.add(lrD, f64x2.sub(f64x2.mul(drD, irD), f64x2.mul(diD, iiD)));
        liD = f64x2.add(liD, f64x2.add(f64x2.mul(drD, iiD), f64x2.mul(diD, irD)));
      }
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
      {
        const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prC, irC), f64x2.mul(piC, iiC)));
        piC = f64x2.mul(b, f64x2.add(f64x2.mul(prC, iiC), f64x2.mul(piC, irC)));
        prC = tr;
      }
      {
        const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prD, irD), f64x2.mul(piD, iiD)));
        piD = f64x2.mul(b, f64x2.add(f64x2.mul(prD, iiD), f64x2.mul(piD, irD)));
        prD = tr;
      }
    }
    if ((k & 7) === 0) {
      if (needsRescale(prA, piA)) {
        const a = rescale(prA, piA, out + 512);
        prA = f64x2.mul(prA, a);
        piA = f64x2.mul(piA, a);
      }
      if (needsRescale(prB, piB)) {
        const a = rescale(prB, piB, out + 528);
        prB = f64x2.mul(prB, a);
        piB = f64x2.mul(piB, a);
      }
      if (needsRescale(prC, piC)) {
        const a = rescale(prC, piC, out + 544);
        prC = f64x2.mul(prC, a);
        piC = f64x2.mul(piC, a);
      }
      if (needsRescale(prD, piD)) {
        const a = rescale(prD, piD, out + 560);
        prD = f64x2.mul(prD, a);
        piD = f64x2.mul(piD, a);
      }
    }
  }
  {
    const k = n - 1;
    const vk = f64x2.splat(f64At(v, k)),
      mk = f64x2.splat(f64At(m, k));
    const g = f64x2.splat(g1);
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
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rC, mk)), f64x2.mul(g, cC)), f64x2.mul(s, irC));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iC, mk), f64x2.mul(g, aC)), f64x2.mul(s, iiC));
      frC = fr;
      fiC = fi;
      const sqr = f64x2.sub(f64x2.mul(irC, irC), f64x2.mul(iiC, iiC));
      const sqi = f64x2.mul(f64x2.mul(two, irC), iiC);
      const nr = f64x2.add(f64x2.mul(m2aC, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drC, sqr), f64x2.mul(diC, sqi))));
      diC = f64x2.add(f64x2.sub(f64x2.mul(m2cC, mk), g), f64x2.mul(s, f64x2.add(f64x2.mul(drC, sqi), f64x2.mul(diC, sqr))));
      drC = nr;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irC = f64x2.mul(fr, q);
      iiC = f64x2.mul(f64x2.neg(fi), q);
      lrC = f64x2.add(lrC, f64x2.sub(f64x2.mul(drC, irC), f64x2.mul(diC, iiC)));
      liC = f64x2.add(liC, f64x2.add(f64x2.mul(drC, iiC), f64x2.mul(diC, irC)));
    }
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rD, mk)), f64x2.mul(g, cD)), f64x2.mul(s, irD));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iD, mk), f64x2.mul(g, aD)), f64x2.mul(s, iiD));
      frD = fr;
      fiD = fi;
      const sqr = f64x2.sub(f64x2.mul(irD, irD), f64x2.mul(iiD, iiD));
      const sqi = f64x2.mul(f64x2.mul(two, irD), iiD);
      const nr = f64x2.add(f64x2.mul(m2aD, mk), f64x2.mul(s, f64x2.sub(f64x2.mul(drD, sqr), f64x2.mul(diD, sqi))));
      diD = f64x2.add(f64x2.sub(f64x2.mul(m2cD, mk), g), f64x2.mul(s, f64x2.add(f64x2.mul(drD, sqi), f64x2.mul(diD, sqr))));
      drD = nr;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irD = f64x2.mul(fr, q);
      iiD = f64x2.mul(f64x2.neg(fi), q);
      lrD = f64x2.add(lrD, f64x2.sub(f64x2.mul(drD, irD), f64x2.mul(diD, iiD)));
      liD = f64x2.add(liD, f64x2.add(f64x2.mul(drD, iiD), f64x2.mul(diD, irD)));
    }
  }
  v128.store(out, lrA, 0);
  v128.store(out, liA, 64);
  v128.store(out, frA, 128);
  v128.store(out, fiA, 192);
  v128.store(out, drA, 256);
  v128.store(out, diA, 320);
  v128.store(out, prA, 384);
  v128.store(out, piA, 448);
  v128.store(out, lrB, 16);
  v128.store(out, liB, 80);
  v128.store(out, frB, 144);
  v128.store(out, fiB, 208);
  v128.store(out, drB, 272);
  v128.store(out, diB, 336);
  v128.store(out, prB, 400);
  v128.store(out, piB, 464);
  v128.store(out, lrC, 32);
  v128.store(out, liC, 96);
  v128.store(out, frC, 160);
  v128.store(out, fiC, 224);
  v128.store(out, drC, 288);
  v128.store(out, diC, 352);
  v128.store(out, prC, 416);
  v128.store(out, piC, 480);
  v128.store(out, lrD, 48);
  v128.store(out, liD, 112);
  v128.store(out, frD, 176);
  v128.store(out, fiD, 240);
  v128.store(out, drD, 304);
  v128.store(out, diD, 368);
  v128.store(out, prD, 432);
  v128.store(out, piD, 496);
}

/**
 * The last pivot and p of complexSweepLanes only (ChainPencil.complexEndLanes: G_0n = (-1)^(n-1) p / f_n at eight
 * frequencies, without the derivatives): the same arithmetic for those, so the same results to the bit, in about
 * half the operations. Output at the same places as complexSweepLanes (the other places are not written).
 */
export function complexEndLanes(
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
  const zero = f64x2.splat(0),
    one = f64x2.splat(1),
    two = f64x2.splat(2);
  const aA = v128.load(wr, 0), cA = v128.load(wi, 0);
  const w2rA = f64x2.sub(f64x2.mul(aA, aA), f64x2.mul(cA, cA));
  const nw2iA = f64x2.neg(f64x2.mul(f64x2.mul(two, aA), cA));
  let frA = one,
    fiA = zero,
    irA = zero,
    iiA = zero,
    prA = one,
    piA = zero;
  const aB = v128.load(wr, 16), cB = v128.load(wi, 16);
  const w2rB = f64x2.sub(f64x2.mul(aB, aB), f64x2.mul(cB, cB));
  const nw2iB = f64x2.neg(f64x2.mul(f64x2.mul(two, aB), cB));
  let frB = one,
    fiB = zero,
    irB = zero,
    iiB = zero,
    prB = one,
    piB = zero;
  const aC = v128.load(wr, 32), cC = v128.load(wi, 32);
  const w2rC = f64x2.sub(f64x2.mul(aC, aC), f64x2.mul(cC, cC));
  const nw2iC = f64x2.neg(f64x2.mul(f64x2.mul(two, aC), cC));
  let frC = one,
    fiC = zero,
    irC = zero,
    iiC = zero,
    prC = one,
    piC = zero;
  const aD = v128.load(wr, 48), cD = v128.load(wi, 48);
  const w2rD = f64x2.sub(f64x2.mul(aD, aD), f64x2.mul(cD, cD));
  const nw2iD = f64x2.neg(f64x2.mul(f64x2.mul(two, aD), cD));
  let frD = one,
    fiD = zero,
    irD = zero,
    iiD = zero,
    prD = one,
    piD = zero;
  for (let l = 0; l < 8; l++) store<f64>(out + 512 + (<usize>l << 3), 0);
  let s = zero;
  // The loop over the sites k = 0 .. n - 1, its first and last steps peeled (n >= 2): the damped ends are the only
  // sites with a friction term, the interior ones skip its arithmetic (which would add exact zeros there) and the
  // test of k at every step (the same arithmetic, the same results to the bit; with the blocks of eight below,
  // complexSweepLanes and complexEndLanes take 0.81 and 0.75 of the time per pass with the tests in the loop).
  {
    const k = 0;
    const vk = f64x2.splat(f64At(v, k)),
      mk = f64x2.splat(f64At(m, k));
    const g = f64x2.splat(g0);
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rA, mk)), f64x2.mul(g, cA)), f64x2.mul(s, irA));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iA, mk), f64x2.mul(g, aA)), f64x2.mul(s, iiA));
      frA = fr;
      fiA = fi;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irA = f64x2.mul(fr, q);
      iiA = f64x2.mul(f64x2.neg(fi), q);
    }
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rB, mk)), f64x2.mul(g, cB)), f64x2.mul(s, irB));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iB, mk), f64x2.mul(g, aB)), f64x2.mul(s, iiB));
      frB = fr;
      fiB = fi;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irB = f64x2.mul(fr, q);
      iiB = f64x2.mul(f64x2.neg(fi), q);
    }
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rC, mk)), f64x2.mul(g, cC)), f64x2.mul(s, irC));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iC, mk), f64x2.mul(g, aC)), f64x2.mul(s, iiC));
      frC = fr;
      fiC = fi;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irC = f64x2.mul(fr, q);
      iiC = f64x2.mul(f64x2.neg(fi), q);
    }
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rD, mk)), f64x2.mul(g, cD)), f64x2.mul(s, irD));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iD, mk), f64x2.mul(g, aD)), f64x2.mul(s, iiD));
      frD = fr;
      fiD = fi;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irD = f64x2.mul(fr, q);
      iiD = f64x2.mul(f64x2.neg(fi), q);
    }
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
    {
      const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prC, irC), f64x2.mul(piC, iiC)));
      piC = f64x2.mul(b, f64x2.add(f64x2.mul(prC, iiC), f64x2.mul(piC, irC)));
      prC = tr;
    }
    {
      const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prD, irD), f64x2.mul(piD, iiD)));
      piD = f64x2.mul(b, f64x2.add(f64x2.mul(prD, iiD), f64x2.mul(piD, irD)));
      prD = tr;
    }
  }
  // The interior sites in blocks ending at multiples of eight (p rescaled after each: the same steps as one
  // loop with the test at every site).
  let k = 1;
  while (k < n - 1) {
    const stop = min(n - 1, (k | 7) + 1);
    for (; k < stop; k++) {
      const vk = f64x2.splat(f64At(v, k)),
        mk = f64x2.splat(f64At(m, k));
      {
        const fr = f64x2.sub(f64x2.sub(vk, f64x2.mul(w2rA, mk)), f64x2.mul(s, irA));
        const fi = f64x2.sub(f64x2.mul(nw2iA, mk), f64x2.mul(s, iiA));
        frA = fr;
        fiA = fi;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irA = f64x2.mul(fr, q);
        iiA = f64x2.mul(f64x2.neg(fi), q);
      }
      {
        const fr = f64x2.sub(f64x2.sub(vk, f64x2.mul(w2rB, mk)), f64x2.mul(s, irB));
        const fi = f64x2.sub(f64x2.mul(nw2iB, mk), f64x2.mul(s, iiB));
        frB = fr;
        fiB = fi;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irB = f64x2.mul(fr, q);
        iiB = f64x2.mul(f64x2.neg(fi), q);
      }
      {
        const fr = f64x2.sub(f64x2.sub(vk, f64x2.mul(w2rC, mk)), f64x2.mul(s, irC));
        const fi = f64x2.sub(f64x2.mul(nw2iC, mk), f64x2.mul(s, iiC));
        frC = fr;
        fiC = fi;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irC = f64x2.mul(fr, q);
        iiC = f64x2.mul(f64x2.neg(fi), q);
      }
      {
        const fr = f64x2.sub(f64x2.sub(vk, f64x2.mul(w2rD, mk)), f64x2.mul(s, irD));
        const fi = f64x2.sub(f64x2.mul(nw2iD, mk), f64x2.mul(s, iiD));
        frD = fr;
        fiD = fi;
        const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
        irD = f64x2.mul(fr, q);
        iiD = f64x2.mul(f64x2.neg(fi), q);
      }
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
      {
        const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prC, irC), f64x2.mul(piC, iiC)));
        piC = f64x2.mul(b, f64x2.add(f64x2.mul(prC, iiC), f64x2.mul(piC, irC)));
        prC = tr;
      }
      {
        const tr = f64x2.mul(b, f64x2.sub(f64x2.mul(prD, irD), f64x2.mul(piD, iiD)));
        piD = f64x2.mul(b, f64x2.add(f64x2.mul(prD, iiD), f64x2.mul(piD, irD)));
        prD = tr;
      }
    }
    if ((k & 7) === 0) {
      if (needsRescale(prA, piA)) {
        const a = rescale(prA, piA, out + 512);
        prA = f64x2.mul(prA, a);
        piA = f64x2.mul(piA, a);
      }
      if (needsRescale(prB, piB)) {
        const a = rescale(prB, piB, out + 528);
        prB = f64x2.mul(prB, a);
        piB = f64x2.mul(piB, a);
      }
      if (needsRescale(prC, piC)) {
        const a = rescale(prC, piC, out + 544);
        prC = f64x2.mul(prC, a);
        piC = f64x2.mul(piC, a);
      }
      if (needsRescale(prD, piD)) {
        const a = rescale(prD, piD, out + 560);
        prD = f64x2.mul(prD, a);
        piD = f64x2.mul(piD, a);
      }
    }
  }
  {
    const k = n - 1;
    const vk = f64x2.splat(f64At(v, k)),
      mk = f64x2.splat(f64At(m, k));
    const g = f64x2.splat(g1);
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rA, mk)), f64x2.mul(g, cA)), f64x2.mul(s, irA));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iA, mk), f64x2.mul(g, aA)), f64x2.mul(s, iiA));
      frA = fr;
      fiA = fi;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irA = f64x2.mul(fr, q);
      iiA = f64x2.mul(f64x2.neg(fi), q);
    }
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rB, mk)), f64x2.mul(g, cB)), f64x2.mul(s, irB));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iB, mk), f64x2.mul(g, aB)), f64x2.mul(s, iiB));
      frB = fr;
      fiB = fi;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irB = f64x2.mul(fr, q);
      iiB = f64x2.mul(f64x2.neg(fi), q);
    }
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rC, mk)), f64x2.mul(g, cC)), f64x2.mul(s, irC));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iC, mk), f64x2.mul(g, aC)), f64x2.mul(s, iiC));
      frC = fr;
      fiC = fi;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irC = f64x2.mul(fr, q);
      iiC = f64x2.mul(f64x2.neg(fi), q);
    }
    {
      const fr = f64x2.sub(f64x2.add(f64x2.sub(vk, f64x2.mul(w2rD, mk)), f64x2.mul(g, cD)), f64x2.mul(s, irD));
      const fi = f64x2.sub(f64x2.sub(f64x2.mul(nw2iD, mk), f64x2.mul(g, aD)), f64x2.mul(s, iiD));
      frD = fr;
      fiD = fi;
      const q = f64x2.div(one, f64x2.add(f64x2.mul(fr, fr), f64x2.mul(fi, fi)));
      irD = f64x2.mul(fr, q);
      iiD = f64x2.mul(f64x2.neg(fi), q);
    }
  }
  v128.store(out, frA, 128);
  v128.store(out, fiA, 192);
  v128.store(out, prA, 384);
  v128.store(out, piA, 448);
  v128.store(out, frB, 144);
  v128.store(out, fiB, 208);
  v128.store(out, prB, 400);
  v128.store(out, piB, 464);
  v128.store(out, frC, 160);
  v128.store(out, fiC, 224);
  v128.store(out, prC, 416);
  v128.store(out, piC, 480);
  v128.store(out, frD, 176);
  v128.store(out, fiD, 240);
  v128.store(out, prD, 432);
  v128.store(out, piD, 496);
}

/**
 * The end weight of sweepLanes only (ChainPencil.endWeightLanes): the pivots, their derivative and ln det', the same
 * arithmetic as sweepLanes for those, so the same end weights to the bit, without the Laguerre curvature and the
 * count (about half the operations). out[16..23] and out[32..39] (r'') as in sweepLanes, and out[0..7] the slope
 * -r' / r^2 of the end's undamped Green's function 1 / r (r: the last pivot; the other places are not written).
 */
export function endWeightLanes(n: i32, v: usize, m: usize, b2: usize, tiny: f64, lam: usize, reverse: i32, out: usize): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1), two = f64x2.splat(2), mone = f64x2.splat(-1);
  const t = f64x2.splat(tiny);
  const lA = v128.load(lam, 0);
  let qA = zero, rA = one, dA = zero, eA = zero, gA = zero, pA = zero;
  const lB = v128.load(lam, 16);
  let qB = zero, rB = one, dB = zero, eB = zero, gB = zero, pB = zero;
  const lC = v128.load(lam, 32);
  let qC = zero, rC = one, dC = zero, eC = zero, gC = zero, pC = zero;
  const lD = v128.load(lam, 48);
  let qD = zero, rD = one, dD = zero, eD = zero, gD = zero, pD = zero;
  let s = zero;
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
        rA = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
        qA = f64x2.div(one, rA);
        pA = gA;
        gA = f64x2.add(gA, f64x2.mul(dA, qA));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lB, mk)), f64x2.mul(s, qB));
        const qq = f64x2.mul(qB, qB);
        eB = f64x2.mul(f64x2.mul(s, qq), f64x2.sub(eB, f64x2.mul(f64x2.mul(f64x2.mul(two, dB), dB), qB)));
        dB = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dB), qq));
        rB = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
        qB = f64x2.div(one, rB);
        pB = gB;
        gB = f64x2.add(gB, f64x2.mul(dB, qB));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lC, mk)), f64x2.mul(s, qC));
        const qq = f64x2.mul(qC, qC);
        eC = f64x2.mul(f64x2.mul(s, qq), f64x2.sub(eC, f64x2.mul(f64x2.mul(f64x2.mul(two, dC), dC), qC)));
        dC = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dC), qq));
        rC = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
        qC = f64x2.div(one, rC);
        pC = gC;
        gC = f64x2.add(gC, f64x2.mul(dC, qC));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lD, mk)), f64x2.mul(s, qD));
        const qq = f64x2.mul(qD, qD);
        eD = f64x2.mul(f64x2.mul(s, qq), f64x2.sub(eD, f64x2.mul(f64x2.mul(f64x2.mul(two, dD), dD), qD)));
        dD = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dD), qq));
        rD = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
        qD = f64x2.div(one, rD);
        pD = gD;
        gD = f64x2.add(gD, f64x2.mul(dD, qD));
      }
    s = f64x2.splat(load<f64>(<usize>pb));
    pv += step;
    pm += step;
    pb += step;
  }
  v128.store(out, f64x2.div(mone, f64x2.add(dA, f64x2.mul(rA, pA))), 128);
  v128.store(out, f64x2.div(mone, f64x2.add(dB, f64x2.mul(rB, pB))), 144);
  v128.store(out, f64x2.div(mone, f64x2.add(dC, f64x2.mul(rC, pC))), 160);
  v128.store(out, f64x2.div(mone, f64x2.add(dD, f64x2.mul(rD, pD))), 176);
  v128.store(out, eA, 256);
  v128.store(out, eB, 272);
  v128.store(out, eC, 288);
  v128.store(out, eD, 304);
  v128.store(out, f64x2.div(f64x2.neg(dA), f64x2.mul(rA, rA)), 0);
  v128.store(out, f64x2.div(f64x2.neg(dB), f64x2.mul(rB, rB)), 16);
  v128.store(out, f64x2.div(f64x2.neg(dC), f64x2.mul(rC, rC)), 32);
  v128.store(out, f64x2.div(f64x2.neg(dD), f64x2.mul(rD, rD)), 48);
}

/**
 * The count and end slope of sweepLanes only (ChainPencil.slopeLanes): the pivots and their derivative r' by the same
 * arithmetic as sweepLanes, so the same count and slope to the bit, without ln det', the curvature and r'' (about a
 * third of sweepLanes' operations). out[0..7] the slope -r' / r^2 of the end's undamped Green's function 1 / r (r: the
 * last pivot), out[24..31] the number of negative pivots (the other places are not written).
 */
export function slopeLanes(n: i32, v: usize, m: usize, b2: usize, tiny: f64, lam: usize, reverse: i32, out: usize): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1);
  const t = f64x2.splat(tiny);
  const lA = v128.load(lam, 0);
  let qA = zero, rA = one, dA = zero, nA = i64x2.splat(0);
  const lB = v128.load(lam, 16);
  let qB = zero, rB = one, dB = zero, nB = i64x2.splat(0);
  const lC = v128.load(lam, 32);
  let qC = zero, rC = one, dC = zero, nC = i64x2.splat(0);
  const lD = v128.load(lam, 48);
  let qD = zero, rD = one, dD = zero, nD = i64x2.splat(0);
  let s = zero;
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
        dA = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dA), qq));
        rA = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
        qA = f64x2.div(one, rA);
        nA = i64x2.sub(nA, f64x2.lt(rA, zero));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lB, mk)), f64x2.mul(s, qB));
        const qq = f64x2.mul(qB, qB);
        dB = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dB), qq));
        rB = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
        qB = f64x2.div(one, rB);
        nB = i64x2.sub(nB, f64x2.lt(rB, zero));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lC, mk)), f64x2.mul(s, qC));
        const qq = f64x2.mul(qC, qC);
        dC = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dC), qq));
        rC = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
        qC = f64x2.div(one, rC);
        nC = i64x2.sub(nC, f64x2.lt(rC, zero));
      }
      {
        const rn = f64x2.sub(f64x2.sub(vk, f64x2.mul(lD, mk)), f64x2.mul(s, qD));
        const qq = f64x2.mul(qD, qD);
        dD = f64x2.add(nmk, f64x2.mul(f64x2.mul(s, dD), qq));
        rD = v128.bitselect(rn, t, f64x2.ge(f64x2.abs(rn), t));
        qD = f64x2.div(one, rD);
        nD = i64x2.sub(nD, f64x2.lt(rD, zero));
      }
    s = f64x2.splat(load<f64>(<usize>pb));
    pv += step;
    pm += step;
    pb += step;
  }
  v128.store(out, f64x2.div(f64x2.neg(dA), f64x2.mul(rA, rA)), 0);
  storeCounts(out + 192, nA);
  v128.store(out, f64x2.div(f64x2.neg(dB), f64x2.mul(rB, rB)), 16);
  storeCounts(out + 208, nB);
  v128.store(out, f64x2.div(f64x2.neg(dC), f64x2.mul(rC, rC)), 32);
  storeCounts(out + 224, nC);
  v128.store(out, f64x2.div(f64x2.neg(dD), f64x2.mul(rD, rD)), 48);
  storeCounts(out + 240, nD);
}

// JavaScript's Math.log2 and 2 ** y (growthLanes' rare rescaling steps: the same values as ChainPencil.growth's).
@external("env", "log2") declare function jsLog2(x: f64): f64;
@external("env", "pow2") declare function jsPow2(y: f64): f64;

/**
 * Growth of the undamped solutions at eight shifts lam[0..7] (ChainPencil.growthLanes; ChainPencil.growth lane by
 * lane, operation for operation), from the first site (reverse: from the last). |psi| = p 2^e; a new maximum
 * (p above cap) keeps p and e (pmax, emax: ln max |psi| = (emax + log2 pmax) ln 2, taken by the caller with
 * Math.log2); p outside 2^-256..2^256 is rescaled by a power of two, with the cap 2^min(best - e, 1000) from the
 * best so far, by JavaScript's log2 and power (imported: the same values as the JavaScript kernel's). b holds the
 * couplings b_k (b_k^2 in b2, padded as above). out[0..7] the negative pivots, out[8..15] pmax, out[16..23] emax;
 * out + 192 .. out + 512 scratch.
 */
export function growthLanes(
  n: i32,
  v: usize,
  m: usize,
  b2: usize,
  b: usize,
  tiny: f64,
  lam: usize,
  reverse: i32,
  out: usize,
): void {
  const zero = f64x2.splat(0), one = f64x2.splat(1);
  const t = f64x2.splat(tiny);
  const big = f64x2.splat(<f64>1.157920892373162e77), small = f64x2.splat(<f64>8.636168555094445e-78);
  const lA = v128.load(lam, 0);
  let rA = one, nA = i64x2.splat(0), pA = one, eA = zero, cA = one, pmA = one, emA = zero;
  const lB = v128.load(lam, 16);
  let rB = one, nB = i64x2.splat(0), pB = one, eB = zero, cB = one, pmB = one, emB = zero;
  const lC = v128.load(lam, 32);
  let rC = one, nC = i64x2.splat(0), pC = one, eC = zero, cC = one, pmC = one, emC = zero;
  const lD = v128.load(lam, 48);
  let rD = one, nD = i64x2.splat(0), pD = one, eD = zero, cD = one, pmD = one, emD = zero;
  let s = zero;
  const w = out + 192;
  const step: isize = reverse ? -8 : 8;
  let pv: isize = <isize>v + (reverse ? <isize>(n - 1) << 3 : 0);
  let pm: isize = <isize>m + (reverse ? <isize>(n - 1) << 3 : 0);
  // Forwards: site k, then b2[k] (b2 + 8 (k + 1)) and b_k (b + 8 k); backwards: b2[k - 1] (b2 + 8 k), b_(k-1).
  let pb: isize = <isize>b2 + (reverse ? <isize>(n - 1) << 3 : 8);
  let pq: isize = <isize>b + (reverse ? <isize>(n - 2) << 3 : 0);
  for (let j = 0; j < n; j++) {
    const vk = f64x2.splat(load<f64>(<usize>pv)), mk = f64x2.splat(load<f64>(<usize>pm));
    rA = f64x2.sub(f64x2.sub(vk, f64x2.mul(lA, mk)), f64x2.div(s, rA));
    rA = v128.bitselect(rA, t, f64x2.ge(f64x2.abs(rA), t));
    nA = i64x2.sub(nA, f64x2.lt(rA, zero));
    rB = f64x2.sub(f64x2.sub(vk, f64x2.mul(lB, mk)), f64x2.div(s, rB));
    rB = v128.bitselect(rB, t, f64x2.ge(f64x2.abs(rB), t));
    nB = i64x2.sub(nB, f64x2.lt(rB, zero));
    rC = f64x2.sub(f64x2.sub(vk, f64x2.mul(lC, mk)), f64x2.div(s, rC));
    rC = v128.bitselect(rC, t, f64x2.ge(f64x2.abs(rC), t));
    nC = i64x2.sub(nC, f64x2.lt(rC, zero));
    rD = f64x2.sub(f64x2.sub(vk, f64x2.mul(lD, mk)), f64x2.div(s, rD));
    rD = v128.bitselect(rD, t, f64x2.ge(f64x2.abs(rD), t));
    nD = i64x2.sub(nD, f64x2.lt(rD, zero));
    if (j + 1 == n) break;
    s = f64x2.splat(load<f64>(<usize>pb));
    const sq = f64x2.splat(load<f64>(<usize>pq));
    pA = f64x2.mul(pA, f64x2.div(f64x2.abs(rA), sq));
    const mA = f64x2.gt(pA, cA);
    cA = v128.bitselect(pA, cA, mA);
    pmA = v128.bitselect(pA, pmA, mA);
    emA = v128.bitselect(eA, emA, mA);
    const oA = v128.or(f64x2.gt(pA, big), f64x2.lt(pA, small));
    pB = f64x2.mul(pB, f64x2.div(f64x2.abs(rB), sq));
    const mB = f64x2.gt(pB, cB);
    cB = v128.bitselect(pB, cB, mB);
    pmB = v128.bitselect(pB, pmB, mB);
    emB = v128.bitselect(eB, emB, mB);
    const oB = v128.or(f64x2.gt(pB, big), f64x2.lt(pB, small));
    pC = f64x2.mul(pC, f64x2.div(f64x2.abs(rC), sq));
    const mC = f64x2.gt(pC, cC);
    cC = v128.bitselect(pC, cC, mC);
    pmC = v128.bitselect(pC, pmC, mC);
    emC = v128.bitselect(eC, emC, mC);
    const oC = v128.or(f64x2.gt(pC, big), f64x2.lt(pC, small));
    pD = f64x2.mul(pD, f64x2.div(f64x2.abs(rD), sq));
    const mD = f64x2.gt(pD, cD);
    cD = v128.bitselect(pD, cD, mD);
    pmD = v128.bitselect(pD, pmD, mD);
    emD = v128.bitselect(eD, emD, mD);
    const oD = v128.or(f64x2.gt(pD, big), f64x2.lt(pD, small));
    if (v128.any_true(v128.or(v128.or(oA, oB), v128.or(oC, oD)))) {
      v128.store(w, pA, 0); v128.store(w, eA, 64); v128.store(w, cA, 128);
      v128.store(w, pmA, 192); v128.store(w, emA, 256);
      v128.store(w, pB, 16); v128.store(w, eB, 80); v128.store(w, cB, 144);
      v128.store(w, pmB, 208); v128.store(w, emB, 272);
      v128.store(w, pC, 32); v128.store(w, eC, 96); v128.store(w, cC, 160);
      v128.store(w, pmC, 224); v128.store(w, emC, 288);
      v128.store(w, pD, 48); v128.store(w, eD, 112); v128.store(w, cD, 176);
      v128.store(w, pmD, 240); v128.store(w, emD, 304);
      for (let l = 0; l < 8; l++) {
        const at = w + (<usize>l << 3);
        const p = load<f64>(at);
        if (!(p > 1.157920892373162e77 || p < 8.636168555094445e-78)) continue;
        const e = load<f64>(at, 64);
        const best = load<f64>(at, 256) + jsLog2(load<f64>(at, 192));
        const x = Math.floor(jsLog2(p));
        store<f64>(at, p * jsPow2(-x));
        store<f64>(at, e + x, 64);
        store<f64>(at, jsPow2(Math.min(best - (e + x), 1000)), 128);
      }
      pA = v128.load(w, 0); eA = v128.load(w, 64); cA = v128.load(w, 128);
      pB = v128.load(w, 16); eB = v128.load(w, 80); cB = v128.load(w, 144);
      pC = v128.load(w, 32); eC = v128.load(w, 96); cC = v128.load(w, 160);
      pD = v128.load(w, 48); eD = v128.load(w, 112); cD = v128.load(w, 176);
    }
    pv += step;
    pm += step;
    pb += step;
    pq += step;
  }
  storeCounts(out + 0, nA);
  v128.store(out, pmA, 64);
  v128.store(out, emA, 128);
  storeCounts(out + 16, nB);
  v128.store(out, pmB, 80);
  v128.store(out, emB, 144);
  storeCounts(out + 32, nC);
  v128.store(out, pmC, 96);
  v128.store(out, emC, 160);
  storeCounts(out + 48, nD);
  v128.store(out, pmD, 112);
  v128.store(out, emD, 176);
}
