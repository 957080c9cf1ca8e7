// `berth agent --client` in a process of its own, as a user runs it: for tests that kill the agent
// (SIGKILL) or watch it refuse to start.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

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
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@berth/source',
      'apps/cli/src/main.ts',
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
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid !== undefined && { uid: options.uid, gid: options.gid ?? options.uid }),
    },
  );
  let out = '';
  const collect = (chunk: Buffer) => (out += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (/berth node \S+ ready/.test(out)) resolve();
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`agent exited (${code ?? signal}) before it was ready: ${out}`)),
    );
  });
  // A test that expects the start to fail awaits `exited` instead.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => out };
}
