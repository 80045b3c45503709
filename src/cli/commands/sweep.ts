/**
 * `ness sweep SPEC --out DIR [--workers W] [--resume] [--queue URL]`, `ness worker --queue URL` and `ness plot DIR`:
 * their options. The work is in sweepRun.ts (the worker's in worker.ts), loaded when one of them runs (BullMQ, ioredis,
 * SQLite and Arrow stay out of the start-up of the other commands). docs/sweep.md is the user's reference.
 */
import { Command } from "commander";

export function sweepCommand(): Command {
  return new Command("sweep")
    .description(
      "run a parameter sweep (see docs/sweep.md) into a resumable store DIR/sweep.sqlite, exported to DIR/results.csv and DIR/results.parquet",
    )
    .argument("<spec>", "sweep spec (YAML or JSON)")
    .option(
      "--out <dir>",
      "folder of the sweep's store and results (new or empty; the same folder with --resume); required",
    )
    .option("--workers <n>", "worker threads for local runs (default: the available cores)")
    .option("--resume", "continue the sweep stored in --out: points already stored are skipped")
    .option(
      "--queue <url>",
      "run the points as jobs on a Redis queue (redis://HOST:PORT), computed by `ness worker` processes",
    )
    .option("--redis-timeout <seconds>", "with --queue: give up when Redis does not answer for this long (default 60)")
    .option("--force", "run a sweep estimated to take more than an hour")
    .option("--no-progress", "no progress bar")
    .action(async (file: string, o) => (await import("./sweepRun.js")).runSweep(file, o));
}

/** `ness worker --queue URL`: computes sweep points from the queue until stopped (a signal, or Redis lost). */
export function workerCommand(): Command {
  return new Command("worker")
    .description("compute points of sweeps run with `ness sweep --queue URL` (any number of workers, on any machines)")
    .option("--queue <url>", "the Redis queue (redis://HOST:PORT); required")
    .option("--workers <n>", "points computed at once, each in a worker thread (default: the available cores)")
    .option(
      "--lock-seconds <s>",
      "a point whose worker stops answering for this long is given to another worker (default 30)",
    )
    .option(
      "--redis-timeout <seconds>",
      "stop with one line (exit 1) when Redis does not answer for this long (default 60)",
    )
    .action(async (o) => (await import("./worker.js")).runWorker(o));
}

/** `ness plot DIR --x AXIS --y OUTPUT [--color AXIS]`: a figure of a sweep from its store. */
export function plotCommand(): Command {
  return new Command("plot")
    .description(
      "draw a sweep from its store: an output against an axis (one line per value of --color), or a heatmap (--y AXIS --color OUTPUT)",
    )
    .argument("<dir>", "the sweep's folder (holding sweep.sqlite)")
    .option("--x <axis>", "the axis along x; required")
    .option(
      "--y <name>",
      "an output (line chart, with error bars for simulated outputs) or a second axis (heatmap); required",
    )
    .option("--color <name>", "line chart: an axis, one line per value; heatmap: the output shown in colour")
    .option("--figure <file>", "the figure file: .svg, .png or .csv (default DIR/<y>-vs-<x>.svg)")
    .action(async (dir: string, o) => (await import("./sweepRun.js")).runPlot(dir, o));
}
