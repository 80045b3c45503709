import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli as run } from "../helpers/cli.js";

const examples = new URL("../../examples/networks/", import.meta.url).pathname;

afterEach(() => vi.restoreAllMocks());

describe("ness solve", () => {
  it("prints readable tables", async () => {
    const r = await run("solve", join(examples, "example1-chain.yaml"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 -> 2\s+13\.49/);
    expect(r.stdout).toMatch(/2 -> 3\s+1\.073/);
    expect(r.stdout).toMatch(/entropy production rate/);
    expect(r.stdout).toMatch(/Lyapunov residual/);
  });

  it("--json has the documented fields", async () => {
    const r = await run("solve", join(examples, "example2-circulation.yaml"), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.sites).toEqual(["1", "2", "3"]);
    expect(j.covariance.order).toEqual(["q:1", "q:2", "q:3", "p:1", "p:2", "p:3"]);
    expect(j.covariance.matrix).toHaveLength(6);
    expect(Object.keys(j.kineticTemperature)).toEqual(["1", "2", "3"]);
    expect(j.springs[0]).toMatchObject({ between: ["1", "2"] });
    expect(j.springs[0].flux).toBeCloseTo(0.29, 3);
    expect(j.baths[0]).toMatchObject({ site: "1", temperature: 2 });
    expect(j.entropyProduction).toBeGreaterThan(0);
    expect(j.residual).toBeLessThan(1e-12);
  });

  it("--json: the fluxes by source carry their errors on every method, and the methods agree within them", async () => {
    const file = join(examples, "example2-circulation.yaml");
    type Flux = { fluxBySource: Record<string, number>; fluxBySourceError: number };
    const docs: Record<string, { springs: Flux[]; baths: Flux[] }> = {};
    for (const method of ["lyapunov", "transmission", "modal"]) {
      const r = await run("solve", file, "--json", "--by-source", "--method", method);
      expect(r.code, r.stderr).toBe(0);
      docs[method] = JSON.parse(r.stdout);
      for (const f of [...docs[method].springs, ...docs[method].baths]) {
        expect(Object.keys(f.fluxBySource)).toEqual(["bath 1", "bath 2"]);
        expect(f.fluxBySourceError).toBeGreaterThanOrEqual(0);
        expect(f.fluxBySourceError).toBeLessThan(1e-9);
      }
    }
    // The dense solve and each frequency-domain method: every part within the sum of their errors.
    for (const method of ["transmission", "modal"]) {
      for (const kind of ["springs", "baths"] as const) {
        docs[method][kind].forEach((f, k) => {
          const dense = docs.lyapunov[kind][k];
          for (const [bath, x] of Object.entries(f.fluxBySource))
            expect(Math.abs(x - dense.fluxBySource[bath])).toBeLessThanOrEqual(
              f.fluxBySourceError + dense.fluxBySourceError,
            );
        });
      }
    }
  });

  it("bad input: one clear line, non-zero exit, no output file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-cli-"));
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      "kind: network\nsites: [a, b]\nsprings: [{between: [a, b], stiffness: -1}]\nbaths: [{site: a, friction: 1, temperature: 1}]\n",
    );
    const cases: [string[], RegExp][] = [
      [[bad, "--figure", join(dir, "out.svg")], /spring a-b: stiffness must be > 0, got -1/],
      [[join(dir, "missing.yaml"), "--figure", join(dir, "out.png")], /no such file/],
      [[join(examples, "figure1-non-unique.yaml"), "--figure", join(dir, "out.svg")], /Lemma 1/],
    ];
    for (const [args, pattern] of cases) {
      const r = await run("solve", ...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(readdirSync(dir)).toEqual(["bad.yaml"]);
  });

  it("--figure writes an SVG with an arrow per spring", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-cli-"));
    const file = join(dir, "net.svg");
    const r = await run("solve", join(examples, "example2-circulation.yaml"), "--figure", file);
    expect(r.code).toBe(0);
    const svg = readFileSync(file, "utf8");
    expect(svg).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.match(/data-from=/g)?.length).toBe(3);
  });
});
