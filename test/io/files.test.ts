// Atomic file writes and CSV serialisation.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { tableToCsv, writeCsv, writeFileAtomic } from "../../src/io/files.js";

const tmp = () => mkdtempSync(path.join(tmpdir(), "ness-io-"));

describe("tableToCsv", () => {
  it("writes numbers with full precision and quotes strings when needed", () => {
    const csv = tableToCsv({ columns: ["name", "x"], rows: [["a,b", 0.1 + 0.2], ['say "hi"', -1e-300]] });
    expect(csv).toBe('name,x\n"a,b",0.30000000000000004\n"say ""hi""",-1e-300\n');
  });

  it("refuses NaN and infinities, naming column and row", () => {
    expect(() => tableToCsv({ columns: ["t", "flux"], rows: [[1, 2], [2, NaN]] })).toThrow(/NaN.*column "flux", row 1/);
    expect(() => tableToCsv({ columns: ["t"], rows: [[Infinity]] })).toThrow(/Infinity.*column "t", row 0/);
  });

  it("refuses ragged rows", () => {
    expect(() => tableToCsv({ columns: ["a", "b"], rows: [[1]] })).toThrow(/row 0 has 1 values/);
  });
});

describe("writeFileAtomic", () => {
  it("creates parent directories and leaves no temp file", async () => {
    const dir = tmp();
    const file = path.join(dir, "a", "b", "out.txt");
    await writeFileAtomic(file, "hello");
    expect(readFileSync(file, "utf8")).toBe("hello");
    expect(readdirSync(path.dirname(file))).toEqual(["out.txt"]);
    await writeFileAtomic(file, new Uint8Array([104, 105]));
    expect(readFileSync(file, "utf8")).toBe("hi");
    await writeFileAtomic(file, ["a", "b", new Uint8Array([99])]);
    expect(readFileSync(file, "utf8")).toBe("abc");
  });

  it("leaves neither a partial file nor a temp file when producing the data fails", async () => {
    const dir = tmp();
    const file = path.join(dir, "out.csv");
    function* failing(): Generator<string> {
      yield "partial,";
      throw new Error("data getter failed");
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow("data getter failed");
    expect(readdirSync(dir)).toEqual([]);
    // An existing file keeps its old content.
    writeFileSync(file, "old");
    await expect(writeFileAtomic(file, failing())).rejects.toThrow("data getter failed");
    expect(readFileSync(file, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["out.csv"]);
  });

  it("removes the temp file when the final rename fails", async () => {
    const dir = tmp();
    const target = path.join(dir, "target");
    mkdirSync(path.join(target, "occupied"), { recursive: true }); // renaming a file onto a non-empty dir fails
    await expect(writeFileAtomic(target, "data")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["target"]);
    expect(readdirSync(target)).toEqual(["occupied"]);
  });

  it("fails cleanly when the parent is not a directory", async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "file"), "x");
    await expect(writeFileAtomic(path.join(dir, "file", "out.txt"), "data")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["file"]);
  });
});

describe("writeCsv", () => {
  it("writes the CSV, and nothing when the table has a NaN", async () => {
    const dir = tmp();
    await writeCsv(path.join(dir, "ok.csv"), { columns: ["x"], rows: [[1.5]] });
    expect(readFileSync(path.join(dir, "ok.csv"), "utf8")).toBe("x\n1.5\n");
    await expect(writeCsv(path.join(dir, "bad.csv"), { columns: ["x"], rows: [[NaN]] })).rejects.toThrow(/column "x"/);
    expect(existsSync(path.join(dir, "bad.csv"))).toBe(false);
    expect(readdirSync(dir)).toEqual(["ok.csv"]);
  });
});
