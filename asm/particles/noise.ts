// The counter-based Gaussian noise of split runs (src/stochastic/counterRng.ts, counterNormals) in AssemblyScript with
// WebAssembly SIMD, compiled by scripts/build-wasm.js into src/stochastic/counterNoiseWasm.ts (base64, plain SIMD) and
// run by counterRng.ts. Threefry-2x32-20 of four counters at a time (i32x4 lanes: additions, rotations and xors are
// exact integer operations, so every lane's words are those of the scalar generator), then the ziggurat's fast path
// of each word with the JavaScript loop's arithmetic in the same order (j * WN[i] * (+-1)), so the numbers are the
// same to the bit (test/stochastic/counterRng.test.ts compares them). A word the fast path rejects (1.2%) is completed
// here after the fill, with the scalar generator's words and logic (counterRng.ts wordNormal, rng.ts slowNormalFrom);
// its exp and log are the JavaScript ones (src/special/elementary.ts, imported: the same numbers to the bit).
//
// Memory is the caller's: every argument is a byte address or a count; no allocation here.

@inline function rotl(x: v128, r: i32): v128 {
  return v128.or(i32x4.shl(x, r), i32x4.shr_u(x, 32 - r));
}

@inline function srotl(x: i32, r: i32): i32 {
  return (x << r) | (<u32>x >>> (32 - r));
}

/** The ziggurat's fast path of word u into out[k]; returns 1 when it rejects u (the caller completes it). */
@inline function fastNormal(u: i32, out: usize, k: i32, wn: usize, kn: usize): i32 {
  const i = u & 127;
  const j = <i32>(<u32>u >>> 8);
  const sign = <f64>(1 - ((<u32>u >>> 6) & 2));
  store<f64>(out + (<usize>k << 3), <f64>j * load<f64>(wn + (<usize>i << 3)) * sign);
  return i32(j >= load<i32>(kn + (<usize>i << 2)));
}

/**
 * fastNormal of word u into out[k], and k written at pend[np] (kept, by returning np + 1, when u is rejected: no
 * branch on the rare case); returns the new count of rejected draws.
 */
@inline function word(u: i32, out: usize, k: i32, wn: usize, kn: usize, pend: usize, np: i32): i32 {
  store<i32>(pend + (<usize>np << 2), k);
  return np + fastNormal(u, out, k, wn, kn);
}


// The portable exp and log of src/special/elementary.ts (imported, so that the completion's numbers are those of
// the JavaScript generator).
@external("env", "exp")
declare function jsExp(x: f64): f64;
@external("env", "log")
declare function jsLog(x: f64): f64;

const ZIG_R: f64 = 3.442619855899;
const TWO32: f64 = 4294967296.0;

/** The two words of the last threefry call. */
let W0: i32 = 0;
let W1: i32 = 0;

/** Threefry-2x32-20 of counter (c0, c1) under key (k0, k1) into W0, W1 (counterRng.ts threefry). */
function threefry(c0: i32, c1: i32, k0: i32, k1: i32): void {
  const k2 = 0x1bd11bda ^ k0 ^ k1;
  let x0 = c0 + k0,
    x1 = c1 + k1;
  x0 += x1;
  x1 = srotl(x1, 13) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 15) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 26) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 6) ^ x0;
  x0 += k1;
  x1 += k2 + 1;
  x0 += x1;
  x1 = srotl(x1, 17) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 29) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 16) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 24) ^ x0;
  x0 += k2;
  x1 += k0 + 2;
  x0 += x1;
  x1 = srotl(x1, 13) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 15) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 26) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 6) ^ x0;
  x0 += k0;
  x1 += k1 + 3;
  x0 += x1;
  x1 = srotl(x1, 17) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 29) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 16) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 24) ^ x0;
  x0 += k1;
  x1 += k2 + 4;
  x0 += x1;
  x1 = srotl(x1, 13) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 15) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 26) ^ x0;
  x0 += x1;
  x1 = srotl(x1, 6) ^ x0;
  x0 += k2;
  x1 += k0 + 5;
  W0 = x0;
  W1 = x1;
}

