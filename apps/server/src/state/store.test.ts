import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStateStore, type StateStore } from './index.js';
import { alloc, evaluation, job, node, uuid } from './test-support/fixtures.js';

let store: StateStore;

beforeEach(() => {
  store = openStateStore({ inMemory: true, freeze: true });
});

afterEach(() => {
  store.close();
});

describe('indexes', () => {
  it('creates the default namespace at first start', () => {
    expect(store.namespaceByName('default')).toMatchObject({ Name: 'default', CreateIndex: 1 });
    expect(store.latestIndex()).toBe(1);
    expect(store.tableIndex('namespaces')).toBe(1);
    expect(store.tableIndex('allocs')).toBe(0);
  });

  it('gives every write the next index and remembers each table’s last write', async () => {
    const a = await store.write((tx) => tx.upsertAlloc(alloc({ CreateIndex: tx.index })));
    const b = await store.write((tx) => tx.upsertEval(evaluation()));
    const c = await store.write((tx) => tx.upsertNode(node()));
    expect([a, b, c]).toEqual([2, 3, 4]);
    expect(store.latestIndex()).toBe(4);
    expect(store.tableIndex('allocs')).toBe(2);
    expect(store.tableIndex('evals')).toBe(3);
    expect(store.tableIndex('nodes')).toBe(4);
    // The alloc's job version was recorded in the same write.
    expect(store.tableIndex('job_versions')).toBe(2);
    expect(store.tableIndex('jobs')).toBe(0);
  });

  it('passes the index being assigned to the transaction', async () => {
    const id = uuid();
    const index = await store.write((tx) =>
      tx.upsertAlloc(alloc({ ID: id, CreateIndex: tx.index, ModifyIndex: tx.index })),
    );
    expect(store.allocByID(id)).toMatchObject({ CreateIndex: index, ModifyIndex: index });
  });

  it('runs concurrent writes one after another, each seeing the previous', async () => {
    const id = uuid();
    await store.write((tx) => tx.upsertAlloc(alloc({ ID: id, AllocModifyIndex: 0 })));
    const bump = () =>
      store.write((tx) => {
        const current = tx.alloc(id)!;
        tx.upsertAlloc({ ...current, AllocModifyIndex: current.AllocModifyIndex + 1 });
      });
    const indexes = await Promise.all([bump(), bump(), bump()]);
    expect(new Set(indexes).size).toBe(3);
    expect(store.allocByID(id)?.AllocModifyIndex).toBe(3);
  });

  it('does not use an index when the write function throws', async () => {
    const before = store.latestIndex();
    await expect(
      store.write((tx) => {
        tx.upsertAlloc(alloc());
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(store.latestIndex()).toBe(before);
    expect(store.allocsByNamespace('*')).toEqual([]);
    expect(await store.write((tx) => tx.upsertNode(node()))).toBe(before + 1);
  });
});

describe('allocation lists', () => {
  // One alloc per write, like the spec's examples: namespace `other` at the second write, and
  // two allocs (IDs out of order) sharing one write.
  async function seed() {
    const ids = {
      a: uuid('aaaa1111'),
      b: uuid('aaaaaa22'),
      other: uuid('aaaaaa33'),
      c2: uuid('cccc0002'),
      c1: uuid('cccc0001'),
      d: uuid('dddd0000'),
    };
    const otherJob = job({ Namespace: 'other' });
    const put = (id: string, overrides = {}) =>
      store.write((tx) =>
        tx.upsertAlloc(
          alloc({ ID: id, CreateIndex: tx.index, ModifyIndex: tx.index, ...overrides }),
        ),
      );
    await put(ids.a);
    await put(ids.other, { Job: otherJob });
    await put(ids.b);
    await store.write((tx) => {
      for (const id of [ids.c2, ids.c1]) tx.upsertAlloc(alloc({ ID: id, CreateIndex: tx.index }));
    });
    await put(ids.d);
    return ids;
  }

  it('orders a namespace by CreateIndex then ID, and reverses', async () => {
    const ids = await seed();
    const list = store.allocsByNamespace('default').map((a) => a.ID);
    expect(list).toEqual([ids.a, ids.b, ids.c1, ids.c2, ids.d]);
    expect(store.allocsByNamespace('default', { reverse: true }).map((a) => a.ID)).toEqual(
      [...list].reverse(),
    );
    expect(store.allocsByNamespace('other').map((a) => a.ID)).toEqual([ids.other]);
    expect(store.allocsByNamespace('nope')).toEqual([]);
  });

  it('orders all namespaces by CreateIndex then ID', async () => {
    const ids = await seed();
    const all = [ids.a, ids.other, ids.b, ids.c1, ids.c2, ids.d];
    expect(store.allocsByNamespace('*').map((a) => a.ID)).toEqual(all);
    expect(store.allocsByNamespace('*', { reverse: true }).map((a) => a.ID)).toEqual(
      [...all].reverse(),
    );
  });

  it('never moves an allocation when it is updated', async () => {
    const ids = await seed();
    const before = store.allocsByNamespace('default').map((a) => a.ID);
    await store.write((tx) => {
      tx.upsertAlloc({ ...tx.alloc(ids.a)!, ClientStatus: 'running', ModifyIndex: tx.index });
    });
    expect(store.allocsByNamespace('default').map((a) => a.ID)).toEqual(before);
    expect(store.allocByID(ids.a)?.ClientStatus).toBe('running');
  });

  it('resumes at a CreateIndex and ID (a pagination token)', async () => {
    const ids = await seed();
    const c = store.allocByID(ids.c1)!.CreateIndex;
    expect(
      store.allocsByNamespace('default', { from: { createIndex: c, id: ids.c2 } }).map((a) => a.ID),
    ).toEqual([ids.c2, ids.d]);
    expect(
      store
        .allocsByNamespace('default', { from: { createIndex: c, id: ids.c1 }, reverse: true })
        .map((a) => a.ID),
    ).toEqual([ids.c1, ids.b, ids.a]);
    // A token between allocations resumes at the next one.
    expect(
      store.allocsByNamespace('*', { from: { createIndex: c - 1, id: 'ffff' } }).map((a) => a.ID),
    ).toEqual([ids.c1, ids.c2, ids.d]);
  });

  it('scans ID prefixes in ID order, in one or all namespaces', async () => {
    const ids = await seed();
    expect(store.allocsByIDPrefix('aaaa').map((a) => a.ID)).toEqual([ids.a, ids.b, ids.other]);
    expect(store.allocsByIDPrefix('aaaa', { namespace: 'default' }).map((a) => a.ID)).toEqual([
      ids.a,
      ids.b,
    ]);
    expect(
      store.allocsByIDPrefix('aaaa', { namespace: '*', reverse: true }).map((a) => a.ID),
    ).toEqual([ids.other, ids.b, ids.a]);
    expect(store.allocsByIDPrefix('aaaaaa', { from: ids.other }).map((a) => a.ID)).toEqual([
      ids.other,
    ]);
    expect(store.allocsByIDPrefix('cccc0001-').map((a) => a.ID)).toEqual([ids.c1]);
    expect(store.allocsByIDPrefix(ids.d).map((a) => a.ID)).toEqual([ids.d]);
    expect(store.allocsByIDPrefix('ee')).toEqual([]);
    expect(store.allocsByIDPrefix('')).toHaveLength(6);
  });

  it('finds allocations by job, node and eval', async () => {
    const n = uuid();
    const e = uuid();
    const web = alloc({ NodeID: n, EvalID: e });
    const api = alloc({ Job: job({ ID: 'api' }), NodeID: n });
    await store.write((tx) => {
      tx.upsertAlloc(web);
      tx.upsertAlloc(api);
    });
    expect(store.allocsByJob('default', 'web').map((a) => a.ID)).toEqual([web.ID]);
    expect(store.allocsByJob('other', 'web')).toEqual([]);
    expect(
      store
        .allocsByNode(n)
        .map((a) => a.ID)
        .sort(),
    ).toEqual([web.ID, api.ID].sort());
    expect(store.allocsByEval(e).map((a) => a.ID)).toEqual([web.ID]);
  });

  it('deletes allocations from every index', async () => {
    const a = alloc({ NodeID: 'n1', EvalID: 'e1' });
    await store.write((tx) => tx.upsertAlloc(a));
    const index = await store.write((tx) => tx.deleteAlloc(a.ID));
    expect(store.allocByID(a.ID)).toBeUndefined();
    expect(store.allocsByNamespace('*')).toEqual([]);
    expect(store.allocsByIDPrefix('')).toEqual([]);
    expect(store.allocsByJob('default', 'web')).toEqual([]);
    expect(store.allocsByNode('n1')).toEqual([]);
    expect(store.allocsByEval('e1')).toEqual([]);
    expect(store.tableIndex('allocs')).toBe(index);
  });
});

describe('objects', () => {
  it('hands out objects that later writes never change', async () => {
    const a = alloc();
    await store.write((tx) => tx.upsertAlloc(a));
    const seen = store.allocByID(a.ID)!;
    await store.write((tx) => tx.upsertAlloc({ ...seen, ClientStatus: 'failed' }));
    expect(seen.ClientStatus).toBe('pending');
    expect(store.allocByID(a.ID)?.ClientStatus).toBe('failed');
    expect(Object.isFrozen(seen)).toBe(true);
    expect(() => {
      (seen as { ClientStatus: string }).ClientStatus = 'x';
    }).toThrow();
  });

  it('shares one Job object between all allocations of a job version', async () => {
    const v0 = job({ Version: 0 });
    const v1 = job({ Version: 1, Priority: 70 });
    await store.write((tx) => tx.upsertJob(v0));
    const first = alloc({ Job: job({ Version: 0 }) }); // an equal copy, not the stored object
    const second = alloc({ Job: job({ Version: 0 }) });
    await store.write((tx) => {
      tx.upsertAlloc(first);
      tx.upsertAlloc(second);
    });
    await store.write((tx) => tx.upsertJob(v1));
    const third = alloc({ Job: v1 });
    await store.write((tx) => tx.upsertAlloc(third));

    const stored = store.jobVersion('default', 'web', 0)!;
    expect(store.allocByID(first.ID)?.Job).toBe(stored);
    expect(store.allocByID(second.ID)?.Job).toBe(stored);
    expect(store.allocByID(third.ID)?.Job).toBe(store.jobVersion('default', 'web', 1));
    expect(store.jobByID('default', 'web')).toBe(store.jobVersion('default', 'web', 1));
    expect(store.jobVersions('default', 'web').map((j) => j.Version)).toEqual([1, 0]);
  });

  it('relinks allocations when their job version object is replaced', async () => {
    await store.write((tx) => tx.upsertJob(job()));
    const a = alloc();
    await store.write((tx) => tx.upsertAlloc(a));
    const allocsIndex = store.tableIndex('allocs');
    await store.write((tx) =>
      tx.upsertJobVersion({ ...tx.jobVersion('default', 'web', 0)!, Stable: true }),
    );
    const version = store.jobVersion('default', 'web', 0)!;
    expect(version.Stable).toBe(true);
    expect(store.allocByID(a.ID)?.Job).toBe(version);
    expect(store.tableIndex('allocs')).toBe(allocsIndex);
  });

  it('refuses to delete a job version an allocation links to', async () => {
    const a = alloc();
    await store.write((tx) => tx.upsertAlloc(a));
    await expect(store.write((tx) => tx.deleteJobVersion('default', 'web', 0))).rejects.toThrow(
      /still used by allocation/,
    );
    await store.write((tx) => {
      tx.deleteAlloc(a.ID);
      tx.deleteJobVersion('default', 'web', 0);
    });
    expect(store.jobVersion('default', 'web', 0)).toBeUndefined();
  });

  it('refuses an allocation whose Job is another job', async () => {
    await expect(
      store.write((tx) => tx.upsertAlloc(alloc({ JobID: 'api', Job: job({ ID: 'web' }) }))),
    ).rejects.toThrow(/JobID api/);
  });

  it('keeps jobs, evals, nodes and namespaces', async () => {
    const e = evaluation({ JobID: 'web' });
    const n2 = node({ ID: uuid('bbbb') });
    const n1 = node({ ID: uuid('aaaa') });
    await store.write((tx) => {
      tx.upsertJob(job({ ID: 'web' }));
      tx.upsertJob(job({ ID: 'api' }));
      tx.upsertJob(job({ ID: 'db', Namespace: 'other' }));
      tx.upsertEval(e);
      tx.upsertNode(n2);
      tx.upsertNode(n1);
      tx.upsertNamespace({
        ...store.namespaceByName('default')!,
        Name: 'other',
        CreateIndex: tx.index,
      });
    });
    expect(store.jobs('default').map((j) => j.ID)).toEqual(['api', 'web']);
    expect(store.jobs('*').map((j) => `${j.Namespace}/${j.ID}`)).toEqual([
      'default/api',
      'default/web',
      'other/db',
    ]);
    expect(store.evalByID(e.ID)).toEqual(e);
    expect(store.evalsByJob('default', 'web')).toEqual([e]);
    expect(store.nodes().map((n) => n.ID)).toEqual([n1.ID, n2.ID]);
    expect(store.nodeByID(n2.ID)).toEqual(n2);
    expect(store.namespaces().map((n) => n.Name)).toEqual(['default', 'other']);
    await expect(store.write((tx) => tx.deleteNamespace('default'))).rejects.toThrow();
  });
});
