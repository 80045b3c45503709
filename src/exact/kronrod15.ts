/**
 * Gauss-Kronrod 7-15 nodes and weights (QUADPACK's qk15), shared by the frequency integrals of transmission.ts and
 * stripFluxes.ts: Kronrod nodes on [-1, 1] in descending order, the last being the centre; the Kronrod weights in the
 * same order; the 7-point Gauss weights of the odd-numbered nodes, the centre's last.
 */
export const XGK15: readonly number[] = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
export const WGK15: readonly number[] = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
export const WG7: readonly number[] = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];