/** A rejected draw's further words (counterRng.ts AttemptWords): calls at its counter under salted keys. */
let aC0: i32 = 0;
let aC1: i32 = 0;
let aK0: i32 = 0;
let aK1: i32 = 0;
let aN: i32 = 0;
let aHave: i32 = 0;
let aW1: i32 = 0;

function nextWord(): u32 {
  if (aHave == 1) {
    aHave = 0;
    return <u32>aW1;
  }
  aN++;
  threefry(aC0, aC1, aK0 ^ (aN * <i32>0x9e3779b9), aK1);
  aW1 = W1;
  aHave = 1;
  return <u32>W0;
}

@inline function open(): f64 {
  return (<f64>nextWord() + 0.5) / TWO32;
}

/** rng.ts slowNormalFrom: the ziggurat's completion of layer i, abscissa j, sign neg (nonzero: negative). */
function slowNormal(i: i32, j: i32, neg: i32, wn: usize, kn: usize, fn: usize): f64 {
  for (;;) {
    if (i == 0) {
      let x: f64, y: f64;
      do {
        x = -jsLog(open()) / ZIG_R;
        y = -jsLog(open());
      } while (y + y < x * x);
      return neg != 0 ? -(ZIG_R + x) : ZIG_R + x;
    }
    const x = <f64>j * load<f64>(wn + (<usize>i << 3));
    const fi = load<f64>(fn + (<usize>i << 3));
    if (fi + open() * (load<f64>(fn + (<usize>(i - 1) << 3)) - fi) < jsExp(-0.5 * x * x)) return neg != 0 ? -x : x;
    const u = nextWord();
    i = <i32>(u & 127);
    j = <i32>(u >>> 8);
    neg = <i32>(u & 128);
    if (j < load<i32>(kn + (<usize>i << 2))) {
      const y = <f64>j * load<f64>(wn + (<usize>i << 3));
      return neg != 0 ? -y : y;
    }
  }
  return unreachable();
}

/**
 * Completes the np rejected draws listed in pend (output indices into out, coordinates first + k) at one step:
 * counterRng.ts counterNormal of each.
 */
function complete(out: usize, first: i32, k0: i32, k1: i32, stepLo: i32, wn: usize, kn: usize, fn: usize, pend: usize, np: i32): void {
  for (let q = 0; q < np; q++) {
    const k = load<i32>(pend + (<usize>q << 2));
    const c = first + k;
    threefry(<i32>(<u32>c >>> 1), stepLo, k0, k1);
    const u = c & 1 ? W1 : W0;
    aC0 = c;
    aC1 = stepLo;
    aK0 = k0;
    aK1 = k1;
    aN = 0;
    aHave = 0;
    store<f64>(out + (<usize>k << 3), slowNormal(u & 127, <i32>(<u32>u >>> 8), u & 128, wn, kn, fn));
  }
}

/**
 * The normal numbers of coordinates first .. first + count (first even, count even) at one step into out (f64):
 * Threefry-2x32-20 of counter (c / 2, stepLo) under key (k0, k1), its two words the draws of coordinates c and c + 1.
 * wn, fn (f64) and kn (i32): the ziggurat's 128 widths, densities and thresholds. Completes the draws the fast path
 * rejects (their output indices listed in pend, i32, room for count + 1) and returns 0 (draws left to the caller).
 */
