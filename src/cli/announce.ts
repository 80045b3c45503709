/**
 * The cost line of a long run: from a computation's progress reports (done of total units of work), once about a
 * second of work has been timed, an estimate of the whole run; if it is above about a minute, one line
 * `ness: estimated cost: NAME about 4 min` is printed (once). The clock starts at the first report, so the start-up
 * before it (model preparation, compilation of the hot loops) does not inflate the estimate.
 */
import { duration } from "./format.js";

/** Runs estimated below this (seconds) are not announced. */
export const ANNOUNCE_ABOVE_SECONDS = 60;

/** A progress callback that prints the estimated cost of the run once, through `print`, when it is over a minute. */
export function costAnnouncer(
  name: string,
  print: (line: string) => void,
  now: () => number = () => performance.now(),
): (done: number, total: number) => void {
  let t1: number | undefined;
  let done1 = 0;
  let announced = false;
  return (done, total) => {
    if (announced || !(total > 0) || !(done > 0)) return;
    const t = now();
    if (t1 === undefined) {
      t1 = t;
      done1 = done;
      return;
    }
    const seconds = (t - t1) / 1000;
    if (done <= done1 || (seconds < 1 && done < total)) return;
    announced = true;
    // The remaining work at the measured rate, plus what was done before the clock started at the same rate.
    const estimate = (seconds / (done - done1)) * total;
    if (estimate > ANNOUNCE_ABOVE_SECONDS) print(`ness: estimated cost: ${name} about ${duration(estimate)}`);
  };
}
