// Headless Chromium for the lab's timing scripts (scripts/lab-live-frames.js, scripts/lab-slider-response.js): Debian's
// /usr/bin/chromium through playwright-core with the launch flags of test/lab/lab.test.ts, and the CPU seconds of the
// browser's processes read from /proc.
import { readFileSync, readdirSync } from "node:fs";
import { chromium } from "playwright-core";

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

/** A headless Chromium with its profile in `profile` (the folder identifies its processes for usage()). */
export function launch(profile) {
  return chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
