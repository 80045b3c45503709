// Interleaved rounds, the one timing method of every benchmark: ness and each reference ("anchor") run in
// alternation (ness, anchor, ness, anchor, ...), so that a change in the machine's load (it is shared) reaches both
// alike. Every round records CPU time (process.cpuUsage() in Node, time.process_time() in Python, the children's
// user + system time for whole processes, LAMMPS's own CPU share of its loop) beside wall-clock time; the report
// prints the ratio ness / anchor of every round, with its minimum and median, next to the target of issue 18.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pythonEnv } from "./python.js";

/** Options every benchmark receives from bench/run.js: --quick (fewer rounds, smaller sizes) and --rounds N. */
export function roundsFor(options, full = 7, quick = 3) {
  return options?.rounds ?? (options?.quick ? quick : full);
}

/** Times one synchronous or async call in this process: { cpu, wall } in seconds, and the call's value. */
export async function measure(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall, value };
}

/**
 * Runs `rounds` rounds; in each, every contender once, in the order given (A B A B ...). A contender is
 * { name, round: async () => ({ cpu, wall, value? }) } measuring itself, or null (absent anchor: skipped). Returns
 * { [name]: [{ cpu, wall, value }, ...] }. A contender whose round throws is dropped with its message printed.
 */
export async function interleave(contenders, rounds, log = console.log) {
  const live = contenders.filter(Boolean);
  const out = Object.fromEntries(live.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of live) {
      if (!out[c.name]) continue;
      try {
        out[c.name].push(await c.round(r));
      } catch (err) {
        log(`    (${c.name} failed: ${String(err?.message ?? err).split("\n")[0]}; dropped)`);
        delete out[c.name];
      }
    }
  }
  return out;
}

