// The checks `npm test` runs before the tests: each command of package.json's "typecheck" script (three tsc programs),
// "lint" and "build" (the tests of the CLI run dist/). Each is one single-threaded process and none reads what another
// writes (the build writes dist/, which neither the tsc programs nor the lint read), so they run two at a time
// (NESS_CHECK_JOBS, default 2: CI's two cores), in the order below (longest first). The commands are read from
// package.json, so `npm run typecheck`, `npm run lint` and `npm run build` run the same ones one after the other,
// except that typecheck's `tsc -p tsconfig.json --noEmit` and the build run here as one program
// (scripts/typecheck-build.js: the same diagnostics and the same dist/, src type-checked once instead of twice). Each
// check's output is printed when it ends, headed by its command; every check runs to its end, and the exit code is 1
// if any failed.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// The two commands scripts/typecheck-build.js does in one program; a change to either in package.json must be made
// there too (this stops until it is).
const TYPECHECK_ALL = "tsc -p tsconfig.json --noEmit";
const BUILD = "node scripts/clean-dist.js && tsc -p tsconfig.build.json";
const typecheck = scripts.typecheck.split(" && ");
if (!typecheck.includes(TYPECHECK_ALL) || scripts.build !== BUILD) {
  console.error(
    `scripts/checks.js: package.json's typecheck no longer runs '${TYPECHECK_ALL}' or its build is not '${BUILD}': ` +
      "update scripts/typecheck-build.js and this list",
  );
  process.exit(1);
}
const TYPECHECK_BUILD = "node scripts/clean-dist.js && node scripts/typecheck-build.js";

// Longest first: typecheck-build (28 CPU-s; the two commands it replaces 26-32 and 21 on their own), then the lint,
// the core's type-check, the lab's.
const checks = [scripts.lint, ...typecheck.filter((c) => c !== TYPECHECK_ALL), TYPECHECK_BUILD];
const rank = (c) => ["typecheck-build", "eslint", "tsconfig.core"].findIndex((s) => c.includes(s)) >>> 0;
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
