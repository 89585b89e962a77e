export interface BackoffOptions {
  /** First retry delay (ms). */
  initialMs: number;
  /** Upper bound of the delay (ms). */
  maxMs: number;
  /** 0..1 share of the delay that is randomised, so many cameras do not reconnect in lock-step. */
  jitter?: number;
}

/** Exponential backoff: initial * 2^attempt, capped, with proportional jitter. `attempt` starts at 0. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  const jitter = options.jitter ?? 0.2;
  return Math.round(base * (1 - jitter + 2 * jitter * random()));
}

/** Resolves after `ms`, or early (without throwing) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
