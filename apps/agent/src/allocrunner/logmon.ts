// Starts the log monitor process of one task start (logmon-main.ts) and hands its two inputs to
// the driver, which gives them to the task as stdout and stderr.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TaskOutput } from '../drivers/driver.js';
import type { LogRotation } from './logger.js';

/** What the monitor is told: where, whose, and how to rotate. */
export interface LogmonSpec {
  dir: string;
  task: string;
  rotation: LogRotation;
}

// From source (tests, `tsx`) the entry is TypeScript and needs the same loader; built, plain JS.
const SELF = fileURLToPath(import.meta.url);
const FROM_SOURCE = SELF.endsWith('.ts');
const ENTRY = SELF.replace(/logmon\.(ts|js)$/, `logmon-main.$1`);

/**
 * Starts a monitor writing `<dir>/<task>.stdout.<n>` and `.stderr.<n>`. The caller passes the
 * returned streams to the task's process and then calls `release`, so the task (and what it
 * starts) holds the only write ends and the monitor ends when they are all closed; `written`
 * resolves then.
 */
export function startLogmon(spec: LogmonSpec): TaskOutput & { written: Promise<void> } {
  mkdirSync(spec.dir, { recursive: true });
  const child = spawn(
    process.execPath,
    [...(FROM_SOURCE ? ['--import', 'tsx'] : []), ENTRY, JSON.stringify(spec)],
    {
      // `tsx` resolves from the package the entry is in.
      cwd: dirname(ENTRY),
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'],
    },
  );
  child.unref();
  // Once it has exited, everything the task wrote is in the files.
  const written = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const stdout = child.stdio[3] as Socket;
  const stderr = child.stdio[4] as Socket;
  return {
    stdout,
    stderr,
    written,
    release: () => {
      stdout.destroy();
      stderr.destroy();
    },
  };
}