export function counterFill(
  out: usize,
  first: i32,
  count: i32,
  k0: i32,
  k1: i32,
  stepLo: i32,
  wn: usize,
  kn: usize,
  fn: usize,
  pend: usize,
): i32 {
  const k2 = 0x1bd11bda ^ k0 ^ k1;
  const pairs = count >> 1;
  const m0 = first >> 1;
  let np: i32 = 0;
  let p: i32 = 0;
  const K0 = i32x4.splat(k0),
    K1 = i32x4.splat(k1),
    K2 = i32x4.splat(k2),
    I1 = i32x4.splat(k2 + 1),
    I2 = i32x4.splat(k0 + 2),
    I3 = i32x4.splat(k1 + 3),
    I4 = i32x4.splat(k2 + 4),
    I5 = i32x4.splat(k0 + 5),
    X1 = i32x4.splat(stepLo + k1),
    LANE = i32x4(0, 1, 2, 3);
  for (; p + 4 <= pairs; p += 4) {
    let x0 = i32x4.add(i32x4.add(i32x4.splat(m0 + p), LANE), K0),
      x1 = X1;
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 13), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 15), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 26), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 6), x0);
    x0 = i32x4.add(x0, K1); // key injection 1
    x1 = i32x4.add(x1, I1);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 17), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 29), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 16), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 24), x0);
    x0 = i32x4.add(x0, K2); // key injection 2
    x1 = i32x4.add(x1, I2);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 13), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 15), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 26), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 6), x0);
    x0 = i32x4.add(x0, K0); // key injection 3
    x1 = i32x4.add(x1, I3);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 17), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 29), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 16), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 24), x0);
    x0 = i32x4.add(x0, K1); // key injection 4
    x1 = i32x4.add(x1, I4);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 13), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 15), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 26), x0);
    x0 = i32x4.add(x0, x1);
    x1 = v128.xor(rotl(x1, 6), x0);
    x0 = i32x4.add(x0, K2); // key injection 5
    x1 = i32x4.add(x1, I5);
    const k = 2 * p;
    np = word(i32x4.extract_lane(x0, 0), out, k, wn, kn, pend, np);
    np = word(i32x4.extract_lane(x1, 0), out, k + 1, wn, kn, pend, np);
    np = word(i32x4.extract_lane(x0, 1), out, k + 2, wn, kn, pend, np);
    np = word(i32x4.extract_lane(x1, 1), out, k + 3, wn, kn, pend, np);
    np = word(i32x4.extract_lane(x0, 2), out, k + 4, wn, kn, pend, np);
    np = word(i32x4.extract_lane(x1, 2), out, k + 5, wn, kn, pend, np);
    np = word(i32x4.extract_lane(x0, 3), out, k + 6, wn, kn, pend, np);
    np = word(i32x4.extract_lane(x1, 3), out, k + 7, wn, kn, pend, np);
  }
  // The last pairs one at a time: the same rounds on scalars.
  for (; p < pairs; p++) {
    let x0 = m0 + p + k0,
      x1 = stepLo + k1;
    x0 += x1;
    x1 = srotl(x1, 13) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 15) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 26) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 6) ^ x0;
    x0 += k1;
    x1 += k2 + 1;
    x0 += x1;
    x1 = srotl(x1, 17) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 29) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 16) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 24) ^ x0;
    x0 += k2;
    x1 += k0 + 2;
    x0 += x1;
    x1 = srotl(x1, 13) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 15) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 26) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 6) ^ x0;
    x0 += k0;
    x1 += k1 + 3;
    x0 += x1;
    x1 = srotl(x1, 17) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 29) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 16) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 24) ^ x0;
    x0 += k1;
    x1 += k2 + 4;
    x0 += x1;
    x1 = srotl(x1, 13) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 15) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 26) ^ x0;
    x0 += x1;
    x1 = srotl(x1, 6) ^ x0;
    x0 += k2;
    x1 += k0 + 5;
    const k = 2 * p;
    np = word(x0, out, k, wn, kn, pend, np);
    np = word(x1, out, k + 1, wn, kn, pend, np);
  }
  complete(out, first, k0, k1, stepLo, wn, kn, fn, pend, np);
  return 0;
}
