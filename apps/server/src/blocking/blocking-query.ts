// Nomad's blocking queries (nomad/rpc.go blockingRPC): a read with `index` > 0 waits until what it
// read changes past that index, or until its wait time runs out, and then answers with the newest
// result.
//
//        ┌──────────────────────────────────────────────┐
//        ▼                                              │ something it read changed
//   run the query ── index > minIndex? ── yes ──► answer │
//                         │ no                          │
//                         ▼                             │
//             wait on the watch set ────────────────────┘
//                         │ deadline (wait + jitter) or caller gone
//                         ▼
//                answer the latest result
//
// A query that serves a caller authorises it inside `query` (`ctx.acl.resolve(token, ws)`), so
// every run re-checks the token: a revoked or expired token, or a narrowed policy, ends the loop
// with its 403 or shows less, and with the token and its policies in the watch set, a change to
// them wakes the query too. An error thrown by `query` ends the loop at once.
import type { StateStore, WatchSet } from '../state/index.js';

/** Nomad's MaxBlockingRPCQueryTime and DefaultBlockingRPCQueryTime: 300 s. */
export const MAX_BLOCKING_MS = 300_000;
/** The jitter added is below blockTime / 16 (Nomad's JitterFraction). */
const JITTER_FRACTION = 16;

/** How long a blocking query may wait: `wait` clamped to (0, 300 s], default 300 s, plus jitter. */
export function blockingTimeMs(waitMs: number | undefined, random = Math.random): number {
  const base =
    waitMs === undefined || waitMs <= 0 ? MAX_BLOCKING_MS : Math.min(waitMs, MAX_BLOCKING_MS);
  return base + Math.floor(random() * (base / JITTER_FRACTION));
}

// A fixed abort reason: aborting without one builds a DOMException, stack and all, every time.
const DEADLINE = new Error('blocking query ended');

/** The blocking part of a read's query options. */
export interface BlockingOptions {
  /** Answer only once the result's index exceeds this (0: answer at once). */
  minIndex: number;
  /** The caller's `wait`, in milliseconds. */
  waitMs?: number;
  /** Aborted when the caller goes away: the query stops waiting. */
  signal?: AbortSignal;
}

/**
 * Runs `query` against the store until its result's index exceeds `minIndex`, waiting on exactly
 * the watch set the query filled. The query must run synchronously, so it reads one consistent
 * state.
 */
export async function blockingQuery<T extends { index: number }>(
  store: StateStore,
  options: BlockingOptions,
  query: (ws: WatchSet) => T,
): Promise<T> {
  let ws = store.newWatchSet();
  let readAt = store.latestIndex();
  let result = query(ws);
  if (options.minIndex <= 0 || result.index > options.minIndex) return result;

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(DEADLINE), blockingTimeMs(options.waitMs));
  const stop = () => deadline.abort(DEADLINE);
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    while (result.index <= options.minIndex) {
      // False when the deadline passed, the caller went away or the store closed.
      if (!(await store.waitForChange(ws, readAt, deadline.signal))) break;
      ws = store.newWatchSet();
      readAt = store.latestIndex();
      result = query(ws);
    }
    return result;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}
