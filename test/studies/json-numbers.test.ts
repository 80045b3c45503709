// No null, NaN or Infinity in any library JSON: the results of compute() of every catalog study (quick parameters,
// the simulations short), serialised as a library caller would (JSON.stringify), hold only finite numbers. A
// statistic the engine cannot define (the lag-1 correlation of too few batches) is left out, not written as null.
// And results are a function of the parameters and the seed: computed twice, the same JSON byte for byte (wall
// times are not results). And the table --csv writes holds every computed point (the report prints a sample).
import { describe, expect, it } from "vitest";
import { STUDIES } from "../../src/studies/catalog.js";

/** Parameters per study: the defaults, and the simulated variants kept short. */
const parameterSets: Record<string, Record<string, unknown>[]> = {
  "variance-resonance": [
    { k0: 0.01, q: 4000, T1: 1, T2: 11 },
    { k: { start: 0.9, stop: 1.1, count: 5, spacing: "linear" }, k0: 0.01, q: 4000, T1: 1, T2: 11 },
  ],
  "energy-correlations": [
    { model: "ideal-gas" },
    { model: "ssep", M: 4 },
    { model: "ideal-gas", simulate: true, replicas: 2, time: 20 },
  ],
  "particle-bath-chain": [{}, { simulate: true, N: 4, Nb: 4, replicas: 2, time: 2 }, { probe: true, pairs: 2 }],
  "two-temperature": [{}, { simulate: true, time: 10, replicas: 2 }, { simulate: true, time: 2, replicas: 1 }],
  "two-temperature/run-and-chase": [{}],
  "two-temperature/ratchet": [
    { time: 20, replicas: 2 },
    { time: 2, replicas: 1 },
  ],
  "two-temperature/demixing": [
    { N: 40, time: 4, burnIn: 1, sampleInterval: 1, replicas: 2 },
    { N: 40, time: 4, burnIn: 1, sampleInterval: 0.1, replicas: 1, entropyProduction: true },
  ],
  "two-temperature/polymer": [
    { monomers: 6, time: 10, replicas: 2, dt: 0.01 },
    { monomers: 4, repulsion: 0, sequence: "alternating", time: 4, replicas: 1, dt: 0.01 },
  ],
  "harmonic-conduction": [{ nMin: 8, nMax: 16, samples: 1 }],
};

/** Sets not run twice for the same-seed check (the seconds they take; the others cover the same code). */
const slow = new Set([
  'particle-bath-chain {"simulate":true,"N":4,"Nb":4,"replicas":2,"time":2}',
  'two-temperature/ratchet {"time":20,"replicas":2}',
]);

/** Paths of every value that is not JSON-clean: null, a non-finite number, undefined in an array. */
function unclean(x: unknown, path = "$", out: string[] = []): string[] {
  if (x === null) out.push(`${path}: null`);
  else if (typeof x === "number") {
    if (!Number.isFinite(x)) out.push(`${path}: ${x}`);
  } else if (Array.isArray(x)) x.forEach((v, k) => unclean(v, `${path}[${k}]`, out));
  else if (typeof x === "object") for (const [k, v] of Object.entries(x)) unclean(v, `${path}.${k}`, out);
  return out;
}

describe("every study's compute() results are JSON with finite numbers only", () => {
  it("the walker finds null, NaN and Infinity", () => {
    expect(unclean({ a: [1, null], b: { c: NaN }, d: JSON.parse(JSON.stringify({ e: Infinity })) })).toEqual([
      "$.a[1]: null",
      "$.b.c: NaN",
      "$.d.e: null",
    ]);
  });

  it("every study of the catalog has parameter sets here", () => {
    expect(Object.keys(parameterSets).sort()).toEqual(STUDIES.map((s) => s.name).sort());
  });

  for (const study of STUDIES) {
    for (const raw of parameterSets[study.name] ?? []) {
      it(`${study.name} ${JSON.stringify(raw)}`, { timeout: 120_000 }, async () => {
        const results = await study.compute(study.parameters.parse(raw), { seed: 1, quick: true });
        // As computed (NaN would become null in JSON) and as a library caller serialises it.
        expect(unclean(results)).toEqual([]);
        expect(unclean(JSON.parse(JSON.stringify(results)))).toEqual([]);
        // The same seed gives the same JSON, byte for byte: no wall time (elapsed, seconds) in results.
        if (!slow.has(`${study.name} ${JSON.stringify(raw)}`)) {
          const again = await study.compute(study.parameters.parse(raw), { seed: 1, quick: true });
          expect(JSON.stringify(again)).toBe(JSON.stringify(results));
        }
      });
    }
  }
});

describe("the --csv table of a study holds every computed point, not the report's sample", () => {
  it("variance-resonance: every value of the sweep", async () => {
    const study = STUDIES.find((s) => s.name === "variance-resonance")!;
    const raw = { k: { start: 0.5, stop: 1.5, count: 101, spacing: "linear" }, k0: 0.01, q: 4000, T1: 1, T2: 11 };
    const results = await study.compute(study.parameters.parse(raw), { seed: 1, quick: true, figures: true });
    const table = study.table!(results)!;
    expect(table.rows).toBe(101);
    const row: (number | string)[] = [];
    table.row(100, row);
    expect(row[0]).toBe(1.5);
    expect(study.report(results)).toContain("(11 of the 101 points shown, every 10th; --csv FILE writes all 101");
  });

  it("harmonic-conduction: every chain length of both boundaries", async () => {
    const study = STUDIES.find((s) => s.name === "harmonic-conduction")!;
    const raw = { nMin: 8, nMax: 64, samples: 1 };
    const results = (await study.compute(study.parameters.parse(raw), { seed: 1, quick: true, figures: true })) as {
      results: { points: unknown[] }[];
    };
    const table = study.table?.(results) ?? study.figures(results)[0].table;
    const rows = "rows" in table && typeof table.rows === "number" ? table.rows : (table.rows as unknown[]).length;
    expect(rows).toBe(results.results.reduce((s, b) => s + b.points.length, 0));
    expect(rows).toBe(8);
  });
});
