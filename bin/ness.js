#!/usr/bin/env node
// Entry point of the `ness` command: runs the compiled CLI (built by `npm ci` through the prepare script).
// Exit codes: 0 done (also when the reader of stdout closed it early), 1 bad input (one line on stderr),
// 130/143 stopped by SIGINT/SIGTERM (a second signal after the first: the same code), 70 a bug in ness.
// Output to a closed pipe (`ness --help | head`, `ness solve ... | head -1`): the reader wanted no more, so exit at
// once and quietly, with status 0 (the exit hooks still remove a file being written), instead of an EPIPE crash.
// A closed stderr only loses the messages.
import { setFlagsFromString } from "node:v8";

// A one-shot `ness solve` spends its time in the WebAssembly kernels; its JavaScript drivers run a few times
// and V8's optimising compiler, on its default budget, spent more CPU compiling them (about 0.1 s at 100 sites,
// on background threads) than it saved. A larger interrupt budget lets it optimise only what stays hot (a 1000-site
// solve still is). Only here, in the process entry: tests and library users keep V8's defaults.
if (process.argv[2] === "solve") setFlagsFromString("--interrupt-budget=1000000");
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});
process.stderr.on("error", (err) => {
  if (err.code !== "EPIPE") throw err;
});
const { exitOnSignal } = await import("../dist/cli/interrupt.js");
exitOnSignal(true); // Ctrl-C while the CLI loads: exit 130 at once (a command may take over, see interrupt.ts)
const { main } = await import("../dist/cli/main.js");

main(process.argv).then(
  (code) => {
    if (code === 130 || code === 143) {
      // Stopped by a signal: exit as soon as stdout is written, instead of letting the event loop drain. When the
      // loop ends Node closes its signal listeners, and a second Ctrl-C landing in that moment killed the process
      // by the default action (no exit code); process.exit keeps the listener (interrupt.ts) to the end.
      process.stdout.write("", () => process.exit(code));
    } else process.exitCode = code;
  },
  (err) => {
    console.error(`ness: internal error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 70;
  },
);
