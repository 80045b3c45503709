// Loaded with --import by the corpus runner: records the process's peak resident memory (kB) when it exits.
import { writeFileSync } from "node:fs";
const file = process.env.NESS_CORPUS_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
