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

/** Spreads the low BITS bits of v to every d-th bit (d = 1, 2, 3), as an exact integer in a double. */
function spread(v: number, d: number): number {
  let r = 0;
  for (let b = 0; b < BITS; b++) if ((v >> b) & 1) r += 2 ** (d * b);
  return r;
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
  const key = new Float64Array(N);
  for (let a = 0; a < N; a++) {
    let k = 0;
    for (let c = 0; c < d; c++) {
      let u = (x[a * d + c] - origin[c]) / box[c];
      u -= Math.floor(u);
      k += spread(Math.min(B - 1, Math.floor(u * B)), d) * 2 ** c;
    }
    key[a] = k;
  }
  const count = new Int32Array(species);
  for (let a = 0; a < N; a++) count[speciesOf[a]]++;
  const copy = x.slice(0, N * d);
  for (let s = 0; s < species; s++) {
    if (count[s] < 2) continue;
    const ids = new Int32Array(count[s]);
    let m = 0;
    for (let a = 0; a < N; a++) if (speciesOf[a] === s) ids[m++] = a;
    const byCurve = ids.slice().sort((a, b) => key[a] - key[b] || a - b);
    for (let i = 0; i < ids.length; i++) for (let c = 0; c < d; c++) x[ids[i] * d + c] = copy[byCurve[i] * d + c];
  }
}
