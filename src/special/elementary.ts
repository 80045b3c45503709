/**
 * exp, log, sin and cos that give the same bits in every JavaScript engine.
 *
 * ECMAScript leaves Math.exp, Math.log, Math.sin, Math.cos (and `**`) "implementation-approximated": engines may
 * return any nearby double, and they do differ. Measured on one machine: Chromium 156 and Node 20 disagree in the
 * last bit for 3-10 % of arguments of exp, log, sin, cos and x ** 3. A simulation whose random numbers or forces go
 * through those functions then gives other numbers for the same seed in a browser (the lab) than in Node (the CLI).
 *
 * These versions use only the operations IEEE 754 defines exactly (+, -, *, / and comparisons, in a fixed order: a
 * JavaScript engine never fuses or reorders them) and exact bit manipulation, so their results are the same
 * everywhere. They are accurate to about one unit in the last place (tested against 50-digit values), as the
 * engines' own are; they are not correctly rounded.
 *
 * sin and cos reduce their argument with a three-part pi/2, exact for |x| < 2^20 pi/2 (about 1.6e6); beyond that they
 * fall back to Math.sin / Math.cos (engine-dependent last bits), which no simulation path of ness reaches with a
 * phase of that size.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// The word holding sign and exponent: index 1 on little-endian machines (every platform Node and browsers run on).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** 2^k for integer -1022 <= k <= 1023, built from its bits. */
function pow2(k: number): number {
  u32[LO] = 0;
  u32[HI] = (k + 1023) << 20;
  return f64[0];
}

// ln 2 = LN2_HI + LN2_LO with LN2_HI of 32 significant bits, so k * LN2_HI is exact for |k| < 2^21.
const LN2_HI = 0.6931471806019545;
const LN2_LO = -4.2009150726810846e-11;
const INV_LN2 = 1.4426950408889634;
const EXP_OVERFLOW = 709.782712893384; // largest x with finite exp(x)
const EXP_UNDERFLOW = -745.1332191019412; // exp(x) rounds to 0 below this

/** e^x, the same bits in every engine (about 1 ulp). */
export function exp(x: number): number {
  if (!(x === x)) return NaN;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  if (x > -3.725290298461914e-9 && x < 3.725290298461914e-9) return 1 + x; // |x| < 2^-28
  const k = Math.floor(x * INV_LN2 + 0.5);
  // r = x - k ln 2 in [-0.347, 0.347]: the first product is exact, the difference of nearly equal numbers too.
  const r = x - k * LN2_HI - k * LN2_LO;
  // e^r - 1 by its Taylor series to r^13 / 13! (truncation below 4e-18 at |r| = ln 2 / 2).
  const p =
    r *
    (1 +
      r *
        (1 / 2 +
          r *
            (1 / 6 +
              r *
                (1 / 24 +
                  r *
                    (1 / 120 +
                      r *
                        (1 / 720 +
                          r *
                            (1 / 5040 +
                              r *
                                (1 / 40320 +
                                  r *
                                    (1 / 362880 +
                                      r *
                                        (1 / 3628800 +
                                          r * (1 / 39916800 + r * (1 / 479001600 + r * (1 / 6227020800)))))))))))));
  const y = 1 + p;
  if (k > 1023) return y * 2 * pow2(k - 1);
  if (k < -1022) return y * pow2(k + 1000) * 9.332636185032189e-302; // * 2^-1000
  return y * pow2(k);
}

const SQRT2 = 1.4142135623730951;

