// Outputs compared by where their writes land (src/cli/main.ts, refuseOverwrites):
// - two outputs reaching one new file through a symbolic link to a folder are refused before any work (the first
//   would be silently replaced by the second);
// - an output that is itself a symbolic link to the input is written in place of the link (files are written to a
//   temp file renamed over the name), so it is not refused, and the input is left as it was.
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "ness-outputs-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (f: string) => path.join(dir, f);

describe("outputs through symbolic links", () => {
  it("refuses two outputs reaching one new file through a linked folder, writing nothing", async () => {
    symlinkSync(".", at("sub"));
    const r = await runCli(
      "study",
      "variance-resonance",
      "--k",
      "0:2:3",
      "--csv",
      at("s.csv"),
      "--figure",
      at("sub/s.csv"),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--figure and --csv name the same file");
    expect(existsSync(at("s.csv"))).toBe(false);
  });

  it("writes an output that is a link to the input in place of the link, leaving the input as it was", async () => {
    writeFileSync(
      at("chain.yaml"),
      `kind: network
sites: [a, b]
pinning: 1
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
`,
    );
    const sim = await runCli(
      "simulate",
      at("chain.yaml"),
      "--time",
      "2",
      "--dt",
      "0.05",
      "--seed",
      "1",
      "--trajectory",
      at("run.csv"),
    );
    expect(sim.code).toBe(0);
    const before = readFileSync(at("run.csv"), "utf8");
    symlinkSync("run.csv", at("link.csv"));
    const r = await runCli("plot-trajectory", at("run.csv"), "--out", at("link.csv"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(at("run.csv"), "utf8")).toBe(before);
    expect(lstatSync(at("link.csv")).isSymbolicLink()).toBe(false);
    expect(readFileSync(at("link.csv"), "utf8")).toMatch(/^# ness \d+\.\d+\.\d+; command: ness plot-trajectory /);
    // The input reached through a link is still the input: writing its target would replace it.
    symlinkSync("run.csv", at("link2.csv"));
    const back = await runCli("plot-trajectory", at("link2.csv"), "--out", at("run.csv"));
    expect(back.code).toBe(1);
    expect(back.stderr).toContain("writing it would replace it");
  });
});
