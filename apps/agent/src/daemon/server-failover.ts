// Calls to "the servers": one ts-rest client per server address, the current one tried first and
// the next ones in turn when it cannot be reached (Nomad's client rotates its server list the
// same way). An answer, even an error status, is final: only a failure to get one fails over.
// A server that accepts the connection but does not answer in time counts as unreachable, and a
// caller's abort ends the call at once, with no failover: a stopping agent never waits on a server.

/** A server's answer that was not a success; `status` 0 when no server could be reached. */
export class ServerCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Answer = { status: number; body: unknown };

/** The answer if it is a 200; otherwise a {@link ServerCallError} with its status and text. */
export function ok<T extends Answer>(answer: T): Extract<T, { status: 200 }> {
  if (answer.status !== 200) {
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    throw new ServerCallError(answer.status, (text ?? '').trim());
  }
  return answer as Extract<T, { status: 200 }>;
}

/**
 * Runs `run` on the current server's client, moving on to the next while none answers. `run`
 * gets the signal its request must carry: aborted when the caller's `signal` is, or when the
 * attempt has taken `timeoutMs` (then the next server is tried).
 */
export type ServerCall<C> = <T>(
  run: (client: C, signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
  timeoutMs?: number,
) => Promise<T>;

/** A {@link ServerCall} over `servers`, each given a client by `clientOf`. */
export function serverFailover<C>(
  servers: readonly string[],
  clientOf: (baseUrl: string) => C,
): ServerCall<C> {
  if (servers.length === 0) throw new Error('at least one server address is needed');
  const clients = servers.map((address) => clientOf(address.replace(/\/+$/, '')));
  let current = 0;
  return async (run, signal, timeoutMs) => {
    let lastError: unknown;
    for (let tried = 0; tried < clients.length; tried++) {
      // Not even one attempt once the caller gave up (a shutdown between two calls).
      signal?.throwIfAborted();
      const attempt = attemptSignal(signal, timeoutMs);
      try {
        return await run(clients[current]!, attempt.signal);
      } catch (error) {
        // A caller's abort is no server's fault: it ends the call, with no failover.
        if (error instanceof ServerCallError || signal?.aborted) throw error;
        lastError = attempt.timedOut()
          ? new Error(`${servers[current]} did not answer within ${timeoutMs} ms`)
          : error;
        current = (current + 1) % clients.length;
      } finally {
        attempt.dispose();
      }
    }
    throw new ServerCallError(0, `no server reachable: ${String(lastError)}`);
  };
}

/** One attempt's signal: the caller's, and a deadline of its own when `timeoutMs` is given. */
function attemptSignal(
  caller: AbortSignal | undefined,
  timeoutMs: number | undefined,
): { signal: AbortSignal; timedOut(): boolean; dispose(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
  // Forwarded by hand rather than AbortSignal.any: the caller's signal lives as long as the
  // agent, and each attempt's listener is removed as soon as the attempt ends.
  const forward = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', forward);
    },
  };
}
