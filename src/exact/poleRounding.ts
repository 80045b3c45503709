// The rounding terms of peaks and poles whose eigenvalue rounds by much of their width (issue 17): shared by the
// chain and network paths of transmission.ts and the strip path of stripFluxes.ts. pencilRounding and
// peakRoundingShare (transmission.ts) give the eigenvalue's rounding dl; see docs/studies/harmonic-conduction.md.

/** Unit roundoff. */
const EPS = 2 ** -53;
/**
 * A peak's rounding share (peakRoundingShare) replaces the default eps c / h of its panels only where it exceeds
 * that by at least this much: below, the term stays < 2e-10 of the peak's content, as the default term does at
 * NOISY_WIDTH (the printed errors of well-conditioned networks are unchanged to the bit).
 */
export const ILL_SHIFT = 1e-10;
/** Modes whose eigenvalue rounds by at least this much of itself, by pencilRounding's bound (chains, strips). */
export const ILL_EIGENVALUE = 1e-6;
/**
 * The relative error of a subtracted pole's content from its position (ChainPoles; the strip path's poles and
 * Breit-Wigner terms in stripFluxes.ts): rounding moves the pole by ~4 eps |z| plus the last Newton step, over its
 * half-width -Im z; where the eigenvalue's rounding dl
 * (pencilRounding, where dl >= ILL_EIGENVALUE |z|^2) moves it by a share larger by at least ILL_SHIFT
 * (dl / (2 |z| h) with h = -Im z, as peakRoundingShare), that share, at most 1 (then the pole's whole content is
 * uncertain).
 */
export function poleRounding(zr: number, zi: number, last: number, dl: number): number {
  const z = Math.hypot(zr, zi);
  const base = (4 * EPS * z + last) / -zi;
  if (!(dl >= ILL_EIGENVALUE * z * z)) return base;
  const share = dl / (2 * -zi * Math.max(z, -2 * zi));
  return share - base >= ILL_SHIFT ? Math.max(base, Math.min(1, share)) : base;
}

/** A peak whose rounding share reaches this is named in a warning (every path of transmission.ts and stripFluxes.ts). */
export const ROUNDING_WARN = 1e-3;

/**
 * The warning naming the mode whose peak rounding moves by the largest share of its width, where that share reaches
 * ROUNDING_WARN (modes' roundingShare: transmission.ts peakRoundingShare, or sharesOf from pencilRounding); undefined
 * otherwise. `quadratureError` is the run's, quoted in the warning.
 */
export function roundingWarning(
  omega: Float64Array,
  roundingShare: Float64Array | undefined,
  quadratureError: number,
): string | undefined {
  if (!roundingShare) return undefined;
  let worst = -1;
  for (let k = 0; k < omega.length; k++) {
    const share = roundingShare[k];
    if (share >= ROUNDING_WARN && (worst < 0 || share > roundingShare[worst])) worst = k;
  }
  if (worst < 0) return undefined;
  const fmt = (x: number) => String(Number(x.toPrecision(4)));
  return `rounding in double precision moves the peak of the normal mode at angular frequency ${fmt(omega[worst])} by up to ${fmt(roundingShare[worst])} of its width (its omega^2 is tiny beside the stiffnesses over masses at its sites): that share of its contribution is uncertain and is in the reported errors (quadratureError ${quadratureError.toExponential(2)})`;
}
