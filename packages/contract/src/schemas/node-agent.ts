// The bodies a node agent exchanges with the servers (Nomad's NodeRegisterRequest,
// NodeUpdateStatusRequest, NodeUpdateResponse, AllocUpdateRequest and GenericResponse, which
// travel over RPC in Nomad and over berth's own HTTP routes here). Register and update bodies are
// decoded as Go decodes them into Nomad's structs (node-agent-go-types.ts): numbers are checked
// as their Go types from the literal sent; the schemas then check what is required.
import { z } from 'zod';
import { failedToDecodeBody } from '../errors.js';
import { goJsonDecoder, type GoStruct } from '../go/json-decode.js';
import { ClientStatusSchema } from './allocation.js';
import { AllocNetworkStatusSchema } from './network-status.js';
import { ALLOC_UPDATE_GO_STRUCTS, NODE_GO_STRUCTS } from './node-agent-go-types.js';
import { NodeRegistrationSchema, type NodeRegistration } from './node.js';
import { TaskStateSchema } from './task-state.js';
import { goSlice, goString } from './wire.js';

/** The first issue of a failed parse, as one line: `<path>: <message>`. */
function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid body';
  const path = issue.path.join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** What {@link decodedBody} does before the schema: Go's decoding, or nothing. */
type Decode = (body: unknown) => { ok: true; value: unknown } | { ok: false; error: string };

/**
 * A body decoded by `decode` (Go's types and texts), then parsed by `schema` after `unwrap`,
 * failing with one complete 400 text (`Failed to decode body: <problem>`). Typed as accepting
 * `TIn` so ts-rest gives callers precise argument types.
 */
function decodedBody<TOut, TIn>(
  decode: Decode,
  unwrap: (body: unknown) => unknown,
  schema: z.ZodType<TOut, z.ZodTypeDef, unknown>,
) {
  return z.unknown().transform((body, ctx) => {
    const fail = (problem: string) => {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: failedToDecodeBody(problem),
        fatal: true,
      });
      return z.NEVER;
    };
    const decoded = decode(body);
    if (!decoded.ok) return fail(decoded.error);
    const parsed = schema.safeParse(unwrap(decoded.value));
    return parsed.success ? parsed.data : fail(issueText(parsed.error));
  }) as unknown as z.ZodType<TOut, z.ZodTypeDef, TIn>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Go's decoding of a body whose root is `root`; anything but an object (an absent body included)
 * is left to the schema, whose texts say what was expected.
 */
function goDecode(
  root: z.AnyZodObject,
  info: GoStruct,
  structs: ReadonlyMap<z.ZodTypeAny, GoStruct>,
): Decode {
  const decoder = goJsonDecoder(root, new Map([...structs, [root, info]]));
  return (body) => (isObject(body) ? decoder(body) : { ok: true, value: body });
}

// Nomad's NodeRegisterRequest wraps the node; berth also takes the node bare.
const NodeRegisterWrapper = z.object({ Node: NodeRegistrationSchema });
const decodeBareNode = goDecode(
  NodeRegistrationSchema,
  NODE_GO_STRUCTS.get(NodeRegistrationSchema)!,
  NODE_GO_STRUCTS,
);
const decodeWrappedNode = goDecode(
  NodeRegisterWrapper,
  { name: 'NodeRegisterRequest', type: 'structs.NodeRegisterRequest' },
  NODE_GO_STRUCTS,
);

/** A registration as a caller may send it: every field but `ID`, `SecretID` and the rest Nomad requires may be left out. */
export type NodeRegistrationInput = z.input<typeof NodeRegistrationSchema>;

/**
 * The body of `nodeAgent.register`: the node with its `SecretID`, either bare or wrapped as
 * Nomad's `NodeRegisterRequest` (`{"Node": {...}}`). Parses to the node; a node without a
 * `Status` is `initializing`.
 */
export const NodeRegisterRequestSchema = decodedBody<
  NodeRegistration,
  NodeRegistrationInput | { Node: NodeRegistrationInput }
>(
  (body) =>
    isObject(body) && isObject(body.Node) ? decodeWrappedNode(body) : decodeBareNode(body),
  (body) => {
    const node = isObject(body) && isObject(body.Node) ? body.Node : body;
    // A node that does not say its status starts `initializing`, as in Nomad.
    return isObject(node) && (node.Status === undefined || node.Status === '')
      ? { ...node, Status: 'initializing' }
      : node;
  },
  NodeRegistrationSchema,
);

/** A Go `uint64` (an index): an integer from 0 below 2^64; absent means `0`. */
const goUint64 = () =>
  z
    .number()
    .int()
    .nonnegative()
    .lt(2 ** 64)
    .default(0);

/** A Go `time.Duration`: integer nanoseconds within int64; absent means `0`. */
const goDuration = () =>
  z
    .number()
    .int()
    .gte(-(2 ** 63))
    .lt(2 ** 63)
    .default(0);

const NodeUpdateResponseShape = {
  /** How long the server waits for the next heartbeat, in nanoseconds (a Go duration). */
  HeartbeatTTL: goDuration(),
  /** The evaluations the update created (the node came up, went down, or changed). */
  EvalIDs: goSlice(z.string()),
  /** The index the evaluations were created at (0 if none). */
  EvalCreateIndex: goUint64(),
  /** The node's ModifyIndex after the update. */
  NodeModifyIndex: goUint64(),
  /** The index of the write. */
  Index: goUint64(),
};

/** The zod type of {@link NodeUpdateResponseSchema} (named, so declaration files stay small). */
export interface NodeUpdateResponseSchemaType extends z.ZodObject<typeof NodeUpdateResponseShape> {}

