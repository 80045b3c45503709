/**
 * Exact pair-energy accounting of the overdamped heat estimators. The probe takes the heat from each bath as the
 * Stratonovich sum of grad U o dx by the trapezoid rule; where a pair force has a kink (the cutoff of the soft and WCA
 * potentials) that rule errs at every step that crosses it, a bias that decays only slowly with dt. This ledger
 * visits every pair that interacts at the start or the end of a step, compares the pair's trapezoid heat
 * -(F_ab(x0) + F_ab(x1))/2 . (dx_a - dx_b) with the exact change of its energy U(r1) - U(r0), and hands the difference
 * to the two particles in proportion to their diffusivities T/gamma (the error comes from the covariation of the pair
 * force with each particle's own motion). The heats then sum exactly to the change of the pair energy, so at equal
 * temperatures the entropy production has no quadrature bias. The pair energies and forces are the reference laws
 * (potentials/pairLaws.ts); pairs are found by the model's pair visitor (neighbours/modelPairs.ts, cells at least the
 * cutoff plus twice the largest step wide). For 2D soft disks in cell order the force loop at the end of each step
 * takes this correction itself (ParticleForceField.enableStepHeat); the probe calls the ledger only for the steps it
 * could not take. Browser-safe.
 */
import { checkParticlesModel, type ParticlesModel } from "../model/particlesModel.js";
import { ModelPairs, type PairVisit } from "./neighbours/modelPairs.js";
import { pairEnergy, pairForceOverDistance } from "./potentials/pairLaws.js";

/**
 * How the overdamped pair heat is accounted: "state" (the state function of stateHeat.ts: second-order bias under
 * Heun where pair forces are continuous), "exact" (this ledger: exact sums where pair forces jump) or "trapezoid"
 * (the plain rule, first-order bias). choosePairHeat gives the default of a model.
 */
export type PairHeatRule = "state" | "exact" | "trapezoid";

/** The pair-heat rules, in the order of their names in messages. */
export const PAIR_HEAT_RULES: readonly PairHeatRule[] = ["state", "exact", "trapezoid"];

export class PairHeatLedger {
  private readonly pairs: ModelPairs;
  // The step being corrected (set by correct for the visitor).
  private x0: Float64Array = new Float64Array(0);
  private x1: Float64Array = new Float64Array(0);
  private out: Float64Array = new Float64Array(0);
  private stride = 1;
  private invDt = 1;
  private total = 0;
  private readonly visitPair: PairVisit;

  constructor(model: ParticlesModel) {
    checkParticlesModel(model, "PairHeatLedger");
    this.pairs = new ModelPairs(model);
    this.visitPair = (a, b, t, sx, sy, sz) => this.pair(a, b, t, sx, sy, sz);
  }

  /**
   * Adds to out[s * stride] (the heat from bath s per unit time) each interacting pair's trapezoid error over the
   * step x0 -> x1, shared by the diffusivities; returns the total added (zero when the rule is exact).
   */
  correct(x0: Float64Array, x1: Float64Array, invDt: number, out: Float64Array, stride: number): number {
    const { N, d, cutoff } = this.pairs;
    let maxStep2 = 0;
    for (let a = 0; a < N; a++) {
      let s2 = 0;
      for (let k = 0; k < d; k++) {
        const v = x1[a * d + k] - x0[a * d + k];
        s2 += v * v;
      }
      if (s2 > maxStep2) maxStep2 = s2;
    }
    // Pairs within the cutoff at x0 or x1 are within the cutoff plus twice the largest step at x1.
    const reach = cutoff + 2 * Math.sqrt(maxStep2);
    if (Number.isNaN(reach)) return 0; // a blown-up state: the run stops on it
    this.x0 = x0;
    this.x1 = x1;
    this.out = out;
    this.stride = stride;
    this.invDt = invDt;
    this.total = 0;
    this.pairs.visit(x1, reach, this.visitPair);
    return this.total;
  }

  /** One pair's trapezoid error over the step (s1 = x_a - x_b at the end, minimum image), shared into out. */
  private pair(a: number, b: number, t: number, s1x: number, s1y: number, s1z: number): void {
    const { d, cut2, rules, diffusivity, speciesOf } = this.pairs;
    const x0 = this.x0,
      x1 = this.x1;
    const ia = a * d,
      ib = b * d;
    // u = the pair's relative displacement over the step (0 beyond the dimension).
    const ux = x1[ia] - x0[ia] - (x1[ib] - x0[ib]),
      uy = d > 1 ? x1[ia + 1] - x0[ia + 1] - (x1[ib + 1] - x0[ib + 1]) : 0,
      uz = d > 2 ? x1[ia + 2] - x0[ia + 2] - (x1[ib + 2] - x0[ib + 2]) : 0;
    const s0x = s1x - ux,
      s0y = s1y - uy,
      s0z = s1z - uz;
    const q1 = s1x * s1x + s1y * s1y + s1z * s1z,
      q0 = s0x * s0x + s0y * s0y + s0z * s0z;
    const c2 = cut2[t];
    if (q1 >= c2 && q0 >= c2) return;
    const rule = rules[t]!;
    const r1 = Math.sqrt(q1),
      r0 = Math.sqrt(q0);
    const g1 = pairForceOverDistance(rule, r1),
      g0 = pairForceOverDistance(rule, r0);
    // Trapezoid heat of the pair: -(F_ab(x0) + F_ab(x1))/2 . (dx_a - dx_b), with F_ab = g s.
    const trap = -0.5 * ((g0 * s0x + g1 * s1x) * ux + (g0 * s0y + g1 * s1y) * uy + (g0 * s0z + g1 * s1z) * uz);
    const error = (pairEnergy(rule, r1) - pairEnergy(rule, r0) - trap) * this.invDt;
    const wa = diffusivity[a] / (diffusivity[a] + diffusivity[b]);
    this.out[speciesOf[a] * this.stride] += wa * error;
    this.out[speciesOf[b] * this.stride] += (1 - wa) * error;
    this.total += error;
  }
}
