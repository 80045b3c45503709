// Whether dist/ is what `npm run build` would write now, without compiling: a record of the last successful build
// (the fingerprint of everything tsc's output comes from, and a hash of the output itself), kept beside the installed
// packages in node_modules/.cache/ness/build-stamp.json. scripts/checks.js skips the build when the record matches
// what is there now (`npm ci` has just built dist/ through the prepare script); `npm run build` always builds.
//
// Inputs: the path and bytes of every file under src/, the two tsconfig files the build reads, package.json (its
// "type" decides the module format), package-lock.json and the installed TypeScript version (the compiler and the
// declarations the output's types come from), scripts/clean-dist.js and this file. Output: the path and bytes of every
// file under dist/ except dist/lab (the lab's site, written by `npm run build:web`, which the build keeps). dist/ is
// fresh only when both match the record: a source edited, added or removed since the build, or a file of dist/
// edited, added or removed, makes it stale.
//
// The build runs `node scripts/clean-dist.js && tsc -p tsconfig.build.json && node scripts/build-stamp.js`:
// clean-dist.js removes the record and notes the inputs' fingerprint before tsc starts (beginBuild); this file, run
// after tsc succeeded, writes the record only if the inputs are still the same (a source saved during the build
// leaves no record, so the next check builds again), the note is its own (a second build begun in the same checkout
// meanwhile removed dist/ and may be stopped before writing it again: only that build's end may record) and every source has
// its output. A symbolic link to a folder under src/ is followed, as tsc follows it. Without TypeScript installed
// dist/ is never fresh (the build runs, and says what is missing).
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const CACHE = (root) => join(root, "node_modules", ".cache", "ness");
const STAMP = (root) => join(CACHE(root), "build-stamp.json");
const PENDING = (root) => join(CACHE(root), "build-pending.json");

/**
 * Every file under `root`/`dir`, relative to `root` with "/" separators, sorted; `skip` names paths left out. A
 * symbolic link to a folder is followed (as tsc follows it) unless `follow` is false, except a link to a folder it is
 * in (it would loop); a link to nothing is listed as a path without bytes.
 */
function files(root, dir, skip = () => false, follow = true) {
  const out = [];
  const walk = (d, above) => {
    const abs = join(root, d);
    if (!existsSync(abs)) return;
    const real = realpathSync(abs);
    if (above.includes(real)) return;
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const p = `${d}/${e.name}`;
      if (skip(p)) continue;
      if (e.isDirectory() || (follow && e.isSymbolicLink() && statOrNull(join(root, p))?.isDirectory()))
        walk(p, [...above, real]);
      else if (!e.isSymbolicLink() || follow) out.push(p);
    }
  };
  walk(dir, []);
  return out.sort();
}

function statOrNull(p) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/** 16 hex digits of the SHA-256 of the paths and bytes of `paths` (relative to `root`), with `extra` strings. */
function digest(root, paths, extra = []) {
  const sha = createHash("sha256");
  const add = (b) => sha.update(`${b.length}:`).update(b);
  for (const p of paths) {
    add(Buffer.from(p));
    // A link to nothing: its path only.
    add(statOrNull(join(root, p)) ? readFileSync(join(root, p)) : Buffer.from("(a link to nothing)"));
  }
  for (const s of extra) add(Buffer.from(s));
  return sha.digest("hex").slice(0, 16);
}

/** The installed TypeScript's version, or null when node_modules/typescript is missing or unreadable. */
function typescriptVersion(root) {
  try {
    return String(JSON.parse(readFileSync(join(root, "node_modules", "typescript", "package.json"), "utf8")).version);
  } catch {
    return null;
  }
}

/** The fingerprint of everything the build's output comes from (see the head of this file). */
export function inputsFingerprint(root = ROOT) {
  return digest(
    root,
    [
      ...files(root, "src"),
      "tsconfig.json",
      "tsconfig.build.json",
      "package.json",
      "package-lock.json",
      "scripts/clean-dist.js",
      "scripts/build-stamp.js",
    ],
    [`typescript ${typescriptVersion(root) ?? "missing"}`],
  );
}

/** The hash of the build's output: every file under dist/ but dist/lab. */
export function outputsHash(root = ROOT) {
  return digest(
    root,
    files(root, "dist", (p) => p === "dist/lab"),
  );
}

/**
 * The build a step belongs to: `npm run build` runs its steps from one shell, the parent of clean-dist.js and of this
 * file (or this file itself, where the shell runs its last command in its own process, as bash does). Two builds
 * overlapping in one checkout have two shells.
 */
const SHELLS = () => [process.ppid, process.pid];

/**
 * Called by scripts/clean-dist.js before the build: removes the record and notes the inputs' fingerprint and the build
 * it belongs to (`shell`: the process id of its shell, unique among the builds running).
 */
export function beginBuild(root = ROOT, shell = process.ppid) {
  rmSync(STAMP(root), { force: true });
  mkdirSync(CACHE(root), { recursive: true });
  writeFileSync(PENDING(root), JSON.stringify({ inputs: inputsFingerprint(root), shell }) + "\n");
}

/** The sources under src/ (.ts files but declarations, not through links) whose .js file under dist/ is missing. */
function missingOutputs(root) {
  const out = new Set(files(root, "dist", (p) => p === "dist/lab"));
  return files(root, "src", () => false, false)
    .filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))
    .filter((p) => !out.has(`dist/${p.slice("src/".length, -".ts".length)}.js`));
}

/**
 * Called after tsc succeeded: records the build if the pending note is its own (no other build began since in this
 * checkout: that one removed dist/, and may have been stopped before writing it again), its inputs are those noted
 * before it began, and every source has its output. Returns whether it did. `shells`: the builds this step belongs
 * to (by default its parent shell or itself).
 */
export function endBuild(root = ROOT, shells = SHELLS()) {
  let pending;
  try {
    pending = JSON.parse(readFileSync(PENDING(root), "utf8"));
  } catch {
    return false;
  }
  // Another build's note stays for that build's own end step.
  if (!shells.includes(pending.shell)) return false;
  rmSync(PENDING(root), { force: true });
  const inputs = inputsFingerprint(root);
  if (pending.inputs !== inputs) return false;
  if (missingOutputs(root).length > 0) return false;
  writeFileSync(STAMP(root), JSON.stringify({ inputs, outputs: outputsHash(root) }) + "\n");
  return true;
}

/** Whether dist/ is fresh: `{ fresh: true }`, or `{ fresh: false, reason }` (no record, inputs changed, output changed). */
export function checkBuild(root = ROOT) {
  if (typescriptVersion(root) === null)
    return { fresh: false, reason: "no TypeScript in node_modules (npm ci installs it)" };
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP(root), "utf8"));
  } catch {
    return { fresh: false, reason: "no record of a build" };
  }
  if (stamp.inputs !== inputsFingerprint(root)) return { fresh: false, reason: "sources changed since the build" };
  if (stamp.outputs !== outputsHash(root)) return { fresh: false, reason: "dist/ changed since the build" };
  return { fresh: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!endBuild())
    console.log(
      "build-stamp: dist/ left without a record (sources changed during the build, another build began in this checkout, or a source has no output)",
    );
}
