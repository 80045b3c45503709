#!/usr/bin/env node
// Entry point of the `ness` command: runs the compiled CLI (built by `npm ci` through the prepare script).
// Exit codes: 0 done (also when the reader of stdout closed it early), 1 bad input (one line on stderr),
// 130/143 stopped by SIGINT/SIGTERM, 70 a bug in ness.
// Output to a closed pipe (`ness --help | head`, `ness solve ... | head -1`): the reader wanted no more, so exit at
// once and quietly, with status 0 (the exit hooks still remove a file being written), instead of an EPIPE crash.
// A closed stderr only loses the messages.
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
    process.exitCode = code;
  },
  (err) => {
    console.error(`ness: internal error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 70;
  },
);
