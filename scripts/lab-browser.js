// Headless Chromium for the lab's timing scripts (scripts/lab-live-frames.js, scripts/lab-slider-response.js): the
// project's launch (scripts/chromium.js, shared with the browser tests) at the lab tests' page size, and the CPU
// seconds of the browser's processes read from /proc.
import { readFileSync, readdirSync } from "node:fs";
import { LAB_VIEWPORT, launchChromium } from "./chromium.js";

const TICK = 100; // USER_HZ

/** The processes under the browser launched with `profile` (renderers do not carry the profile on their command line). */
function processes(profile) {
  const parent = new Map();
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      parent.set(p, readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ")[1]);
    } catch {
      // ended meanwhile
    }
  }
  const roots = new Set();
  for (const p of parent.keys()) {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, "utf8").includes(profile)) roots.add(p);
    } catch {
      // ended meanwhile
    }
  }
  const under = (p) => {
    for (let q = p, i = 0; q !== undefined && i < 16; q = parent.get(q), i++) if (roots.has(q)) return true;
    return false;
  };
  return [...parent.keys()].filter(under);
}

const cpu = (stat) => {
  const f = readFileSync(stat, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / TICK;
};

/** CPU seconds of all the browser's processes, and of the busiest renderer's main thread (the page's). */
export function usage(profile) {
  let all = 0,
    main = 0;
  for (const p of processes(profile)) {
    try {
      all += cpu(`/proc/${p}/stat`);
      if (readFileSync(`/proc/${p}/cmdline`, "utf8").includes("--type=renderer"))
        main = Math.max(main, cpu(`/proc/${p}/task/${p}/stat`));
    } catch {
      // ended meanwhile
    }
  }
  return { all, main };
}

/**
 * A headless Chromium at the lab tests' page size with a fresh profile named `prefix`... (its path identifies the
 * browser's processes for usage()): { context, profile, close() } (close removes the profile).
 */
export function launch(prefix) {
  return launchChromium({ prefix, viewport: LAB_VIEWPORT });
}