/** A ratio with two significant decimals (more digits for small ratios). */
export function fmtRatio(x) {
  return !Number.isFinite(x) ? "-" : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** Seconds in a readable unit. */
export function fmtTime(s) {
  if (s === undefined || s === null || !Number.isFinite(s)) return "-";
  if (s < 1e-3) return `${(s * 1e6).toFixed(s < 1e-5 ? 2 : 1)} us`;
  if (s < 1) return `${(s * 1e3).toFixed(s < 1e-2 ? 3 : 2)} ms`;
  return `${s.toFixed(2)} s`;
}

/** Every target verdict of this run ({ section, label, reached, met }), printed together at the end by bench/run.js. */
export const verdicts = [];
let section = "";

/** Names the benchmark whose verdicts follow (bench/run.js calls it before each benchmark file). */
export function setSection(name) {
  section = name;
}

/**
 * Records a target's verdict for the closing summary: `reached` says what was measured, `met` whether it is met
 * (`null`: not judged, e.g. a wall-clock target measured on a loaded machine).
 */
export function recordTarget(label, reached, met) {
  verdicts.push({ section, label, reached, met });
}

/**
 * Prints the per-round ratios (ness / anchor, CPU time; wall time in brackets as min/median only) of two series
 * measured by interleave(), with min and median and the target: { max: 0.8 } (ness at most 0.8x the anchor's
 * time) or { min: 1.5 } (ness at least 1.5x faster, i.e. anchor/ness >= 1.5). `per` divides each round's times
 * (e.g. solves per round) for the printed per-item times. Returns { min, median } of the CPU ratios.
 * A wall-clock target (basis "wall": several threads against one process) is judged only when `load` (the highest
 * load average seen around the rounds, the bench's own threads included) stays within half a core of the number of
 * cores: on a loaded machine the single anchor process waits for a core longer than several threads do together,
 * and the wall ratio measures the load, not the code.
 */
export function report(
  log,
  label,
  ness,
  anchor,
  { per = 1, target, anchorName = "anchor", basis = "cpu", load = 0, cores = 1 } = {},
) {
  const n = Math.min(ness.length, anchor.length);
  if (n === 0) {
    log(`  ${label}: no rounds`);
    return null;
  }
  const cpuRatios = [],
    wallRatios = [];
  for (let r = 0; r < n; r++) {
    cpuRatios.push(ness[r].cpu / anchor[r].cpu);
    wallRatios.push(ness[r].wall / anchor[r].wall);
  }
  const tn = median(ness.map((x) => x.cpu)) / per,
    ta = median(anchor.map((x) => x.cpu)) / per;
  // The target is judged on CPU-time ratios, or with basis "wall" on wall-clock ratios (throughput of several threads).
  const judged = basis === "wall" ? wallRatios : cpuRatios;
  const lo = Math.min(...judged),
    mid = median(judged);
  let verdict = "";
  if (target?.max !== undefined) {
    verdict = `target <= ${fmtRatio(target.max)}: ${mid <= target.max ? "met" : "MISSED"} (median)`;
    recordTarget(
      label,
      `ratio ${fmtRatio(mid)} (min ${fmtRatio(lo)}), target <= ${fmtRatio(target.max)}`,
      mid <= target.max,
    );
  }
  // The bench's own threads bring the load average up to about `cores`; half a core more is other work.
  const busy = basis === "wall" && load > cores + 0.5;
  if (target?.min !== undefined && busy) {
    verdict = `target >= ${target.min}x faster (wall): not judged, load average ${load.toFixed(1)} on ${cores} cores (median ${(1 / mid).toFixed(2)}x faster measures the load)`;
    recordTarget(
      label,
      `not judged: wall clock at load ${load.toFixed(1)} on ${cores} cores (median ${(1 / mid).toFixed(2)}x), target >= ${target.min}x`,
      null,
    );
  } else if (target?.min !== undefined) {
    verdict = `target >= ${target.min}x faster${basis === "wall" ? " (wall)" : ""}: ${1 / mid >= target.min ? "met" : "MISSED"} (median ${(1 / mid).toFixed(2)}x faster)`;
    recordTarget(
      label,
      `${(1 / mid).toFixed(2)}x faster (median${basis === "wall" ? ", wall" : ""}), target >= ${target.min}x`,
      1 / mid >= target.min,
    );
  }
  log(
    `  ${label}: ness ${fmtTime(tn)} cpu, ${anchorName} ${fmtTime(ta)} cpu (medians per ${per === 1 ? "round" : "item"})`,
  );
  log(
    `    ratio ness/${anchorName} (cpu) by round: ${cpuRatios.map(fmtRatio).join(" ")}  min ${fmtRatio(Math.min(...cpuRatios))} median ${fmtRatio(median(cpuRatios))}` +
      `; wall ${basis === "wall" ? `by round: ${wallRatios.map(fmtRatio).join(" ")} ` : ""}min ${fmtRatio(Math.min(...wallRatios))} median ${fmtRatio(median(wallRatios))}${verdict ? `; ${verdict}` : ""}`,
  );
  return { min: Math.min(...cpuRatios), median: median(cpuRatios) };
}

/**
 * A persistent python3 process (single-threaded BLAS) running `source`, whose top-level functions the rounds call
 * by name: call(name, args, repeat) runs name(args) `repeat` times and resolves to { cpu, wall, value } measured in
 * Python (time.process_time, time.perf_counter) around the calls only; `value` is the last call's return value
 * (JSON). Node waits idle meanwhile. close() ends the process.
 */
export function pythonSession(source) {
  const server = `${source}

import json as _json, sys as _sys, time as _time, traceback as _tb
def _serve():
    g = globals()
    for line in _sys.stdin:
        req = _json.loads(line)
        try:
            fn = g[req["call"]]
            args = req.get("args")
            value = None
            c0 = _time.process_time(); t0 = _time.perf_counter()
            for _ in range(req.get("repeat", 1)):
                value = fn(args)
            wall = _time.perf_counter() - t0; cpu = _time.process_time() - c0
            out = {"cpu": cpu, "wall": wall, "value": value}
        except Exception as e:
            out = {"error": "".join(_tb.format_exception_only(type(e), e)).strip()}
        _sys.stdout.write(_json.dumps(out) + "\\n")
        _sys.stdout.flush()
_serve()
`;
  const child = spawn("python3", ["-u", "-c", server], { env: pythonEnv(), stdio: ["pipe", "pipe", "pipe"] });
  let buffer = "";
  let stderr = "";
  const waiting = [];
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiting.shift();
      if (!w) continue;
      const msg = JSON.parse(line);
      if (msg.error) w.reject(new Error(`python: ${msg.error}`));
      else w.resolve(msg);
    }
  });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.on("exit", () => {
    for (const w of waiting.splice(0)) w.reject(new Error(`python exited: ${stderr.trim().split("\n").pop() ?? ""}`));
  });
  return {
    call(name, args = null, repeat = 1) {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${JSON.stringify({ call: name, args, repeat })}\n`);
      });
    },
    close() {
      child.stdin.end();
    },
  };
}

/**
 * Runs a whole process (`command args`, stdout into a temporary file) and measures it from outside: CPU time is
 * the user + system time of the process and its children (bash's `times`), wall time around the spawn. Resolves to
 * { cpu, wall, value: stdout text } or throws with the process's last stderr line.
 */
export function timeProcess(command, args, { env = process.env, input, keepOutput = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ness-bench-"));
  const outFile = join(dir, "stdout");
  try {
    const script = 'out="$1"; shift; "$@" > "$out"; s=$?; times >&2; exit $s';
    const t0 = performance.now();
    const r = spawnSync("bash", ["-c", script, "bash", outFile, command, ...args], {
      env,
      input,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    const wall = (performance.now() - t0) / 1000;
    const lines = (r.stderr ?? "").trim().split("\n");
    if (r.status !== 0) throw new Error(lines.slice(0, -2).pop() ?? `exit ${r.status}`);
    // `times`: shell user/sys on one line, then children user/sys ("0m1.234s 0m0.056s").
    const secs = (s) => {
      const m = s.match(/(\d+)m([\d.]+)s/);
      return m ? 60 * Number(m[1]) + Number(m[2]) : NaN;
    };
    const [u, s] = lines[lines.length - 1].trim().split(/\s+/);
    return { cpu: secs(u) + secs(s), wall, value: keepOutput ? readFileSync(outFile, "utf8") : "" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints a heading line with the issue-18 targets that a benchmark measures. */
export function targets(log, lines) {
  log("  targets (issue 18): " + lines.join("; "));
}