/**
 * Nomad's NodeUpdateResponse, the answer to a registration or a heartbeat: the heartbeat TTL the
 * agent must beat (nanoseconds), the evaluations created, and the indexes.
 */
export const NodeUpdateResponseSchema: NodeUpdateResponseSchemaType =
  z.object(NodeUpdateResponseShape);

/** A registration or heartbeat answer as sent on the wire. */
export type NodeUpdateResponse = z.infer<typeof NodeUpdateResponseSchema>;

const NodeHeartbeatShape = {
  /** The status the node reports; empty means `ready`. */
  Status: goString(),
};

/** The zod type of the heartbeat body (named, so declaration files stay small). */
export interface NodeHeartbeatBodySchemaType extends z.ZodObject<typeof NodeHeartbeatShape> {}

const NodeHeartbeatBodySchema: NodeHeartbeatBodySchemaType = z.object(NodeHeartbeatShape);

/** A parsed heartbeat body. */
export type NodeHeartbeatRequest = z.infer<typeof NodeHeartbeatBodySchema>;

/**
 * The body of `nodeAgent.heartbeat` (Nomad's NodeUpdateStatusRequest): an optional `Status`
 * (default `ready`). An empty body is allowed; other keys (`NodeID`) are ignored.
 */
export const NodeHeartbeatRequestSchema = decodedBody<
  NodeHeartbeatRequest,
  { Status?: string } | undefined
>(
  (body) => ({ ok: true, value: body }),
  (body) => body ?? {},
  NodeHeartbeatBodySchema,
);

const ClientAllocUpdateShape = {
  /** The allocation's ID. */
  ID: z.string().min(1),
  /** The node reporting; empty means the node of the path. */
  NodeID: goString(),
  /** What became of the allocation on the node. */
  ClientStatus: ClientStatusSchema,
  /** A human-readable reason for the status; absent keeps the stored one. */
  ClientDescription: z.string().optional(),
  /** The state of each task; absent keeps the stored states. */
  TaskStates: z.record(z.string(), TaskStateSchema).nullable().optional(),
  /** The allocation's network status; absent keeps the stored one. */
  NetworkStatus: AllocNetworkStatusSchema.nullable().optional(),
};

/** The zod type of {@link ClientAllocUpdateSchema} (named, so declaration files stay small). */
export interface ClientAllocUpdateSchemaType extends z.ZodObject<typeof ClientAllocUpdateShape> {}

/** The client side of one allocation, as its node agent reports it. */
export const ClientAllocUpdateSchema: ClientAllocUpdateSchemaType =
  z.object(ClientAllocUpdateShape);

/** One allocation update from a node agent. */
export type ClientAllocUpdate = z.infer<typeof ClientAllocUpdateSchema>;

const AllocUpdateBodyShape = {
  /** The updates (Nomad's `AllocUpdateRequest.Alloc` is accepted as well). */
  Allocs: z.array(ClientAllocUpdateSchema).min(1, 'must update at least one allocation'),
};

/** The zod type of the update body (named, so declaration files stay small). */
export interface AllocUpdateBodySchemaType extends z.ZodObject<typeof AllocUpdateBodyShape> {}

const AllocUpdateBodySchema: AllocUpdateBodySchemaType = z.object(AllocUpdateBodyShape);

/** A parsed update body. */
export type NodeAllocUpdateRequest = z.infer<typeof AllocUpdateBodySchema>;

/** An update as a caller may send it. */
export type ClientAllocUpdateInput = z.input<typeof ClientAllocUpdateSchema>;

// Describes the update to the decoder only: berth's `Allocs` and Nomad's `Alloc`.
const AllocUpdateFields = z.object({
  Allocs: z.array(ClientAllocUpdateSchema),
  Alloc: z.array(ClientAllocUpdateSchema),
});
const decodeAllocUpdate = goDecode(
  AllocUpdateFields,
  {
    name: 'AllocUpdateRequest',
    type: 'structs.AllocUpdateRequest',
    types: { Allocs: '[]*structs.Allocation', Alloc: '[]*structs.Allocation' },
  },
  new Map([
    ...ALLOC_UPDATE_GO_STRUCTS,
    [ClientAllocUpdateSchema, { name: 'Allocation', type: 'structs.Allocation' }],
  ]),
);

/**
 * The body of `nodeAgent.updateAllocations`: `{"Allocs": [...]}`, or Nomad's AllocUpdateRequest
 * `{"Alloc": [...]}`. Parses to `{Allocs}`; at least one update is required. Numbers (a task's
 * `Restarts`, its events' `Time`, `ExitCode`...) are checked as their Go types.
 */
export const NodeAllocUpdateRequestSchema = decodedBody<
  NodeAllocUpdateRequest,
  { Allocs: ClientAllocUpdateInput[] } | { Alloc: ClientAllocUpdateInput[] }
>(
  decodeAllocUpdate,
  (body) =>
    isObject(body) && body.Allocs === undefined && body.Alloc !== undefined
      ? { Allocs: body.Alloc }
      : body,
  AllocUpdateBodySchema,
);

const NodeAllocUpdateResponseShape = {
  /** The index of the write. */
  Index: goUint64(),
};

/** The zod type of {@link NodeAllocUpdateResponseSchema} (named, so declaration files stay small). */
export interface NodeAllocUpdateResponseSchemaType extends z.ZodObject<
  typeof NodeAllocUpdateResponseShape
> {}

/** The answer to an allocation update: the index it was applied at. */
export const NodeAllocUpdateResponseSchema: NodeAllocUpdateResponseSchemaType = z.object(
  NodeAllocUpdateResponseShape,
);

/** An allocation update answer as sent on the wire. */
export type NodeAllocUpdateResponse = z.infer<typeof NodeAllocUpdateResponseSchema>;
