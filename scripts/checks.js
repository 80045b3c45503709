// The checks `npm test` runs before the tests: each command of package.json's "typecheck" script (three tsc programs),
// "lint" and "build" (the tests of the CLI run dist/). Each is one single-threaded process and none reads what another
// writes (the build writes dist/, which neither the tsc programs nor the lint read), so they run two at a time
// (NESS_CHECK_JOBS, default 2: CI's two cores), in the order below (longest first). The commands are read from
// package.json, so `npm run typecheck`, `npm run lint` and `npm run build` run the same ones one after the other. Each
// check's output is printed when it ends, headed by its command; every check runs to its end, and the exit code is 1
// if any failed.
//
// The build is skipped when dist/ is already what it would write (scripts/build-stamp.js: a record of the last
// successful build, the fingerprint of its inputs and a hash of its output, both compared with what is there now):
// `npm ci` builds dist/ through the prepare script just before CI's `npm test`. A source or a file of dist/ edited
// since, or no record, and the build runs. NESS_CHECK_BUILD=always builds whatever the record says.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkBuild } from "./build-stamp.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// CPU seconds of each, one core: lint 28, tsc -p tsconfig.json 24, build 21, tsc lab 15, tsc core 13.
const checks = [scripts.lint, ...scripts.typecheck.split(" && ")];
const built =
  process.env.NESS_CHECK_BUILD === "always" ? { fresh: false, reason: "NESS_CHECK_BUILD=always" } : checkBuild(root);
if (built.fresh) process.stdout.write(`> ${scripts.build}: skipped, dist/ is up to date (scripts/build-stamp.js)\n`);
else {
  process.stdout.write(`> ${scripts.build}: runs, ${built.reason}\n`);
  checks.push(scripts.build);
}
const rank = (c) =>
  ["eslint", "tsc -p tsconfig.json ", "clean-dist", "tsconfig.lab"].findIndex((s) => c.includes(s)) >>> 0;
checks.sort((a, b) => rank(a) - rank(b));

const jobs = Math.max(1, Number.parseInt(process.env.NESS_CHECK_JOBS ?? "2", 10) || 2);
// As npm runs a script: through the shell, with node_modules/.bin first on the PATH.
const env = { ...process.env, PATH: join(root, "node_modules", ".bin") + delimiter + process.env.PATH };

/** Runs `command` in the repository's root; resolves with its exit code and its output (stdout, then stderr). */
function run(command) {
  return new Promise((resolve) => {
    const p = spawn(command, { cwd: root, env, shell: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "",
      stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", (e) => resolve({ code: 1, output: `${stdout}${stderr}${e}\n` }));
    p.on("close", (code, signal) =>
      resolve({ code: code ?? 1, output: stdout + stderr + (signal ? `(${signal})\n` : "") }),
    );
  });
}

let failed = 0;
const queue = [...checks];
async function worker() {
  for (let command = queue.shift(); command !== undefined; command = queue.shift()) {
    const t0 = performance.now();
    const { code, output } = await run(command);
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (code !== 0) failed++;
    process.stdout.write(`> ${command}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} (${seconds} s)\n`);
    if (output.trim() !== "") process.stdout.write(output.replace(/\n*$/, "\n"));
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, checks.length) }, worker));
if (failed > 0) {
  console.error(`${failed} of ${checks.length} checks failed`);
  process.exit(1);
}
