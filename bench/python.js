// Helper for benchmarks: runs a Python reference (numpy/scipy) in the same run, single-threaded, when python3 has them.
import { spawnSync } from "node:child_process";

/** Environment for a single-threaded, unthrottled numpy/scipy: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are unset together. */
export function pythonEnv() {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** True when `python3 -c "import <modules>"` succeeds. */
export function pythonHas(...modules) {
  const r = spawnSync("python3", ["-c", `import ${modules.join(", ")}`], { env: pythonEnv(), encoding: "utf8" });
  return r.status === 0;
}

/** Runs a Python script (source text) and parses its last stdout line as JSON. Returns null if python3 fails. */
export function runPython(source, input) {
  const r = spawnSync("python3", ["-c", source], {
    env: pythonEnv(),
    encoding: "utf8",
    input: input === undefined ? undefined : JSON.stringify(input),
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) {
    console.log(`  (python reference failed: ${r.stderr.trim().split("\n").pop()})`);
    return null;
  }
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}
