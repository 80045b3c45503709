import { describe, expect, it } from "vitest";
import { ModelError } from "../../../src/errors.js";
import { Rng } from "../../../src/stochastic/rng.js";
import { confidenceStandardErrors, resolvedStandardErrors } from "../../../src/studentT.js";
import {
  boxSide,
  configurationStructure,
  demixingParams,
  simulateDemixing,
} from "../../../src/studies/two-temperature/demixing.js";
import {
  classifySlab,
  combineDemixing,
  slabGeometry,
  slabMixingHorizon,
  slabMixingRate,
  SLAB_LATE_FRACTION,
  SLAB_MIXING_CONFIDENCE,
  SLAB_MIXING_DECAY,
  slabStart,
  slabStartLowQ,
  stripeMode,
  type DemixingSlab,
} from "../../../src/studies/two-temperature/demixingSlab.js";
import { demixingSlabRuns } from "../../../src/studies/two-temperature/definition.js";
import { demixingSlabFigure } from "../../../src/studies/two-temperature/demixingSlabFigures.js";

/** `draws` separated starts of N disks (half cold) at area fraction 0.4: S_cc(q_min) and the (1, 0) mode of each. */
function startStructure(N: number, draws: number, contrast: number) {
  const L = boxSide({ N, phi: 0.4, range: 1 });
  const nCold = N / 2;
  const cold = new Uint8Array(N);
  for (let a = N - nCold; a < N; a++) cold[a] = 1;
  const g = slabGeometry(N, nCold, L, contrast);
  const rng = Rng.stream(7);
  const low: number[] = [],
    mode: number[] = [];
  const x = new Float64Array(2 * N);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < 2 * N; i++) x[i] = rng.uniform() * L;
    slabStart(x, cold, g);
    low.push(configurationStructure(x, cold, [L, L]).sccLowQ);
    let re = 0,
      im = 0;
    for (let a = 0; a < N; a++) {
      const w = cold[a] - 0.5,
        ph = ((2 * Math.PI) / L) * x[2 * a];
      re += w * Math.cos(ph);
      im += w * Math.sin(ph);
    }
    mode.push((re * re + im * im) / N);
  }
  const stats = (v: number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length);
    return { m, s };
  };
  return { L, nCold, low: stats(low), mode: stats(mode) };
}

