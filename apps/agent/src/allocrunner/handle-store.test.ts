import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UnreadableStateError } from '../state/durable-file.js';
import { FileHandleStore } from './handle-store.js';
import { newTaskState } from './task-events.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-handles-'));
  dirs.push(dir);
  return dir;
};
const ID = '5e2e1b0c-1111-2222-3333-444455556666';
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

  it('is empty where nothing was written yet, and ignores a write a crash interrupted', () => {
    const dir = tempDir();
    const store = new FileHandleStore(join(dir, 'handles'));
    store.open();
    expect(store.allocIDs()).toEqual([]);
    expect(store.load(ID)).toEqual({});
    store.save(ID, 'web', { handle: null, state: newTaskState() });
    // The temporary file of a write is renamed into place: none is left behind.
    expect(readdirSync(join(dir, 'handles'))).toEqual([`${ID}.json`]);
    // A crash between writing the temporary file and renaming it leaves the old file whole.
    writeFileSync(join(dir, 'handles', `${ID}.json.tmp`), '{"web": {"hand');
    const reopened = new FileHandleStore(join(dir, 'handles'));
    reopened.open();
    expect(reopened.allocIDs()).toEqual([ID]);
    expect(Object.keys(reopened.load(ID))).toEqual(['web']);
  });

  it('refuses a corrupt file instead of forgetting its tasks, naming the file and what to do', () => {
    const dir = tempDir();
    const file = join(dir, `${ID}.json`);
    for (const text of ['{"web": {"handle": nu', '[1, 2]', '{"web": {"handle": 7, "state": {}}}']) {
      writeFileSync(file, text);
      const store = new FileHandleStore(dir);
      expect(() => store.open()).toThrow(UnreadableStateError);
      expect(() => store.load(ID)).toThrow(
        new RegExp(
          `^cannot read the agent's task handles from ${file}: .+\\. Fix or remove the file; ` +
            'removing it makes the agent forget tasks still running from before, which it may ' +
            'then start again\\.$',
        ),
      );
      // Saving over it would lose its other tasks: refused too.
      expect(() => store.save(ID, 'web', { handle: null, state: newTaskState() })).toThrow(
        UnreadableStateError,
      );
    }
    expect(() => new FileHandleStore(dir).load(ID)).toThrow(/: Expected object, received number/);
  });

  it.runIf(process.getuid?.() !== 0)('refuses a file it may not read', () => {
    const dir = tempDir();
    const file = join(dir, `${ID}.json`);
    writeFileSync(file, '{}', { mode: 0o000 });
    expect(() => new FileHandleStore(dir).open()).toThrow(
      `cannot read the agent's task handles from ${file}: EACCES`,
    );
    expect(existsSync(file)).toBe(true);
  });
});
