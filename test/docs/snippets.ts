// Code examples as tests: the TSDoc @example blocks of every public function (the entry points "ness", "ness/linalg",
// "ness/node") and the fenced code blocks of README.md and docs/**/*.md, extracted, type-checked under the project's
// strict compiler options and run.
//
// Fence info strings (CONTRIBUTING.md): ```ts runs (and is type-checked); ```ts no-run is type-checked only (the
// reason follows on the fence line, e.g. minutes of CPU); ```sh is shell (every `ness ...` command is checked against
// that command's --help); ```yaml is a model file (validated by loadModel unless `partial`); ```text and ```json are
// output. A fence without an info string is an error.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Snippet {
  /** Where it comes from: "README.md:161" or "@example solveNetwork". */
  origin: string;
  /** The first word of the fence info string (ts, sh, yaml, text, ...). */
  lang: string;
  /** The other words of the fence info string. */
  flags: string[];
  code: string;
}

/** The fenced blocks of a Markdown file. */
export function markdownBlocks(file: string): Snippet[] {
  const text = readFileSync(join(root, file), "utf8");
  const lines = text.split("\n");
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [lang = "", ...flags] = open[3].trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(open[2])) body.push(lines[j++]);
    out.push({ origin: `${file}:${i + 1}`, lang, flags, code: body.join("\n") });
    i = j;
  }
  return out;
}

/** README.md and every docs/**\/*.md, relative to the repository. */
export function documentationFiles(): string[] {
  const files = ["README.md", "CONTRIBUTING.md"];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith(".md")) files.push(join(dir, e.name));
    }
  };
  walk("docs");
  return files;
}

/** The public entry points and the source file each maps to. */
export const ENTRY_POINTS: Record<string, string> = {
  ness: "src/index.ts",
  "ness/linalg": "src/linalg/index.ts",
  "ness/node": "src/node.ts",
};

export interface PublicFunction {
  entry: string;
  name: string;
  /** The code of each `@example` (its ```ts fence stripped). */
  examples: string[];
}

/**
 * Every callable exported by the entry points (a function, or a const whose type has a call signature; not a class),
 * with its @example blocks.
 */
export function publicFunctions(): PublicFunction[] {
  const files = Object.values(ENTRY_POINTS).map((f) => join(root, f));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const out: PublicFunction[] = [];
  for (const [entry, file] of Object.entries(ENTRY_POINTS)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(root, file))!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      // A function, or a const whose type can be called (`export const f = (...) => ...`, `export const g: Hash = ...`).
      const callable =
        symbol.flags & ts.SymbolFlags.Function ||
        (symbol.flags & ts.SymbolFlags.Variable && checker.getTypeOfSymbol(symbol).getCallSignatures().length > 0);
      if (!callable) continue;
      const examples: string[] = [];
      for (const decl of symbol.declarations ?? []) {
        for (const tag of ts.getJSDocTags(decl)) {
          if (tag.tagName.text !== "example") continue;
          const comment = typeof tag.comment === "string" ? tag.comment : (ts.getTextOfJSDocComment(tag.comment) ?? "");
          const fence = /```(?:ts|typescript)?[^\n]*\n([\s\S]*?)```/.exec(comment);
          examples.push(fence ? fence[1] : comment);
        }
      }
      out.push({ entry, name: exported.name, examples });
    }
  }
  return out;
}

/** A folder for generated snippet files inside the repository (so relative imports of src/ work); removed by the caller. */
export function snippetFolder(): string {
  const dir = join(root, "test", "docs", `.snippets-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Writes a snippet as a module in `dir`: the package's names ("ness", "ness/linalg", "ness/node") and paths of this
 * repository ("./src/...") are rewritten to the source files; returns the file's path.
 */
export function writeSnippet(dir: string, name: string, code: string): string {
  const file = join(dir, `${name.replace(/[^A-Za-z0-9_-]+/g, "_")}.ts`);
  const toSrc = (target: string) => {
    const rel = relative(dir, join(root, target)).replace(/\\/g, "/").replace(/\.ts$/, ".js");
    return rel.startsWith(".") ? rel : `./${rel}`;
  };
  const rewritten = code.replace(
    /(from\s+|import\s*\(\s*)(["'])([^"']+)\2/g,
    (all, pre: string, quote: string, spec: string) => {
      if (spec in ENTRY_POINTS) return `${pre}${quote}${toSrc(ENTRY_POINTS[spec])}${quote}`;
      if (spec.startsWith("./src/")) return `${pre}${quote}${toSrc(spec.slice(2).replace(/\.js$/, ".ts"))}${quote}`;
      return all;
    },
  );
  writeFileSync(file, `${rewritten}\nexport {};\n`);
  return file;
}

/** Type-checks the files under the project's compiler options (strict); returns one message per error, by file. */
export function typeCheck(files: string[]): Map<string, string[]> {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const wanted = new Set(files.map((f) => f.replace(/\\/g, "/")));
  const errors = new Map<string, string[]>();
  // The diagnostics of the snippets only: the checker checks the rest of the program (src/) only as far as the
  // snippets use it (checking all of it, as `npm run typecheck` does, cost three to four times the CPU time).
  const diagnostics = files.flatMap((f) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)));
  for (const d of diagnostics) {
    const file = d.file?.fileName.replace(/\\/g, "/");
    if (!file || !wanted.has(file)) continue;
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    const list = errors.get(file) ?? [];
    list.push(`line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    errors.set(file, list);
  }
  return errors;
}

/**
 * The outputs a snippet promises: `console.log(...); // => X`, X up to the first ": " or " (" (what follows is an
 * explanation). Returned in order, "" for a console.log without a promise; the snippet's console.log calls are
 * compared with them one by one when their numbers match (a console.log in a loop: no promise is checked).
 */
export function promisedOutputs(code: string): string[] {
  const out: string[] = [];
  for (const line of code.split("\n")) {
    if (!/console\.log\(/.test(line)) continue;
    const m = /console\.log\(.*\);\s*\/\/\s*=>\s*(.*)$/.exec(line);
    out.push(m ? m[1].split(/: | \(/)[0].trim() : "");
  }
  return out;
}
