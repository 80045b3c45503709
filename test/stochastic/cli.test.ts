// `ness simulate`: readable table with exact values and deviations, JSON, and one-line errors with no output.
import { existsSync, readdirSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli as run } from "../helpers/cli.js";

const networks = new URL("../../examples/networks/", import.meta.url).pathname;
const particles = new URL("../../examples/particles/", import.meta.url).pathname;
const built = existsSync(new URL("../../dist/workers/simulateWorker.js", import.meta.url));

afterEach(() => vi.restoreAllMocks());

describe("ness simulate", () => {
  it("runs every particle example (Metzger's lecture notes' systems), reporting the pair observables of two-particle models", async () => {
    const files = readdirSync(particles).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const r = await run(
        "simulate",
        `${particles}${f}`,
        "--time",
        "2",
        "--dt",
        "0.0005",
        "--seed",
        "1",
        "--workers",
        "1",
        "--json",
      );
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
      const doc = JSON.parse(r.stdout);
      const names = doc.estimates.map((e: { group: string; name: string }) => `${e.group}: ${e.name}`);
      expect(names, f).toContain("entropy production: rate");
      expect(names, f).toContain("drift velocity: centre of mass x");
      if (/run-and-chase|ratchet|pair/.test(f))
        expect(names, f).toContain("pair: centre-of-mass velocity along r2 - r1");
    }
  });

  it("prints every estimate with its error bar, the exact value and the deviation for a linear network", async () => {
    const r = await run(
      "simulate",
      `${networks}example2-circulation.yaml`,
      "--time",
      "100",
      "--dt",
      "0.01",
      "--seed",
      "3",
      "--workers",
      "1",
      // batches of 25 time units: 6 relaxation times (4.05) of the slowest mode, so every estimate is reliable
      "--replicas",
      "4",
      "--batches",
      "4",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/quantity\s+estimate\s+± error\s+exact\s+deviation/);
    expect(r.stdout).toMatch(/spring flux: 1 -> 2\s+\S+\s+\S+\s+0\.2898\s+[+-]\d+\.\d σ/);
    expect(r.stdout).toMatch(/entropy production: rate/);
    expect(r.stderr).toBe("");
  });

  it("--pair-heat: the exact ledger is the default for soft pairs and is named; trapezoid warns; bad values are refused", async () => {
    const args = [
      "simulate",
      `${particles}ratchet.yaml`,
      "--time",
      "2",
      "--dt",
      "0.0005",
      "--seed",
      "1",
      "--workers",
      "1",
      "--json",
    ];
    const byDefault = await run(...args);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(JSON.parse(byDefault.stdout).pairHeat).toBe("exact");
    expect(JSON.parse(byDefault.stdout).warnings.join("\n")).not.toMatch(/trapezoid/);
    const trapezoid = await run(...args, "--pair-heat", "trapezoid");
    expect(trapezoid.code, trapezoid.stderr).toBe(0);
    expect(JSON.parse(trapezoid.stdout).pairHeat).toBe("trapezoid");
    expect(JSON.parse(trapezoid.stdout).warnings.join("\n")).toMatch(
      /trapezoid rule, which errs where the soft pair force has a kink/,
    );
    const text = await run(...args.slice(0, -1));
    expect(text.stdout).toMatch(/pair heat: exact, trapezoid rule with each pair's heats summing/);
    const bad = await run(...args, "--pair-heat", "simpson");
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe("ness: unknown pair heat rule 'simpson' (state, exact or trapezoid)");
  });

  it("--json prints the same estimates as JSON", async () => {
    const r = await run(
      "simulate",
      `${particles}harmonic-pair.yaml`,
      "--time",
      "50",
      "--dt",
      "0.005",
      "--seed",
      "1",
      "--replicas",
      "2",
      "--workers",
      "1",
      "--json",
      "--field",
      "x:0,x:1",
      "--bins",
      "8",
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const ep = doc.estimates.find((e: { group: string }) => e.group === "entropy production");
    expect(ep.exact).toBeCloseTo(0.8, 10);
    expect(ep.error).toBeGreaterThan(0);
    expect(doc.fields[0].density.length).toBe(64);
    expect(doc.replicas).toBe(2);
  });

  it.skipIf(!built)("runs replicas on worker threads", async () => {
    const r = await run(
      "simulate",
      `${networks}anharmonic-chain.yaml`,
      "--time",
      "20",
      "--dt",
      "0.01",
      "--seed",
      "1",
      "--replicas",
      "3",
      "--workers",
      "2",
      "--json",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).exact).toBe(false);
  });

  it("bad inputs give one line on stderr, exit 1, nothing on stdout", async () => {
    const cases: [string[], RegExp][] = [
      [["--time", "10", "--dt", "0", "--seed", "1"], /dt must be a positive/],
      [["--time", "-5", "--dt", "0.01", "--seed", "1"], /time must be a positive/],
      [["--time", "10", "--dt", "5", "--seed", "1"], /stability limit dt < 2\/omega = 0\.\d+/],
      [["--time", "10", "--dt", "0.01", "--seed", "1", "--scheme", "heun"], /heun/],
      [["--time", "10", "--dt", "0.01", "--seed", "1", "--field", "q:9,q:1"], /field coordinate 'q:9' is unknown/],
    ];
    for (const [args, message] of cases) {
      const r = await run("simulate", `${networks}example1-chain.yaml`, ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n").length).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it("a blow-up stops with a clear error and prints no result", async () => {
    const r = await run(
      "simulate",
      `${networks}anharmonic-chain.yaml`,
      "--time",
      "200",
      "--dt",
      "0.9",
      "--seed",
      "1",
      "--workers",
      "1",
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/blew up \(non-finite state\)/);
  });
});
