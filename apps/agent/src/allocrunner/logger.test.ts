import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogRotator, logFileIndexes, logRotationOf } from './logger.js';
import { startLogmon } from './logmon.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-logs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every kept file of `base`, oldest first, joined. */
function keptText(base: string): string {
  return logFileIndexes(dir, base)
    .map((n) => readFileSync(join(dir, `${base}.${n}`), 'utf8'))
    .join('');
}

describe('logRotationOf', () => {
  it("takes the task's LogConfig, Nomad's defaults for zero or missing fields", () => {
    expect(logRotationOf({ MaxFiles: 3, MaxFileSizeMB: 2 })).toEqual({
      maxFiles: 3,
      maxFileBytes: 2 * 1024 * 1024,
    });
    expect(logRotationOf(undefined)).toEqual({ maxFiles: 10, maxFileBytes: 10 * 1024 * 1024 });
    expect(logRotationOf({ MaxFiles: 0, MaxFileSizeMB: 0 })).toEqual({
      maxFiles: 10,
      maxFileBytes: 10 * 1024 * 1024,
    });
  });
});

describe('LogRotator', () => {
  it('rotates by size, keeps whole lines in order, each once, and at most MaxFiles files', () => {
    const rotator = new LogRotator(dir, 'web.stdout', { maxFiles: 3, maxFileBytes: 100 });
    const lines = Array.from({ length: 200 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`);
    // Written in uneven chunks, so writes straddle the file boundaries.
    let all = lines.join('');
    let step = 1;
    while (all.length > 0) {
      rotator.write(Buffer.from(all.slice(0, step)));
      all = all.slice(step);
      step = (step * 7 + 3) % 61;
    }
    rotator.close();
    const kept = logFileIndexes(dir, 'web.stdout');
    expect(kept.length).toBe(3);
    expect(kept).toEqual([kept[0]!, kept[0]! + 1, kept[0]! + 2]);
    for (const n of kept) {
      const text = readFileSync(join(dir, `web.stdout.${n}`), 'utf8');
      expect(text.length).toBeLessThanOrEqual(100);
      // Each file starts and ends on a line boundary.
      expect(text.endsWith('\n') || n === kept.at(-1)).toBe(true);
    }
    // What is kept is exactly the tail of what was written.
    const text = keptText('web.stdout');
    expect(lines.join('').endsWith(text)).toBe(true);
    expect(text.startsWith('line ')).toBe(true);
  });

  it('splits a line longer than a file, losing nothing', () => {
    const rotator = new LogRotator(dir, 'web.stderr', { maxFiles: 10, maxFileBytes: 8 });
    rotator.write(Buffer.from('ab\n'));
    rotator.write(Buffer.from('0123456789abcdefghij\nz\n'));
    rotator.close();
    expect(keptText('web.stderr')).toBe('ab\n0123456789abcdefghij\nz\n');
    expect(logFileIndexes(dir, 'web.stderr')).toEqual([0, 1, 2, 3]);
    expect(readFileSync(join(dir, 'web.stderr.3'), 'utf8')).toBe('ghij\nz\n');
    expect(readFileSync(join(dir, 'web.stderr.1'), 'utf8')).toBe('01234567');
  });

  it('continues the highest existing file after a restart', () => {
    writeFileSync(join(dir, 'web.stdout.4'), 'old\n');
    writeFileSync(join(dir, 'web.stdout.x'), 'not a log file');
    const rotator = new LogRotator(dir, 'web.stdout', { maxFiles: 2, maxFileBytes: 10 });
    expect(rotator.currentPath).toBe(join(dir, 'web.stdout.4'));
    rotator.write(Buffer.from('new\nnext\n'));
    rotator.close();
    expect(readFileSync(join(dir, 'web.stdout.4'), 'utf8')).toBe('old\nnew\n');
    expect(readFileSync(join(dir, 'web.stdout.5'), 'utf8')).toBe('next\n');
    expect(readdirSync(dir)).toContain('web.stdout.x');
  });
});

describe('startLogmon', () => {
  it("writes a real process's output to rotated files, every line once, after the agent lets go", async () => {
    const output = startLogmon({
      dir,
      task: 'web',
      rotation: { maxFiles: 100, maxFileBytes: 1000 },
    });
    const script =
      'for (let i = 0; i < 2000; i++) process.stdout.write(`out ${i}\\n`);' +
      'process.stderr.write("err line\\n");';
    const task = spawn(process.execPath, ['-e', script], {
      stdio: ['ignore', output.stdout, output.stderr],
    });
    output.release();
    await new Promise((resolve) => task.once('exit', resolve));
    const expected = Array.from({ length: 2000 }, (_, i) => `out ${i}\n`).join('');
    // The monitor writes what it reads until the task's ends are closed.
    const deadline = Date.now() + 20_000;
    while (keptText('web.stdout') !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(keptText('web.stdout')).toBe(expected);
    expect(logFileIndexes(dir, 'web.stdout').length).toBeGreaterThan(10);
    expect(keptText('web.stderr')).toBe('err line\n');
  }, 30_000);
});
