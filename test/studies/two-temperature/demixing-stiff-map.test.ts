// The demixing map at the stiff stiffness (docs/studies/two-temperature.md, "The map at the stiff stiffness"): its
// figure from a small hand-made results object, and the committed results JSON (written by
// scripts/demixing-stiff-map.js) checked for its records and rendered. No simulation.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NessError } from "../../../src/errors.js";
import { createDocument, renderSvg } from "../../../src/io/render.js";
import {
  demixingStiffMapFigure,
  type DemixingMapPoint,
  type DemixingMapResults,
} from "../../../src/studies/two-temperature/demixingFigures.js";
import { demixingMapSpinodal, spinodalRatio } from "../../../src/studies/two-temperature/demixingTheory.js";
import {
  classifySlab,
  combineDemixing,
  SLAB_MIXING_CONFIDENCE,
  slabMixingHorizon,
  slabMixingRate,
  type DemixingSlab,
} from "../../../src/studies/two-temperature/demixingSlab.js";
import { boxSide, SEPARATING_FLOOR } from "../../../src/studies/two-temperature/demixing.js";
import { confidenceStandardErrors, RESOLVED_NORMAL_Z, resolvedStandardErrors } from "../../../src/studentT.js";

const BASE = { Thot: 0.002, stiffness: 1, range: 1, coldFraction: 0.5, dt: 0.1 };

function point(
  phi: number,
  ratio: number,
  verdict: DemixingMapPoint["verdict"],
  s: [number, number],
  psi: number,
): DemixingMapPoint {
  const sccLowQ = [
    { value: s[0], error: 0.02 },
    { value: s[1], error: 0.04 },
  ];
  return {
    phi,
    ratio,
    seed: 1,
    schedule: { factor: 1, sampleInterval: 1000, burnIns: [10000, 60000], times: [20000, 20000] },
    verdict,
    evidence: { sizes: [30, 60], sccLowQ, ideal: 0.25, sizeRatio: s[1] / s[0], sizeZ: 0, scalingDeficitZ: 0 },
    runs: [30, 60].map((N, k) => ({
      parameters: {
        N,
        phi,
        Thot: BASE.Thot,
        Tcold: BASE.Thot / ratio,
        stiffness: 1,
        range: 1,
        replicas: 24,
        dt: 0.1,
        seed: 1 + k,
      },
      psi: { value: psi, error: 0.01, reliable: true },
      sccLowQ: { ...sccLowQ[k], reliable: true },
    })),
  };
}

const small: DemixingMapResults = {
  version: "0.0.0-test",
  seed: 1,
  parameters: { base: BASE, phis: [0.4, 0.7], ratios: [3, 100], sizes: [30, 60], replicas: 24 },
  spinodal: demixingMapSpinodal(BASE, [0.4, 0.7]),
  // (0.4, 100) is missing: a partial run.
  points: [
    point(0.4, 3, "correlated", [0.3, 0.33], 0.08),
    point(0.7, 3, "unresolved", [0.25, 0.24], 0.01),
    point(0.7, 100, "separating", [0.44, 0.99], 0.38),
  ],
};

const rowsOf = (fig: ReturnType<typeof demixingStiffMapFigure>, panel: string) =>
  fig.table.rows.filter((r) => String(r[0]).startsWith(panel));

