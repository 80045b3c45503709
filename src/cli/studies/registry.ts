/**
 * The studies the CLI knows: each contributes `ness study <name> ...` (any parameters) and
 * `ness reproduce <name>` (the paper's figures, data and captions into an output folder).
 */
import type { Command } from "commander";

export interface ReproduceOptions {
  /** Output folder (created if missing). */
  outDir: string;
  /** Fewer points / shorter simulations, for smoke tests; the figures keep their shape. */
  quick: boolean;
  /** Progress and "wrote FILE" lines. */
  log: (line: string) => void;
}

export interface StudyCli {
  name: string;
  summary: string;
  /** The `ness study <name>` subcommand (options and action). */
  command(): Command;
  /** Writes every figure (SVG, PNG, CSV) of the study; resolves to the paths written. */
  reproduce(options: ReproduceOptions): Promise<string[]>;
}
