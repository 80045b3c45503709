// The import rules of the layers (docs/architecture.md, "Import rules"): the test walks the import graph of src/
// (every import and export-from specifier of every .ts file, type-only ones included: a type import still ties one
// layer to another) and checks
//  - src/stochastic imports nothing from src/exact, and src/exact nothing from src/stochastic;
//  - no engine (src/exact, src/stochastic) imports src/studies, src/verify, src/figures, src/io, src/workers, src/cli;
//  - src/model imports only src/errors (and libraries); src/problem only src/model, src/linalg, src/errors;
//  - no study imports the Lyapunov kernels of src/linalg (their solves go through the exact engine);
//  - src/figures imports no engine (and nothing that computes: problem, verify, studies);
//  - the browser-safe core imports no Node built-in;
//  - no import cycle among the modules of src/;
//  - one Langevin problem type (src/problem/langevin.ts) and one force-term registry (src/stochastic/system.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = new URL("../src/", import.meta.url).pathname;

/** Every .ts file under a directory, as paths relative to src/ ("stochastic/run.ts"). */
function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(relative(SRC, path));
  }
  return out;
}

/**
 * The module specifiers a file imports or re-exports: `import ... from "x"`, `import "x"`, `export ... from "x"`,
 * `import type ... from "x"`, and dynamic `import("x")`. Comments are removed first (a specifier in a comment is no
 * import); strings are left alone (the specifiers are strings).
 */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const out: string[] = [];
  const statement = /(?:^|[;\n}])\s*(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?["']([^"']+)["']/g;
  for (const m of code.matchAll(statement)) out.push(m[1]);
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]);
  return out;
}

/**
 * The module specifiers a file loads when it is itself loaded: static imports and re-exports, without type-only ones
 * (`import type`, `export type`, `import { type A, type B }`: TypeScript erases them) and without dynamic `import()`
 * (loaded when the code runs, not when the module loads). What Node evaluates at start-up is the closure of these.
 */
export function loadedSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const out: string[] = [];
  const statement = /(?:^|[;\n}])\s*(?:import|export)\s+(type\s+)?(?:([\w*${}\s,]+?)\s+from\s+)?["']([^"']+)["']/g;
  for (const m of code.matchAll(statement)) {
    if (m[1]) continue;
    const clause = m[2]?.trim();
    if (clause?.startsWith("{") && clause.endsWith("}")) {
      const names = clause
        .slice(1, -1)
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n.length > 0);
      if (names.length > 0 && names.every((n) => /^type\s/.test(n))) continue;
    }
    out.push(m[3]);
  }
  return out;
}

interface Graph {
  /** file -> files of src/ it imports (relative to src/). */
  edges: Map<string, string[]>;
  /** file -> bare specifiers (libraries, node: built-ins). */
  external: Map<string, string[]>;
}

function importGraph(specifiers: (text: string) => string[] = importSpecifiers): Graph {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  for (const file of files) {
    const local: string[] = [];
    const bare: string[] = [];
    for (const spec of specifiers(readFileSync(join(SRC, file), "utf8"))) {
      if (!spec.startsWith(".")) {
        bare.push(spec);
        continue;
      }
      const target = relative(SRC, resolve(SRC, dirname(file), spec)).replace(/\.js$/, ".ts");
      const candidates = [target, target.endsWith(".ts") ? target : `${target}.ts`, join(target, "index.ts")];
      const hit = candidates.find((c) => known.has(c));
      if (!hit) throw new Error(`${file}: cannot resolve the import "${spec}"`);
      local.push(hit);
    }
    edges.set(file, local);
    external.set(file, bare);
  }
  return { edges, external };
}

/** The layer of a file: its folder under src/ ("stochastic"), or the file itself at the top ("errors.ts"). */
function layer(file: string): string {
  const i = file.indexOf("/");
  return i < 0 ? file : file.slice(0, i);
}

/** Every import from a file in `from` (layers) to a file in `to` (layers), as "a.ts -> b.ts". */
function crossings(graph: Graph, from: string[], to: string[]): string[] {
  const out: string[] = [];
  for (const [file, deps] of graph.edges) {
    if (!from.includes(layer(file))) continue;
    for (const d of deps) if (to.includes(layer(d))) out.push(`${file} -> ${d}`);
  }
  return out;
}

