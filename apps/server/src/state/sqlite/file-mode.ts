// The state database holds secrets (ACL token and node SecretIDs), so its files are readable by
// their owner only. SQLite gives the -wal and -shm files it creates the database file's mode, so
// creating the database 0600 covers them; files left by an older server are narrowed on open.

import { chmodSync, closeSync, openSync } from 'node:fs';

/** The mode of the database, -wal and -shm files. */
export const STATE_FILE_MODE = 0o600;

/** The files SQLite keeps for the database at `filename`. */
export function databaseFiles(filename: string): string[] {
  return [filename, `${filename}-wal`, `${filename}-shm`];
}

/** Creates the database file owner-only if it does not exist yet (before SQLite opens it). */
export function createOwnerOnly(filename: string): void {
  // 'a' creates without truncating; the mode applies only when the file is created.
  closeSync(openSync(filename, 'a', STATE_FILE_MODE));
}

/** Narrows every existing database file to owner-only; a file that does not exist is skipped. */
export function restrictDatabaseFiles(filename: string): void {
  for (const file of databaseFiles(filename)) {
    try {
      chmodSync(file, STATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`state: cannot restrict the mode of ${file}`, { cause: error });
    }
  }
}
