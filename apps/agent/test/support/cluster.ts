// A real berth server (port 0, SQLite in a temporary directory) and node agents on loopback, for
// end-to-end tests; everything they start is stopped and removed by `close()`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Allocation, Job } from '@berth/contract';
import { startServer, type RunningServer } from '@berth/server';
import { startAgent, type AgentConfig, type RunningAgent } from '../../src/agent.js';
import type { Driver } from '../../src/drivers/driver.js';

export const RECORDER = fileURLToPath(new URL('./signal-recorder.mjs', import.meta.url));

/** Only what registration needs of a driver: its fingerprint. */
export function fingerprintOnly(name: string): Driver {
  const fail = () => Promise.reject(new Error(`${name}: fingerprint-only test driver`));
  return {
    name,
    fingerprint: () => ({
      detected: true,
      healthy: true,
      healthDescription: 'Healthy',
      attributes: {},
    }),
    startTask: fail,
    waitTask: fail,
    signalTask: fail,
    stopTask: fail,
    recoverTask: () => Promise.resolve(false),
  };
}

/** Polls `read` until `done` holds for its value (gives up after `timeoutMs`). */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Lines of a file, [] while it does not exist. */
export function lines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** A service job whose one task runs the signal recorder. */
export function recorderJob(id: string, count = 1): Partial<Job> {
  return {
    ID: id,
    Name: id,
    Type: 'service',
    Datacenters: ['dc1'],
    TaskGroups: [
      {
        Name: 'app',
        Count: count,
        // No restarts after an exit: a runner left behind by a stopped agent must not start a
        // task again once the test has killed it.
        RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: 'fail' },
        Tasks: [
          {
            Name: 'recorder',
            Driver: 'raw_exec',
            Config: { command: process.execPath, args: [RECORDER] },
            Resources: { CPU: 10, MemoryMB: 10 },
            KillTimeout: 2e9,
          },
        ],
      },
    ],
  } as unknown as Partial<Job>;
}

export interface Cluster {
  server: RunningServer;
  root: string;
  agents: RunningAgent[];
  startAgent(name: string, overrides?: Partial<AgentConfig>): Promise<RunningAgent>;
  /** Calls the server's HTTP API; throws on a non-2xx answer. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  allocsOf(jobID: string): Promise<Allocation[]>;
  close(): Promise<void>;
}

export async function startCluster(
  agentDefaults: Partial<AgentConfig>,
  serverConfig: Parameters<typeof startServer>[0] = {},
): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
  const server = await startServer({ httpPort: 0, dataDir: join(root, 'server'), ...serverConfig });
  const agents: RunningAgent[] = [];
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(server.address + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    server,
    root,
    agents,
    async startAgent(name, overrides = {}) {
      const agent = await startAgent({
        servers: [server.address],
        dataDir: join(root, name),
        nodeName: name,
        pollWaitMs: 5_000,
        ...agentDefaults,
        ...overrides,
      });
      agents.push(agent);
      return agent;
    },
    api,
    allocsOf: (jobID) => api<Allocation[]>('GET', `/v1/job/${jobID}/allocations`),
    async close() {
      const failures: unknown[] = [];
      for (const agent of agents)
        await agent.close().catch((error: unknown) => failures.push(error));
      // A stopping agent leaves its tasks running on purpose: kill what the tasks wrote down, once
      // no agent is left to start or restart one.
      killRecorded(recordedPidFiles(root));
      await server.close();
      rmSync(root, { recursive: true, force: true });
      // Everything is stopped first; then an agent that failed to close fails the test.
      if (failures.length > 0) throw new AggregateError(failures, 'an agent failed to close');
    },
  };
}

/** The `pids` files the tasks wrote under `root` (the recorder and the e2e jobspecs write them). */
export function recordedPidFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('pids'))
    .map((f) => join(root, f));
}

/** Kills every process group whose leader pid is listed in one of `pidFiles`. */
export function killRecorded(pidFiles: string[]): void {
  for (const file of pidFiles) {
    for (const line of lines(file)) {
      // The group (raw_exec makes each task a group leader), then the process itself.
      for (const target of [-Number(line), Number(line)]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  }
}
