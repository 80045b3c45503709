/**
 * Opt-in long test (`npm run test:long`; not part of `npm test`): the demixing criterion's finite-size test says
 * "separating" at T_hot / T_cold = 100 on the smallest pair of sizes where it does so for the right reason, and not at
 * the same sizes where the mixture is a correlated one. The stiff point of docs/studies/two-temperature.md (area
 * fraction 0.7, T_hot/k = 0.002) from the random start at N = 30 and 60, 24 replicas each, on the schedule and seeds of
 * the stiff map's point (phi 0.7, ratio 100: seeds 29 and 30, burn-in 1e4 + 2e4 and 6e4 + 2e4, samples every 1000;
 * scripts/demixing-stiff-map.js): S_cc(q -> 0) must double with N, clearing the floor of "separating" (a growth
 * resolved above 1.25, SEPARATING_FLOOR) and not resolved below 2; the test also asks for a measured growth above
 * 1.625, which an Ornstein-Zernike mixture in a box of more than about five correlation lengths does not reach (the
 * rule alone keeps out only boxes of more than about 11). The contrast: T_hot/k = 0.02 at the same sizes and
 * replicas (windows scaled by its tenfold faster cold disks), whose slab dissolves at N = 200 and whose S_cc(q -> 0)
 * rises by 1.3-1.5 from N = 30 to 60 (1.48 at these seeds, saturating): not "separating". Cost: 146 CPU-s (measured once, 2 workers).
 * N = 20 and 40 is too small: there the stiff point's growth, 1.57, is that of a mixture with xi q_min = 1.4 and the
 * criterion says "unresolved" (docs).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { classifyDemixing, type DemixingResult } from "../../src/studies/two-temperature/demixing.js";
import { resolvedStandardErrors } from "../../src/studentT.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

function study(args: string[]): DemixingResult {
  const p = spawnSync(
    process.execPath,
    [
      "bin/ness.js",
      "study",
      "two-temperature",
      "demixing",
      "--phi",
      "0.7",
      "--start",
      "random",
      "--replicas",
      "24",
      "--workers",
      "2",
      "--force",
      ...args,
      "--json",
      "--no-progress",
    ],
    { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 },
  );
  if (p.status !== 0) throw new Error(`ness study failed (${p.status}): ${p.stderr}`);
  return (JSON.parse(p.stdout) as { results: DemixingResult }).results;
}

/** N = 30 and 60 at (T_hot, T_cold), windows of fig7 (c) times `scale`, seeds 29 and 30. */
function pair(Thot: string, Tcold: string, scale: number) {
  const t = (x: number) => String(x * scale);
  const run = (N: number, burnIn: number, seed: number) =>
    study([
      "--N",
      String(N),
      "--Thot",
      Thot,
      "--Tcold",
      Tcold,
      "--burn-in",
      t(burnIn),
      "--time",
      t(20000),
      "--sample-interval",
      t(1000),
      "--seed",
      String(seed),
    ]);
  return classifyDemixing([run(30, 10000, 29), run(60, 60000, 30)]);
}

describe("demixing on the smallest pair of sizes that decides (long)", () => {
  it("the stiff point doubles S_cc(q -> 0) from N = 30 to 60 and clears the floor: separating", () => {
    const c = pair("0.002", "2e-5", 1);
    const t = resolvedStandardErrors(24);
    expect(c.verdict, c.evidence.reasons.join("\n")).toBe("separating");
    // For the right reason: the growth resolved above the floor 1.25 and not resolved below N2/N1 = 2.
    expect(c.evidence.floorZ).toBeGreaterThan(t);
    expect(c.evidence.scalingDeficitZ).toBeLessThan(t);
    expect(c.evidence.sizeRatio).toBeGreaterThan(1.625);
  }, 3_600_000);

  it("the softer mixture (T_hot/k = 0.02) at the same sizes is not separating", () => {
    const c = pair("0.02", "2e-4", 0.1);
    expect(c.verdict, c.evidence.reasons.join("\n")).not.toBe("separating");
  }, 3_600_000);
});
