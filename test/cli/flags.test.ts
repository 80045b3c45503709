// Flag style of every command: kebab-case (physics symbols as the papers write them), --time for a simulated time
// (--duration and camelCase spellings of earlier versions are hidden aliases), required options marked in --help;
// and the cost line printed once for a run estimated above a minute.
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { costAnnouncer } from "../../src/cli/announce.js";
import { program } from "../../src/cli/main.js";

/** Every command and subcommand, with its path ("study two-temperature ratchet"). */
function commands(c: Command, prefix = ""): [string, Command][] {
  const name = `${prefix}${prefix ? " " : ""}${c.name()}`;
  return [[name, c], ...c.commands.flatMap((s) => commands(s, name))];
}

const all = commands(await program());

describe("flags", () => {
  it("are kebab-case or physics symbols: no camelCase word pair, no --duration, in any --help", () => {
    expect(all.length).toBeGreaterThan(10);
    for (const [name, c] of all) {
      const help = c.helpInformation();
      expect(help, name).not.toMatch(/--[a-z]+[A-Z][a-z]+/); // burnIn, nMin, sampleInterval
      expect(help, name).not.toMatch(/--duration/);
    }
  });

  it("mark the required options in --help", () => {
    const help = (path: string) =>
      all
        .find(([n]) => n === `ness ${path}`)![1]
        .helpInformation()
        .replace(/\s+/g, " ");
    expect(help("sweep")).toMatch(/--out <dir> .{0,100}; required --workers/);
    expect(help("plot")).toMatch(/--x <axis> the axis along x; required/);
    expect(help("worker")).toMatch(/--queue <url> the Redis queue \(redis:\/\/HOST:PORT\); required/);
    for (const f of ["--time <T>", "--dt <DT>", "--seed <S>"])
      expect(help("simulate")).toMatch(new RegExp(`${f} [^;]*; required`));
    expect(help("study energy-correlations")).toMatch(/--model <name> .*\(required;/);
  });

  it("keep --duration as a hidden alias of --time (energy-correlations, particle-bath-chain)", () => {
    for (const s of ["energy-correlations", "particle-bath-chain"]) {
      const c = all.find(([n]) => n === `ness study ${s}`)![1];
      const time = c.options.find((o) => o.long === "--time")!;
      const alias = c.options.find((o) => o.long === "--duration")!;
      expect(time.hidden, s).toBe(false);
      expect(alias.hidden, s).toBe(true);
    }
  });
});

describe("the cost line", () => {
  it("is printed once, from the rate after the first report, only above a minute", () => {
    const run = (times: number[], done: number[], total: number) => {
      const lines: string[] = [];
      let k = 0;
      const announce = costAnnouncer(
        "fig",
        (l) => lines.push(l),
        () => times[k],
      );
      for (k = 0; k < times.length; k++) announce(done[k], total);
      return lines;
    };
    // A slow start (5 s before the first report of 1 unit out of 100), then 1 s a unit: about 100 s ("2 min"), not 500 s.
    expect(run([5000, 6000, 7000, 8000], [1, 2, 3, 4], 100)).toEqual(["ness: estimated cost: fig about 2 min"]);
    // 0.1 s a unit of 100: 10 s, not announced.
    expect(run([5000, 5100, 6100, 7100], [1, 2, 12, 22], 100)).toEqual([]);
    // Less than a second timed: wait for more.
    expect(run([0, 500], [1, 2], 1000)).toEqual([]);
    expect(run([0, 500, 1500], [1, 2, 3], 1000)).toEqual(["ness: estimated cost: fig about 13 min"]);
  });
});
