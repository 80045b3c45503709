// Reading the CSV files ness writes (`#` provenance lines, then the column names, then the rows) and checking the
// provenance of everything a command wrote.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

export interface CsvFile {
  /** The `#` lines, without the "# ". */
  comments: string[];
  /** The column names line, as written. */
  header: string;
  /** The data lines, as written. */
  lines: string[];
}

export function readCsv(file: string): CsvFile {
  const all = readFileSync(file, "utf8").trim().split("\n");
  const comments: string[] = [];
  let k = 0;
  for (; k < all.length && all[k].startsWith("#"); k++) comments.push(all[k].replace(/^# ?/, ""));
  return { comments, header: all[k] ?? "", lines: all.slice(k + 1) };
}

/** Names that say nothing about what a column holds (issue 15 item 4: named columns, long form). */
const GENERIC = new Set(["x", "y", "z", "value", "values", "err", "error", "u", "v", "data", "col"]);

/**
 * Asserts the one CSV layout of ness: named columns (not empty, none generic like x, y, value, err), no `=` in a
 * name, no name twice.
 */
export function expectNamedColumns(csv: CsvFile, file: string): void {
  // The header's fields, quoted ones ("T(1, 2)") whole.
  const names = (csv.header.match(/"(?:[^"]|"")*"|[^,]+|(?<=,|^)(?=,|$)/g) ?? []).map((c) =>
    c.trim().replace(/^"|"$/g, "").replace(/""/g, '"'),
  );
  for (const name of names) {
    expect(name.length, `${file}: an empty column name in "${csv.header}"`).toBeGreaterThan(0);
    expect(name, `${file}: column "${name}"`).not.toMatch(/=/);
    expect(GENERIC.has(name.toLowerCase()), `${file}: generic column name "${name}" in "${csv.header}"`).toBe(false);
  }
  expect(new Set(names).size, `${file}: a column name twice in "${csv.header}"`).toBe(names.length);
}

/**
 * Asserts the provenance of a CSV file: ness version, the command, the seed (when given) and the units; and its
 * named columns (expectNamedColumns).
 */
export function expectCsvProvenance(file: string, o: { command: RegExp; seed?: number }): CsvFile {
  const csv = readCsv(file);
  expectNamedColumns(csv, file);
  const text = csv.comments.join("\n");
  expect(text, file).toMatch(/^ness \d+\.\d+\.\d+; command: ness /);
  expect(text, file).toMatch(o.command);
  if (o.seed !== undefined) expect(text, file).toMatch(new RegExp(`; seed ${o.seed}\\b`));
  expect(text, file).toMatch(/^units: \S.{10,}/m);
  return csv;
}

/**
 * Asserts the provenance of every file `ness reproduce STUDY --quick` wrote into `dir`: each CSV starts with `#`
 * lines (version, command, figure set, seed, parameters, units) and has one header of named columns
 * (expectNamedColumns);
 * each results.json has ness, command, study, case, parameters, seed and units. Returns the number of files checked.
 */
export function expectReproductionProvenance(dir: string, study: string): number {
  const files = readdirSync(dir).filter((f) => /\.(csv|json)$/.test(f));
  const command = new RegExp(
    `command: ness reproduce ${study} --quick; study ${study}(/\\S+)?; figure set \\S+; seed \\d+`,
  );
  for (const f of files) {
    const file = join(dir, f);
    if (f.endsWith(".csv")) {
      const csv = expectCsvProvenance(file, { command });
      expect(
        csv.comments.some((c) => c.startsWith("parameters: {")),
        file,
      ).toBe(true);
      expect(csv.lines.length, file).toBeGreaterThan(0);
    } else {
      const doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      expect(doc.ness, file).toMatch(/^\d+\.\d+\.\d+$/);
      expect(doc.command, file).toBe(`ness reproduce ${study} --quick`);
      expect(doc.study, file).toMatch(new RegExp(`^${study}`));
      expect(typeof doc.case, file).toBe("string");
      expect(typeof doc.parameters, file).toBe("object");
      expect(Number.isSafeInteger(doc.seed), file).toBe(true);
      expect((doc.units as { convention: string }).convention.length, file).toBeGreaterThan(10);
    }
  }
  expect(files.some((f) => f.endsWith(".csv"))).toBe(true);
  expect(files.some((f) => f.endsWith(".json"))).toBe(true);
  return files.length;
}
