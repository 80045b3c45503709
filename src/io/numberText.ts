/**
 * Number text for large CSV files, written as bytes: `writeNumber(x, out, pos)` puts exactly the characters of
 * `String(x)` (ECMAScript Number::toString: the shortest decimal that reads back as the same double, the closest
 * one to x among the shortest) into a byte buffer, without making a string. A sweep's CSV writes hundreds of
 * thousands of numbers, and `String(x)` costs a string allocation and a number-to-string cache entry per number.
 *
 * Method (exact, with a fallback): for 1e-6 <= |x| < 1e17 whose mantissa is not a power of two, x * 10^t is formed
 * exactly as a pair of doubles (Dekker's product; 10^t is an exact double for t <= 22) so that it has 17 integer
 * digits. Every decimal inside the rounding interval of x, (x - ulp/2, x + ulp/2) scaled by 10^t, is an integer
 * there; the shortest is the nearest multiple of the largest power 10^j that still falls inside (the interval is
 * symmetric about x, so if any multiple of 10^j is inside, the nearest one is). Inside-or-not is decided exactly
 * (two-sum of the pair; the boundary itself belongs to x when its mantissa is even, as round-half-even parsing
 * reads it). Anything else (zero is "0"; |x| outside that range, a power-of-two mantissa with its lopsided interval,
 * a candidate within 1e-6 of a midpoint between two multiples, a number of 9 or fewer significant digits) is
 * written from `String(x)` itself, so the text is always String(x)'s. Tested against String(x) on millions of
 * doubles (test/io/numberText.test.ts).
 */

/** 10^0 ... 10^22: every one an exact double. */
const POW10 = new Float64Array(23);
/** Their Veltkamp halves (high, low) for Dekker's exact product. */
const POW10_HI = new Float64Array(23);
const POW10_LO = new Float64Array(23);
const SPLITTER = 134217729; // 2^27 + 1
for (let t = 0, p = 1; t <= 22; t++, p *= 10) {
  POW10[t] = p;
  const c = SPLITTER * p;
  const h = c - (c - p);
  POW10_HI[t] = h;
  POW10_LO[t] = p - h;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** The word order of a double in memory (the exponent lives in the high word). */
const HIGH = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0;
const LOW = 1 - HIGH;

const digits = new Uint8Array(24);

/** Half an ulp, 2^(e - 1076), for each biased exponent e of a double in [1e-6, 1e17). */
const E_MIN = 1002,
  E_MAX = 1080;
const HALF_ULP = new Float64Array(E_MAX - E_MIN + 1);
for (let e = E_MIN; e <= E_MAX; e++) HALF_ULP[e - E_MIN] = 2 ** (e - 1076);

/** Writes the characters of `text` (ASCII) at `pos`; returns the position after them. */
function writeAscii(text: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < text.length; i++) out[pos++] = text.charCodeAt(i);
  return pos;
}

/**
 * Writes `String(x)` for a number x into `out` at `pos` and returns the position after it. `out` must have 25
 * bytes free at `pos` (the longest text of a number, e.g. "-2.2250738585072014e-308", has 24).
 */
