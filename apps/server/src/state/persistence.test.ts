import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStateStore, STATE_DB_FILE, StateStore } from './index.js';
import { SqliteBackend } from './sqlite/backend.js';
import { alloc, evaluation, job, node, tempDir } from './test-support/fixtures.js';

let dir: string;
let remove: () => void;
const open: StateStore[] = [];

function openDir(): StateStore {
  const store = openStateStore({ dataDir: dir, freeze: true });
  open.push(store);
  return store;
}

beforeEach(() => {
  ({ dir, remove } = tempDir());
});

afterEach(() => {
  for (const store of open.splice(0)) store.close();
  remove();
});

describe('SQLite persistence', () => {
  it('restores every table, the indexes and the shared job objects on reopen', async () => {
    const first = openDir();
    const v0 = job({ Version: 0 });
    const v1 = job({ Version: 1, Priority: 80 });
    const allocs = [alloc({ Job: v0 }), alloc({ Job: v0 }), alloc({ Job: v1 })];
    const e = evaluation();
    const n = node();
    await first.write((tx) => tx.upsertJob(v0));
    await first.write((tx) => {
      tx.upsertJob(v1);
      for (const a of allocs) tx.upsertAlloc({ ...a, CreateIndex: tx.index });
    });
    await first.write((tx) => tx.upsertEval(e));
    await first.write((tx) => tx.upsertNode(n));
    const gone = alloc();
    await first.write((tx) => tx.upsertAlloc(gone));
    await first.write((tx) => tx.deleteAlloc(gone.ID));
    const snapshot = {
      latest: first.latestIndex(),
      tables: (['allocs', 'evals', 'jobs', 'job_versions', 'nodes', 'namespaces'] as const).map(
        (t) => first.tableIndex(t),
      ),
      allocs: first.allocsByNamespace('*'),
      jobs: first.jobs('*'),
      versions: first.jobVersions('default', 'web'),
    };
    first.close();

    const second = openDir();
    expect(second.latestIndex()).toBe(snapshot.latest);
    expect(
      (['allocs', 'evals', 'jobs', 'job_versions', 'nodes', 'namespaces'] as const).map((t) =>
        second.tableIndex(t),
      ),
    ).toEqual(snapshot.tables);
    expect(second.allocsByNamespace('*')).toEqual(snapshot.allocs);
    expect(second.allocByID(gone.ID)).toBeUndefined();
    expect(second.jobs('*')).toEqual(snapshot.jobs);
    expect(second.jobVersions('default', 'web')).toEqual(snapshot.versions);
    expect(second.evalByID(e.ID)).toEqual(e);
    expect(second.nodeByID(n.ID)).toEqual(n);
    expect(second.namespaces().map((ns) => ns.Name)).toEqual(['default']);
    expect(second.namespaceByName('default')?.CreateIndex).toBe(1);

    // One Job object per version, shared by its allocations and by the current job.
    const [a0, a1, a2] = allocs.map((a) => second.allocByID(a.ID)!);
    expect(a0!.Job).toBe(second.jobVersion('default', 'web', 0));
    expect(a1!.Job).toBe(a0!.Job);
    expect(a2!.Job).toBe(second.jobVersion('default', 'web', 1));
    expect(second.jobByID('default', 'web')).toBe(second.jobVersion('default', 'web', 1));

    // Writes continue from the restored index.
    expect(await second.write((tx) => tx.upsertNode(node()))).toBe(snapshot.latest + 1);
  });

  it('stores allocations without their Job', async () => {
    const store = openDir();
    const a = alloc();
    await store.write((tx) => tx.upsertAlloc(a));
    const db = new Database(join(dir, STATE_DB_FILE), { readonly: true });
    try {
      const row = db.prepare('SELECT job_version, doc FROM allocs WHERE id = ?').get(a.ID) as {
        job_version: number;
        doc: string;
      };
      expect(row.job_version).toBe(0);
      expect(JSON.parse(row.doc)).toMatchObject({ ID: a.ID, Job: null });
    } finally {
      db.close();
    }
  });

  it('uses WAL, full sync, and records the schema version', () => {
    openDir();
    const db = new Database(join(dir, STATE_DB_FILE), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
        value: 1,
      });
    } finally {
      db.close();
    }
  });

  it('leaves memory and disk untouched when the commit fails', async () => {
    const store = openDir();
    const kept = alloc();
    await store.write((tx) => tx.upsertAlloc(kept));
    const latest = store.latestIndex();
    const allocsIndex = store.tableIndex('allocs');

    // Make the database refuse the second statement of the next transaction.
    const db = new Database(join(dir, STATE_DB_FILE));
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON evals WHEN NEW.id = 'refused'
             BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    db.close();

    const lost = alloc();
    const ws = store.newWatchSet();
    store.allocsByNamespace('*', {}, ws);
    const woken = store.waitForChange(ws, store.latestIndex(), AbortSignal.timeout(200));
    await expect(
      store.write((tx) => {
        tx.upsertAlloc(lost);
        tx.upsertAlloc({ ...kept, ClientStatus: 'failed' });
        tx.upsertEval(evaluation({ ID: 'refused' }));
      }),
    ).rejects.toThrow('refused by test');

    expect(store.latestIndex()).toBe(latest);
    expect(store.tableIndex('allocs')).toBe(allocsIndex);
    expect(store.allocByID(lost.ID)).toBeUndefined();
    expect(store.allocByID(kept.ID)?.ClientStatus).toBe('pending');
    expect(store.allocsByNamespace('*').map((a) => a.ID)).toEqual([kept.ID]);
    expect(await woken).toBe(false); // nobody was woken: only the timeout ended the wait

    // The next write gets the index the failed one would have had.
    expect(await store.write((tx) => tx.upsertNode(node()))).toBe(latest + 1);
    store.close();
    const reopened = openDir();
    expect(reopened.allocByID(lost.ID)).toBeUndefined();
    expect(reopened.allocByID(kept.ID)?.ClientStatus).toBe('pending');
    expect(reopened.latestIndex()).toBe(latest + 1);
  });

  it('opens through the generic backend interface too', async () => {
    const store = await StateStore.open(new SqliteBackend(':memory:'));
    open.push(store);
    expect(store.namespaceByName('default')).toBeDefined();
    expect(store.latestIndex()).toBe(1);
  });
});