describe("the separated (slab) start", () => {
  it("draws a stripe whose S_cc(q_min) and composition mode match their closed forms (S_cc(q_min) proportional to N)", () => {
    for (const [N, contrast] of [
      [100, 1],
      [400, 1],
      [200, 0.5],
    ] as const) {
      const s = startStructure(N, 300, contrast);
      const exactLow = slabStartLowQ(N, s.nCold, s.L, 1, contrast),
        exactMode = stripeMode(N, s.nCold, 1, contrast);
      // Within 4 standard errors of 300 draws, and the error bar resolves a few percent.
      expect(Math.abs(s.low.m - exactLow)).toBeLessThan(4 * s.low.s);
      expect(Math.abs(s.mode.m - exactMode)).toBeLessThan(4 * s.mode.s);
      expect(s.mode.s / exactMode).toBeLessThan(0.03);
      if (contrast === 1) {
        // The pure stripe: N / pi^2 + (1 - 4 / pi^2) / 4 for the mode across it; a quarter of that (plus the three
        // modes along it at x(1 - x)) for the shell.
        expect(exactMode).toBeCloseTo(N / Math.PI ** 2 + (1 - 4 / Math.PI ** 2) / 4, 10);
        expect(exactLow).toBeCloseTo((exactMode + 3 * 0.25) / 4, 10);
      } else expect(exactMode / stripeMode(N, s.nCold)).toBeCloseTo(0.25, 1);
    }
  });

  it("keeps the random start's numbers and refuses a bad start or contrast", () => {
    expect(demixingParams({}).start).toBe("random");
    expect(() => demixingParams({ start: "stripe" as never })).toThrow(ModelError);
    expect(() => demixingParams({ start: "slab", slabContrast: 0 })).toThrow(/contrast/);
    expect(() => demixingParams({ start: "slab", slabContrast: 1.5 })).toThrow(/contrast/);
    const base = { N: 60, time: 20, burnIn: 0, sampleInterval: 10, replicas: 2, seed: 4 };
    const a = simulateDemixing(base),
      b = simulateDemixing({ ...base, start: "random" });
    expect(a.psi.value).toBe(b.psi.value);
    expect(a.slab).toBeUndefined();
  });

  it("dissolves at equal temperatures within a few hot-disk interdiffusion times (N = 100)", () => {
    // t_hot = (L / 2 pi)^2 / T_hot = 249 at N = 100; the labels relax by self-diffusion, r ~ exp(-2 D_s q^2 t).
    const r = simulateDemixing({
      N: 100,
      Tcold: 0.02,
      start: "slab",
      burnIn: 0,
      time: 1000,
      sampleInterval: 25,
      replicas: 8,
      seed: 21,
    });
    const s = r.slab!;
    expect(s.hotTime).toBeCloseTo((boxSide(r.parameters) / (2 * Math.PI)) ** 2 / 0.02, 10);
    // At the start a stripe: r = 1 (within the Student-t threshold of 8 replicas), no hot disk in the core.
    const t8 = resolvedStandardErrors(8);
    expect(Math.abs(s.retention[0] - 1)).toBeLessThan(t8 * s.retentionError[0] + 1e-12);
    expect(s.hotExclusion[0]).toBe(0);
    const test = classifySlab(s);
    expect(test.verdict).toBe("dissolves");
    expect(s.late.retention.value + t8 * s.late.retention.error).toBeLessThan(0.25);
    // The hot disks are back in the core, the cold ones spread out.
    expect(s.late.hotExclusion.value).toBeGreaterThan(0.5);
    expect(s.late.compression.value + t8 * s.late.compression.error).toBeLessThan(1);
  });

  it("dissolves at T_hot/T_cold = 10 within two cold-disk interdiffusion times (N = 60)", () => {
    // t_cold = (L / 2 pi)^2 / T_cold = 1491 at N = 60; the slab is compressed with the hot disks kept out for a few
    // t_hot = 149 and then dissolves: persistence over t_hot alone decides nothing.
    const r = simulateDemixing({
      N: 60,
      Tcold: 0.002,
      start: "slab",
      burnIn: 0,
      time: 3000,
      sampleInterval: 100,
      replicas: 8,
      seed: 23,
    });
    const s = r.slab!;
    expect(s.coldTime).toBeCloseTo(10 * s.hotTime, 8);
    expect(classifySlab(s).verdict).toBe("dissolves");
    const t8 = resolvedStandardErrors(8);
    expect(s.late.compression.value + t8 * s.late.compression.error).toBeLessThan(1);
  });

  it("stays compressed at T_hot/T_cold = 100 with the hot disks kept out of its core, undecided before t_cold (N = 400)", () => {
    // t_hot = 995, t_cold = 99500 at N = 400: over t = 600-800 the slab is compressed (kappa > 1) and the hot disks'
    // density in its core below half their mean, but a slab at ratio 10 does that too before it dissolves.
    const r = simulateDemixing({
      N: 400,
      Tcold: 0.0002,
      start: "slab",
      burnIn: 0,
      time: 800,
      sampleInterval: 50,
      replicas: 12,
      seed: 22,
    });
    const s = r.slab!;
    const test = classifySlab(s);
    expect(test.verdict).toBe("undecided");
    expect(test.reasons.join(" ")).toMatch(/before the cold disks' interdiffusion time/);
    const t = resolvedStandardErrors(12);
    expect(s.late.hotExclusion.value + t * s.late.hotExclusion.error).toBeLessThan(0.5);
    expect(s.late.compression.value - t * s.late.compression.error).toBeGreaterThan(1);
    expect(s.late.retention.value - t * s.late.retention.error).toBeGreaterThan(0.25);
    // S_cc(q_min) keeps the stripe's order N: over 10 times the ideal mixture's x(1 - x).
    expect(s.late.sccLowQ.value).toBeGreaterThan(10 * 0.25);
  });
});

describe("the slab's time rule from a mixed control's relaxation", () => {
  it("reads the rate of r = exp(-k t / t_cold) from the late window and sets the horizon where r = e^-3 from the rate's one-sided 95% lower bound", () => {
    // A slab whose r decays exactly as exp(-k t / t_cold), late window over its last quarter (times 21..28 of 28).
    const k = 0.5,
      coldTime = 2000,
      dt = 100;
    const time = Array.from({ length: 29 }, (_, i) => i * dt);
    const late = time.slice(21);
    const tLate = late.reduce((a, t) => a + t, 0) / late.length;
    const r = Math.exp((-k * tLate) / coldTime);
    const rate = slabMixingRate({
      time,
      coldTime,
      lateFrom: late[0],
      late: { retention: { value: r, error: 0.01, reliable: true, batches: 8 } } as DemixingSlab["late"],
    });
    expect(rate.value).toBeCloseTo(k, 12);
    expect(rate.lateTime).toBeCloseTo(tLate, 12);
    // d(ln r) = dr / r, over t_late / t_cold.
    expect(rate.error).toBeCloseTo((0.01 / r) * (coldTime / tLate), 12);
    expect(rate.batches).toBe(8);
    // The horizon: r at the start of the late window is exp(-SLAB_MIXING_DECAY) for a slab relaxing at the rate's
    // one-sided 95% lower bound k - t95 dk (t95 = 1.895, Student's t of 8 replicas), below it at the point estimate.
    const T = slabMixingHorizon(rate, coldTime);
    const low = rate.value - confidenceStandardErrors(8, SLAB_MIXING_CONFIDENCE) * rate.error;
    expect(confidenceStandardErrors(8, SLAB_MIXING_CONFIDENCE)).toBeCloseTo(1.8946, 4);
    expect(Math.exp((-low * (1 - SLAB_LATE_FRACTION) * T) / coldTime)).toBeCloseTo(Math.exp(-SLAB_MIXING_DECAY), 12);
    expect(T).toBeGreaterThan(slabMixingHorizon({ ...rate, error: 0 }, coldTime));
    // A fast control never shortens the run below 1.4 t_cold (the schedule on which "persists" may be called).
    expect(slabMixingHorizon({ value: 100, error: 1, batches: 8 }, coldTime)).toBe(1.4 * coldTime);
    const dissolved = { value: -0.01, error: 0.01, reliable: true, batches: 8 };
    expect(() =>
      slabMixingRate({ time, coldTime, lateFrom: late[0], late: { retention: dissolved } as DemixingSlab["late"] }),
    ).toThrow(ModelError);
    expect(() => slabMixingHorizon({ value: 0, error: 0, batches: 8 }, coldTime)).toThrow(ModelError);
    expect(() => slabMixingHorizon({ value: Number.NaN, error: 0, batches: 8 }, coldTime)).toThrow(ModelError);
    // A rate whose one-sided 95% lower bound is not above 0 (k - t95 dk <= 0) sets no horizon; one above 0 at 95% but
    // not resolved at the Student-t threshold (8.47 error bars for 8 replicas) does.
    expect(() => slabMixingHorizon({ value: 0.1, error: 0.1, batches: 8 }, coldTime)).toThrow(
      /no positive one-sided 95% lower bound/,
    );
    expect(slabMixingHorizon({ value: 0.3, error: 0.1, batches: 8 }, coldTime) / coldTime).toBeCloseTo(
      3 / ((0.3 - 0.1 * confidenceStandardErrors(8, 0.95)) * 0.75),
      12,
    );
  });

  it("does not let a compressed slab persist while it relaxes at the mixed control's rate", () => {
    // A 1.4 t_cold run (late window from 1.05 t_cold) whose r decays as exp(-k_ctl t / t_cold), the control's rate
    // 0.48 per t_cold (phi = 0.7's stored control: horizon about 8 t_cold): r = 0.55 ± 0.02 in the late window,
    // over the 0.25 bound, with kappa = 1.1 and h = 0.4 resolved on their sides. Without the control's condition it
    // "persists"; its own rate 0.48 ± 0.03 is not below half the control's, so it is undecided.
    const kCtl = 0.48,
      coldTime = 2000;
    const time = Array.from({ length: 29 }, (_, i) => (i * 1.4 * coldTime) / 28);
    const lateFrom = time[21];
    const tLate = time.slice(21).reduce((a, t) => a + t, 0) / 8;
    const m = (value: number, error: number) => ({ value, error, reliable: true, batches: 8 });
    const slab = {
      time,
      lateFrom,
      coldTime,
      late: {
        retention: m(Math.exp((-kCtl * tLate) / coldTime), 0.02),
        hotExclusion: m(0.4, 0.01),
        compression: m(1.1, 0.01),
      },
    } as unknown as DemixingSlab;
    const control = m(kCtl, 0.024);
    expect(classifySlab(slab).verdict).toBe("persists");
    const test = classifySlab(slab, control);
    expect(test.verdict).toBe("undecided");
    expect(test.reasons.join(" ")).toMatch(/not resolved below half the control's lower end/);
    // The same slab with r kept at 0.95 ± 0.01 (own rate 0.042 ± 0.009 per t_cold: upper end 0.115 at 8.47 error
    // bars, below (0.48 - 8.47 x 0.024) / 2 = 0.138) still persists.
    const kept = { ...slab, late: { ...slab.late, retention: m(0.95, 0.01) } } as DemixingSlab;
    expect(classifySlab(kept, control).verdict).toBe("persists");
    // A fast control (horizon 1.4 t_cold) adds no condition.
    expect(classifySlab(slab, m(5, 0.1)).verdict).toBe("persists");
  });

  it("compares the slab's rate with half the control's lower end, not with half its point estimate", () => {
    // A compressed slab (r = 0.85 ± 0.01, kappa = 1.1, h = 0.4, 8 replicas, late window after t_cold) whose own rate's
    // upper end k + t dk lies below half the control's point estimate k_ctl / 2 but above half its lower end
    // (k_ctl - t_ctl dk_ctl) / 2: a control measured low by its error bar would let it "persist". The control's error
    // bar does not exclude a mixed slab relaxing at 2 (k + t dk), so the slab test must not call it "persists".
    const coldTime = 2000;
    const time = Array.from({ length: 29 }, (_, i) => (i * 1.4 * coldTime) / 28);
    const m = (value: number, error: number) => ({ value, error, reliable: true, batches: 8 });
    const slab = {
      time,
      lateFrom: time[21],
      coldTime,
      late: { retention: m(0.85, 0.01), hotExclusion: m(0.4, 0.01), compression: m(1.1, 0.01) },
    } as unknown as DemixingSlab;
    const own = slabMixingRate(slab);
    const top = own.value + resolvedStandardErrors(8) * own.error;
    const control = m(0.48, 0.03);
    const lowerEnd = control.value - resolvedStandardErrors(8) * control.error;
    // The construction: the point estimate says "persists", the control's error bar does not allow it, and the
    // control's horizon is over 1.4 t_cold (the condition applies).
    expect(top).toBeLessThan(control.value / 2);
    expect(top).toBeGreaterThan(lowerEnd / 2);
    expect(slabMixingHorizon(control, coldTime)).toBeGreaterThan(1.4 * coldTime);
    expect(classifySlab(slab).verdict).toBe("persists");
    const test = classifySlab(slab, control);
    expect(test.verdict).toBe("undecided");
    expect(test.reasons.join(" ")).toContain(`(k_ctl - t dk_ctl) / 2 = ${Number((lowerEnd / 2).toPrecision(3))}`);
    // The same control measured tighter (its lower end half above the slab's upper end) lets it persist.
    const tight = m(0.48, 0.001);
    expect(top).toBeLessThan((tight.value - resolvedStandardErrors(8) * tight.error) / 2);
    expect(classifySlab(slab, tight).verdict).toBe("persists");
    // A control with 4 replicas whose lower end at the Student-t threshold is not above 0 bounds no mixing rate:
    // only a slab resolved to sharpen (rate below 0) could pass; this one stays undecided.
    const few = { ...control, batches: 4 };
    expect(few.value - resolvedStandardErrors(4) * few.error).toBeLessThan(0);
    expect(classifySlab(slab, few).verdict).toBe("undecided");
  });

  it("at the stiff point's density, a mixed slab is undecided after 1.4 t_cold and dissolves on its own horizon (N = 60)", () => {
    // Equal temperatures T = 0.002, k = 1, area fraction 0.7: labels interdiffuse at about a quarter of a free disk's
    // rate, so after 1.4 t_cold (t_cold = (L / 2 pi)^2 / T = 852 at N = 60) r is still about 0.5 and the slab test
    // cannot say "dissolves". The horizon from the one-sided 95% bound of that run's own rate (12.6 t_cold at seed 31) lets it (about 10 CPU-s for both runs).
    const point = { N: 60, phi: 0.7, Thot: 0.002, Tcold: 0.002, dt: 0.1, start: "slab" as const, burnIn: 0 };
    const L = boxSide({ N: 60, phi: 0.7, range: 1 });
    const coldTime = (L / (2 * Math.PI)) ** 2 / 0.002;
    const interval = (T: number) => Math.round(T / 28 / 0.1) * 0.1;
    const short = simulateDemixing({
      ...point,
      time: 28 * interval(1.4 * coldTime),
      sampleInterval: interval(1.4 * coldTime),
      replicas: 8,
      seed: 31,
    }).slab!;
    expect(short.coldTime).toBeCloseTo(coldTime, 8);
    expect(classifySlab(short).verdict).toBe("undecided");
    const t8 = resolvedStandardErrors(8);
    // Not "dissolves": r is not resolved below the bound.
    expect(short.late.retention.value + t8 * short.late.retention.error).toBeGreaterThan(0.25);
    const rate = slabMixingRate(short);
    // Slower than free disks (rate 2 per t_cold for r ~ exp(-2 D q1^2 t) with D = T): resolved below 1.
    expect(rate.value + 4 * rate.error).toBeLessThan(1);
    // At 8 replicas the rate is not resolved at their Student-t threshold (8.47 error bars), but its one-sided 95%
    // lower bound (1.895 error bars) is above 0: the horizon needs only that (a too-short run reads "undecided").
    expect(rate.value - t8 * rate.error).toBeLessThan(0);
    const T = slabMixingHorizon(rate, coldTime);
    expect(T).toBeGreaterThan(slabMixingHorizon({ ...rate, error: 0 }, coldTime));
    expect(T / coldTime).toBeGreaterThan(4);
    // 16 replicas: at N = 60 one replica's late r scatters by about 0.07 about 0 once dissolved.
    const long = simulateDemixing({
      ...point,
      time: 28 * interval(T),
      sampleInterval: interval(T),
      replicas: 16,
      seed: 32,
    }).slab!;
    const test = classifySlab(long);
    expect(test.verdict, test.reasons.join("; ")).toBe("dissolves");
  });
});

describe("the combined verdict", () => {
  const slab = (retention: number, hot: number, kappa: number, scc: number): DemixingSlab =>
    ({
      width: 10,
      centre: 5,
      boxSide: 20,
      hotTime: 100,
      coldTime: 1000,
      lateFrom: 1500,
      late: {
        amplitude: { value: Math.sqrt(retention), error: 0.01, reliable: true, batches: 16 },
        retention: { value: retention, error: 0.01, reliable: true, batches: 16 },
        hotExclusion: { value: hot, error: 0.01, reliable: true, batches: 16 },
        compression: { value: kappa, error: 0.01, reliable: true, batches: 16 },
        sccLowQ: { value: scc, error: 0.1, reliable: true, batches: 16 },
      },
    }) as unknown as DemixingSlab;
  const psi = (value: number) => ({ value, error: 0.005, reliable: true, batches: 16 });

  it("lets the slab test decide where it decides and the random start elsewhere", () => {
    const persists = [
      { parameters: { N: 100 }, slab: slab(0.6, 0.3, 1.4, 2) },
      { parameters: { N: 400 }, slab: slab(0.6, 0.3, 1.4, 8) },
    ];
    expect(combineDemixing({ verdict: "unresolved", psi: psi(0.3) }, persists).verdict).toBe("separating");
    expect(combineDemixing({ verdict: "correlated", psi: psi(0.3) }, persists).verdict).toBe("separating");
    expect(combineDemixing({ verdict: "mixed", psi: psi(0) }, persists).verdict).toBe("unresolved");
    // S_cc(q_min) / N falling with N (resolved): not a separated state.
    const falling = [persists[0], { parameters: { N: 400 }, slab: slab(0.6, 0.3, 1.4, 2) }];
    const f = combineDemixing({ verdict: "separating", psi: psi(0.3) }, falling);
    expect(f.slab).toBe("undecided");
    expect(f.verdict).toBe("separating");
    const dissolves = [{ parameters: { N: 200 }, slab: slab(0.02, 0.9, 0.6, 0.3) }];
    expect(combineDemixing({ verdict: "separating", psi: psi(0.3) }, dissolves).verdict).toBe("correlated");
    expect(combineDemixing({ verdict: "unresolved", psi: psi(0.01) }, dissolves).verdict).toBe("unresolved");
    expect(combineDemixing({ verdict: "mixed", psi: psi(0) }, dissolves).verdict).toBe("mixed");
    // Between the bounds (or too short a run): the random start's verdict.
    const between = [{ parameters: { N: 200 }, slab: slab(0.4, 0.6, 1.1, 3) }];
    expect(combineDemixing({ verdict: "correlated", psi: psi(0.3) }, between)).toMatchObject({
      slab: "undecided",
      verdict: "correlated",
    });
    const short = [{ parameters: { N: 200 }, slab: { ...slab(0.9, 0.1, 1.4, 3), lateFrom: 100 } }];
    expect(classifySlab(short[0].slab).verdict).toBe("undecided");
    expect(() => combineDemixing({ verdict: "mixed", psi: psi(0) }, [])).toThrow(ModelError);
  });
});

describe("fig10 (the separated start) in quick mode", () => {
  it("builds with finite tables, both starts at the largest ratio", async () => {
    const d = await demixingSlabRuns(true, { seed: 2 });
    expect(d.runs.some((r) => r.start === "random")).toBe(true);
    expect(d.verdicts.map((v) => v.ratio)).toEqual([1, 3, 100]);
    expect(d.verdicts[2].combined).toBeDefined();
    // The random start's criterion is that of classifyDemixing over the same runs.
    expect(["mixed", "correlated", "separating", "unresolved"]).toContain(d.verdicts[2].combined);
    const fig = demixingSlabFigure(d);
    expect(fig.name).toBe("fig10-demixing-slab");
    const csv = fig.table.rows.flat();
    expect(csv.length).toBeGreaterThan(50);
    for (const v of csv) if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
  });
});
