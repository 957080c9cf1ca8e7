// An allocation's directory as Nomad's allocdir serves it (client/allocdir/alloc_dir.go):
// paths are relative to `<dataDir>/alloc/<allocID>` (a leading `/` is that directory), and none
// may lead out of it, by `..` or by a symlink. List, stat and bounded reads.
import { constants, type Stats } from 'node:fs';
import { access, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';

/** A refusal with Nomad's status and text. */
export class FsError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Nomad's `AllocFileInfo`. */
export interface AllocFileInfo {
  Name: string;
  IsDir: boolean;
  Size: number;
  FileMode: string;
  ModTime: string;
  ContentType?: string;
}

/** At most this many entries are listed (a directory is bounded by what a task writes). */
export const MAX_LIST_ENTRIES = 10_000;

/**
 * The host path of `path` inside `root`, refused (400 `Path escapes the alloc directory`) when
 * it leads out by `..` or, once symlinks are resolved, by a link. A path that does not exist is
 * returned as it is (what reads it then finds nothing).
 */
export async function confinedPath(root: string, path: string): Promise<string> {
  if (path.includes('\0')) throw new FsError(400, 'Path contains a NUL byte');
  const full = resolve(root, `.${sep}${path}`);
  const rel = relative(root, full);
  if (rel === '..' || rel.startsWith(`..${sep}`)) throw escapes();
  let real: string;
  try {
    real = await realpath(full);
  } catch (error) {
    if (isMissing(error)) return full;
    throw failure(error, path);
  }
  const realRoot = await realpath(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) throw escapes();
  return real;
}

function escapes(): FsError {
  return new FsError(400, 'Path escapes the alloc directory');
}

/** 404 for a path that is not there, as Nomad's (`IsErrNoSuchFileOrDirectory`). */
export function notFound(path: string): FsError {
  return new FsError(404, `stat ${path}: no such file or directory`);
}

/** Not there: the path, or a part of it that is a file (`a.txt/b`). */
const isMissing = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/** A file system failure the caller caused or may learn of, as a refusal; anything else as is. */
export function failure(error: unknown, path: string): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (isMissing(error)) return notFound(path);
  if (code === 'EACCES' || code === 'EPERM') return new FsError(403, `${path}: permission denied`);
  if (code === 'ELOOP') return new FsError(400, `${path}: too many levels of symbolic links`);
  if (code === 'ENAMETOOLONG') return new FsError(400, `${path}: file name too long`);
  return error instanceof Error ? error : new Error(String(error));
}

async function statOf(full: string, path: string): Promise<Stats> {
  try {
    return await stat(full);
  } catch (error) {
    throw failure(error, path);
  }
}

/** Go's `FileMode.String()`: `drwxr-xr-x`, `-rw-r--r--`, `Lrwx...` for links. */
export function goFileMode(stats: Stats): string {
  const kind = stats.isDirectory()
    ? 'd'
    : stats.isSymbolicLink()
      ? 'L'
      : stats.isFIFO()
        ? 'p'
        : '-';
  const bits = 'rwxrwxrwx';
  let perms = '';
  for (let i = 0; i < 9; i++) perms += stats.mode & (1 << (8 - i)) ? bits[i] : '-';
  return kind + perms;
}

function infoOf(name: string, stats: Stats): AllocFileInfo {
  return {
    Name: name,
    IsDir: stats.isDirectory(),
    Size: stats.size,
    FileMode: goFileMode(stats),
    ModTime: stats.mtime.toISOString(),
  };
}

/** Nomad's `List`: the entries of a directory of the allocation, by name. */
export async function listDir(root: string, path: string): Promise<AllocFileInfo[]> {
  const full = await confinedPath(root, path);
  const stats = await statOf(full, path);
  if (!stats.isDirectory()) throw new FsError(400, `readdirent ${path}: not a directory`);
  const names = (
    await readdir(full).catch((error: unknown) => Promise.reject(failure(error, path)))
  )
    .sort()
    .slice(0, MAX_LIST_ENTRIES);
  const out: AllocFileInfo[] = [];
  for (const name of names) {
    try {
      out.push(infoOf(name, await stat(join(full, name))));
    } catch (error) {
      // Removed since the listing, or a dangling link: listed as what it is not (skipped).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return out;
}

/** Nomad's `Stat`, with the content type guessed from the first bytes. */
export async function statPath(root: string, path: string): Promise<AllocFileInfo> {
  const full = await confinedPath(root, path);
  const stats = await statOf(full, path);
  const info = infoOf(basename(full), stats);
  info.ContentType = stats.isDirectory() ? 'application/octet-stream' : await contentType(full);
  return info;
}

async function contentType(full: string): Promise<string> {
  if (full.endsWith('.json')) return 'application/json';
  let head: Buffer;
  try {
    head = await readBytes(full, 0, 512);
  } catch (error) {
    // Best effort, as Nomad's: a file it may not read is just bytes.
    if (failure(error, full) instanceof FsError) return 'application/octet-stream';
    throw error;
  }
  if (head.length === 0) return 'text/plain; charset=utf-8';
  // Text when it decodes as UTF-8 without control bytes other than whitespace.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000e-\u001a\ufffd]/.test(text)
    ? 'application/octet-stream'
    : 'text/plain; charset=utf-8';
}

/** Reads at most `limit` bytes of `full` from `offset` (never more than it holds). */
export async function readBytes(full: string, offset: number, limit: number): Promise<Buffer> {
  const handle = await open(full, constants.O_RDONLY);
  try {
    const buffer = Buffer.alloc(limit);
    let got = 0;
    while (got < limit) {
      const { bytesRead } = await handle.read(buffer, got, limit - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buffer.subarray(0, got);
  } finally {
    await handle.close();
  }
}

/**
 * A file of the allocation that may be read: inside it, not a directory, not under a task's
 * `secrets` (Nomad's `Reading secret file prohibited`).
 */
export async function readableFile(
  root: string,
  path: string,
): Promise<{ full: string; size: number }> {
  const full = await confinedPath(root, path);
  const parts = relative(await realpath(root), full).split(sep);
  if (parts.length >= 2 && parts[1] === 'secrets') {
    throw new FsError(403, `Reading secret file prohibited: ${path}`);
  }
  const stats = await statOf(full, path);
  if (stats.isDirectory()) throw new FsError(400, `file "${path}" is a directory`);
  // Refused now, not after the answer has begun.
  await access(full, constants.R_OK).catch((error: unknown) =>
    Promise.reject(failure(error, path)),
  );
  return { full, size: stats.size };
}
