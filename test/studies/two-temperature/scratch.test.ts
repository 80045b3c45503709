import { it } from "vitest";
import { pairExact, simulatePair, currentChiSquare, pairClosedForm } from "../../../src/studies/two-temperature/harmonicPair.js";
import { ratchetCurrent } from "../../../src/studies/two-temperature/ratchet.js";
it("scratch", () => {
  const e = pairExact({ k: 1, lambda: 1, T1: 5, T2: 1 });
  console.log(e.covariance, e.heatFromBath, e.entropyProduction, e.entropyProductionLinear, e.entropyProductionClosedForm, e.areaRate, pairClosedForm(e.parameters));
  let t = performance.now();
  for (const [T1,T2,time] of [[5,1,200],[2,2,200]]) {
  const s = simulatePair({ k: 1, lambda: 1, T1, T2 }, {time});
  console.log((performance.now() - t) / 1000, JSON.stringify([s.heatFromBath, s.entropyProduction, s.covariance]), currentChiSquare(s.field), s.result.warnings);
  t = performance.now();
  }
  for (const T of [0.3, 1]) {
    t = performance.now();
    const r = ratchetCurrent({ Thot: T, Tcold: T }, { time: 300 });
    console.log((performance.now() - t) / 1000, JSON.stringify(r));
  }
  t = performance.now();
  const r = ratchetCurrent({ Thot: 1, Tcold: 0.05 }, { time: 300 });
  console.log((performance.now() - t) / 1000, JSON.stringify(r));
});