describe("the demixing map at the stiff stiffness: figure", () => {
  const fig = demixingStiffMapFigure(small);
  const col = (name: string) => fig.table.columns.indexOf(name);

  it("draws the growth of S_cc(q -> 0) with the error of a ratio of independent estimates", () => {
    const a = rowsOf(fig, "(a)");
    expect(a).toHaveLength(3);
    const y = col("S_cc_q_0_at_N"),
      e = col("S_cc_q_0_at_N_error");
    const row = a.find((r) => r[1] === "phi = 0.7" && r[2] === 100)!;
    expect(row[y]).toBeCloseTo(0.99 / 0.44, 12);
    // d(b/a) = (b/a) sqrt((da/a)^2 + (db/b)^2)
    expect(row[e]).toBeCloseTo((0.99 / 0.44) * Math.sqrt((0.02 / 0.44) ** 2 + (0.04 / 0.99) ** 2), 12);
  });

  it("places each verdict at its (ratio, phi), leaves a missing point out and names it", () => {
    const b = rowsOf(fig, "(b)");
    const phi = col("area_fraction_phi"),
      x = col("T_hot_over_T_cold");
    const marks = b.filter((r) => r[1] !== "second-virial spinodal").map((r) => `${r[1]} ${r[x]} ${r[phi]}`);
    expect(marks.sort()).toEqual(["correlated 3 0.4", "separating 100 0.7", "unresolved 3 0.7"]);
    expect(fig.caption).toContain("Not run: (phi, ratio) = (0.4, 100)");
    expect(fig.caption).toContain("4.88 standard errors"); // Student's t of 24 replicas
  });

  it("draws the second-virial spinodal of the results' stiffness: lower for denser and for stiffer disks", () => {
    const b = rowsOf(fig, "(b)").filter((r) => r[1] === "second-virial spinodal");
    const phi = col("area_fraction_phi"),
      x = col("T_hot_over_T_cold");
    expect(b.length).toBeGreaterThan(5);
    // Three of the curve's points against the threshold computed here (each about 30 ms of quadrature).
    for (const r of [b[0], b[Math.floor(b.length / 2)], b[b.length - 1]]) {
      const p = Number(r[phi]);
      const ratio = Number(r[x]);
      expect(ratio).toBeCloseTo(spinodalRatio({ phi: p, coldFraction: 0.5, Thot: 0.002, stiffness: 1, range: 1 }), 10);
      // Softer disks (T_hot / k = 0.02, the study's default) need a larger ratio at the same phi.
      expect(spinodalRatio({ phi: p, coldFraction: 0.5, Thot: 0.02, stiffness: 1, range: 1 })).toBeGreaterThan(ratio);
    }
    const ratios = [...b].sort((u, v) => Number(u[phi]) - Number(v[phi])).map((r) => Number(r[x]));
    for (let k = 1; k < ratios.length; k++) expect(ratios[k]).toBeLessThan(ratios[k - 1]);
  });

  it("computes nothing: the spinodal and its thresholds are the stored ones", () => {
    const stored = {
      curve: { phi: [0.5, 0.6], ratio: [40, 30] },
      thresholds: [{ phi: 0.4 }, { phi: 0.7, ratio: 17 }],
    };
    const f = demixingStiffMapFigure({ ...small, spinodal: stored });
    const b = rowsOf(f, "(b)").filter((r) => r[1] === "second-virial spinodal");
    expect(b.map((r) => Number(r[col("T_hot_over_T_cold")]))).toEqual([40, 30]);
    expect(f.caption).toContain("none below 10^6 at phi = 0.4, 17 at phi = 0.7");
    const none = demixingStiffMapFigure({ ...small, spinodal: undefined });
    expect(rowsOf(none, "(b)").filter((r) => r[1] === "second-virial spinodal")).toHaveLength(0);
    expect(none.caption).toContain("the second-virial spinodal is not in these results");
  });

  it("renders without NaN, and refuses results without points", () => {
    const svg = renderSvg(fig, createDocument());
    expect(svg).not.toContain("NaN");
    expect(() => demixingStiffMapFigure({ ...small, points: [] })).toThrow(NessError);
  });
});

