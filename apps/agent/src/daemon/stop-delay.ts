// The daemon's retry and backoff waits: each ends early when the agent stops, so a shutdown never
// sits out a backoff of up to 5 s.

/** Resolves after `ms`, or as soon as `signal` is aborted (at once if it already is). */
export function delayUnlessStopped(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
