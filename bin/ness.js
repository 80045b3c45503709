#!/usr/bin/env node
// Entry point of the `ness` command: runs the compiled CLI (built by `npm ci` through the prepare script).
// Exit codes: 0 done, 1 bad input (one line on stderr), 130/143 stopped by SIGINT/SIGTERM, 70 a bug in ness.
const { exitOnSignal } = await import("../dist/cli/interrupt.js");
exitOnSignal(true); // Ctrl-C while the CLI loads: exit 130 at once (a command may take over, see interrupt.ts)
const { main } = await import("../dist/cli/main.js");

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`ness: internal error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 70;
  },
);
