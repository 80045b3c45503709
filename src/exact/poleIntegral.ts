/**
 * The frequency integral of one complex pole pair, shared by the chain pole path (transmission.ts) and the strip
 * path (stripFluxes.ts): int_0^X 2 Re[R (1/(w - z) - 1/(w + z))] dw for a residue R = rr + i ri at a pole z = zr + i zi
 * with Im z < 0 (X = Infinity: 2 pi Im R, since Log z - Log(-z) = -i pi there).
 */
export function poleIntegral(rr: number, ri: number, zr: number, zi: number, X: number): number {
  let lr: number;
  let li: number;
  if (X === Infinity) {
    lr = 0;
    li = -Math.PI;
  } else {
    // Log(X - z) - Log(X + z) - Log(-z) + Log(z), in this order.
    lr = Math.log(Math.hypot(X - zr, -zi)) - Math.log(Math.hypot(X + zr, zi));
    li = Math.atan2(-zi, X - zr) - Math.atan2(zi, X + zr);
    lr = lr - Math.log(Math.hypot(-zr, -zi)) + Math.log(Math.hypot(zr, zi));
    li = li - Math.atan2(-zi, -zr) + Math.atan2(zi, zr);
  }
  return 2 * (rr * lr - ri * li);
}
