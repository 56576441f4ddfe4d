/** A task whose calls never overlap; see `coalesced`. */
export interface CoalescedTask<T> {
  /** Runs the task, or joins the run that will start when the current one ends. */
  run(): Promise<T>;
  /** Resolves once no run is under way or waiting. */
  idle(): Promise<void>;
}

/**
 * Wraps an async task (a reload) so that runs never overlap and a burst of
 * calls costs at most two runs: a call made while a run is under way does not
 * join it (that run may have read the file before the change the caller wants
 * applied) but shares the single run that follows it.
 */
export function coalesced<T>(task: () => Promise<T>): CoalescedTask<T> {
  let current: Promise<T> | undefined;
  let next: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const run = task().finally(() => {
      if (current === run) current = undefined;
    });
    current = run;
    return run;
  };
  return {
    run() {
      if (!current) return start();
      next ??= current
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return start();
        });
      return next;
    },
    async idle() {
      while (current || next) await (next ?? current)?.catch(() => undefined);
    },
  };
}
