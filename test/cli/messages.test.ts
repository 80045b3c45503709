// The CLI's message contract beyond the corpus: every command (studies included) suggests the option a misspelt one
// meant, in one line; warnings go to stderr as `ness: warning: ...`, never into the results on stdout; messages are
// one printable line.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { oneLine } from "../../src/cli/format.js";
import { program } from "../../src/cli/main.js";
import { runCli as run } from "../helpers/cli.js";

afterEach(() => vi.restoreAllMocks());

function allCommands(c: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  const out = path.length > 0 ? [{ path, cmd: c }] : [];
  for (const sub of c.commands) out.push(...allCommands(sub, [...path, sub.name()]));
  return out;
}

describe("usage errors", () => {
  it("every command suggests the option a misspelt one meant, on one line", async () => {
    const commands = allCommands(await program());
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const { path, cmd } of commands) {
      const longest = cmd.options
        .map((o) => o.long ?? "")
        .filter((l) => l.length >= 6 && !l.startsWith("--no-"))
        .sort((a, b) => b.length - a.length)[0];
      if (!longest) continue;
      const typo = longest.slice(0, -1); // --figure -> --figur
      const r = await run(...path, typo, "1");
      const where = `${path.join(" ")} ${typo}`;
      expect(r.code, where).toBe(1);
      expect(r.stdout, where).toBe("");
      expect(r.stderr.trim().split("\n"), where).toHaveLength(1);
      expect(r.stderr, where).toMatch(
        new RegExp(`^ness: unknown option '${typo}' \\(did you mean (one of )?.*${longest}.*\\?\\)`),
      );
    }
  });

  it("--help is multi-line on stdout with exit 0, for every command", async () => {
    for (const { path } of allCommands(await program())) {
      const r = await run(...path, "--help");
      expect(r.code, path.join(" ")).toBe(0);
      expect(r.stderr, path.join(" ")).toBe("");
      expect(r.stdout.split("\n").length, path.join(" ")).toBeGreaterThan(3);
    }
  });
});

describe("warnings", () => {
  const dir = mkdtempSync(join(tmpdir(), "ness-warn-"));
  // A nearly free centre-of-mass mode (pinning 1e-9): the Lyapunov equation is ill-conditioned, and solve warns.
  const model = join(dir, "soft.yaml");
  writeFileSync(
    model,
    "kind: network\nsites: [a, b]\npinning: 1e-9\nsprings: [{between: [a, b], stiffness: 1}]\n" +
      "baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]\n",
  );

  it("solve prints them on stderr, not after the table", async () => {
    const json = await run("solve", model, "--json");
    expect(json.code).toBe(0);
    const warnings = JSON.parse(json.stdout).warnings as string[];
    expect(warnings.length).toBeGreaterThan(0);
    const text = await run("solve", model);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/warning/i);
    expect(text.stderr.trim().split("\n")).toEqual(warnings.map((w) => `ness: warning: ${oneLine(w)}`));
    expect(json.stderr).toBe(text.stderr);
  });

  it("simulate prints them on stderr, not after the table", async () => {
    const chain = new URL("../../examples/networks/example1-chain.yaml", import.meta.url).pathname;
    // A short run: some estimates have too few effective samples, which is a warning.
    const r = await run("simulate", chain, "--time", "2", "--dt", "0.01", "--seed", "1", "--workers", "1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/^warning/m);
    expect(r.stderr).toMatch(/^ness: warning: \d+ estimates? (has|have) too few effective samples/m);
    for (const line of r.stderr.trim().split("\n")) expect(line).toMatch(/^ness: warning: /);
  });
});

describe("oneLine", () => {
  it("keeps a message on one printable line", () => {
    expect(oneLine("a\nb\r\n\tc")).toBe("a b c");
    expect(oneLine("site '\u001b[31mred\u001b[0m'")).toBe("site '\\x1b[31mred\\x1b[0m'");
    expect(oneLine("bell\u0007 and \u009b")).toBe("bell\\x07 and \\x9b");
  });
});