/** Natural logarithm, the same bits in every engine (about 1 ulp). */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: subnormals become normal
    e = -54;
  }
  f64[0] = x;
  const hi = u32[HI];
  e += ((hi >>> 20) & 0x7ff) - 1023;
  u32[HI] = (hi & 0x000fffff) | 0x3ff00000; // the significand m in [1, 2)
  let m = f64[0];
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  // log m = log(1 + f) = 2 atanh(s) with s = f / (2 + f), |s| <= 0.172; since 2 s = f - s f,
  // log(1 + f) = f - s (f - T) with T = 2 s^2 / 3 + 2 s^4 / 5 + ... (to s^22: truncation below 1e-19 of f).
  const f = m - 1; // exact (Sterbenz)
  const s = f / (2 + f);
  const z = s * s;
  const T =
    z *
    (2 / 3 +
      z *
        (2 / 5 +
          z *
            (2 / 7 +
              z *
                (2 / 9 +
                  z *
                    (2 / 11 +
                      z * (2 / 13 + z * (2 / 15 + z * (2 / 17 + z * (2 / 19 + z * (2 / 21 + z * (2 / 23)))))))))));
  const l = f - s * (f - T);
  return e * LN2_HI + (l + e * LN2_LO);
}

// pi / 2 = PIO2_1 + PIO2_2 + PIO2_3 (+ 1e-37), the first two of 33 significant bits: n * PIO2_1 and n * PIO2_2 are
// exact for |n| < 2^20.
const PIO2_1 = 1.5707963267341256;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_3 = 2.0222662487959506e-21;
const TWO_OVER_PI = 0.6366197723675814;
const REDUCE_MAX = 1647099.3291652855; // 2^20 pi / 2

/** sin r for |r| <= pi / 4 (Taylor series to r^21 / 21!: truncation below 1e-22). */
function sinKernel(r: number): number {
  const z = r * r;
  return (
    r +
    r *
      z *
      (-1 / 6 +
        z *
          (1 / 120 +
            z *
              (-1 / 5040 +
                z *
                  (1 / 362880 +
                    z *
                      (-1 / 39916800 +
                        z *
                          (1 / 6227020800 +
                            z * (-1 / 1307674368000 + z * (1 / 355687428096000 + z * (-1 / 121645100408832000)))))))))
  );
}

/** cos r for |r| <= pi / 4 (Taylor series to r^20 / 20!). */
function cosKernel(r: number): number {
  const z = r * r;
  const h = 0.5 * z;
  const rest =
    z *
    z *
    (1 / 24 +
      z *
        (-1 / 720 +
          z *
            (1 / 40320 +
              z *
                (-1 / 3628800 +
                  z *
                    (1 / 479001600 +
                      z *
                        (-1 / 87178291200 +
                          z * (1 / 20922789888000 + z * (-1 / 6402373705728000 + z / 2432902008176640000))))))));
  const w = 1 - h;
  // 1 - h rounds; add back what it lost ((1 - w) - h is exact) before the small terms.
  return w + (1 - w - h + rest);
}

/** sin x, the same bits in every engine for |x| < 1.6e6 (about 1 ulp). */
export function sin(x: number): number {
  if (!(x > -REDUCE_MAX && x < REDUCE_MAX)) return Math.sin(x);
  if (x > -7.450580596923828e-9 && x < 7.450580596923828e-9) return x; // |x| < 2^-27 (keeps -0)
  if (x > -0.7853981633974483 && x < 0.7853981633974483) return sinKernel(x);
  const n = Math.floor(x * TWO_OVER_PI + 0.5);
  const r = x - n * PIO2_1 - n * PIO2_2 - n * PIO2_3;
  switch (n & 3) {
    case 0:
      return sinKernel(r);
    case 1:
      return cosKernel(r);
    case 2:
      return -sinKernel(r);
    default:
      return -cosKernel(r);
  }
}

/** cos x, the same bits in every engine for |x| < 1.6e6 (about 1 ulp). */
export function cos(x: number): number {
  if (!(x > -REDUCE_MAX && x < REDUCE_MAX)) return Math.cos(x);
  if (x > -0.7853981633974483 && x < 0.7853981633974483) return cosKernel(x);
  const n = Math.floor(x * TWO_OVER_PI + 0.5);
  const r = x - n * PIO2_1 - n * PIO2_2 - n * PIO2_3;
  switch (n & 3) {
    case 0:
      return cosKernel(r);
    case 1:
      return -sinKernel(r);
    case 2:
      return -cosKernel(r);
    default:
      return sinKernel(r);
  }
}
