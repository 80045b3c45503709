// One TypeScript program for two of the checks `npm test` runs (scripts/checks.js): `tsc -p tsconfig.json --noEmit`
// (src, test and the configs, type-checked) and the build's `tsc -p tsconfig.build.json` (src emitted into dist/).
// src is part of both, so two programs type-check it twice; this one checks tsconfig.json's files once, reports
// every diagnostic as tsc does, and only if there is none writes what tsconfig.build.json writes (src's JavaScript
// and declarations, under dist/ as rootDir src puts them). Run after scripts/clean-dist.js, as `npm run build` is.
// Exit code 1 on any diagnostic (nothing written then), 0 otherwise.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The parsed tsconfig file `name` of the repository (its errors printed, then exit 1). */
function parse(name) {
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      report([d]);
      process.exit(1);
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, name), {}, host);
  if (parsed.errors.length > 0) {
    report(parsed.errors);
    process.exit(1);
  }
  return parsed;
}

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => ts.sys.newLine,
};

/** Prints diagnostics as tsc does (with colours and context on a terminal). */
function report(diagnostics) {
  const text = process.stdout.isTTY
    ? ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost)
    : ts.formatDiagnostics(diagnostics, formatHost);
  process.stdout.write(text);
}

const check = parse("tsconfig.json");
const build = parse("tsconfig.build.json");
const srcRoot = resolve(build.options.rootDir);
const outDir = resolve(build.options.outDir);

// tsconfig.json's options and files, emitting as the build does: the options that differ between the two (noEmit,
// sourceMap, rootDir, outDir) decide what is written and where, not how the files are type-checked. rootDir stays
// tsconfig.json's (test/ is outside src); what is written is placed below as rootDir src places it.
const program = ts.createProgram({
  rootNames: check.fileNames,
  options: { ...check.options, noEmit: false, sourceMap: build.options.sourceMap },
  projectReferences: check.projectReferences,
});
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) {
  report(diagnostics);
  process.exit(1);
}

// What the build's own program would write, and the errors it would have beyond type errors (a file of src importing
// one outside rootDir src): that program's files, parsed by the program above (a host that hands them over), not
// type-checked again.
const buildHost = ts.createCompilerHost(build.options);
const readSourceFile = buildHost.getSourceFile;
buildHost.getSourceFile = (file, ...rest) =>
  program.getSourceFile(file) ?? readSourceFile.call(buildHost, file, ...rest);
const buildProgram = ts.createProgram({ rootNames: build.fileNames, options: build.options, host: buildHost });
const buildErrors = [...buildProgram.getConfigFileParsingDiagnostics(), ...buildProgram.getOptionsDiagnostics()];
if (buildErrors.length > 0) {
  report(buildErrors);
  process.exit(1);
}
const emitted = new Set(
  buildProgram
    .getSourceFiles()
    .filter((f) => !f.isDeclarationFile && !buildProgram.isSourceFileFromExternalLibrary(f))
    .map((f) => resolve(f.fileName))
    // a JSON file src imports from outside src is not written by tsc (a file of code there is an error above)
    .filter((f) => f.startsWith(srcRoot + sep)),
);
const checkRoot = resolve(check.options.rootDir);
const checkOut = resolve(check.options.outDir);
/** Where the build writes the output `file` (written by this program's options under tsconfig.json's rootDir). */
const target = (file) => join(outDir, relative(join(checkOut, relative(checkRoot, srcRoot)), resolve(file)));

let errors = [];
for (const sourceFile of program.getSourceFiles()) {
  if (!emitted.has(resolve(sourceFile.fileName))) continue;
  const r = program.emit(sourceFile, (file, text, bom) => {
    const to = target(file);
    if (!to.startsWith(outDir + sep)) throw new Error(`${file}: written outside ${outDir}`);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, bom ? `\uFEFF${text}` : text);
  });
  errors = errors.concat(r.diagnostics);
}
if (errors.length > 0) {
  report(errors);
  process.exit(1);
}
