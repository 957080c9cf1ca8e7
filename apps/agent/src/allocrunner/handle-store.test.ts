import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileHandleStore } from './handle-store.js';
import { newTaskState } from './task-events.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('file handle store', () => {
  it('keeps task handles and states across instances, per allocation, until removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-handles-'));
    dirs.push(dir);
    const id = '5e2e1b0c-1111-2222-3333-444455556666';
    const handle = {
      driver: 'raw_exec',
      taskName: 'web',
      startedAt: 'now',
      state: { pid: 42, startTime: '7' },
    };
    const first = new FileHandleStore(dir);
    first.save(id, 'web', { handle, state: newTaskState() });
    first.save(id, 'log', { handle: null, state: newTaskState() });

    const second = new FileHandleStore(dir);
    expect(second.allocIDs()).toEqual([id]);
    expect(second.load(id)['web']).toEqual({ handle, state: newTaskState() });
    expect(Object.keys(second.load(id))).toEqual(['web', 'log']);
    second.remove(id);
    expect(second.load(id)).toEqual({});
    expect(() =>
      second.save('../escape', 'web', { handle: null, state: newTaskState() }),
    ).toThrow();
  });
});
