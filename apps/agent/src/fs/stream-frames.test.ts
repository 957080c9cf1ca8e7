import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogRotator } from '../allocrunner/logger.js';
import { confinedPath, listDir, readableFile, statPath } from './alloc-fs.js';
import { logFrames, type StreamFrame } from './stream-frames.js';

let root: string;
let logDir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-fs-'));
  logDir = join(root, 'alloc', 'logs');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(join(root, 'web', 'secrets'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function collect(frames: AsyncGenerator<StreamFrame>): Promise<string> {
  let out = '';
  for await (const f of frames) out += f.Data?.toString() ?? '';
  return out;
}

describe('the allocation directory', () => {
  it('refuses paths that lead out by .., or by a symlink, and keeps a leading / inside', async () => {
    await expect(confinedPath(root, '../x')).rejects.toThrow('Path escapes the alloc directory');
    await expect(confinedPath(root, '/alloc/../../x')).rejects.toThrow(
      'Path escapes the alloc directory',
    );
    symlinkSync('/etc', join(root, 'web', 'out'));
    await expect(confinedPath(root, 'web/out/passwd')).rejects.toThrow(
      'Path escapes the alloc directory',
    );
    expect(await confinedPath(root, '/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    await expect(readableFile(root, 'web/secrets/token')).rejects.toThrow(
      'Reading secret file prohibited',
    );
  });

  it('lists, stats and reports what is missing with 404', async () => {
    writeFileSync(join(logDir, 'web.stdout.0'), 'hello\n');
    const names = (await listDir(root, '/')).map((f) => `${f.Name}:${f.IsDir}`);
    expect(names).toEqual(['alloc:true', 'web:true']);
    const info = await statPath(root, 'alloc/logs/web.stdout.0');
    expect(info).toMatchObject({ Name: 'web.stdout.0', IsDir: false, Size: 6 });
    expect(info.FileMode).toMatch(/^-rw/);
    await expect(statPath(root, 'nope')).rejects.toMatchObject({ status: 404 });
    // Through a file, with a NUL byte: refusals, not faults.
    await expect(statPath(root, 'alloc/logs/web.stdout.0/x')).rejects.toMatchObject({
      status: 404,
    });
    await expect(listDir(root, 'alloc/logs/web.stdout.0')).rejects.toMatchObject({ status: 400 });
    await expect(statPath(root, 'a\0b')).rejects.toMatchObject({ status: 400 });
  });
});

describe('logFrames', () => {
  it('reads across rotated files from the start, and from the end with an offset', async () => {
    const rotator = new LogRotator(logDir, 'web.stdout', { maxFiles: 10, maxFileBytes: 10 });
    rotator.write(Buffer.from('aaaa\nbbbb\ncccc\ndddd\n'));
    rotator.close();
    expect(await collect(logFrames(logDir, 'web', 'stdout', 'start', 0, undefined))).toBe(
      'aaaa\nbbbb\ncccc\ndddd\n',
    );
    expect(await collect(logFrames(logDir, 'web', 'stdout', 'end', 8, undefined))).toBe(
      'cc\ndddd\n',
    );
    expect(await collect(logFrames(logDir, 'web', 'stdout', 'start', 12, undefined))).toBe(
      'cc\ndddd\n',
    );
    await expect(collect(logFrames(logDir, 'db', 'stdout', 'start', 0, undefined))).rejects.toThrow(
      'log entry for task "db" and log type "stdout" not found',
    );
  });

  it('follows across rotations, each line once, until the writer is done', async () => {
    const rotator = new LogRotator(logDir, 'web.stdout', { maxFiles: 100, maxFileBytes: 64 });
    rotator.write(Buffer.from('first\n'));
    let done = false;
    const controller = new AbortController();
    const reading = collect(
      logFrames(logDir, 'web', 'stdout', 'start', 0, {
        signal: controller.signal,
        finished: () => done,
      }),
    );
    const expected = ['first\n'];
    for (let i = 0; i < 60; i++) {
      const line = `line ${i}\n`;
      expected.push(line);
      rotator.write(Buffer.from(line));
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 30));
    }
    rotator.close();
    done = true;
    expect(await reading).toBe(expected.join(''));
  });

  it('ends a follow when the caller goes away', async () => {
    writeFileSync(join(logDir, 'web.stderr.0'), 'x\n');
    const controller = new AbortController();
    const reading = collect(
      logFrames(logDir, 'web', 'stderr', 'start', 0, { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 300);
    expect(await reading).toBe('x\n');
  });
});
