/**
 * Forces of an oscillator network (a Langevin problem's "network" term) ([Eckmann & Zabey]): pinning kappa_i q_i^2 / 2 + c_i q_i^4 / 4 on every site and springs
 * k_ij r^2 / 2 + c_ij r^4 / 4 with r = q_i - q_j (Section 3 of [Eckmann & Zabey] for the quartic terms). Springs are stored
 * as flat typed arrays so the force loop does not touch objects.
 */
import { ModelError } from "../errors.js";
import { checkNetworkModel, type NetworkModel } from "../model/networkModel.js";
import type { NetworkTerm } from "../problem/langevin.js";
import type { ForceField } from "./forceField.js";

export class NetworkForceField implements ForceField {
  readonly dof: number;
  readonly pinning: Float64Array;
  readonly quarticPinning: Float64Array;
  /** Spring k joins springI[k] -> springJ[k]. */
  readonly springI: Int32Array;
  readonly springJ: Int32Array;
  readonly stiffness: Float64Array;
  readonly quartic: Float64Array;
  readonly anharmonic: boolean;

  /** From a Langevin problem's "network" term (src/problem/langevin.ts; checked here) or a validated network model. */
  constructor(model: NetworkTerm | NetworkModel) {
    if ((model as Partial<NetworkModel>)?.sites !== undefined) checkNetworkModel(model, "NetworkForceField");
    else checkForceTerms(model as NetworkTerm);
    this.dof = model.pinning.length;
    this.pinning = Float64Array.from(model.pinning);
    this.quarticPinning = Float64Array.from(model.quarticPinning);
    const s = model.springs;
    this.springI = Int32Array.from(s.map((x) => x.i));
    this.springJ = Int32Array.from(s.map((x) => x.j));
    this.stiffness = Float64Array.from(s.map((x) => x.stiffness));
    this.quartic = Float64Array.from(s.map((x) => x.quartic));
    this.anharmonic = s.some((x) => x.quartic !== 0) || this.quarticPinning.some((c) => c !== 0);
  }

  compute(x: Float64Array, force: Float64Array): number {
    const n = this.dof;
    const kp = this.pinning,
      cp = this.quarticPinning;
    let u = 0;
    for (let i = 0; i < n; i++) {
      const q = x[i];
      const q2 = q * q;
      force[i] = -(kp[i] + cp[i] * q2) * q;
      u += 0.5 * kp[i] * q2 + 0.25 * cp[i] * q2 * q2;
    }
    const I = this.springI,
      J = this.springJ,
      k = this.stiffness,
      c = this.quartic;
    for (let s = 0; s < I.length; s++) {
      const i = I[s],
        j = J[s];
      const r = x[i] - x[j];
      const r2 = r * r;
      const f = (k[s] + c[s] * r2) * r; // U'(r): the force on j, minus the force on i
      force[i] -= f;
      force[j] += f;
      u += 0.5 * k[s] * r2 + 0.25 * c[s] * r2 * r2;
    }
    return u;
  }

  /** U'_s(r) for spring s at coordinates x: the force the spring exerts on its second site. */
  springForce(s: number, x: Float64Array): number {
    const r = x[this.springI[s]] - x[this.springJ[s]];
    return (this.stiffness[s] + this.quartic[s] * r * r) * r;
  }

  /** U''_s(r) for spring s. */
  springCurvature(s: number, x: Float64Array): number {
    const r = x[this.springI[s]] - x[this.springJ[s]];
    return this.stiffness[s] + 3 * this.quartic[s] * r * r;
  }

  /** Writes d^2 U / dq_i^2 at x for every site into out (one pass over the springs). */
  siteCurvatures(x: Float64Array, out: Float64Array): void {
    for (let i = 0; i < this.dof; i++) out[i] = this.pinning[i] + 3 * this.quarticPinning[i] * x[i] * x[i];
    const I = this.springI,
      J = this.springJ;
    for (let s = 0; s < I.length; s++) {
      const r = x[I[s]] - x[J[s]];
      const h = this.stiffness[s] + 3 * this.quartic[s] * r * r;
      out[I[s]] += h;
      out[J[s]] += h;
    }
  }
}

/** Checks a "network" term that comes without its model (lengths, indices, finite numbers). */
function checkForceTerms(t: NetworkTerm): void {
  const fail = (what: string): never => {
    throw new ModelError(`NetworkForceField: ${what}`);
  };
  if (t === null || typeof t !== "object" || t.term !== "network") fail("expected a network model or its force term");
  const n = t.pinning instanceof Float64Array ? t.pinning.length : -1;
  if (n < 1 || !(t.quarticPinning instanceof Float64Array) || t.quarticPinning.length !== n)
    fail("pinning and quarticPinning must be Float64Arrays of one length");
  for (let i = 0; i < n; i++)
    if (!(t.pinning[i] >= 0 && t.pinning[i] < Infinity && t.quarticPinning[i] >= 0 && t.quarticPinning[i] < Infinity))
      fail(`pinning of coordinate ${i} must be finite and >= 0`);
  if (!Array.isArray(t.springs)) fail("springs must be a list");
  t.springs.forEach((s, k) => {
    const ok =
      Number.isInteger(s?.i) &&
      Number.isInteger(s?.j) &&
      s.i >= 0 &&
      s.j >= 0 &&
      s.i < n &&
      s.j < n &&
      s.i !== s.j &&
      s.stiffness > 0 &&
      s.stiffness < Infinity &&
      s.quartic >= 0 &&
      s.quartic < Infinity;
    if (!ok) fail(`springs[${k}] must join two of the ${n} coordinates with a finite stiffness > 0 and quartic >= 0`);
  });
}
