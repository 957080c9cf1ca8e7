import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStateStore, STATE_DB_FILE } from '../index.js';
import { tempDir } from '../test-support/fixtures.js';
import { databaseFiles } from './file-mode.js';

let dir: string;
let remove: () => void;

beforeEach(() => {
  ({ dir, remove } = tempDir());
});

afterEach(() => remove());

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('state database file modes', () => {
  it('creates the database and its -wal and -shm files readable by their owner only', async () => {
    const store = openStateStore({ dataDir: dir });
    try {
      await store.write((tx) => tx.setAclBootstrapIndex(tx.index));
      const files = databaseFiles(join(dir, STATE_DB_FILE));
      expect(files.map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    } finally {
      store.close();
    }
  });

  it('narrows the files an older server left readable by others', () => {
    const files = databaseFiles(join(dir, STATE_DB_FILE));
    openStateStore({ dataDir: dir }).close();
    // A database made before this check, with wide modes and a leftover -wal and -shm.
    for (const file of files) {
      try {
        chmodSync(file, 0o644);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        writeFileSync(file, '', { mode: 0o644 });
        chmodSync(file, 0o644);
      }
    }
    expect(modeOf(files[0]!)).toBe(0o644);

    const store = openStateStore({ dataDir: dir });
    try {
      expect(files.map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    } finally {
      store.close();
    }
  });
});
