// Calls to "the servers": one ts-rest client per server address, the current one tried first and
// the next ones in turn when it cannot be reached (Nomad's client rotates its server list the
// same way). An answer, even an error status, is final: only a failure to get one fails over.

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

/** Runs `run` on the current server's client, moving on to the next while none answers. */
export type ServerCall<C> = <T>(run: (client: C) => Promise<T>, signal?: AbortSignal) => Promise<T>;

/** A {@link ServerCall} over `servers`, each given a client by `clientOf`. */
export function serverFailover<C>(
  servers: readonly string[],
  clientOf: (baseUrl: string) => C,
): ServerCall<C> {
  if (servers.length === 0) throw new Error('at least one server address is needed');
  const clients = servers.map((address) => clientOf(address.replace(/\/+$/, '')));
  let current = 0;
  return async (run, signal) => {
    let lastError: unknown;
    for (let tried = 0; tried < clients.length; tried++) {
      try {
        return await run(clients[current]!);
      } catch (error) {
        // A caller's abort is no server's fault: it ends the call, with no failover.
        if (error instanceof ServerCallError || signal?.aborted) throw error;
        lastError = error;
        current = (current + 1) % clients.length;
      }
    }
    throw new ServerCallError(0, `no server reachable: ${String(lastError)}`);
  };
}
