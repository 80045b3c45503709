// Removes dist/ before a build, so the package never ships the output of a module that no longer exists (tsc does
// not delete what it stops emitting). Run by `npm run build`. dist/lab (the lab's static site, written by
// `npm run build:web`, not by tsc) is kept: `ness lab` serves it. It also removes the record of the last build and notes
// the fingerprint of the build's inputs (scripts/build-stamp.js, which writes the record once tsc has succeeded).
import { existsSync, readdirSync, rmSync } from "node:fs";
import { beginBuild } from "./build-stamp.js";

beginBuild();

const dist = new URL("../dist/", import.meta.url);
if (existsSync(dist))
  for (const name of readdirSync(dist))
    if (name !== "lab") rmSync(new URL(name, dist), { recursive: true, force: true });
