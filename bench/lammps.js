// Helper for benchmarks: serial LAMMPS (`lmp`, Debian's `apt-get install lammps`) as a reference in the same run, for
// 2D mixtures of soft disks (eq. 26 of Metzger 2026). Skipped by the callers when `lmp` is absent.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** null without `lmp`; else its version line and whether it has fix brownian and pair harmonic/cut. */
export function lammpsInfo() {
  const which = spawnSync("sh", ["-c", "command -v lmp"], { encoding: "utf8" });
  if (which.status !== 0) return null;
  const h = spawnSync("lmp", ["-h"], { encoding: "utf8", maxBuffer: 1 << 24 });
  const text = h.stdout ?? "";
  const section = (name) => {
    const m = text.match(new RegExp(`\\* ${name} styles:([\\s\\S]*?)(\\n\\* |$)`));
    return m ? m[1].split(/\s+/).filter(Boolean) : [];
  };
  const version =
    (text.match(/Large-scale Atomic\/Molecular Massively Parallel Simulator - ([^\n]+)/) ?? [])[1]?.trim() ??
    "unknown version";
  return {
    version,
    brownian: section("Fix").includes("brownian"),
    harmonicCut: section("Pair").includes("harmonic/cut"),
  };
}

/**
 * The `pair_style` lines of the soft repulsion U = (k/2)(1 - r/range)^2 for r < range: harmonic/cut (k' = k/(2 range^2))
 * when the binary has it, else a table in `dir` with nodes uniform in r^2 (keyword RSQ, as many as LAMMPS's internal
 * table, so it uses them as they are: exact values at the nodes, linear in r^2 between).
 */
export function softPair(dir, info, k, range) {
  if (info.harmonicCut) return `pair_style harmonic/cut\npair_coeff * * ${k / (2 * range * range)} ${range}`;
  const n = 20000,
    rlo = 1e-6;
  const rows = [];
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(rlo * rlo + ((range * range - rlo * rlo) * i) / (n - 1));
    const h = 1 - r / range;
    rows.push(`${i + 1} ${r} ${0.5 * k * h * h} ${(k * h) / range}`);
  }
  writeFileSync(
    join(dir, "soft.table"),
    `# soft repulsion (k/2)(1 - r/range)^2 (eq. 26 of Metzger 2026)\n\nSOFT\nN ${n} RSQ ${rlo} ${range}\n\n${rows.join("\n")}\n`,
  );
  return `pair_style table linear ${n}\npair_coeff * * soft.table SOFT ${range}`;
}

/** The opening of an input: a 2D periodic square box of side L holding N/2 disks of type 1 (hot) and N/2 of type 2 (cold). */
export function mixtureBox(N, L) {
  return `units lj
dimension 2
atom_style atomic
boundary p p p
region box block 0 ${L} 0 ${L} -0.5 0.5
create_box 2 box
create_atoms 1 random ${N / 2} 12345 box
create_atoms 2 random ${N / 2} 54321 box
group hot type 1
group cold type 2`;
}

/**
 * Writes the input made by `input(dir)` into a fresh temporary folder and runs serial LAMMPS on it. Returns its
 * stdout and the "Loop time" lines as { seconds, steps, atoms, cpuSeconds }, or { error } with LAMMPS's last line.
 */
export function runLammps(input, minLoops) {
  const dir = mkdtempSync(join(tmpdir(), "ness-lmp-"));
  try {
    writeFileSync(join(dir, "in.lmp"), input(dir));
    const r = spawnSync("lmp", ["-in", "in.lmp", "-log", "none"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, OMP_NUM_THREADS: "1" },
      maxBuffer: 1 << 26,
      timeout: 600_000,
    });
    const out = r.stdout ?? "";
    // "Loop time of S on 1 procs for N steps with M atoms" ... "P% CPU use with 1 MPI tasks": the loop's wall time
    // and its CPU share, so cpuSeconds = S * P / 100 (LAMMPS's own measure of the CPU time of the timed steps).
    const loops = [
      ...out.matchAll(
        /Loop time of ([\d.eE+-]+) on 1 procs for (\d+) steps with (\d+) atoms[\s\S]*?([\d.]+)% CPU use/g,
      ),
    ].map((m) => ({
      seconds: Number(m[1]),
      steps: Number(m[2]),
      atoms: Number(m[3]),
      cpuSeconds: (Number(m[1]) * Number(m[4])) / 100,
    }));
    if (r.status !== 0 || loops.length < minLoops)
      return { error: (r.stderr || out || String(r.error ?? "")).trim().split("\n").pop() };
    return { out, loops };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