/** Imports from files of `from` to any layer outside `allowed` (their own layer is always allowed). */
function outside(graph: Graph, from: string, allowed: string[]): string[] {
  const out: string[] = [];
  for (const [file, deps] of graph.edges) {
    if (layer(file) !== from) continue;
    for (const d of deps) if (layer(d) !== from && !allowed.includes(layer(d))) out.push(`${file} -> ${d}`);
  }
  return out;
}

/** The cycles of the graph: its strongly connected components of more than one file, or a file importing itself. */
export function cycles(edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>(),
    low = new Map<string, number>();
  const stack: string[] = [],
    onStack = new Set<string>(),
    out: string[][] = [];
  // Iterative Tarjan (the graph has hundreds of files: no deep recursion).
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const deps = edges.get(top.node) ?? [];
      if (top.next < deps.length) {
        const w = deps[top.next++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        if (component.length > 1 || deps.includes(top.node)) out.push(component.sort());
      }
    }
  }
  return out;
}

const ENGINES = ["exact", "stochastic"];
const ABOVE_ENGINES = ["studies", "verify", "figures", "io", "workers", "cli"];
/** The browser-safe core (tsconfig.core.json checks the same without Node's types). */
const CORE = [
  "model",
  "problem",
  "linalg",
  "exact",
  "stochastic",
  "verify",
  "special",
  "studies",
  "figures",
  "errors.ts",
  "index.ts",
];

describe("import rules of the layers", () => {
  const graph = importGraph();

  it("finds the imports of every module (the parser sees import, import type, export from, dynamic import)", () => {
    expect(graph.edges.size).toBeGreaterThan(50);
    expect(
      importSpecifiers(
        `import { a } from "./a.js";\nimport type { B } from "./b.js";\nexport * from "./c.js";\n` +
          `export { d } from './d.js';\nimport "./e.js";\nimport {\n  f,\n  g,\n} from "./f.js";\nconst h = await import("./h.js");\n` +
          `// import { x } from "./comment.js";\n/* export * from "./block.js"; */\nconst s = "import { y } from './string.js'";`,
      ),
    ).toEqual(["./a.js", "./b.js", "./c.js", "./d.js", "./e.js", "./f.js", "./h.js"]);
    // The rules below would pass vacuously if the known imports were not seen.
    expect(graph.edges.get("exact/network.ts")).toContain("problem/network.ts");
    expect(graph.edges.get("verify/simulation.ts")).toContain("stochastic/run.ts");
  });

  it("src/stochastic imports nothing from src/exact, and src/exact nothing from src/stochastic", () => {
    expect(crossings(graph, ["stochastic"], ["exact"])).toEqual([]);
    expect(crossings(graph, ["exact"], ["stochastic"])).toEqual([]);
  });

  it("no engine imports studies, verify, figures, io, workers or the CLI", () => {
    expect(crossings(graph, ENGINES, ABOVE_ENGINES)).toEqual([]);
  });

  it("src/model imports only src/errors; src/problem only src/model, src/linalg, src/errors", () => {
    expect(outside(graph, "model", ["errors.ts"])).toEqual([]);
    expect(outside(graph, "problem", ["model", "linalg", "errors.ts"])).toEqual([]);
  });

  it("src/linalg and src/special import only src/errors", () => {
    expect(outside(graph, "linalg", ["errors.ts"])).toEqual([]);
    expect(outside(graph, "special", ["errors.ts"])).toEqual([]);
  });

  it("every Lyapunov solve of a study goes through the exact engine (no study imports the Lyapunov kernels)", () => {
    const direct = crossings(graph, ["studies"], ["linalg"]).filter((c) => /linalg\/lyapunov/.test(c));
    expect(direct).toEqual([]);
  });

  it("src/figures imports no engine and nothing that computes (problem, verify, studies)", () => {
    expect(crossings(graph, ["figures"], [...ENGINES, "problem", "verify", "studies", "io", "workers", "cli"])).toEqual(
      [],
    );
  });

  it("the browser-safe core imports no Node built-in and nothing Node-only (io, workers, cli)", () => {
    const bad: string[] = [];
    for (const [file, deps] of graph.external) {
      if (!CORE.includes(layer(file))) continue;
      for (const d of deps)
        if (d.startsWith("node:") || ["fs", "path", "os", "url", "worker_threads", "child_process"].includes(d))
          bad.push(`${file} -> ${d}`);
    }
    expect(bad).toEqual([]);
    expect(crossings(graph, CORE, ["io", "workers", "cli"])).toEqual([]);
  });

  it("no import cycle among the modules of src/", () => {
    expect(cycles(graph.edges)).toEqual([]);
  });

  it("the cycle finder finds cycles (a -> b -> c -> a, a self-import) and nothing in a tree", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["e", ["e"]],
      ["f", ["d"]],
    ]);
    expect(cycles(g)).toEqual([["a", "b", "c"], ["e"]]);
    expect(
      cycles(
        new Map([
          ["a", ["b", "c"]],
          ["b", ["c"]],
          ["c", []],
        ]),
      ),
    ).toEqual([]);
  });
});

