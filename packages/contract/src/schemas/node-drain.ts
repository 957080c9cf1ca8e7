// Node drain and scheduling eligibility (Nomad's `/v1/node/:id/drain` and `/eligibility`): the
// request bodies as Nomad's agent decodes them (api.NodeUpdateDrainRequest,
// structs.NodeUpdateEligibilityRequest) and their answers. The node's own `DrainStrategy` and
// `LastDrain` are in `node.ts`.
import { z } from 'zod';
import { ErrorText } from '../errors.js';
import { goJsonDecoder, type GoStruct } from '../go/json-decode.js';
import { goInt, goSlice } from './wire.js';

/** Nomad's api.DrainSpec as a caller writes it. */
export interface DrainSpec {
  /**
   * How long the drain may take, nanoseconds: above 0, allocations still on the node at the
   * deadline are stopped; 0 means no deadline; -1 forces the drain (everything stops at once).
   */
  Deadline: number;
  /** Leave the allocations of system jobs running. */
  IgnoreSystemJobs: boolean;
}

/** A parsed drain body (Nomad's api.NodeUpdateDrainRequest). */
export interface NodeUpdateDrainRequest {
  /** Ignored: the path names the node, as in Nomad. */
  NodeID: string;
  /** The drain to start or update; `null` cancels a drain. */
  DrainSpec: DrainSpec | null;
  /** With no DrainSpec, also make the node eligible for scheduling again. */
  MarkEligible: boolean;
  /** Recorded in the node's `LastDrain.Meta` (e.g. `message`). */
  Meta: Record<string, string> | null;
}

/** A drain body as a caller writes it: every field optional. */
export type NodeUpdateDrainRequestInput = {
  NodeID?: string;
  DrainSpec?: Partial<DrainSpec> | null;
  MarkEligible?: boolean;
  Meta?: Record<string, string> | null;
};

const DrainSpecFields = z.object({ Deadline: z.number(), IgnoreSystemJobs: z.boolean() });
const DrainRequestFields = z.object({
  NodeID: z.string(),
  DrainSpec: DrainSpecFields,
  MarkEligible: z.boolean(),
  Meta: z.record(z.string(), z.string()),
});

const decodeDrainRequest = goJsonDecoder(
  DrainRequestFields,
  new Map<z.ZodTypeAny, GoStruct>([
    [DrainRequestFields, { name: 'NodeUpdateDrainRequest', type: 'api.NodeUpdateDrainRequest' }],
    [
      DrainSpecFields,
      { name: 'DrainSpec', type: 'api.DrainSpec', types: { Deadline: 'time.Duration' } },
    ],
  ]),
);

/** Fails a zod transform with a bare message (the complete 400 text). */
function failWith(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message, fatal: true });
  return z.NEVER;
}

/**
 * The body of a drain update, decoded as Nomad's agent decodes it (Go's encoding/json; a value of
 * the wrong kind or out of its Go type's range fails with Go's text); no body is
 * `Request body is empty`.
 */
export const NodeUpdateDrainRequestSchema = z
  .unknown()
  .transform((body, ctx): NodeUpdateDrainRequest => {
    if (body === undefined) return failWith(ctx, ErrorText.RequestBodyIsEmpty);
    const decoded = decodeDrainRequest(body);
    if (!decoded.ok) return failWith(ctx, decoded.error);
    const v = decoded.value as Partial<{
      NodeID: string;
      DrainSpec: Partial<DrainSpec>;
      MarkEligible: boolean;
      Meta: Record<string, string>;
    }>;
    return {
      NodeID: v.NodeID ?? '',
      DrainSpec:
        v.DrainSpec === undefined
          ? null
          : {
              Deadline: v.DrainSpec.Deadline ?? 0,
              IgnoreSystemJobs: v.DrainSpec.IgnoreSystemJobs ?? false,
            },
      MarkEligible: v.MarkEligible ?? false,
      Meta: v.Meta ?? null,
    };
  }) as unknown as z.ZodType<NodeUpdateDrainRequest, z.ZodTypeDef, NodeUpdateDrainRequestInput>;

/** A parsed eligibility body (Nomad's structs.NodeUpdateEligibilityRequest). */
export interface NodeUpdateEligibilityRequest {
  /** The node; empty means the path's (a body's ID wins, as in Nomad). */
  NodeID: string;
  /** `eligible` or `ineligible`; anything else is refused by the server with Nomad's text. */
  Eligibility: string;
}

/** An eligibility body as a caller writes it. */
export type NodeUpdateEligibilityRequestInput = Partial<NodeUpdateEligibilityRequest>;

const EligibilityRequestFields = z.object({ NodeID: z.string(), Eligibility: z.string() });

const decodeEligibilityRequest = goJsonDecoder(
  EligibilityRequestFields,
  new Map<z.ZodTypeAny, GoStruct>([
    [
      EligibilityRequestFields,
      { name: 'NodeUpdateEligibilityRequest', type: 'structs.NodeUpdateEligibilityRequest' },
    ],
  ]),
);

/** The body of an eligibility update, decoded as Nomad's agent decodes it. */
export const NodeUpdateEligibilityRequestSchema = z
  .unknown()
  .transform((body, ctx): NodeUpdateEligibilityRequest => {
    if (body === undefined) return failWith(ctx, ErrorText.RequestBodyIsEmpty);
    const decoded = decodeEligibilityRequest(body);
    if (!decoded.ok) return failWith(ctx, decoded.error);
    const v = decoded.value as Partial<NodeUpdateEligibilityRequest>;
    return { NodeID: v.NodeID ?? '', Eligibility: v.Eligibility ?? '' };
  }) as unknown as z.ZodType<
  NodeUpdateEligibilityRequest,
  z.ZodTypeDef,
  NodeUpdateEligibilityRequestInput
>;

const NodeWriteResponseShape = {
  /** The evaluations the update created (`null` when none). */
  EvalIDs: goSlice(z.string()),
  /** The index they were created at (0 when none). */
  EvalCreateIndex: goInt(),
  /** The node's ModifyIndex after the update. */
  NodeModifyIndex: goInt(),
  /** The index of the write. */
  Index: goInt(),
};

/** The zod type of the two update answers (named, so declaration files stay small). */
export interface NodeWriteResponseSchemaType extends z.ZodObject<typeof NodeWriteResponseShape> {}

/** The answer of a drain update (Nomad's NodeDrainUpdateResponse). */
export const NodeDrainUpdateResponseSchema: NodeWriteResponseSchemaType =
  z.object(NodeWriteResponseShape);

/** A drain update answer as sent on the wire. */
export type NodeDrainUpdateResponse = z.infer<typeof NodeDrainUpdateResponseSchema>;

/** The answer of an eligibility update (Nomad's NodeEligibilityUpdateResponse). */
export const NodeEligibilityUpdateResponseSchema: NodeWriteResponseSchemaType =
  z.object(NodeWriteResponseShape);

/** An eligibility update answer as sent on the wire. */
export type NodeEligibilityUpdateResponse = z.infer<typeof NodeEligibilityUpdateResponseSchema>;
