// Nomad's /v1/client/fs/* as a node agent answers them for the allocations it runs
// (client/fs_endpoint.go): logs, ls, stat, cat, readat, stream, mounted from the contract's
// `clientFsContract` with @ts-rest/fastify. Checks in the servers' order: the query (400) →
// authenticate (403/503) → the allocation (404) → `read-logs` (logs) or `read-fs` (the rest) in
// its namespace (403) → the path (400/403/404). Streamed answers end when the caller leaves, and
// a follow also when the allocation stops.
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { clientFsContract, ErrorText, unknownAllocation } from '@berth/contract';
import { initServer } from '@ts-rest/fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { FsError, listDir, readableFile, statPath } from '../fs/alloc-fs.js';
import {
  fileFrames,
  logFrames,
  type FollowOptions,
  type StreamFrame,
} from '../fs/stream-frames.js';
import type { AgentAlloc } from './app.js';
import { Refusal, type Caller } from './caller.js';
import { headerToken, registerContractRoutes } from './contract-routes.js';

export interface FsRoutesOptions {
  /** The agent's data directory: allocations live in `<dataDir>/alloc/<allocID>`. */
  dataDir: string;
  allocation(allocID: string): AgentAlloc | undefined;
  authenticate(token: string): Promise<Caller>;
  /** How often an idle framed stream sends a heartbeat `{}` (Nomad: 1 s). */
  heartbeatMs?: number;
}

interface HandlerArgs {
  request: unknown;
  reply: unknown;
}

const s = initServer();
const TERMINAL = new Set(['complete', 'failed', 'lost']);

/** A frame as Nomad's JSON encoder writes it: empty fields left out, data in base64. */
function frameJson(frame: StreamFrame): string {
  const out: Record<string, unknown> = {};
  if (frame.Offset) out.Offset = frame.Offset;
  if (frame.Data && frame.Data.length > 0) out.Data = frame.Data.toString('base64');
  if (frame.File) out.File = frame.File;
  if (frame.FileEvent) out.FileEvent = frame.FileEvent;
  return `${JSON.stringify(out)}\n`;
}

/** `frames` as text, with a heartbeat `{}` after each `ms` without a frame. */
async function* framedWithHeartbeats(
  frames: AsyncGenerator<StreamFrame>,
  ms: number,
  signal: AbortSignal,
): AsyncGenerator<string> {
  let pending = frames.next();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const beat = new Promise<'beat'>((resolve) => {
      timer = setTimeout(() => resolve('beat'), ms);
    });
    const next = await Promise.race([pending, beat]);
    clearTimeout(timer);
    if (signal.aborted) return;
    if (next === 'beat') {
      yield '{}\n';
      continue;
    }
    if (next.done) return;
    yield frameJson(next.value);
    pending = frames.next();
  }
}

async function* rawBytes(frames: AsyncGenerator<StreamFrame>): AsyncGenerator<Buffer> {
  for await (const frame of frames) if (frame.Data && frame.Data.length > 0) yield frame.Data;
}

