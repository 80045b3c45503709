// Types of scripts/lab-watch.js for its test.
export type RunOutcome = "running" | "drawn" | "full" | { failed: string };
export declare function runOutcome(page: {
  end: string | undefined | null;
  draft: boolean;
  state: string;
  status: string;
}): RunOutcome;
export declare function watchRun(
  outcome: typeof runOutcome,
  args: [sel: string | null, value: number | null, limitMs: number],
): Promise<[number, number] | { failed: string }>;
