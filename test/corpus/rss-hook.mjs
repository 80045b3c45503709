// Loaded with --import by the corpus runner: records the process's peak resident memory (kB) and the CPU seconds it
// used (user + system, its worker threads included) when it exits, as JSON.
import { writeFileSync } from "node:fs";
const file = process.env.NESS_CORPUS_RSS_FILE;
if (file)
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRSS: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
  });