/** The files of src/ and the libraries (bare specifiers) a module loads, transitively. */
function loadedBy(graph: Graph, start: string): { files: string[]; libraries: string[] } {
  const seen = new Set<string>([start]);
  const work = [start];
  const libraries = new Set<string>();
  while (work.length > 0) {
    const file = work.pop()!;
    for (const lib of graph.external.get(file) ?? []) libraries.add(lib);
    for (const d of graph.edges.get(file) ?? [])
      if (!seen.has(d)) {
        seen.add(d);
        work.push(d);
      }
  }
  return { files: [...seen].sort(), libraries: [...libraries].sort() };
}

/** The figure stack (SVG drawing, DOM, PNG), the sweep queue and store, and the parsers not every command needs. */
const FIGURE_STACK = ["@observablehq/plot", "linkedom", "@resvg/resvg-js", "dejavu-fonts-ttf"];
const SWEEP_STACK = ["bullmq", "ioredis", "better-sqlite3", "parquet-wasm", "apache-arrow"];

describe("CLI start-up: what a command loads (issue 18 item 4)", () => {
  const graph = importGraph(loadedSpecifiers);

  it("the start-up parser skips type-only and dynamic imports", () => {
    expect(
      loadedSpecifiers(
        `import { a } from "./a.js";\nimport type { B } from "./b.js";\nimport { type C, type D } from "./c.js";\n` +
          `import { e, type E } from "./e.js";\nexport type { F } from "./f.js";\nexport * from "./g.js";\n` +
          `const h = await import("./h.js");\nimport "./i.js";`,
      ),
    ).toEqual(["./a.js", "./e.js", "./g.js", "./i.js"]);
    // The closures below would pass vacuously if the known imports were not seen.
    expect(loadedBy(graph, "cli/commands/solve.ts").files).toContain("exact/network.ts");
    expect(loadedBy(graph, "cli/studies/reproduce.ts").libraries).toContain("@observablehq/plot");
    expect(loadedBy(graph, "cli/studies/reproduceMap.ts").libraries).toContain("better-sqlite3");
    expect(loadedBy(graph, "workers/pool.ts").libraries).toContain("piscina");
    expect(loadedBy(graph, "index.ts").libraries).toContain("@observablehq/plot");
    expect(loadedBy(graph, "cli/commands/sweepRun.ts").libraries).toContain("bullmq");
  });

  it("ness --version loads no command: the CLI's entry reaches only commander and a few small modules", () => {
    const { files, libraries } = loadedBy(graph, "cli/main.ts");
    expect(libraries.filter((l) => !l.startsWith("node:"))).toEqual(["commander"]);
    // studies/text.ts: the number format of tables (32 lines, no import).
    // cli/commandLine.ts: the command line recorded in outputs' provenance (imports only version.ts).
    expect(files).toEqual([
      "cli/commandLine.ts",
      "cli/format.ts",
      "cli/interrupt.ts",
      "cli/main.ts",
      "errors.ts",
      "studies/text.ts",
      "version.ts",
    ]);
  });

  it("ness solve loads no figure stack, study, sweep or lab module (a figure's modules load with --figure)", () => {
    const { files, libraries } = loadedBy(graph, "cli/commands/solve.ts");
    // Nor the YAML parser: src/cli/input.ts reads .json models with JSON.parse and requires yaml for other files.
    expect(
      libraries.filter((l) => [...FIGURE_STACK, ...SWEEP_STACK, "piscina", "cli-progress", "yaml"].includes(l)),
    ).toEqual([]);
    const heavy = files.filter((f) => /^(figures|studies|sweep|queue|io\/render|workers|stochastic)\b/.test(f));
    expect(heavy.filter((f) => f !== "studies/text.ts")).toEqual([]);
  });

  it("ness study NAME --csv loads no figure stack, YAML parser, SQLite or worker pool: --figure, seeded studies and reproduce do", () => {
    // The study command and every study definition (the catalog: `ness study NAME` loads NAME's module, --help all
    // of them): the figure builders are imported, Observable Plot is not (src/figures/plot.ts loads it when a figure
    // is drawn); the Node writers, the reproduce machinery and the worker pool are imported dynamically where they run.
    const command = loadedBy(graph, "cli/commands/study.ts");
    expect(command.files.filter((f) => /^studies\/.+\/definition\.ts$/.test(f))).toEqual([]);
    const catalog = loadedBy(graph, "studies/catalog.ts");
    const files = [...command.files, ...catalog.files];
    const libraries = [...command.libraries, ...catalog.libraries];
    expect(files).toContain("studies/variance-resonance/definition.ts");
    expect(files).toContain("figures/charts.ts");
    // No YAML parser either: a study's parameters come from the command line (src/model/modelText.ts parses texts).
    expect(libraries.filter((l) => [...FIGURE_STACK, ...SWEEP_STACK, "piscina", "yaml"].includes(l))).toEqual([]);
    expect(files.filter((f) => /^(io\/render|io\/sweepStore|workers\/pool|figures\/plotLoaded)\.ts$/.test(f))).toEqual(
      [],
    );
  });

  it("ness sweep (sweepRun.ts) loads no figure stack: ness plot loads it when it draws", () => {
    const { libraries } = loadedBy(graph, "cli/commands/sweepRun.ts");
    expect(libraries.filter((l) => [...FIGURE_STACK, "parquet-wasm", "apache-arrow"].includes(l))).toEqual([]);
  });

  it("ness worker (worker.ts) loads the queue client and the thread pool, none of the coordinator's store or parsers", () => {
    const { files, libraries } = loadedBy(graph, "cli/commands/worker.ts");
    expect(libraries).toContain("bullmq");
    expect(libraries).toContain("piscina");
    expect(
      libraries.filter((l) => [...FIGURE_STACK, "better-sqlite3", "parquet-wasm", "apache-arrow", "yaml"].includes(l)),
    ).toEqual([]);
    expect(files.filter((f) => /^(cli\/commands\/sweepRun|io\/sweepStore|sweep\/|studies\/)/.test(f))).toEqual([]);
  });

  it("ness sweep, worker, plot and lab load their engines only when they run", () => {
    for (const command of ["cli/commands/sweep.ts", "cli/commands/lab.ts"]) {
      const { libraries } = loadedBy(graph, command);
      expect(libraries.filter((l) => [...FIGURE_STACK, ...SWEEP_STACK, "piscina", "yaml"].includes(l))).toEqual([]);
    }
  });
});

