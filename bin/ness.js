#!/usr/bin/env node
// Entry point of the `ness` command: runs the compiled CLI (built by `npm ci` through the prepare script).
import { main } from "../dist/cli/main.js";

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`ness: internal error: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 70; },
);
