/**
 * The progress bar of long CLI runs (cli-progress on stderr, only on a terminal): an `onProgress(done, total)`
 * callback for the engines, a label that can carry the run's estimated cost, and a `stop()` that clears the bar.
 */
import cliProgress from "cli-progress";

export interface ProgressBar {
  onProgress(done: number, total: number): void;
  /** The text before the bar (e.g. the estimated cost); may be set before or during the run. */
  label(text: string): void;
  stop(): void;
}

/** A progress bar when `wanted` and stderr is a terminal; otherwise callbacks that do nothing. */
export function progressBar(wanted: boolean, label = "simulating"): ProgressBar {
  const bar =
    wanted && process.stderr.isTTY === true
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: "{label} [{bar}] {percentage}% | ETA {eta_formatted}",
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  let started = false;
  let text = label;
  return {
    onProgress(done, total) {
      if (!bar) return;
      if (!started) {
        bar.start(total, 0, { label: text });
        started = true;
      }
      bar.update(done, { label: text });
    },
    label(t) {
      text = t;
      if (started) bar?.update({ label: text });
    },
    stop() {
      if (started) bar?.stop();
      started = false;
    },
  };
}
