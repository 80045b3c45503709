/**
 * Opt-in long test (`npm run test:long`; not part of `npm test`: about 390 CPU-s, 4-7 minutes on 2 quiet cores): the
 * stiff point of fig7 (`ness reproduce two-temperature`, the finite-size figure) at the figure's own settings and
 * seeds (DEMIXING_FIGURE_SETTINGS.finiteSize.stiff, `ness reproduce` at seed 1): phi = 0.7, T_hot/k = 0.002,
 * T_hot/T_cold = 100, N = 100 and 200 from a random start, 8 replicas x (burn-in 10^5 and 1.5 10^5 + 2.5 10^4). The finite-size
 * criterion (classifyDemixing) must say "separating": S_cc(q -> 0) grows with N beyond the Student-t threshold of 8
 * replicas (8.47 standard errors), by more than 1.25, above x(1 - x). If the figure's replicas or window are cut
 * below what resolves the growth, this fails. Run by the CLI as a user would (same seed, same numbers as the set).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { classifyDemixing, type DemixingResult } from "../../src/studies/two-temperature/demixing.js";
import { demixingFiniteSizePoints } from "../../src/studies/two-temperature/definition.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

function study(args: string[]): DemixingResult {
  const p = spawnSync(
    process.execPath,
    ["bin/ness.js", "study", "two-temperature", "demixing", ...args, "--json", "--no-progress", "--force"],
    { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 },
  );
  if (p.status !== 0) throw new Error(`ness study failed (${p.status}): ${p.stderr}`);
  return (JSON.parse(p.stdout) as { results: DemixingResult }).results;
}

describe("fig7's stiff point (long)", () => {
  it("S_cc(q -> 0) grows with N at the figure's settings: separating", () => {
    const pt = demixingFiniteSizePoints(false, 1).find((p) => p.ratio === 100 && p.base.phi === 0.7)!;
    const b = pt.base;
    const runs = pt.sizes.map((N, i) =>
      study(
        [
          ["--phi", b.phi],
          ["--Thot", b.Thot],
          ["--Tcold", b.Tcold],
          ["--replicas", b.replicas],
          ["--N", N],
          ["--burn-in", pt.burnIns?.[i] ?? b.burnIn],
          ["--time", b.time],
          ["--sample-interval", b.sampleInterval],
          ["--seed", b.seed! + i],
          ["--workers", 2],
        ].flatMap(([k, v]) => [String(k), String(v)]),
      ),
    );
    const c = classifyDemixing(runs);
    expect(c.verdict, c.evidence.reasons.join("\n")).toBe("separating");
    // Recorded (docs, fig7): 2.01 +- 0.08 at N = 100, 3.86 +- 0.14 at N = 200.
    expect(runs[1].sccLowQ.value / runs[0].sccLowQ.value).toBeGreaterThan(1.5);
  }, 5_400_000);
});
