// Removes dist/ before a build, so the package never ships the output of a module that no longer exists (tsc does
// not delete what it stops emitting). Run by `npm run build`.
import { rmSync } from "node:fs";

rmSync(new URL("../dist/", import.meta.url), { recursive: true, force: true });
