// An allocation's files and logs, read on the node that runs it (Nomad's /v1/client/fs/*,
// command/agent/fs_endpoint.go). A node agent answers them for its own allocations; a server
// forwards them to the allocation's node. Query texts are Nomad's; the checks run in its order.
// `logs` (unless `plain`) and `stream` answer JSON frames one after another (`StreamFrameSchema`);
// `plain` logs, `cat` and `readat` answer the raw bytes.
import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { parseGoBool } from '../go/parse-bool.js';
import { queryOptionsShape, queryParam } from '../query.js';
import { AllocFileInfoSchema } from '../schemas/alloc-fs.js';
import { AllocIdPathSchema } from './allocations.js';
import { errorResponses } from './errors.js';

const c = initContract();

/** The largest offset or limit accepted (beyond it, no file is that large). */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

/** A required text: its Nomad error when absent or empty. */
const required = (error: string) =>
  queryParam<string, string>((raw) => (raw === undefined || raw === '' ? { error } : raw));

/** Go's ParseBool with Nomad's `failed to parse <field> field to boolean` text. */
const boolField = (field: string, fallback: boolean) =>
  queryParam<string | boolean, boolean>((raw) => {
    if (raw === undefined || raw === '') return fallback;
    return (
      parseGoBool(raw) ?? {
        error: `failed to parse ${field} field to boolean: strconv.ParseBool: parsing "${raw}": invalid syntax`,
      }
    );
  });

/** A byte count (ParseInt), `error parsing <field>` when not one; 0 when absent unless required. */
const byteCount = (field: string, requiredValue = false) =>
  queryParam<string | number, number>((raw) => {
    if ((raw === undefined || raw === '') && !requiredValue) return 0;
    const text = raw ?? '';
    if (!/^[+-]?\d+$/.test(text)) {
      return {
        error: `error parsing ${field}: strconv.ParseInt: parsing "${text}": invalid syntax`,
      };
    }
    const n = Number(text);
    if (n < 0 || n > MAX_OFFSET) return { error: `${field} must be between 0 and ${MAX_OFFSET}` };
    return n;
  });

const originParam = queryParam<'start' | 'end', 'start' | 'end'>((raw) => {
  if (raw === undefined || raw === '') return 'start';
  return raw === 'start' || raw === 'end' ? raw : { error: 'origin must be start or end' };
});

const logTypeParam = queryParam<'stdout' | 'stderr', 'stdout' | 'stderr'>((raw) =>
  raw === 'stdout' || raw === 'stderr' ? raw : { error: 'must provide log type (stdout/stderr)' },
);

const FILE_NAME = 'must provide a file name';

/** The read options these routes take: only `region` (they neither block nor page). */
const regionOnlyShape = { region: queryOptionsShape.region };

/** Query of `clientFS.logs`, in Nomad's order: task, follow, plain, type, offset, origin. */
export const FsLogsQuerySchema = z.object({
  ...regionOnlyShape,
  task: required('must provide task name'),
  follow: boolField('follow', false),
  plain: boolField('plain', false),
  type: logTypeParam,
  offset: byteCount('offset'),
  origin: originParam,
});
export type FsLogsQuery = z.infer<typeof FsLogsQuerySchema>;

/** Query of `clientFS.list`: `path`, the allocation's directory (`/`) when absent. */
export const FsListQuerySchema = z.object({
  ...regionOnlyShape,
  path: queryParam<string, string>((raw) => (raw === undefined || raw === '' ? '/' : raw)),
});
export type FsListQuery = z.infer<typeof FsListQuerySchema>;

/** Query of `clientFS.stat` and `clientFS.cat`: `path`, required. */
export const FsPathQuerySchema = z.object({ ...regionOnlyShape, path: required(FILE_NAME) });
export type FsPathQuery = z.infer<typeof FsPathQuerySchema>;

/** Query of `clientFS.readAt`: `path`, `offset` (required), `limit` (0: to the end). */
export const FsReadAtQuerySchema = z.object({
  ...regionOnlyShape,
  path: required(FILE_NAME),
  offset: byteCount('offset', true),
  limit: byteCount('limit'),
});
export type FsReadAtQuery = z.infer<typeof FsReadAtQuerySchema>;

/** Query of `clientFS.stream`: `path`, `follow` (default true), `offset`, `origin`. */
export const FsStreamQuerySchema = z.object({
  ...regionOnlyShape,
  path: required(FILE_NAME),
  follow: boolField('follow', true),
  offset: byteCount('offset'),
  origin: originParam,
});
export type FsStreamQuery = z.infer<typeof FsStreamQuerySchema>;

/** A streamed answer: frames or raw bytes, read as they come. */
const StreamBody = z.unknown();

/** The file routes. Error answers are text (see `ErrorText`), never JSON. */
export const clientFsContract = c.router(
  {
    logs: {
      method: 'GET',
      path: '/v1/client/fs/logs/:allocID',
      pathParams: AllocIdPathSchema,
      query: FsLogsQuerySchema,
      responses: { 200: StreamBody },
      summary: "A task's logs",
      description:
        "The task's stdout or stderr across its rotated files, from `origin` start or end (`offset` bytes forward or back), as JSON frames or, `plain`, raw bytes; `follow` goes on as the task writes until the caller leaves or the allocation stops. ACL namespace:read-logs.",
    },
    list: {
      method: 'GET',
      path: '/v1/client/fs/ls/:allocID',
      pathParams: AllocIdPathSchema,
      query: FsListQuerySchema,
      responses: { 200: z.array(AllocFileInfoSchema) },
      summary: 'List a directory of an allocation',
      description: "The entries of `path` in the allocation's directory. ACL namespace:read-fs.",
    },
    stat: {
      method: 'GET',
      path: '/v1/client/fs/stat/:allocID',
      pathParams: AllocIdPathSchema,
      query: FsPathQuerySchema,
      responses: { 200: AllocFileInfoSchema },
      summary: 'Stat a file of an allocation',
      description: "The facts of `path` in the allocation's directory. ACL namespace:read-fs.",
    },
    cat: {
      method: 'GET',
      path: '/v1/client/fs/cat/:allocID',
      pathParams: AllocIdPathSchema,
      query: FsPathQuerySchema,
      responses: { 200: StreamBody },
      summary: 'Read a file of an allocation',
      description: 'The bytes of `path`. ACL namespace:read-fs.',
    },
    readAt: {
      method: 'GET',
      path: '/v1/client/fs/readat/:allocID',
      pathParams: AllocIdPathSchema,
      query: FsReadAtQuerySchema,
      responses: { 200: StreamBody },
      summary: 'Read part of a file of an allocation',
      description:
        'At most `limit` bytes of `path` from `offset` (to the end when `limit` is 0). ACL namespace:read-fs.',
    },
    stream: {
      method: 'GET',
      path: '/v1/client/fs/stream/:allocID',
      pathParams: AllocIdPathSchema,
      query: FsStreamQuerySchema,
      responses: { 200: StreamBody },
      summary: 'Stream a file of an allocation',
      description:
        '`path` as JSON frames from `origin` and `offset`, followed (by default) as it grows. ACL namespace:read-fs.',
    },
  },
  { commonResponses: errorResponses, strictStatusCodes: true },
);
