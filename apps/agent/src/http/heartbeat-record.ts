// The client's heartbeat figures of `/v1/agent/self` (Nomad's `last_heartbeat` and
// `heartbeat_ttl`, which `nomad agent check` compares): noted as the daemon's heartbeats are
// answered, by wrapping the ServerApi it is given, so the daemon needs no knowledge of the API.
import type { ServerApi } from '../daemon/server-api.js';

export class HeartbeatRecord {
  /** When the last heartbeat was answered (ms since the epoch), if one was. */
  lastMs: number | undefined;
  /** The TTL the servers gave with it (ms); 0 before the first. */
  ttlMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** `api`, noting each answered heartbeat here. */
  wrap(api: ServerApi): ServerApi {
    // Every argument is passed on as it is, whatever the calls take.
    return {
      register: (...args) => api.register(...args),
      heartbeat: async (...args) => {
        const answer = await api.heartbeat(...args);
        this.lastMs = this.now();
        this.ttlMs = answer.heartbeatTTLMs;
        return answer;
      },
      allocations: (...args) => api.allocations(...args),
      updateAllocations: (...args) => api.updateAllocations(...args),
      // The daemon closes the API's own connections when it stops.
      close: () => api.close?.(),
    };
  }
}
