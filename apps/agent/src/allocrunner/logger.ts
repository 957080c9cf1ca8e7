// The logger the runners write to (the daemon passes its own), and the task log rotation of
// Nomad's logmon (client/logmon/logging/rotator.go): a task's output goes to
// `<task>.stdout.<n>` (and `.stderr.<n>`), a new file with the next index once the current one
// holds `MaxFileSizeMB`, the oldest removed so at most `MaxFiles` remain.
import { closeSync, fstatSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A structured logger: a message and optional fields. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** How a task's logs rotate, from its `LogConfig`. */
export interface LogRotation {
  /** Files kept per stream (at least 1). */
  maxFiles: number;
  /** Bytes per file before the next one is started (at least 1). */
  maxFileBytes: number;
}

/** Nomad's defaults (structs.DefaultLogConfig): 10 files of 10 MB. */
export const DEFAULT_LOG_ROTATION: LogRotation = { maxFiles: 10, maxFileBytes: 10 * 1024 * 1024 };

/** A task's `LogConfig` as rotation limits; zero or missing fields take Nomad's defaults. */
export function logRotationOf(
  config?: null | {
    MaxFiles?: number | null;
    MaxFileSizeMB?: number | null;
  },
): LogRotation {
  const files = config?.MaxFiles ?? 0;
  const mb = config?.MaxFileSizeMB ?? 0;
  return {
    maxFiles: files >= 1 ? Math.floor(files) : DEFAULT_LOG_ROTATION.maxFiles,
    maxFileBytes: mb >= 1 ? Math.floor(mb) * 1024 * 1024 : DEFAULT_LOG_ROTATION.maxFileBytes,
  };
}

/** The indexes of `<base>.<n>` in `dir`, ascending. */
export function logFileIndexes(dir: string, base: string): number[] {
  const prefix = `${base}.`;
  const found: number[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const suffix = name.slice(prefix.length);
    if (/^\d{1,9}$/.test(suffix)) found.push(Number(suffix));
  }
  return found.sort((a, b) => a - b);
}

const NEWLINE = 0x0a;

/**
 * Writes one stream (`<dir>/<base>.<n>`), rotating by size. Writes are synchronous, so bytes land
 * in the order given and none is written twice. A write that does not fit is cut after its last
 * line that fits, so a file holds whole lines unless one line is longer than a file. A new
 * rotator continues the highest existing file (a task restarted appends where it left off).
 */
export class LogRotator {
  private fd: number;
  private index: number;
  private size: number;

  constructor(
    private readonly dir: string,
    private readonly base: string,
    private readonly rotation: LogRotation,
  ) {
    this.index = logFileIndexes(dir, base).at(-1) ?? 0;
    this.fd = openSync(this.path(this.index), 'a');
    this.size = fstatSync(this.fd).size;
  }

  /** The file being written now. */
  get currentPath(): string {
    return this.path(this.index);
  }

  write(chunk: Buffer): void {
    let rest = chunk;
    const max = this.rotation.maxFileBytes;
    while (rest.length > 0) {
      const room = max - this.size;
      if (rest.length <= room) {
        this.append(rest);
        return;
      }
      // Up to and including the last newline that fits; none fits: a fresh file, or (already
      // fresh) the part of an overlong line that fits.
      let cut = room > 0 ? rest.lastIndexOf(NEWLINE, room - 1) + 1 : 0;
      if (cut === 0 && this.size === 0) cut = room;
      if (cut > 0) this.append(rest.subarray(0, cut));
      rest = rest.subarray(cut);
      this.rotate();
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(bytes: Buffer): void {
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(this.fd, bytes, written, bytes.length - written);
    }
    this.size += bytes.length;
  }

  private rotate(): void {
    closeSync(this.fd);
    this.index += 1;
    this.fd = openSync(this.path(this.index), 'a');
    this.size = fstatSync(this.fd).size;
    // The oldest beyond MaxFiles go; what is not there (already removed) is no matter.
    for (const old of logFileIndexes(this.dir, this.base)) {
      if (old > this.index - this.rotation.maxFiles) break;
      rmSync(this.path(old), { force: true });
    }
  }

  private path(index: number): string {
    return join(this.dir, `${this.base}.${index}`);
  }
}
