// The studies' output layer (src/cli/studies/output.ts): a NaN, Infinity or null never reaches a text, JSON or CSV
// output (it is an internal error naming where it was), JSON numbers keep full precision, and the streamed JSON and
// CSV are what JSON.parse and a CSV reader read back.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NessError } from "../../src/errors.js";
import {
  NonFiniteOutputError,
  checkDocument,
  checkedText,
  csvRows,
  jsonChunks,
  writeChunks,
} from "../../src/cli/studies/output.js";
import { checkRange, describeRange } from "../../src/studies/ranges.js";
import { expectSameArray } from "../helpers/arrays.js";

describe("the output guard", () => {
  it("refuses NaN and Infinity in a text report, naming the line", () => {
    expect(checkedText("entropy production 0.25 kB/tau")).toBe("entropy production 0.25 kB/tau");
    expect(() => checkedText("a\nentropy production NaN kB/tau\nb")).toThrow(
      /would show NaN .*'entropy production NaN kB\/tau'/,
    );
    expect(() => checkedText("C12 = -Infinity")).toThrow(NonFiniteOutputError);
    // Not a user error: the CLI reports it as an internal error (exit 70), not as bad input.
    expect(new NonFiniteOutputError("x")).not.toBeInstanceOf(NessError);
  });

  it("refuses NaN, Infinity and null in JSON, naming the path; keeps full precision; writes typed arrays as arrays", () => {
    expect(() => checkDocument({ a: { b: [1, NaN] } })).toThrow(/NaN at a\.b\.1/);
    expect(() => checkDocument({ a: Infinity })).toThrow(/Infinity at a/);
    expect(() => checkDocument({ maximum: null })).toThrow(/null at maximum/);
    expect(() => checkDocument({ x: new Float64Array([1, -Infinity]) })).toThrow(/-Infinity at x\.1/);
    expect(() => [...jsonChunks({ a: { b: [1, NaN] } })]).toThrow(/NaN at a\.b\.1/);
    const x = 0.1 + 0.2;
    expect(JSON.parse([...jsonChunks({ x, y: new Float64Array([Math.PI, 1e-300]) })].join(""))).toEqual({
      x,
      y: [Math.PI, 1e-300],
    });
    expect([...jsonChunks({ x })].join("")).toContain("0.30000000000000004");
  });

  it("lets no NaN through, not even a statistic's (the engine omits those it cannot define)", () => {
    expect(() => checkDocument({ value: 1, batchCorrelation: NaN })).toThrow(NonFiniteOutputError);
  });
});

describe("streamed JSON and CSV", () => {
  it("jsonChunks streams valid JSON in chunks, in full precision", () => {
    const n = 20_001;
    const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i) / 3);
    const twice = v.map((x) => 2 * x);
    const chunks = [...jsonChunks({ parameter: "k", values: v, twice, warnings: [], maxResidual: 1e-17 }, 4096)];
    expect(chunks.length).toBeGreaterThan(10);
    const doc = JSON.parse(chunks.join(""));
    expect(doc.parameter).toBe("k");
    expectSameArray(doc.values, v);
    expect(doc.twice[n - 1]).toBe(2 * v[n - 1]);
    expect(doc.maxResidual).toBe(1e-17);
    expect(() => [...jsonChunks({ c: new Float64Array([0, 1, NaN]) })]).toThrow(/NaN at c\.2/);
  });

  it("jsonChunks writes long arrays of numbers (the byte writer) and short ones with String(x)'s text", () => {
    // Numbers of every kind the byte writer handles or hands to String(x): tiny, huge, negative, zero, -0, few digits
    const kinds = [0, -0, 1, -2.5, 0.1, 1 / 3, 1e-7, 123456789012345680000, 5e-324, -1.7976931348623157e308, 2 ** 60];
    const long = Float64Array.from({ length: 25_000 }, (_, i) =>
      i < kinds.length ? kinds[i] : (Math.sin(i) * 10 ** ((i % 40) - 20)) / 3,
    );
    const short = Array.from(long.subarray(0, 300));
    const text = [...jsonChunks({ long, short, after: "x" }, 4096)].join("");
    const line = (a: ArrayLike<number>) => `[${Array.from(a, (x) => String(x)).join(", ")}]`;
    expect(text).toBe(`{\n  "long": ${line(long)},\n  "short": ${line(short)},\n  "after": "x"\n}\n`);
    long[24_000] = Infinity;
    expect(() => [...jsonChunks({ a: { long } })]).toThrow(/Infinity at a\.long\.24000/);
  });

  it("csvRows streams rows in full precision; a non-finite value leaves no file behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-output-"));
    const file = join(dir, "out.csv");
    await writeChunks(
      file,
      csvRows(
        ["x", "y,z"],
        10_000,
        (i, row) => {
          row[0] = i / 3;
          row[1] = -i;
        },
        1000,
      ),
    );
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines[0]).toBe('x,"y,z"');
    expect(lines).toHaveLength(10_001);
    expect(Number(lines[3334].split(",")[0])).toBe(3333 / 3);
    const bad = join(dir, "bad.csv");
    await expect(
      writeChunks(
        bad,
        csvRows(
          ["x"],
          5000,
          (i, row) => {
            row[0] = i === 4321 ? Infinity : i;
          },
          1000,
        ),
      ),
    ).rejects.toThrow(/Infinity at column "x", row 4322/);
    expect(readdirSync(dir)).toEqual(["out.csv"]);
    // text cells (UTF-8, quoted when needed) beside numbers, after the provenance lines; chunks of a few bytes
    const chunks = [
      ...csvRows(["name", "σ"], 3, (i, row) => ((row[0] = ["α,β", 'a "b"', "T₁"][i]), (row[1] = i / 3)), 8, ["p"]),
    ];
    expect(Buffer.concat(chunks).toString("utf8")).toBe(
      '# p\nname,σ\n"α,β",0\n"a ""b""",0.3333333333333333\nT₁,0.6666666666666666\n',
    );
  });
});

describe("declared ranges", () => {
  it("describe themselves and name the parameter", () => {
    expect(describeRange({ min: 1e-100, max: 1e100, zero: true })).toBe("0 or a number in [1e-100, 1e100]");
    expect(describeRange({ min: 2, max: 512, integer: true })).toBe("an integer in [2, 512]");
    expect(describeRange({ min: 0, max: 1, exclusiveMin: true, exclusiveMax: true })).toBe("a number in (0, 1)");
    expect(checkRange("T", 0, { min: 1, max: 2, zero: true })).toBe(0);
    expect(() => checkRange("N", 2.5, { min: 2, max: 512, integer: true })).toThrow(
      /^N must be an integer in \[2, 512\], got 2.5$/,
    );
    expect(() => checkRange("T1", "hot", { min: 1, max: 2 })).toThrow(/T1 must be a number in \[1, 2\], got 'hot'/);
    expect(() => checkRange("q", 1e-12, { min: 1e-3, max: 1e12, why: "ill-conditioned beyond" })).toThrow(
      /got 1e-12 \(ill-conditioned beyond\)/,
    );
  });
});
