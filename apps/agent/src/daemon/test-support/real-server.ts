// For the daemon's tests: a real berth server (loopback port, SQLite in a temporary directory),
// with ACLs on and bootstrapped or off, and a ServerApi over real HTTP that records each call the
// agent makes and how the server answered it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeRegistrationSchema, type NodeRegistration } from '@berth/contract';
import { startServer, type RunningServer, type ServerConfig } from '@berth/server';
import { httpServerApi } from '../http-server-api.js';
import type { ServerApi } from '../server-api.js';
import { ServerCallError } from '../server-failover.js';

export interface RealServer {
  server: RunningServer;
  /** A temporary directory removed on close (the server's state lives under it). */
  root: string;
  /** The management token (ACLs on), else ''. */
  management: string;
  /** Deletes the node's record from the server's state, as if the servers forgot it. */
  forgetNode(nodeID: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRealServer(
  config: Pick<ServerConfig, 'acl' | 'heartbeat'>,
): Promise<RealServer> {
  const root = mkdtempSync(join(tmpdir(), 'berth-daemon-'));
  const server = await startServer({ httpPort: 0, dataDir: join(root, 'server'), ...config });
  let management = '';
  if (config.acl === true) {
    const res = await fetch(`${server.address}/v1/acl/bootstrap`, { method: 'POST' });
    if (!res.ok) throw new Error(`ACL bootstrap: ${res.status} ${await res.text()}`);
    management = ((await res.json()) as { SecretID: string }).SecretID;
  }
  return {
    server,
    root,
    management,
    forgetNode: (nodeID) => server.store.write((tx) => tx.deleteNode(nodeID)).then(() => {}),
    async close() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** One call the agent made: which, with which token, and the status it got (0: unreachable). */
export interface RecordedCall {
  call: 'register' | 'heartbeat' | 'allocations' | 'updateAllocations';
  token: string;
  status: number;
  /** When it was answered (performance.now()). */
  at: number;
}

export interface RecordingApi {
  api: ServerApi;
  /** The calls the server answered, in order. */
  calls: RecordedCall[];
  /** The calls made and not ended yet (neither answered nor failed). */
  underWay(): RecordedCall['call'][];
}

/** A ServerApi over HTTP to `address` that records every call in `calls`. */
export function recordingApi(address: string): RecordingApi {
  const inner = httpServerApi([address]);
  const calls: RecordedCall[] = [];
  const open = new Set<{ call: RecordedCall['call'] }>();
  async function record<T>(
    call: RecordedCall['call'],
    token: string,
    run: () => Promise<T>,
  ): Promise<T> {
    const made = { call };
    open.add(made);
    try {
      const answer = await run();
      calls.push({ call, token, status: 200, at: performance.now() });
      return answer;
    } catch (error) {
      // Only the server's answers are recorded; an aborted long-poll is the agent's own doing.
      if (error instanceof ServerCallError) {
        calls.push({ call, token, status: error.status, at: performance.now() });
      }
      throw error;
    } finally {
      open.delete(made);
    }
  }
  return {
    calls,
    underWay: () => [...open].map((c) => c.call),
    api: {
      register: (node, token, options) =>
        record('register', token, () => inner.register(node, token, options)),
      heartbeat: (nodeID, secret, options) =>
        record('heartbeat', secret, () => inner.heartbeat(nodeID, secret, options)),
      allocations: (nodeID, secret, options) =>
        record('allocations', secret, () => inner.allocations(nodeID, secret, options)),
      updateAllocations: (nodeID, secret, updates, options) =>
        record('updateAllocations', secret, () =>
          inner.updateAllocations(nodeID, secret, updates, options),
        ),
      close: () => inner.close?.(),
    },
  };
}

/** Reads `read` until `done` holds (every 25 ms), or throws after `timeoutMs`. */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A node registration as the agent sends one, for tests that drive the heartbeater alone. */
export function testNode(): NodeRegistration {
  return NodeRegistrationSchema.parse({
    ID: crypto.randomUUID(),
    SecretID: crypto.randomUUID(),
    Name: 'heartbeater-test',
    Datacenter: 'dc1',
    NodePool: 'default',
    HTTPAddr: '127.0.0.1:1',
    // Nomad refuses a registration without attributes; these place nothing (no driver).
    Attributes: { 'kernel.name': 'linux' },
    Status: 'initializing',
  });
}
