// `berth agent --client` in a process of its own, as a user runs it: for tests that kill the agent
// (SIGKILL) or watch it refuse to start.
import type { ChildProcess } from 'node:child_process';
import { exited, spawnBerth } from '@berth/test-support';

export interface AgentProcess {
  child: ChildProcess;
  /** Resolves once the node is registered and ready; rejects if the process exits first. */
  ready: Promise<void>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process has written to stdout and stderr so far. */
  output(): string;
}

export interface AgentProcessOptions {
  server: string;
  dataDir: string;
  nodeName: string;
  /** Passes `--log`: the agent's errors go to its output. */
  log?: boolean;
  /** Runs the agent as this user and group (needs root). */
  uid?: number;
  gid?: number;
}

export function spawnAgentProcess(options: AgentProcessOptions): AgentProcess {
  const { child, line, output } = spawnBerth(
    [
      'agent',
      '--client',
      '--servers',
      options.server,
      '--http-port',
      '0',
      '--data-dir',
      options.dataDir,
      '--node-name',
      options.nodeName,
      ...(options.log ? ['--log'] : []),
    ],
    /berth node \S+ ready/,
    { uid: options.uid, gid: options.gid },
  );
  const ready = line.then(() => undefined);
  // A test that expects the start to fail awaits `exited` instead.
  ready.catch(() => undefined);
  return { child, ready, exited: exited(child), output };
}