describe("the demixing map at the stiff stiffness: the committed results", () => {
  const results = JSON.parse(
    readFileSync(new URL("../../../docs/studies/data/demixing-stiff-map.results.json", import.meta.url), "utf8"),
  ) as DemixingMapResults & { command: string };

  it("records version, parameters and seed, and each point's runs are the schedule's", () => {
    expect(results.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(results.command).toContain("scripts/demixing-stiff-map.js");
    // The commands that wrote points still in the file, and those among them that stopped before their last point.
    const { commands, unfinished } = results as unknown as { commands: string[]; unfinished: string[] };
    expect(commands[commands.length - 1]).toBe(results.command);
    for (const c of unfinished) expect(commands).toContain(c);
    expect(Number.isInteger(results.seed)).toBe(true);
    const { base, phis, ratios, sizes, replicas } = results.parameters;
    expect(results.points.length).toBeGreaterThan(0);
    for (const p of results.points) {
      expect(phis).toContain(p.phi);
      expect(ratios).toContain(p.ratio);
      expect(["mixed", "correlated", "separating", "unresolved"]).toContain(p.verdict);
      // The windows are fig7 (c)'s scaled by the cold disks' interdiffusion time.
      expect(p.schedule.factor).toBeCloseTo((Math.max(p.ratio, 3) / 100) * (0.7 / p.phi), 5);
      p.runs.forEach((r, s) => {
        expect(r.parameters.N).toBe(sizes[s]);
        expect(r.parameters.phi).toBe(p.phi);
        expect(r.parameters.Tcold).toBeCloseTo(base.Thot / p.ratio, 15);
        expect(r.parameters.replicas).toBe(replicas);
        expect(r.parameters.seed).toBe(p.seed + s);
        expect((r.parameters as unknown as { burnIn: number }).burnIn).toBe(p.schedule.burnIns[s]);
        expect(r.sccLowQ.value).toBe(p.evidence.sccLowQ[s].value);
      });
      expect(p.evidence.sizeRatio).toBeCloseTo(p.evidence.sccLowQ[1].value / p.evidence.sccLowQ[0].value, 12);
    }
  });

  it("calls a point separating only where its growth with N clears the floor (stored S_cc(q -> 0), today's rule)", () => {
    // The floor of "separating" (S2 - G S1 resolved, G = 1 + (N2/N1 - 1) SEPARATING_FLOOR) came after the map was
    // run: every stored "separating" must clear it at its own threshold and at 4, or the stored verdict is stale.
    const { sizes } = results.parameters as unknown as { sizes: number[] };
    const G = 1 + (sizes[1] / sizes[0] - 1) * SEPARATING_FLOOR;
    const separating = results.points.filter((p) => p.verdict === "separating");
    expect(separating.length).toBe(3);
    for (const p of separating) {
      const [a, b] = p.evidence.sccLowQ as { value: number; error: number }[];
      const floorZ = (b.value - G * a.value) / Math.hypot(b.error, G * a.error);
      const n = (p.runs[1].sccLowQ as unknown as { n: number }).n;
      expect(floorZ).toBeGreaterThan(Math.max(resolvedStandardErrors(n), RESOLVED_NORMAL_Z));
    }
  });

  it("holds the second-virial spinodal of its parameters, and renders", () => {
    const { base, phis } = results.parameters;
    expect(results.spinodal).toEqual(demixingMapSpinodal(base, phis));
    const fig = demixingStiffMapFigure(results);
    expect(renderSvg(fig, createDocument())).not.toContain("NaN");
    expect(rowsOf(fig, "(b)").filter((r) => r[1] !== "second-virial spinodal")).toHaveLength(results.points.length);
  });

  it("holds its slab points' verdicts as the slab test and the combined verdict give them from the stored values", () => {
    const slabs = results.slabPoints ?? [];
    expect(slabs.length).toBeGreaterThan(0);
    const { base, phis, ratios } = results.parameters;
    const slabParams = (results as unknown as { slab: { N: number } }).slab;
    const slabSeedOf = (s: (typeof slabs)[number]) =>
      s.seed -
      (s.schedule?.horizon === "mixing" ? phis.length * ratios.length : 0) -
      phis.indexOf(s.phi) * ratios.length -
      ratios.indexOf(s.ratio);
    for (const s of slabs) {
      // The stated schedule: burn-in 0, 28 samples over 1.4 t_cold or the mixing horizon, seed slab-seed + (i * ratios + j).
      const L = boxSide({ N: s.N, phi: s.phi, range: base.range });
      expect(s.coldTime).toBeCloseTo((L / (2 * Math.PI)) ** 2 / (base.Thot / s.ratio), 4);
      expect(s.N).toBe(slabParams.N);
      expect(Number.isInteger(s.parameters.replicas) && s.parameters.replicas >= 4).toBe(true);
      expect(s.parameters.time).toBeCloseTo(28 * s.parameters.sampleInterval, 6);
      const interval = (T: number) => Math.round(T / 28 / base.dt) * base.dt;
      if (s.schedule?.horizon === "mixing") {
        // The horizon from the stored ratio-1 control at the same phi (on 1.4 t_cold): its rate recomputed here.
        const control = slabs.find(
          (c) => c.phi === s.phi && c.ratio === 1 && c.N === s.N && (c.schedule?.horizon ?? "cold") === "cold",
        )!;
        expect(control.seed).toBe(s.schedule.mixingRate!.controlSeed);
        const rate = slabMixingRate({
          late: control.late as DemixingSlab["late"],
          lateFrom: control.lateFrom,
          coldTime: control.coldTime,
          time: control.series.time,
        });
        expect(s.schedule.mixingRate!.value).toBeCloseTo(rate.value, 12);
        expect(s.schedule.mixingRate!.error).toBeCloseTo(rate.error, 12);
        // The horizon from the rate's one-sided 95% lower bound (Student's t of the control's replicas), as stored.
        expect(s.schedule.mixingRate!.n).toBe(rate.batches);
        expect(s.schedule.mixingRate!.lower).toBeCloseTo(
          rate.value - confidenceStandardErrors(rate.batches, SLAB_MIXING_CONFIDENCE) * rate.error,
          12,
        );
        expect(s.parameters.sampleInterval).toBeCloseTo(interval(slabMixingHorizon(rate, s.coldTime)), 6);
        // Its seed is its control's moved by phis * ratios and by its own place among the ratios.
        expect(s.seed - ratios.indexOf(s.ratio)).toBe(control.seed - ratios.indexOf(1) + phis.length * ratios.length);
      } else expect(s.parameters.sampleInterval).toBeCloseTo(interval(1.4 * s.coldTime), 6);
      // ... and it ran all of them: the start and 28 samples, the last at the time asked for.
      expect(s.series.time.length).toBe(29);
      expect(s.series.time[28]).toBeCloseTo(s.parameters.time, 6);
      // Every point at the stated seed: slab-seed + (i * ratios + j), plus phis * ratios on the mixing horizon.
      expect(slabSeedOf(s)).toBe(slabSeedOf(slabs[0]));
      // The late window starts after t_cold, so that "persists" is allowed by the time condition.
      expect(s.lateFrom).toBeGreaterThanOrEqual(s.coldTime);
      const slab = {
        late: s.late,
        lateFrom: s.lateFrom,
        coldTime: s.coldTime,
        time: s.series.time,
      } as unknown as DemixingSlab;
      // The mixed control at this phi (ratio 1, t_cold schedule), where stored and its rate measured.
      const ctl = slabs.find(
        (c) => c.phi === s.phi && c.ratio === 1 && c.N === s.N && (c.schedule?.horizon ?? "cold") === "cold",
      );
      const control = ctl
        ? slabMixingRate({
            late: ctl.late as DemixingSlab["late"],
            lateFrom: ctl.lateFrom,
            coldTime: ctl.coldTime,
            time: ctl.series.time,
          })
        : undefined;
      const test = classifySlab(slab, control);
      expect(test.verdict).toBe(s.slabVerdict);
      // The reasons too: a rule changed since the run leaves them stale (`--reclassify` derives them again).
      expect(test.reasons).toEqual((s as unknown as { slabReasons: string[] }).slabReasons);
      const random = results.points.find((p) => p.phi === s.phi && p.ratio === s.ratio)!;
      const psi = random.runs[random.runs.length - 1].psi as {
        value: number;
        error: number;
        reliable: boolean;
        n: number;
      };
      const both = combineDemixing(
        { verdict: random.verdict, psi: { ...psi, batches: psi.n } },
        [{ parameters: { N: s.N }, slab }],
        control,
      );
      expect(both.verdict).toBe(s.verdict);
      expect(both.reasons).toEqual((s as unknown as { reasons: string[] }).reasons);
      expect(s.series.time.length).toBe(s.series.retention.length);
    }
    const fig = demixingStiffMapFigure(results);
    expect(rowsOf(fig, "(d)").length).toBe(slabs.reduce((a, s) => a + s.series.time.length, 0));
    // The caption states the control's rule as classifySlab applies it: both ends, each at its own threshold.
    expect(fig.caption).toContain("relaxation rate, at its upper end, below half the control's lower end");
  });
});
