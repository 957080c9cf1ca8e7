// A real `berth` process run from source, as a user runs the command, for tests that start, kill
// or restart it and wait for a line it prints (an address, a node ready).
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface SpawnBerthOptions {
  /** `collect` (the default) reads stderr into the output; `inherit` passes it to the test's own. */
  stderr?: 'collect' | 'inherit';
  /** Runs the process as this user and group (needs root). */
  uid?: number;
  gid?: number;
  /** Starts the process in a group of its own, so the test can kill the group. */
  detached?: boolean;
}

/** A started `berth` process. */
export interface BerthProcess {
  child: ChildProcess;
  /**
   * Resolves with the match of the first stdout line that matches the pattern; rejects with the
   * output so far if the process exits first. A test that expects the start to fail awaits
   * `exited(child)` instead.
   */
  line: Promise<RegExpExecArray>;
  /** What the process has written to stdout (and collected stderr) so far. */
  output: () => string;
}

/** Spawns `berth <args>` from the repository's source and watches its stdout for `pattern`. */
export function spawnBerth(
  args: readonly string[],
  pattern: RegExp,
  options: SpawnBerthOptions = {},
): BerthProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@berth/source', 'apps/cli/src/main.ts', ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', options.stderr === 'inherit' ? 'inherit' : 'pipe'],
      detached: options.detached ?? false,
      ...(options.uid !== undefined && { uid: options.uid, gid: options.gid ?? options.uid }),
    },
  );
  let out = '';
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const line = new Promise<RegExpExecArray>((resolve, reject) => {
    let matched = false;
    // Reads stdout to the end, also once matched, so a chatty process never blocks on the pipe.
    createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (text) => {
      out += `${text}\n`;
      const match = matched ? null : pattern.exec(text);
      if (match) {
        matched = true;
        resolve(match);
      }
    });
    // 'close' comes after the exit and the last output, so the message holds all of it.
    child.once('close', (code, signal) => {
      if (!matched) {
        reject(
          new Error(`berth ${args.join(' ')} exited (${code ?? signal}) before ${pattern}: ${out}`),
        );
      }
    });
  });
  // Marked handled here: a caller expecting a failed start never awaits `line`.
  line.catch(() => undefined);
  return { child, line, output: () => out };
}

/** Resolves with how the process ended once it has exited (at once if it already has). */
export function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
