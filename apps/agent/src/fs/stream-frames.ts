// Nomad's streamed reads (client/fs_endpoint.go): a file, or a task's rotated logs across their
// indexes, as frames of at most 64 KiB, optionally followed as they grow. One shared timer wakes
// every follower (a stat per follower per tick), so many followers cost little.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FsError, readBytes } from './alloc-fs.js';

/** Nomad's `StreamFrame`; the data is raw here and base64 on the wire. */
export interface StreamFrame {
  Offset?: number;
  Data?: Buffer;
  File?: string;
  FileEvent?: 'file deleted' | 'file truncated';
}

/** Nomad's `streamFrameSize`. */
export const FRAME_SIZE = 64 * 1024;
/** How often followers look again. */
const TICK_MS = 200;

/** One timer for every follower: `wait` resolves at the next tick, or early on abort. */
class SharedTicker {
  private waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        if (this.waiters.size === 0) this.stop();
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
      this.timer ??= setInterval(() => {
        for (const waiter of [...this.waiters]) waiter();
      }, TICK_MS);
      this.timer.unref();
    });
  }

  private stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

const ticker = new SharedTicker();

/** When a follow ends besides the caller's abort: the allocation is done writing. */
export interface FollowOptions {
  signal: AbortSignal;
  /** True once nothing more will be written (the allocation stopped). */
  finished?: () => boolean;
}

async function sizeOf(full: string): Promise<number | undefined> {
  try {
    return (await stat(full)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Frames of `full` (named `file` in them) from `offset`: to its end, then, following, as it grows
 * until aborted, finished, or (`nextExists`) a newer file exists and this one is read to its end.
 * At most `limit` bytes when given.
 */
export async function* fileFrames(
  full: string,
  file: string,
  offset: number,
  follow: FollowOptions | undefined,
  limit?: number,
  nextExists?: () => Promise<boolean>,
): AsyncGenerator<StreamFrame> {
  let at = offset;
  let left = limit ?? Number.POSITIVE_INFINITY;
  for (;;) {
    if (follow?.signal.aborted) return;
    const size = await sizeOf(full);
    if (size === undefined) {
      if (follow) yield { File: file, FileEvent: 'file deleted', Offset: at };
      return;
    }
    if (size < at) {
      at = 0;
      yield { File: file, FileEvent: 'file truncated', Offset: 0 };
    }
    while (at < size && left > 0) {
      const data = await readBytes(full, at, Math.min(FRAME_SIZE, size - at, left));
      if (data.length === 0) break;
      yield { File: file, Offset: at + data.length, Data: data };
      at += data.length;
      left -= data.length;
      if (follow?.signal.aborted) return;
    }
    if (!follow || left <= 0) return;
    // Read to the end: a newer file means this one is complete (re-read once for a late write).
    if (nextExists && (await nextExists())) {
      if (((await sizeOf(full)) ?? at) > at) continue;
      return;
    }
    if (follow.finished?.()) {
      if (((await sizeOf(full)) ?? at) > at) continue;
      return;
    }
    await ticker.wait(follow.signal);
  }
}

/** The indexes of `<task>.<type>.<n>` in `logDir` with their sizes, ascending. */
async function logFiles(logDir: string, base: string): Promise<{ index: number; size: number }[]> {
  let names: string[];
  try {
    names = await readdir(logDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: { index: number; size: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const suffix = name.slice(base.length + 1);
    if (!/^\d{1,9}$/.test(suffix)) continue;
    const size = await sizeOf(join(logDir, name));
    if (size !== undefined) out.push({ index: Number(suffix), size });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Nomad's `findClosest`: the file at or after `index` (the last when none) and the offset in it;
 * a negative offset counts back from that file's end, into the files before it.
 */
function findClosest(
  files: { index: number; size: number }[],
  index: number,
  offset: number,
): { index: number; offset: number } {
  let i = files.findIndex((f) => f.index >= index);
  if (i === -1) i = files.length - 1;
  let left = offset;
  for (;;) {
    const size = files[i]!.size;
    if (left === 0) break;
    if (left < 0) {
      if (size + left >= 0) {
        left = size + left;
        break;
      }
      if (i === 0) {
        left = 0;
        break;
      }
      left += size;
      i -= 1;
    } else {
      if (left <= size) break;
      if (i === files.length - 1) {
        left = size;
        break;
      }
      left -= size;
      i += 1;
    }
  }
  return { index: files[i]!.index, offset: left };
}

/**
 * A task's log frames across its rotated files (Nomad's `logsImpl`): from `origin` start (index
 * 0 and `offset` forward) or end (`offset` back from the newest); without `follow` to the end of
 * what exists now, with it on into newer files as they appear.
 */
export async function* logFrames(
  logDir: string,
  task: string,
  type: 'stdout' | 'stderr',
  origin: 'start' | 'end',
  offset: number,
  follow: FollowOptions | undefined,
): AsyncGenerator<StreamFrame> {
  const base = `${task}.${type}`;
  let nextIndex = origin === 'start' ? 0 : Number.MAX_SAFE_INTEGER;
  let at = origin === 'start' ? offset : -offset;
  let maxIndex = Number.MAX_SAFE_INTEGER;
  if (!follow) {
    const files = await logFiles(logDir, base);
    if (files.length === 0) throw notFoundLog(task, type);
    maxIndex = files.at(-1)!.index;
  }
  for (;;) {
    const files = await logFiles(logDir, base);
    if (files.length === 0) throw notFoundLog(task, type);
    const closest = findClosest(files, nextIndex, at);
    if (!follow && closest.index > maxIndex) return;
    const name = `${base}.${closest.index}`;
    const next = async () => (await logFiles(logDir, base)).some((f) => f.index > closest.index);
    yield* fileFrames(
      join(logDir, name),
      join('alloc', 'logs', name),
      closest.offset,
      follow,
      undefined,
      next,
    );
    if (follow?.signal.aborted) return;
    if (!follow && closest.index >= maxIndex) return;
    if (follow && !(await next())) return; // finished, nothing newer
    at = 0;
    nextIndex = closest.index + 1;
  }
}

function notFoundLog(task: string, type: string): FsError {
  return new FsError(404, `log entry for task "${task}" and log type "${type}" not found`);
}