export function writeNumber(x: number, out: Uint8Array, pos: number): number {
  const a = x < 0 ? -x : x;
  if (!(a >= 1e-6 && a < 1e17)) return writeAscii(String(x), out, pos);
  bits[0] = a;
  const high = words[HIGH];
  // A power-of-two mantissa: the interval below x is half as wide as above; leave it to String(x).
  if ((high & 0xfffff) === 0 && words[LOW] === 0) return writeAscii(String(x), out, pos);
  const evenMantissa = (words[LOW] & 1) === 0;
  const exponent = (high >>> 20) & 0x7ff; // biased; a = m * 2^(exponent - 1075), ulp = 2^(exponent - 1075)
  // Scale so that a * 10^t has 17 integer digits: 1e16 <= hi < 1e17.
  // log10(a) from the binary exponent (within one; corrected below): 0.30103 ~ log10(2)
  let t = 16 - Math.floor((exponent - 1023) * 0.3010299956639812);
  let hi = 0,
    lo = 0;
  for (let attempt = 0; ; attempt++) {
    if (t < 0 || t > 22 || attempt > 3) return writeAscii(String(x), out, pos);
    hi = a * POW10[t];
    if (hi < 1e16) t++;
    else if (hi >= 1e17) t--;
    else break;
  }
  // Dekker: hi + lo = a * 10^t exactly.
  {
    const c = SPLITTER * a;
    const ah = c - (c - a);
    const al = a - ah;
    const ph = POW10_HI[t],
      pl = POW10_LO[t];
    lo = ah * ph - hi + ah * pl + al * ph + al * pl;
  }
  // Half an ulp of a, scaled: 2^(exponent - 1076) * 10^t, exact (a power of two times an exact double).
  const h = HALF_ULP[exponent - E_MIN] * POW10[t];
  // hi = A * 1e8 + r exactly (A * 1e8 = A * 5^8 * 2^8 is exact; r by Sterbenz), and the scaled x is r + lo past A*1e8.
  let A = Math.floor(hi / 1e8);
  const r = hi - A * 1e8;
  const b = r + lo; // within 1e-8 of the exact r + lo
  // The largest j with a multiple of 10^j inside the interval; j = 0 always is (the interval is wider than 1).
  let j = 0,
    m = 0;
  for (;;) {
    const p = POW10[j];
    const q = b / p;
    const nearest = Math.round(q);
    const f = q - nearest; // in [-0.5, 0.5]
    if (f > 0.4999999 || f < -0.4999999) return writeAscii(String(x), out, pos); // too near a midpoint to tell
    const candidate = nearest * p;
    // Exact position of the candidate relative to the scaled x: d - lo, with d = candidate - r exact (integers).
    const d = candidate - r;
    const s = d - lo;
    const bb = s - d;
    const err = d - (s - bb) + (-lo - bb);
    const as = s < 0 ? -s : s;
    let inside: boolean;
    if (as < h) inside = true;
    else if (as > h) inside = false;
    else {
      const inward = s > 0 ? -err : err; // the remainder's pull toward zero
      inside = inward > 0 || (inward === 0 && evenMantissa);
    }
    if (!inside) break;
    m = candidate;
    if (++j > 7) return writeAscii(String(x), out, pos); // 9 or fewer significant digits: rare in computed data
  }
  j--; // the last power that fitted
  if (j < 0) return writeAscii(String(x), out, pos); // cannot happen (the interval is wider than 1); be safe
  // D = A * 1e8 + m, carried into A when m left [0, 1e8).
  if (m < 0) {
    A -= 1;
    m += 1e8;
  } else if (m >= 1e8) {
    A += 1;
    m -= 1e8;
  }
  // Digits of D into the scratch buffer, from the right.
  let nd = 0;
  let mi = m | 0;
  for (let k = 0; k < 8; k++) {
    const qd = (mi / 10) | 0;
    digits[23 - nd++] = 48 + mi - qd * 10;
    mi = qd;
  }
  let ai = A | 0; // A < 2^31
  while (ai > 0) {
    const qd = (ai / 10) | 0;
    digits[23 - nd++] = 48 + ai - qd * 10;
    ai = qd;
  }
  const first = 24 - nd;
  const count = nd - j; // significant digits
  const point = nd - t; // digits before the decimal point (value = D * 10^-t)
  if (x < 0) out[pos++] = 45; // "-"
  if (point >= count) {
    for (let k = 0; k < count; k++) out[pos++] = digits[first + k];
    for (let k = count; k < point; k++) out[pos++] = 48;
  } else if (point > 0) {
    for (let k = 0; k < point; k++) out[pos++] = digits[first + k];
    out[pos++] = 46; // "."
    for (let k = point; k < count; k++) out[pos++] = digits[first + k];
  } else {
    out[pos++] = 48;
    out[pos++] = 46;
    for (let k = point; k < 0; k++) out[pos++] = 48;
    for (let k = 0; k < count; k++) out[pos++] = digits[first + k];
  }
  return pos;
}
