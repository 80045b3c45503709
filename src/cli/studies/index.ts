/**
 * Registry of studies available from the CLI. Add one import and one entry per study.
 */
import type { StudyCli } from "./registry.js";

export const studies: StudyCli[] = [];
