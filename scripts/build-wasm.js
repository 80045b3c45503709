// Compiles the WebAssembly kernels (asm/linalg.ts, AssemblyScript) twice, with plain SIMD and with relaxed SIMD
// (fused multiply-add), and writes both binaries, base64-encoded, into src/linalg/wasm/binary.ts: a plain TypeScript
// module, so the browser-safe core loads them with WebAssembly.instantiate from bytes (no fetch, no file system).
// The generated files are committed; `npm run build:wasm` regenerates them. Each one's first line records a
// fingerprint of its inputs (scripts/wasm-fingerprint.js), which test/linalg/wasm.test.ts checks without compiling;
// `--check` compiles everything again and compares the text (writes nothing, exits 1 on a difference).
import { Buffer } from "node:buffer";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";
import { GENERATED, headerLine, inputsFingerprint } from "./wasm-fingerprint.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = "asm/linalg.ts";
const OUTPUT = join(root, "src/linalg/wasm/binary.ts");
// --debug keeps the function names (a name section of a few hundred bytes) for profiles.
const COMMON = [
  "--runtime",
  "stub",
  "--noAssert",
  "-O3",
  "--converge",
  "--enable",
  "simd",
  "--initialMemory",
  "1",
  "--debug",
];

const INPUTS = inputsFingerprint(root);
const ASSEMBLYSCRIPT = JSON.parse(readFileSync(join(root, "node_modules/assemblyscript/package.json"), "utf8")).version;
// The generated files' second line (and the blank line after it).
const REGENERATE = `// Regenerate with \`npm run build:wasm\`; test/linalg/wasm.test.ts checks its fingerprint (first line), \`node
// scripts/build-wasm.js --check\` compiles again.
`;

/** A generated file's text: its first line (the fingerprint of the inputs, the hash of `body`), then `body`. */
function headed(source, body) {
  return `${headerLine(source, INPUTS, body, ASSEMBLYSCRIPT)}\n${body}`;
}

// The compiler reads its configuration file and resolves sources against its base folder, both the current folder
// unless told: a stray asconfig.json there would change the binaries, and so would the folder the build runs from
// (--debug names functions by their file's path from it). Both are fixed to this repository: the base folder its root,
// the configuration asm/asconfig.json (no options: they are all above; the fingerprint covers it).
const PLACE = ["--baseDir", root, "--config", join(root, "asm/asconfig.json")];

async function compile(extra, source = SOURCE) {
  let binary = null;
  let stderr = "";
  const { error } = await asc.main([join(root, source), ...PLACE, ...COMMON, ...extra, "--outFile", "out.wasm"], {
    writeFile(name, contents) {
      if (name.endsWith(".wasm")) binary = contents;
    },
    stderr: { write: (s) => (stderr += s) },
    stdout: { write: () => {} },
  });
  if (error || !binary) throw new Error(`asc failed on ${source}: ${error?.message ?? ""}\n${stderr}`);
  return Buffer.from(binary);
}

/** The text of src/linalg/wasm/binary.ts for the current source. */
export async function generate() {
  // The memory imported: the runtime replaces it by a larger one when a workspace needs more (growing one would detach
  // a buffer: src/linalg/wasm/runtime.ts, withWorkspace).
  const simd = await compile(["--importMemory"]);
  const relaxed = await compile(["--enable", "relaxed-simd", "--importMemory"]);
  const wrap = (b) =>
    b
      .toString("base64")
      .replace(/.{1,120}/g, (s) => `  "${s}" +\n`)
      .replace(/ \+\n$/, ";\n");
  return headed(
    SOURCE,
    `${REGENERATE}
/** The kernels with plain WebAssembly SIMD (${simd.length} bytes). */
export const SIMD_WASM_BASE64 =
${wrap(simd)}
/** The same kernels with relaxed SIMD (fused multiply-add; ${relaxed.length} bytes). */
export const RELAXED_SIMD_WASM_BASE64 =
${wrap(relaxed)}`,
  );
}

/**
 * The text of a generated module file: `source` compiled with `flags`, as base64 in the constant `name`, headed by
 * where it came from (the source's hash, the compiler's version) and `description` with its size.
 */
