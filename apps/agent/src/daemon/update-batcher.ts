// Nomad's client allocSync (client/client.go): allocation updates are collected and sent to the
// servers in batches; a failed send is retried with backoff and nothing is dropped — only the
// latest state of each allocation is kept until it is delivered. Closing aborts a send under way.
import type { ClientAllocUpdate } from './server-api.js';

export interface UpdateBatcherOptions {
  /** Delivers a batch; must end promptly once `signal` is aborted (the batcher closing). */
  send(updates: ClientAllocUpdate[], signal: AbortSignal): Promise<void>;
  /** How often pending updates are sent (Nomad: 200 ms). */
  intervalMs?: number;
  /** Backoff after a failed send, doubled up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onError?(error: unknown): void;
}

export class UpdateBatcher {
  private pending = new Map<string, ClientAllocUpdate>();
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private backoffMs = 0;
  /** Aborted by {@link close}: ends a send under way. */
  private readonly closing = new AbortController();
  private idle: (() => void)[] = [];

  constructor(private readonly options: UpdateBatcherOptions) {}

  /** Queues an allocation's state; a later one for the same allocation replaces it. */
  push(update: ClientAllocUpdate): void {
    if (this.closed) return;
    this.pending.set(update.ID, update);
    this.schedule(this.options.intervalMs ?? 200);
  }

  /** Resolves once everything queued so far has been delivered, or the batcher is closed. */
  flushed(): Promise<void> {
    if (this.closed || (this.pending.size === 0 && this.sending === undefined)) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Stops sending and aborts a send under way; whatever is still pending is given up (the state
   * is re-read on restart). Resolves once the send under way, if any, has ended.
   */
  close(): Promise<void> {
    this.closing.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const resolve of this.idle.splice(0)) resolve();
    return this.sending ?? Promise.resolve();
  }

  private get closed(): boolean {
    return this.closing.signal.aborted;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.sending !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sending = this.sendPending().finally(() => {
        this.sending = undefined;
        if (this.pending.size > 0)
          this.schedule(this.backoffMs || (this.options.intervalMs ?? 200));
        else for (const resolve of this.idle.splice(0)) resolve();
      });
    }, delayMs);
    this.timer.unref();
  }

  private async sendPending(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    try {
      await this.options.send(batch, this.closing.signal);
      this.backoffMs = 0;
    } catch (error) {
      // Aborted by close(): the batch is given up with the rest, as close() says.
      if (this.closed) return;
      this.options.onError?.(error);
      // Put back what was not delivered, unless a newer state arrived meanwhile.
      for (const update of batch)
        if (!this.pending.has(update.ID)) this.pending.set(update.ID, update);
      const min = this.options.minBackoffMs ?? 250;
      this.backoffMs = Math.min(
        Math.max(min, this.backoffMs * 2),
        this.options.maxBackoffMs ?? 5000,
      );
    }
  }
}
