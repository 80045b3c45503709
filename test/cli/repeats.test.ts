// A single-valued option given twice is refused with one line (commander kept the last without a word); options
// meant to repeat (--field) still repeat.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "ness-repeats-"));
const model = path.join(dir, "model.yaml");
writeFileSync(
  model,
  [
    "kind: network",
    "sites: [a, b]",
    "pinning: 1",
    "springs: [{between: [a, b], stiffness: 1}]",
    "baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]",
  ].join("\n"),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refused(args: string[], ...fragments: string[]): Promise<void> {
  const r = await runCli(...args);
  expect(r.code, args.join(" ")).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  for (const f of fragments) expect(lines[0]).toContain(f);
  expect(readdirSync(dir)).toEqual(["model.yaml"]);
}

describe("a single-valued option given twice", () => {
  it("is refused in simulate, naming both values", async () => {
    const run = ["simulate", model, "--dt", "0.01", "--seed", "1"];
    await refused([...run, "--time", "5", "--time", "50"], "--time was given twice ('5' and '50'): give it once");
    await refused([...run, "--time", "5", "--burn-in", "1", "--burn-in=2"], "--burn-in was given twice");
  });

  it("is refused in a study, also under its two spellings or two names of one output", async () => {
    await refused(["study", "variance-resonance", "--k", "1", "--k", "2", "--json"], "--k was given twice");
    await refused(
      ["study", "energy-correlations", "--time", "5", "--duration", "50", "--json"],
      "--time and --duration (its earlier spelling) were both given",
    );
    const svg = path.join(dir, "a.svg");
    await refused(
      ["study", "variance-resonance", "--k", "1", "--figure", svg, "--psd", svg],
      "--figure and --psd name one output",
    );
  });

  it("a repeatable option (--field) still repeats", async () => {
    const r = await runCli(
      "simulate",
      model,
      "--time",
      "20",
      "--dt",
      "0.01",
      "--seed",
      "1",
      "--field",
      "q:a,q:b",
      "--field",
      "q:b,q:a",
      "--bins",
      "4",
      "--json",
      "--no-progress",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).fields).toHaveLength(2);
  });
});
