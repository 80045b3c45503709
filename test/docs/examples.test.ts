// Every code example a user reads is tested (issue 12 item 6, issue 15 item 2): the TSDoc @example of each public
// function and each code block of README.md, CONTRIBUTING.md and docs/**/*.md are type-checked under strict
// TypeScript in one program and run; the `ness ...` commands of shell blocks are checked against their --help; YAML
// model blocks are validated. The fence conventions are in test/docs/snippets.ts.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadModel } from "../../src/index.js";
import { runCli } from "../helpers/cli.js";
import {
  documentationFiles,
  markdownBlocks,
  promisedOutputs,
  publicFunctions,
  snippetFolder,
  typeCheck,
  writeSnippet,
  type Snippet,
} from "./snippets.js";

const LANGS = new Set(["ts", "sh", "yaml", "text", "json", "ini"]);
const functions = publicFunctions();
const blocks = documentationFiles().flatMap(markdownBlocks);
const tsBlocks = blocks.filter((b) => b.lang === "ts");

interface Generated {
  origin: string;
  file: string;
  code: string;
  run: boolean;
}
let dir = "";
const generated: Generated[] = [];
let errors = new Map<string, string[]>();

beforeAll(() => {
  dir = snippetFolder();
  for (const f of functions) {
    f.examples.forEach((code, i) => {
      const origin = `@example ${f.entry} ${f.name}${f.examples.length > 1 ? ` #${i + 1}` : ""}`;
      generated.push({ origin, code, run: true, file: writeSnippet(dir, `example-${f.entry}-${f.name}-${i}`, code) });
    });
  }
  for (const b of tsBlocks) {
    generated.push({
      origin: b.origin,
      code: b.code,
      run: !b.flags.includes("no-run"),
      file: writeSnippet(dir, `doc-${b.origin}`, b.code),
    });
  }
  errors = typeCheck(generated.map((g) => g.file));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a generated snippet; returns what went wrong (an exception, a promised output not printed), or []. */
async function run(g: Generated): Promise<string[]> {
  const printed: string[] = [];
  const log = vi
    .spyOn(console, "log")
    .mockImplementation((...a: unknown[]) => void printed.push(a.map(String).join(" ")));
  try {
    await import(/* @vite-ignore */ g.file);
  } catch (err) {
    return [`${g.origin}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`];
  } finally {
    log.mockRestore();
  }
  const promised = promisedOutputs(g.code);
  if (promised.length !== printed.length) return [];
  return promised.flatMap((p, i) =>
    p !== "" && printed[i] !== p
      ? [`${g.origin}: console.log #${i + 1} printed "${printed[i]}", the comment says "${p}"`]
      : [],
  );
}

/** Type errors and run failures of the generated snippets. */
async function problems(list: Generated[]): Promise<string[]> {
  const out: string[] = [];
  for (const g of list) {
    const typeErrors = errors.get(g.file.replace(/\\/g, "/")) ?? [];
    if (typeErrors.length) out.push(...typeErrors.map((e) => `${g.origin}: ${e}`));
    else if (g.run) out.push(...(await run(g)));
  }
  return out;
}

describe("TSDoc examples of the public functions", () => {
  it("every public function (or const of a callable type) of ness, ness/linalg and ness/node has an @example", () => {
    const missing = functions.filter((f) => f.examples.length === 0).map((f) => `${f.entry}: ${f.name}`);
    expect(missing).toEqual([]);
  });
  it("every @example type-checks (strict) and runs, printing what its comments say", async () => {
    expect(await problems(generated.filter((x) => x.origin.startsWith("@example")))).toEqual([]);
  });
});

describe("code blocks of README and docs", () => {
  it("every fence has an info string (ts, ts no-run, sh, yaml, text, json, ini)", () => {
    const bad = blocks.filter((b) => !LANGS.has(b.lang)).map((b) => `${b.origin}: "${b.lang}"`);
    expect(bad).toEqual([]);
  });
  it("every ts block type-checks (strict) and runs unless marked no-run", async () => {
    expect(tsBlocks.length).toBeGreaterThan(0);
    expect(await problems(generated.filter((x) => !x.origin.startsWith("@example")))).toEqual([]);
  });
  it("every yaml block with a kind is a valid model (unless marked partial)", () => {
    const models = blocks.filter((b) => b.lang === "yaml" && !b.flags.includes("partial") && /^kind:/m.test(b.code));
    expect(models.length).toBeGreaterThan(0);
    for (const b of models) expect(() => loadModel(b.code, b.origin), b.origin).not.toThrow();
  });
  it("every `ness ...` command of a sh block names a command and options its --help lists", async () => {
    const commands = blocks.filter((b) => b.lang === "sh").flatMap(nessCommands);
    expect(commands.length).toBeGreaterThan(0);
    const helps = new Map<string, string>();
    for (const c of commands) {
      const key = c.words.join(" ");
      if (!helps.has(key)) {
        const r = await runCli(...c.words, "--help");
        expect(r.code, `${c.origin}: ness ${key} --help`).toBe(0);
        helps.set(key, r.stdout);
      }
      const help = helps.get(key)!;
      for (const flag of c.flags) {
        const bare = flag.replace(/^--no-/, "--");
        expect(help.includes(flag) || help.includes(bare), `${c.origin}: ness ${key}: ${flag} is not in --help`).toBe(
          true,
        );
      }
    }
  });
});

/** The `ness` (or `npx ness`) commands of a shell block: the command words (up to the first option or path) and the flags. */
function nessCommands(b: Snippet): { origin: string; words: string[]; flags: string[] }[] {
  const out: { origin: string; words: string[]; flags: string[] }[] = [];
  for (const raw of b.code.split("\n")) {
    const line = raw.replace(/\s#.*$/, "").trim();
    const m = /^(?:npx\s+)?ness\s+(.*)$/.exec(line);
    if (!m) continue;
    const tokens = m[1].split(/\s+/).filter(Boolean);
    const words: string[] = [];
    for (const t of tokens) {
      if (t.startsWith("-") || t.includes("/") || t.includes(".") || /^[A-Z]+$/.test(t)) break;
      words.push(t);
    }
    out.push({ origin: b.origin, words, flags: tokens.filter((t) => t.startsWith("--")).map((t) => t.split("=")[0]) });
  }
  return out;
}
