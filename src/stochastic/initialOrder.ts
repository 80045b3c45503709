/**
 * Numbering of a random start along a space-filling curve (particleInitializer, run.ts). Browser-safe.
 *
 * The engines keep the particles' arrays by number and visit them in cell order: every force evaluation reads each
 * particle's position at its number and writes its force back there. With numbers random in space those accesses
 * miss the cache once the arrays outgrow it (N of order 10^5). Numbering the particles of each species along a
 * Z-order (Morton) curve at the start makes neighbours in space neighbours in memory; the numbering loses its order
 * as the particles diffuse (over the time a particle takes to cross a few cells).
 *
 * What it changes in law: the positions of a species are the same independent uniform draws, handed to its particles
 * in the curve's order instead of the draw's. Particles of one species are interchangeable in the dynamics, so
 * anything symmetric in them (per-species sums and densities, structure factors) has the same law. The curve starts
 * at a uniformly random point of the box (`origin`), so each particle's own position is still uniform in the box;
 * what differs is the joint law of chosen particles: at the start, particles with nearby numbers are nearby.
 */

/** Bits per axis of the curve's grid (2^10 bins per axis; ties are broken by number). */
const BITS = 10;

/** RADIX_BITS * 2 >= 3 * BITS: the key (at most 3 * BITS = 30 bits) sorted in two counting passes. */
const RADIX_BITS = 15;

/** Below this many particles in a species the comparison sort is used (the counting passes' 2^15 counters). */
const COUNTING_FROM = 2048;

/** spreadTables[d - 1][v]: the low BITS bits of v moved to every d-th bit (bit b to bit d b), for v < 2^BITS. */
const spreadTables: (Int32Array | undefined)[] = [undefined, undefined, undefined];

function spreadTable(d: number): Int32Array {
  let t = spreadTables[d - 1];
  if (t === undefined) {
    t = new Int32Array(1 << BITS);
    for (let v = 0; v < t.length; v++) {
      let r = 0;
      for (let b = 0; b < BITS; b++) if ((v >> b) & 1) r |= 1 << (d * b);
      t[v] = r;
    }
    spreadTables[d - 1] = t;
  }
  return t;
}

/**
 * ids (increasing) sorted by key (integers below 2^(2 RADIX_BITS)), ties in the order of ids: two stable counting
 * passes, low digit first, the same order as the comparison (key[a] - key[b] || a - b). Into out; tmp scratch.
 */
function sortByKey(ids: Int32Array, key: Int32Array, out: Int32Array, tmp: Int32Array, count: Int32Array): void {
  const n = ids.length,
    R = 1 << RADIX_BITS,
    mask = R - 1;
  count.fill(0);
  for (let i = 0; i < n; i++) count[(key[ids[i]] & mask) + 1]++;
  for (let r = 1; r < R; r++) count[r] += count[r - 1];
  for (let i = 0; i < n; i++) tmp[count[key[ids[i]] & mask]++] = ids[i];
  count.fill(0);
  for (let i = 0; i < n; i++) count[(key[tmp[i]] >>> RADIX_BITS) + 1]++;
  for (let r = 1; r < R; r++) count[r] += count[r - 1];
  for (let i = 0; i < n; i++) out[count[key[tmp[i]] >>> RADIX_BITS]++] = tmp[i];
}

/**
 * Renumbers the particles of each species in x (N particles, d coordinates each, in the box, in place) along a
 * Z-order curve through the periodic box that starts at `origin` (d coordinates): the particles of species s keep
 * their numbers and, in the order of those numbers, take the species' positions in the curve's order. Only the
 * assignment of positions changes: the positions of each species are the same numbers.
 */
export function numberAlongCurve(
  x: Float64Array,
  speciesOf: Int32Array,
  species: number,
  d: number,
  box: ArrayLike<number>,
  origin: ArrayLike<number>,
): void {
  const N = speciesOf.length,
    B = 1 << BITS;
  // The curve's index of each position: bin c's bit b at bit d b + c (at most 3 BITS = 30 bits: an exact int32).
  const spread = spreadTable(d);
  const key = new Int32Array(N);
  for (let a = 0; a < N; a++) {
    let k = 0;
    for (let c = 0; c < d; c++) {
      let u = (x[a * d + c] - origin[c]) / box[c];
      u -= Math.floor(u);
      k |= spread[Math.min(B - 1, Math.floor(u * B))] << c;
    }
    key[a] = k;
  }
  const count = new Int32Array(species);
  let most = 0;
  for (let a = 0; a < N; a++) count[speciesOf[a]]++;
  for (let s = 0; s < species; s++) most = Math.max(most, count[s]);
  const copy = x.slice(0, N * d);
  const byCurve = new Int32Array(most),
    tmp = most >= COUNTING_FROM ? new Int32Array(most) : byCurve,
    counters = most >= COUNTING_FROM ? new Int32Array(1 << RADIX_BITS) : count;
  for (let s = 0; s < species; s++) {
    const n = count[s];
    if (n < 2) continue;
    const ids = new Int32Array(n);
    let m = 0;
    for (let a = 0; a < N; a++) if (speciesOf[a] === s) ids[m++] = a;
    const sorted = byCurve.subarray(0, n);
    if (n >= COUNTING_FROM) sortByKey(ids, key, sorted, tmp, counters);
    else {
      sorted.set(ids);
      sorted.sort((a, b) => key[a] - key[b] || a - b);
    }
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) x[ids[i] * d + c] = copy[sorted[i] * d + c];
  }
}