/** Mounts the routes on `app`, in a context of their own (ts-rest sets its error handler there). */
export async function registerFsRoutes(app: FastifyInstance, options: FsRoutesOptions) {
  const heartbeatMs = options.heartbeatMs ?? 1_000;

  /** The allocation, once the caller may `capability` in its namespace. */
  async function allowed(
    args: HandlerArgs & { params: { allocID: string } },
    capability: 'read-logs' | 'read-fs',
  ): Promise<AgentAlloc> {
    const caller = await options.authenticate(headerToken(args));
    const alloc = options.allocation(args.params.allocID);
    if (alloc === undefined) throw new Refusal(404, unknownAllocation(args.params.allocID));
    if (
      caller.kind === 'user' &&
      !caller.acl.allowNamespaceOperation(alloc.namespace, capability)
    ) {
      throw new Refusal(403, ErrorText.PermissionDenied);
    }
    return alloc;
  }

  const rootOf = (allocID: string) => join(options.dataDir, 'alloc', allocID);

  /** Aborted when the caller goes away; the follow also ends once the allocation has stopped. */
  function followOf(args: HandlerArgs, alloc: AgentAlloc, follow: boolean) {
    const controller = new AbortController();
    const reply = args.reply as FastifyReply;
    reply.raw.once('close', () => controller.abort());
    const options: FollowOptions | undefined = follow
      ? {
          signal: controller.signal,
          finished: () => TERMINAL.has(alloc.runner.clientState().ClientStatus),
        }
      : undefined;
    return { signal: controller.signal, follow: options };
  }

  function streamed(
    args: HandlerArgs,
    frames: AsyncGenerator<StreamFrame>,
    plain: boolean,
    signal: AbortSignal,
  ) {
    const reply = args.reply as FastifyReply;
    reply.type(plain ? 'text/plain; charset=utf-8' : 'application/json');
    const body = plain
      ? Readable.from(rawBytes(frames))
      : Readable.from(framedWithHeartbeats(frames, heartbeatMs, signal));
    return { status: 200 as const, body };
  }

  const router = s.router(clientFsContract, {
    logs: async (args) => {
      const alloc = await allowed(args, 'read-logs');
      const { task, type, origin, offset, plain } = args.query;
      const state = alloc.runner.clientState().TaskStates[task];
      if (state === undefined) throw new Refusal(400, `unknown task name "${task}"`);
      if (state.State === 'pending' && !state.StartedAt) {
        throw new Refusal(404, `task "${task}" not started yet. No logs available`);
      }
      const logDir = join(rootOf(alloc.runner.allocID), 'alloc', 'logs');
      const { signal, follow } = followOf(args, alloc, args.query.follow);
      const frames = logFrames(logDir, task, type, origin, offset, follow);
      // The first frame is not awaited (a follow may wait for it); a missing log is checked first.
      await logFrames(logDir, task, type, 'end', 0, undefined)
        .next()
        .catch((error: unknown) => {
          throw error instanceof FsError ? new Refusal(error.status, error.message) : error;
        });
      return streamed(args, frames, plain, signal);
    },
    list: async (args) => {
      const alloc = await allowed(args, 'read-fs');
      return {
        status: 200 as const,
        body: await fsCall(listDir(rootOf(alloc.runner.allocID), args.query.path)),
      };
    },
    stat: async (args) => {
      const alloc = await allowed(args, 'read-fs');
      return {
        status: 200 as const,
        body: await fsCall(statPath(rootOf(alloc.runner.allocID), args.query.path)),
      };
    },
    cat: async (args) => {
      const alloc = await allowed(args, 'read-fs');
      const { path } = args.query;
      const file = await fsCall(readableFile(rootOf(alloc.runner.allocID), path));
      const { signal } = followOf(args, alloc, false);
      return streamed(args, fileFrames(file.full, path, 0, undefined), true, signal);
    },
    readAt: async (args) => {
      const alloc = await allowed(args, 'read-fs');
      const { path, offset, limit } = args.query;
      const file = await fsCall(readableFile(rootOf(alloc.runner.allocID), path));
      const { signal } = followOf(args, alloc, false);
      const frames = fileFrames(file.full, path, offset, undefined, limit > 0 ? limit : undefined);
      return streamed(args, frames, true, signal);
    },
    stream: async (args) => {
      const alloc = await allowed(args, 'read-fs');
      const { path, offset, origin } = args.query;
      const file = await fsCall(readableFile(rootOf(alloc.runner.allocID), path));
      const { signal, follow } = followOf(args, alloc, args.query.follow);
      const start =
        origin === 'end' ? Math.max(0, file.size - offset) : Math.min(offset, file.size);
      return streamed(args, fileFrames(file.full, path, start, follow), false, signal);
    },
  });

  // Other methods on these paths stay unserved (404), as they were.
  await registerContractRoutes(app, clientFsContract, router, { otherMethods: 'unserved' });
}

/** An allocation directory call, its refusal as the answer's status and text. */
async function fsCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof FsError) throw new Refusal(error.status, error.message);
    throw error;
  }
}