async function generateModule(flags, source, name, description) {
  const wasm = await compile(flags, source);
  const body = wasm
    .toString("base64")
    .replace(/.{1,120}/g, (s) => `  "${s}" +\n`)
    .replace(/ \+\n$/, ";\n");
  return headed(
    source,
    `${REGENERATE}
/** ${description} (${wasm.length} bytes). */
export const ${name} =
${body}`,
  );
}

// Shared memories must declare a maximum: the most a wasm32 memory can have (the caller's memory sets its own).
const SPLIT_MAX_PAGES = "65536";

// The particle kernels (asm/particles/pairs.ts): a module of their own, without SIMD (their loops are bound by short
// inner loops, not arithmetic), so that the pair search runs wherever WebAssembly does. Its memory is imported: a
// list that needs more makes a new memory and instance (instanceWithMemory, src/linalg/wasm/lazyModule.ts) instead
// of growing one, which would detach a buffer (and slow every typed array of the process in V8).
const PARTICLES_SOURCE = "asm/particles/pairs.ts";
const PARTICLES_OUTPUT = join(root, "src/stochastic/neighbours/pairsWasm.ts");

/** The text of src/stochastic/neighbours/pairsWasm.ts for the current source. */
export async function generateParticles() {
  return generateModule(
    ["--disable", "simd", "--importMemory"],
    PARTICLES_SOURCE,
    "PAIRS_WASM_BASE64",
    "The pair-list kernel, plain WebAssembly",
  );
}

// The chain sweeps (asm/chain/sweeps.ts): a module of their own with plain SIMD only (no fused multiply-add: every lane
// does the JavaScript kernels' arithmetic, so the results are the same to the bit); its memory imported, made at its
// size (a grown memory detaches a buffer).
const CHAIN_SOURCE = "asm/chain/sweeps.ts";
const CHAIN_OUTPUT = join(root, "src/linalg/chainSweepsWasm.ts");

/** The text of src/linalg/chainSweepsWasm.ts for the current source. */
export async function generateChain() {
  return generateModule(
    ["--importMemory"],
    CHAIN_SOURCE,
    "CHAIN_SWEEPS_WASM_BASE64",
    "The chain sweep kernels, plain WebAssembly SIMD",
  );
}

// The strip's block sweep (asm/strip/sweep.ts): a module of its own with plain SIMD only (no fused multiply-add: the
// same arithmetic as the JavaScript sweep, so the same results to the bit); its memory imported, as the chain's.
const STRIP_SOURCE = "asm/strip/sweep.ts";
const STRIP_OUTPUT = join(root, "src/linalg/stripSweepWasm.ts");

/** The text of src/linalg/stripSweepWasm.ts for the current source. */
export async function generateStrip() {
  return generateModule(
    ["--importMemory"],
    STRIP_SOURCE,
    "STRIP_SWEEP_WASM_BASE64",
    "The strip's block sweep, plain WebAssembly SIMD",
  );
}

// The counter-based noise of split runs (asm/particles/noise.ts): a module of its own with plain SIMD (Threefry on four
// counters per i32x4; integer lanes and the ziggurat's fast path in the JavaScript loop's order: the same bits); its
// memory imported, as the particle kernels'. Compiled twice: over a plain memory (its own, or a serial split run's)
// and over a shared one (the threads of a split run write their normals straight into the run's memory).
const NOISE_SOURCE = "asm/particles/noise.ts";
const NOISE_OUTPUT = join(root, "src/stochastic/counterNoiseWasm.ts");

/** The text of src/stochastic/counterNoiseWasm.ts for the current source. */
export async function generateNoise() {
  const plain = await generateModule(
    ["--importMemory"],
    NOISE_SOURCE,
    "COUNTER_NOISE_WASM_BASE64",
    "The counter-based noise kernel, plain WebAssembly SIMD",
  );
  const shared = await compile(
    ["--importMemory", "--enable", "threads", "--sharedMemory", "--maximumMemory", SPLIT_MAX_PAGES],
    NOISE_SOURCE,
  );
  const body = shared
    .toString("base64")
    .replace(/.{1,120}/g, (s) => `  "${s}" +\n`)
    .replace(/ \+\n$/, ";\n");
  return headed(
    NOISE_SOURCE,
    `${plain.slice(plain.indexOf("\n") + 1)}
/** The same over a shared imported memory (a split run's on threads; ${shared.length} bytes). */
export const COUNTER_NOISE_SHARED_WASM_BASE64 =
${body}`,
  );
}

