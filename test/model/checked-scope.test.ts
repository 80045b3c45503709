// withCheckedNetwork (src/model/networkModel.ts): inside an entry point's scope the helpers skip re-checking the model
// it checked; outside it, and for any other model, every check runs as before.
import { describe, expect, it } from "vitest";
import { ModelError } from "../../src/errors.js";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import { checkNetworkModel, withCheckedNetwork } from "../../src/model/networkModel.js";
import { DEFAULT_PARAMS as CONDUCTION } from "../../src/studies/harmonic-conduction/params.js";
import { chainModel } from "../../src/studies/harmonic-conduction/study.js";

describe("withCheckedNetwork", () => {
  it("checks other models inside the scope, and every model again once it ends (also by a throw)", () => {
    const a = chainModel(8, CONDUCTION, "fixed", 0);
    const b = chainModel(8, CONDUCTION, "fixed", 1);
    b.baths[0].temperature = -1;
    expect(() => withCheckedNetwork(a, () => checkNetworkModel(b, "test"))).toThrow(ModelError);
    expect(() =>
      withCheckedNetwork(a, () => {
        throw new Error("inside");
      }),
    ).toThrow("inside");
    a.baths[0].temperature = -1;
    expect(() => checkNetworkModel(a, "test")).toThrow(/temperature/);
  });

  it("a model modified after a solve is refused by the next solve", () => {
    const m = chainModel(16, CONDUCTION, "fixed", 0);
    const first = solveNetworkTransmission(m, { bySource: false, temperatures: false, tolerance: 1e-8 });
    expect(first.baths[0].flux).toBeGreaterThan(0);
    m.springs[0].stiffness = Number.NaN;
    expect(() => solveNetworkTransmission(m, { bySource: false, temperatures: false })).toThrow(ModelError);
  });
});
