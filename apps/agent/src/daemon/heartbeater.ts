// Nomad's client registerAndHeartbeat (client/client.go): register once, then heartbeat at half
// the TTL the server hands back. A server that does not know the node by its secret gets a new
// registration; failed calls are retried with a delay that doubles while they keep failing.
// Stopping aborts the call under way and any retry wait: a stop never waits on the servers.
import type { NodeRegistration } from '@berth/contract';
import type { ServerApi } from './server-api.js';
import { ServerCallError } from './server-failover.js';
import { delayUnlessStopped } from './stop-delay.js';

export interface HeartbeaterOptions {
  api: ServerApi;
  node: () => NodeRegistration;
  onError?(error: unknown): void;
  /**
   * An operator's token with `node:write` to register with (Nomad's introduction token): used
   * until a registration succeeds, and again after the servers refuse the node's own secret.
   * Without it the node registers with its SecretID, which re-registers a node they know.
   */
  registerToken?: string;
  /** Delay before retrying a failed call; doubled after each failure in a row. */
  retryMs?: number;
  /** The longest delay between retries (kept well under the servers' TTL plus grace). */
  maxRetryMs?: number;
}

/**
 * True when the servers answered a call made with the node's secret as if they did not know the
 * node: 404 `node not found` with ACLs off; 403 with ACLs on, where the secret of a node whose
 * record is gone names no one (the servers authenticate before they look the node up).
 */
export function nodeUnknown(error: unknown): boolean {
  return error instanceof ServerCallError && (error.status === 403 || error.status === 404);
}

export class Heartbeater {
  private timer: NodeJS.Timeout | undefined;
  /** Aborted by {@link stop}: ends the call under way and any retry wait. */
  private readonly stopping = new AbortController();
  private registered = false;
  /** The registration or heartbeat under way, if any (it schedules the next one itself). */
  private beating: Promise<unknown> | undefined;
  /** Failed calls in a row: the next retry waits `retryMs * 2^(failures - 1)`, capped. */
  private failures = 0;
  /** Whether the next registration presents `registerToken` rather than the node's secret. */
  private introduce = true;

  constructor(private readonly options: HeartbeaterOptions) {}

  /** Registers the node and heartbeats once; resolves when the node is ready. */
  async start(): Promise<void> {
    for (;;) {
      try {
        const ttlMs = await this.beatOnce();
        this.schedule(Math.max(50, ttlMs / 2));
        return;
      } catch (error) {
        // Stopped while registering: the abort is the stop's doing, not a failure to report.
        if (this.stopped) return;
        this.options.onError?.(error);
        await delayUnlessStopped(this.retryDelay(), this.stopping.signal);
        if (this.stopped) return;
      }
    }
  }

  /** Stops beating; aborts a call under way and resolves once it has ended (none is left behind). */
  stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
    // Only its end is awaited: its failure, if any, is reported by the loop that made the call.
    return (this.beating ?? Promise.resolve()).then(
      () => {},
      () => {},
    );
  }

  /**
   * Another call made with the node's secret (the allocations long-poll) was answered as if the
   * servers did not know the node ({@link nodeUnknown}): register again at the next beat, which
   * is brought forward to the retry delay instead of half a TTL away. A registration already
   * due is left to its own, backed-off, retries.
   */
  registerAgain(error: unknown): void {
    if (this.stopped || !this.registered) return;
    this.forget(error);
    // A beat under way schedules the next one when it ends, at the retry delay (see run()).
    if (this.beating !== undefined || this.timer === undefined) return;
    this.schedule(this.retryDelay());
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Registers if needed, then heartbeats; answers the TTL the servers gave. */
  private async beatOnce(): Promise<number> {
    const beat = this.beat();
    this.beating = beat;
    try {
      const ttlMs = await beat;
      this.failures = 0;
      return ttlMs;
    } catch (error) {
      this.failures += 1;
      throw error;
    } finally {
      this.beating = undefined;
    }
  }

  private async beat(): Promise<number> {
    const { api } = this.options;
    const node = this.options.node();
    const call = { signal: this.stopping.signal };
    if (!this.registered) {
      const intro = this.options.registerToken;
      const useIntro = intro !== undefined && intro !== '' && this.introduce;
      try {
        await api.register(node, useIntro ? intro : node.SecretID, call);
      } catch (error) {
        // Refused: the other credential may be the one that works (an expired introduction
        // token for a node the servers know, or a secret the servers no longer know).
        if (error instanceof ServerCallError && error.status === 403) this.introduce = !useIntro;
        throw error;
      }
      this.registered = true;
      // Registered once: the node's secret re-registers it from now on, as in Nomad.
      this.introduce = false;
    }
    try {
      const { heartbeatTTLMs } = await api.heartbeat(node.ID, node.SecretID, call);
      return heartbeatTTLMs;
    } catch (error) {
      // The servers forgot the node (a fresh state, or its record deleted): register again.
      // Anything else (no server reachable, a fault) is retried as a heartbeat.
      if (nodeUnknown(error)) this.forget(error);
      throw error;
    }
  }

  /** The node must register again; a refused secret means the operator's token goes first. */
  private forget(error: unknown): void {
    this.registered = false;
    if (error instanceof ServerCallError && error.status === 403) this.introduce = true;
  }

  private retryDelay(): number {
    const base = this.options.retryMs ?? 500;
    const doublings = Math.min(Math.max(this.failures - 1, 0), 16);
    return Math.min(base * 2 ** doublings, this.options.maxRetryMs ?? 5000);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    this.timer = setTimeout(() => this.run(), delayMs);
  }

  private run(): void {
    this.timer = undefined;
    this.beatOnce().then(
      // Told to register again while the heartbeat was under way: do so soon.
      (ttlMs) => this.schedule(this.registered ? Math.max(50, ttlMs / 2) : this.retryDelay()),
      (error: unknown) => {
        // Aborted by stop(): nothing failed, and nothing is scheduled again.
        if (this.stopped) return;
        this.options.onError?.(error);
        this.schedule(this.retryDelay());
      },
    );
  }
}
