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
// leaves no record, so the next check builds again).
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const CACHE = (root) => join(root, "node_modules", ".cache", "ness");
const STAMP = (root) => join(CACHE(root), "build-stamp.json");
const PENDING = (root) => join(CACHE(root), "build-pending.json");

/** Every file under `root`/`dir`, relative to `root` with "/" separators, sorted; `skip` names paths left out. */
function files(root, dir, skip = () => false) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(join(root, d))) return;
    for (const e of readdirSync(join(root, d), { withFileTypes: true })) {
      const p = `${d}/${e.name}`;
      if (skip(p)) continue;
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** 16 hex digits of the SHA-256 of the paths and bytes of `paths` (relative to `root`), with `extra` strings. */
function digest(root, paths, extra = []) {
  const sha = createHash("sha256");
  const add = (b) => sha.update(`${b.length}:`).update(b);
  for (const p of paths) {
    add(Buffer.from(p));
    add(readFileSync(join(root, p)));
  }
  for (const s of extra) add(Buffer.from(s));
  return sha.digest("hex").slice(0, 16);
}

/** The fingerprint of everything the build's output comes from (see the head of this file). */
export function inputsFingerprint(root = ROOT) {
  const typescript = JSON.parse(readFileSync(join(root, "node_modules", "typescript", "package.json"), "utf8"));
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
    [`typescript ${typescript.version}`],
  );
}

/** The hash of the build's output: every file under dist/ but dist/lab. */
export function outputsHash(root = ROOT) {
  return digest(
    root,
    files(root, "dist", (p) => p === "dist/lab"),
  );
}

/** Called by scripts/clean-dist.js before the build: removes the record and notes the inputs' fingerprint. */
export function beginBuild(root = ROOT) {
  rmSync(STAMP(root), { force: true });
  mkdirSync(CACHE(root), { recursive: true });
  writeFileSync(PENDING(root), JSON.stringify({ inputs: inputsFingerprint(root) }) + "\n");
}

/**
 * Called after tsc succeeded: records the build if its inputs are those noted before it began. Returns whether it
 * did.
 */
export function endBuild(root = ROOT) {
  let pending;
  try {
    pending = JSON.parse(readFileSync(PENDING(root), "utf8"));
  } catch {
    return false;
  }
  rmSync(PENDING(root), { force: true });
  const inputs = inputsFingerprint(root);
  if (pending.inputs !== inputs) return false;
  writeFileSync(STAMP(root), JSON.stringify({ inputs, outputs: outputsHash(root) }) + "\n");
  return true;
}

/** Whether dist/ is fresh: `{ fresh: true }`, or `{ fresh: false, reason }` (no record, inputs changed, output changed). */
export function checkBuild(root = ROOT) {
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
  if (!endBuild()) console.log("build-stamp: sources changed during the build; dist/ left without a record");
}
