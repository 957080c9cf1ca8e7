// Waiting in tests for what the scheduling loop does in the background: resolves at the first
// commit after which `predicate` holds (at once if it already does). Never polls, never times
// out by itself (the test's timeout does).
import type { StateStore } from '../state/index.js';

export function waitForState(store: StateStore, predicate: () => boolean): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve) => {
    const off = store.onCommit(() => {
      if (!predicate()) return;
      off();
      resolve();
    });
  });
}
