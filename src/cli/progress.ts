/**
 * The progress bar of long CLI runs (cli-progress on stderr, only on a terminal): an `onProgress(done, total)`
 * callback for the engines and a `stop()` that clears the bar.
 */
import cliProgress from "cli-progress";

export interface ProgressBar {
  onProgress(done: number, total: number): void;
  stop(): void;
}

/** A progress bar when `wanted` and stderr is a terminal; otherwise callbacks that do nothing. */
export function progressBar(wanted: boolean, label = "simulating"): ProgressBar {
  const bar = wanted && process.stderr.isTTY === true
    ? new cliProgress.SingleBar(
      { stream: process.stderr, format: `${label} [{bar}] {percentage}% | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    )
    : null;
  let started = false;
  return {
    onProgress(done, total) {
      if (!bar) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar?.stop();
      started = false;
    },
  };
}
