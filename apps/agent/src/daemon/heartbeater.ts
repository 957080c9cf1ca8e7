// Nomad's client registerAndHeartbeat (client/client.go): register once, then heartbeat at half
// the TTL the server hands back, retrying quickly while a server is unreachable.
import type { NodeRegistration } from '@berth/contract';
import type { ServerApi } from './server-api.js';
import { ServerCallError } from './server-failover.js';

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
  /** Delay before retrying a failed call. */
  retryMs?: number;
}

export class Heartbeater {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private registered = false;
  /** Whether the next registration presents `registerToken` rather than the node's secret. */
  private introduce = true;

  constructor(private readonly options: HeartbeaterOptions) {}

  /** Registers the node and heartbeats once; resolves when the node is ready. */
  async start(): Promise<void> {
    for (;;) {
      try {
        await this.beat();
        return;
      } catch (error) {
        this.options.onError?.(error);
        if (this.stopped) return;
        await new Promise((r) => setTimeout(r, this.options.retryMs ?? 500));
      }
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async beat(): Promise<void> {
    const { api } = this.options;
    const node = this.options.node();
    try {
      if (!this.registered) {
        const intro = this.options.registerToken;
        const useIntro = intro !== undefined && intro !== '' && this.introduce;
        try {
          await api.register(node, useIntro ? intro : node.SecretID);
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
      const { heartbeatTTLMs } = await api.heartbeat(node.ID, node.SecretID);
      this.next(Math.max(50, heartbeatTTLMs / 2));
    } catch (error) {
      // A server that forgot the node (e.g. a fresh state) needs a new registration.
      this.registered = false;
      throw error;
    }
  }

  private next(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beat().catch((error: unknown) => {
        this.options.onError?.(error);
        this.next(this.options.retryMs ?? 500);
      });
    }, delayMs);
  }
}
