// A real `berth agent --server` process on a free loopback port, for tests that kill it.
import type { ChildProcess } from 'node:child_process';
import { spawnBerth } from '@berth/test-support';

export { exited } from '@berth/test-support';

/** A started server process and the base URL it listens on. */
export interface ServerProcess {
  child: ChildProcess;
  address: string;
}

/**
 * Starts `berth agent --server` on a free port over `dataDir` and resolves with its address once
 * it listens; `children` collects every process started, for the caller's cleanup.
 */
export async function startServerProcess(
  dataDir: string,
  children: ChildProcess[],
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const { child, line } = spawnBerth(
    ['agent', '--server', '--http-port', '0', '--data-dir', dataDir, ...extraArgs],
    /listening on (http:\/\/\S+)/,
    { stderr: 'inherit' },
  );
  children.push(child);
  return { child, address: (await line)[1]! };
}
