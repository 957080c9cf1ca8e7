// A real `berth agent --server` process on a free loopback port, for tests that kill it.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** A started server process and the base URL it listens on. */
export interface ServerProcess {
  child: ChildProcess;
  address: string;
}

/** Resolves once the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `berth agent --server` on a free port over `dataDir` and resolves with its address once
 * it listens; `children` collects every process started, for the caller's cleanup.
 */
export function startServerProcess(
  dataDir: string,
  children: ChildProcess[],
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@berth/source',
      'apps/cli/src/main.ts',
      'agent',
      '--server',
      '--http-port',
      '0',
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let listening = false;
    const onExit = (code: number | null) =>
      reject(new Error(`server exited early (${code}): ${out}`));
    child.once('exit', onExit);
    // Read stdout to the end even once listening, so a chatty server never blocks on the pipe.
    child.stdout.on('data', (chunk: Buffer) => {
      if (listening) return;
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        listening = true;
        child.off('exit', onExit);
        resolve({ child, address: match[1]! });
      }
    });
  });
}
