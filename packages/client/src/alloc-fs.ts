// The allocation file system API of the client (Nomad's Go api `AllocFS()`): list and stat
// through the contract's ts-rest routes; logs, cat, readat and stream read as they arrive, from
// the contract route's path, as async iterators (Nomad's channels of StreamFrame).
import {
  AllocFileInfoSchema,
  clientFsContract,
  StreamFrameSchema,
  type AllocFileInfo,
} from '@berth/contract';
import type { AppRoute } from '@ts-rest/core';
import { z } from 'zod';
import { enc, type ApiResponse, type Call, type CallOptions } from './call.js';
import { BerthApiError, BerthResponseValidationError } from './errors.js';

/** A frame of a streamed read, its data decoded from base64. */
export interface AllocFsFrame {
  /** The file offset after this frame's data. */
  Offset: number;
  Data: Uint8Array;
  File: string;
  /** `file deleted` or `file truncated` when the position changed; '' otherwise. */
  FileEvent: string;
}

/** What `logs` reads. */
export interface AllocLogsQuery {
  task: string;
  type: 'stdout' | 'stderr';
  /** Go on as the task writes (until the iteration stops or the allocation does). */
  follow?: boolean;
  /** `start` (default): `offset` bytes from the first file; `end`: `offset` back from the last. */
  origin?: 'start' | 'end';
  offset?: number;
}

/** What `stream` reads. */
export interface AllocStreamQuery {
  /** Default true, as Nomad's. */
  follow?: boolean;
  origin?: 'start' | 'end';
  offset?: number;
}

export interface AllocFsApi {
  /** `GET /v1/client/fs/ls/:alloc`: the entries of `path` (Nomad's `AllocFS().List`). */
  list(allocID: string, path: string, opts?: CallOptions): Promise<ApiResponse<AllocFileInfo[]>>;
  /** `GET /v1/client/fs/stat/:alloc`: the facts of `path` (Nomad's `AllocFS().Stat`). */
  stat(allocID: string, path: string, opts?: CallOptions): Promise<ApiResponse<AllocFileInfo>>;
  /**
   * `GET /v1/client/fs/logs/:alloc`: a task's log frames (Nomad's `AllocFS().Logs`); resolves
   * once the node has answered (a refusal rejects), then yields frames as they arrive. Stopping
   * the iteration (or `opts.signal`) ends the call.
   */
  logs(
    allocID: string,
    query: AllocLogsQuery,
    opts?: CallOptions,
  ): Promise<AsyncIterable<AllocFsFrame>>;
  /** `GET /v1/client/fs/stream/:alloc`: a file's frames (Nomad's `AllocFS().Stream`). */
  stream(
    allocID: string,
    path: string,
    query?: AllocStreamQuery,
    opts?: CallOptions,
  ): Promise<AsyncIterable<AllocFsFrame>>;
  /** `GET /v1/client/fs/cat/:alloc`: a file's bytes (Nomad's `AllocFS().Cat`). */
  cat(allocID: string, path: string, opts?: CallOptions): Promise<AsyncIterable<Uint8Array>>;
  /** `GET /v1/client/fs/readat/:alloc`: `limit` bytes from `offset` (0: to the end). */
  readAt(
    allocID: string,
    path: string,
    offset: number,
    limit: number,
    opts?: CallOptions,
  ): Promise<AsyncIterable<Uint8Array>>;
}

/** The longest frame line accepted (a 64 KiB frame is about 88 KiB of base64). */
const MAX_FRAME_LINE = 1024 * 1024;

async function* bytesOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopping early cancels the request, so a follow ends on the server too.
    await reader.cancel();
  }
}

async function* framesOf(
  body: ReadableStream<Uint8Array>,
  method: string,
  path: string,
): AsyncGenerator<AllocFsFrame> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of bytesOf(body)) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line === '') continue;
      let parsed: z.SafeParseReturnType<unknown, z.infer<typeof StreamFrameSchema>>;
      try {
        parsed = StreamFrameSchema.safeParse(JSON.parse(line));
      } catch (error) {
        throw new BerthResponseValidationError(method, path, error);
      }
      if (!parsed.success) throw new BerthResponseValidationError(method, path, parsed.error);
      const f = parsed.data;
      // A heartbeat (`{}`) only keeps the connection alive.
      if (f.Offset === undefined && !f.Data && !f.File && !f.FileEvent) continue;
      yield {
        Offset: f.Offset ?? 0,
        Data: f.Data ? Buffer.from(f.Data, 'base64') : new Uint8Array(),
        File: f.File ?? '',
        FileEvent: f.FileEvent ?? '',
      };
    }
    if (pending.length > MAX_FRAME_LINE) {
      throw new BerthResponseValidationError(method, path, new Error('frame too long'));
    }
  }
}

/** The file system API over the shared call steps. */
export function createAllocFsApi(call: Call): AllocFsApi {
  /** Opens a streamed route; a non-2xx answer throws with the node's text. */
  async function open(
    route: AppRoute,
    allocID: string,
    query: Record<string, string | number | boolean | undefined>,
    opts: CallOptions | undefined,
  ): Promise<{ body: ReadableStream<Uint8Array>; path: string }> {
    const path = route.path.replace(':allocID', enc(allocID));
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...query, region: call.scope(opts).region })) {
      if (value !== undefined) params.set(key, String(value));
    }
    const { extraHeaders, fetchOptions } = call.request(opts);
    const res = await call.raw.fetch(`${call.raw.address}${path}?${params.toString()}`, {
      method: route.method,
      headers: extraHeaders,
      ...fetchOptions,
    });
    if (res.status < 200 || res.status >= 300) {
      throw new BerthApiError(res.status, await res.text(), route.method, path);
    }
    return { body: res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }), path };
  }

  return {
    async list(allocID, path, opts) {
      const res = await call.api.clientFS.list({
        params: { allocID: enc(allocID) },
        query: { path, ...call.scope(opts) },
        ...call.request(opts),
      });
      return call.finish(res, z.array(AllocFileInfoSchema), 'GET', `/v1/client/fs/ls/${allocID}`);
    },
    async stat(allocID, path, opts) {
      const res = await call.api.clientFS.stat({
        params: { allocID: enc(allocID) },
        query: { path, ...call.scope(opts) },
        ...call.request(opts),
      });
      return call.finish(res, AllocFileInfoSchema, 'GET', `/v1/client/fs/stat/${allocID}`);
    },
    async logs(allocID, query, opts) {
      const route = clientFsContract.logs;
      const { body, path } = await open(route, allocID, { ...query }, opts);
      return framesOf(body, route.method, path);
    },
    async stream(allocID, path, query = {}, opts) {
      const route = clientFsContract.stream;
      const opened = await open(route, allocID, { path, ...query }, opts);
      return framesOf(opened.body, route.method, opened.path);
    },
    async cat(allocID, path, opts) {
      return bytesOf((await open(clientFsContract.cat, allocID, { path }, opts)).body);
    },
    async readAt(allocID, path, offset, limit, opts) {
      const route = clientFsContract.readAt;
      return bytesOf((await open(route, allocID, { path, offset, limit }, opts)).body);
    },
  };
}