describe("one Langevin problem type, one force-term registry", () => {
  const files = sourceFiles(SRC);
  /** The files of src/ whose code (comments removed) matches a pattern. */
  const declaring = (pattern: RegExp) =>
    files.filter((f) =>
      pattern.test(
        readFileSync(join(SRC, f), "utf8")
          .replace(/\/\*[\s\S]*?\*\//g, "")
          .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1"),
      ),
    );

  it("LangevinProblem is declared once, in src/problem/langevin.ts", () => {
    expect(declaring(/\b(?:interface|class)\s+LangevinProblem\b|\btype\s+LangevinProblem\s*(?:<[^>]*>)?\s*=/)).toEqual([
      "problem/langevin.ts",
    ]);
    // No other type of a problem of kind "langevin" under another name (a type member `kind: "langevin";`).
    expect(declaring(/\bkind\??\s*:\s*"langevin"\s*;/)).toEqual(["problem/langevin.ts"]);
    // One ensemble kind runs it.
    expect(declaring(/registerEnsembleKind\(\s*"langevin"/)).toEqual(["stochastic/langevinEnsemble.ts"]);
  });

  it("force terms are registered in one registry (src/stochastic/system.ts) and built by one builder", () => {
    expect(declaring(/\bfunction\s+registerForceTerm\b/)).toEqual(["stochastic/system.ts"]);
    expect(declaring(/\bfunction\s+langevinSystem\b/)).toEqual(["stochastic/system.ts"]);
    // No second registry of Langevin force builders (a Map keyed by term names) anywhere else.
    expect(declaring(/new Map<string, ForceTermBuilder>/)).toEqual(["stochastic/system.ts"]);
  });
});