// The force loop of split runs (asm/particles/split.ts): a module of its own without SIMD, compiled twice, its memory
// imported: once declared shared (the threads of a split run instantiate it over the run's one shared
// WebAssembly.Memory) and once plain (the serial executor's memory). The same arithmetic as the JavaScript loop.
const SPLIT_SOURCE = "asm/particles/split.ts";
const SPLIT_OUTPUT = join(root, "src/stochastic/splitForcesWasm.ts");

/** The text of src/stochastic/splitForcesWasm.ts for the current source. */
export async function generateSplit() {
  const base = ["--disable", "simd", "--importMemory"];
  const shared = await compile(
    [...base, "--enable", "threads", "--sharedMemory", "--maximumMemory", SPLIT_MAX_PAGES],
    SPLIT_SOURCE,
  );
  const plain = await compile(base, SPLIT_SOURCE);
  const wrap = (b) =>
    b
      .toString("base64")
      .replace(/.{1,120}/g, (s) => `  "${s}" +\n`)
      .replace(/ \+\n$/, ";\n");
  return headed(
    SPLIT_SOURCE,
    `${REGENERATE}
/** The split's force loop over a shared imported memory, plain WebAssembly (${shared.length} bytes). */
export const SPLIT_SHARED_WASM_BASE64 =
${wrap(shared)}
/** The same over a plain imported memory (${plain.length} bytes). */
export const SPLIT_PLAIN_WASM_BASE64 =
${wrap(plain)}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const modules = [
    [OUTPUT, SOURCE, generate],
    [PARTICLES_OUTPUT, PARTICLES_SOURCE, generateParticles],
    [CHAIN_OUTPUT, CHAIN_SOURCE, generateChain],
    [STRIP_OUTPUT, STRIP_SOURCE, generateStrip],
    [NOISE_OUTPUT, NOISE_SOURCE, generateNoise],
    [SPLIT_OUTPUT, SPLIT_SOURCE, generateSplit],
  ];
  // the fingerprint check (scripts/wasm-fingerprint.js) must know every file written here, with its source
  const listed = GENERATED.map(({ output, source }) => `${join(root, output)} ${source}`);
  if (modules.some(([output, source], i) => listed[i] !== `${output} ${source}`) || listed.length !== modules.length)
    throw new Error("scripts/wasm-fingerprint.js's GENERATED does not list the files this script writes");
  // --only FILE (e.g. binary.ts): that generated file alone (the tests check every module in one process).
  const at = process.argv.indexOf("--only");
  const only = at >= 0 ? process.argv[at + 1] : undefined;
  const chosen = only === undefined ? modules : modules.filter(([output]) => basename(output) === only);
  if (chosen.length === 0) {
    console.error(`--only: no generated file named ${only} (one of: ${modules.map(([o]) => basename(o)).join(", ")})`);
    process.exit(1);
  }
  // --check compiles every chosen module in this one process (the compiler warms up on the first: the others then
  // take a fraction of what each takes in a fresh process) and reports each, exiting 1 after all when one differs.
  let outOfDate = 0;
  for (const [output, source, make] of chosen) {
    const text = await make();
    if (process.argv.includes("--check")) {
      let old = "";
      try {
        old = readFileSync(output, "utf8");
      } catch {
        // missing: out of date
      }
      if (old !== text) {
        console.error(`${output} is out of date with ${source}: run npm run build:wasm`);
        outOfDate++;
      } else console.log(`${output} is up to date`);
    } else {
      writeFileSync(output, text);
      console.log(`wrote ${output}`);
    }
  }
  if (outOfDate > 0) process.exit(1);
}
