// Files the agent must find again after a crash: written whole or not at all (temporary file,
// fsync, rename, fsync of the directory), and read back with a clear error when they cannot be.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes `text` to `file` so that a crash at any moment leaves the old content or the new. */
export function writeFileDurably(file: string, text: string, mode = 0o600): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  // The rename itself is durable only once the directory is synced.
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** A state file the agent cannot use; the message names the file and what to do about it. */
export class UnreadableStateError extends Error {
  constructor(
    readonly file: string,
    what: string,
    consequence: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `cannot read ${what} from ${file}: ${reason}. Fix or remove the file; removing it ${consequence}.`,
      { cause },
    );
    this.name = 'UnreadableStateError';
  }
}

/** The file's text, or undefined when it does not exist; any other failure is thrown as it is. */
export function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
