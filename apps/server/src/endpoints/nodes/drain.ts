// Node.UpdateDrain (nomad/node_endpoint.go) and the state store's updateNodeDrainImpl: start,
// update or cancel a node's drain. A drain sets the node's DrainStrategy and makes it ineligible;
// the drainer (scheduler/drainer/) then migrates its allocations. Cancelling clears the strategy
// and leaves the node ineligible unless MarkEligible, which then also creates evaluations for
// the jobs on it, as making a node eligible does.
import {
  ErrorText,
  NodeSchedulingEligibility,
  type DrainMetadata,
  type DrainSpec,
  type DrainStrategy,
  type Node,
} from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest, forbidden, notFound } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { findNode } from './lookup.js';
import { withNodeEvent } from './node-event.js';
import { nodeUpdateEvals } from './node-evals.js';
import type { NodeUpdateResult } from './update-status.js';

/** Nomad's drain node events (Subsystem `Drain`). */
export const NodeDrainEvent = {
  Set: 'Node drain strategy set',
  Updated: 'Node drain strategy updated',
  Disabled: 'Node drain disabled',
  Complete: 'Node drain complete',
} as const;

/** Nomad's DrainStatus values of `LastDrain.Status`. */
export const DrainStatus = {
  Draining: 'draining',
  Complete: 'complete',
  Canceled: 'canceled',
} as const;

/** Go's zero time as Nomad's JSON writes it (a drain without a deadline). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** The longest deadline a drain may ask for: Go's int64 nanoseconds, within a JS timer's reach. */
const MAX_DEADLINE_NS = Number.MAX_SAFE_INTEGER;

export interface UpdateDrainRequest {
  token: string;
  nodeID: string;
  /** The drain to set; `null` cancels. */
  drainSpec: DrainSpec | null;
  markEligible: boolean;
  meta: Record<string, string> | null;
}

export async function updateNodeDrain(
  ctx: EndpointContext,
  request: UpdateDrainRequest,
): Promise<NodeUpdateResult> {
  const identity = ctx.acl.resolve(request.token);
  // Nomad's checkNodeDrainAuth: node:write, or the node's own agent draining itself.
  const ownNode = identity.nodeID !== undefined && identity.nodeID === request.nodeID.toLowerCase();
  if (!identity.allowsNodeWrite() && !ownNode) throw forbidden();
  if (request.nodeID === '') throw badRequest('missing node ID for drain update');
  const spec = request.drainSpec;
  if (spec !== null) {
    // Go takes any int64; berth refuses what it cannot honour rather than misreading it.
    if (!Number.isSafeInteger(spec.Deadline) || spec.Deadline < -1) {
      throw badRequest(
        `invalid drain deadline ${spec.Deadline}: nanoseconds, 0 (none), -1 (force) or up to ${MAX_DEADLINE_NS}`,
      );
    }
  }
  const node = findNode(ctx, request.nodeID);
  if (node === undefined) throw notFound(ErrorText.NodeNotFound);
  const updatedBy = ownNode
    ? `client:${identity.nodeID}`
    : updatedByToken(ctx.store.aclTokenBySecret(request.token)?.AccessorID);

  const now = nowNanos();
  let evalIDs: string[] = [];
  let nodeModifyIndex = 0;
  const index = await ctx.store.write((tx) => {
    const current = tx.node(node.ID);
    if (current === undefined) throw notFound(ErrorText.NodeNotFound);
    tx.upsertNode(drainedNode(current, spec, request, updatedBy, tx.index, now));
    nodeModifyIndex = tx.index;
    const becomesEligible =
      current.SchedulingEligibility === NodeSchedulingEligibility.Ineligible &&
      request.markEligible &&
      spec === null;
    if (becomesEligible) evalIDs = nodeUpdateEvals(ctx.store, tx, node.ID, now).map((e) => e.ID);
  });
  return { index, nodeModifyIndex, evalIDs, evalCreateIndex: evalIDs.length > 0 ? index : 0 };
}

/**
 * Who asked, as Nomad records it in `LastDrain.AccessorID` (AuthenticatedIdentity.String):
 * `token:<accessor>` for an ACL token, `client:<node>` for a node's own agent; empty without a
 * token (Nomad writes the caller's TLS name and address, which endpoints do not see).
 */
function updatedByToken(accessorID: string | undefined): string {
  return accessorID === undefined ? '' : `token:${accessorID}`;
}

/** The node after the drain update, as Nomad's updateNodeDrainImpl makes it. */
function drainedNode(
  current: Node,
  spec: DrainSpec | null,
  request: UpdateDrainRequest,
  updatedBy: string,
  index: number,
  now: number,
): Node {
  const nowIso = new Date(now / 1e6).toISOString();
  const strategy: DrainStrategy | null =
    spec === null
      ? null
      : {
          Deadline: spec.Deadline,
          IgnoreSystemJobs: spec.IgnoreSystemJobs,
          ForceDeadline:
            spec.Deadline > 0
              ? new Date(now / 1e6 + spec.Deadline / 1e6).toISOString()
              : GO_ZERO_TIME,
          StartedAt: current.DrainStrategy?.StartedAt ?? nowIso,
        };
  const previous = current.DrainStrategy;
  let message: string | undefined;
  if (previous === null && strategy !== null) message = NodeDrainEvent.Set;
  else if (previous !== null && strategy !== null) message = NodeDrainEvent.Updated;
  else if (previous !== null && strategy === null) message = NodeDrainEvent.Disabled;

  let eligibility = current.SchedulingEligibility;
  if (strategy !== null) eligibility = NodeSchedulingEligibility.Ineligible;
  else if (request.markEligible) eligibility = NodeSchedulingEligibility.Eligible;

  return {
    ...current,
    DrainStrategy: strategy,
    SchedulingEligibility: eligibility,
    LastDrain: lastDrain(current, strategy, request.meta, nowIso, false, updatedBy),
    Events:
      message === undefined
        ? current.Events
        : withNodeEvent(current.Events, message, 'Drain', index, now),
    StatusUpdatedAt: Math.floor(now / 1e9),
    ModifyIndex: index,
  };
}

/**
 * `LastDrain` after a drain write (Nomad's updateNodeDrainImpl): a new drain starts a new record,
 * an update or the end refreshes it; a write that neither was nor is a drain leaves it alone.
 */
export function lastDrain(
  current: Node,
  next: DrainStrategy | null,
  meta: Record<string, string> | null,
  nowIso: string,
  completed: boolean,
  updatedBy = '',
): DrainMetadata | null {
  if (current.DrainStrategy === null && next === null) return current.LastDrain;
  // Nomad keeps these at second precision.
  const updatedAt = new Date(Math.floor(Date.parse(nowIso) / 1000) * 1000).toISOString();
  const base: DrainMetadata =
    current.DrainStrategy === null || current.LastDrain === null
      ? { StartedAt: updatedAt, UpdatedAt: updatedAt, Status: '', AccessorID: '', Meta: meta }
      : { ...current.LastDrain };
  return {
    ...base,
    UpdatedAt: updatedAt,
    Meta: meta !== null && Object.keys(meta).length > 0 ? meta : base.Meta,
    // The drainer's completion names no one: the operator who started it is kept.
    AccessorID: updatedBy !== '' ? updatedBy : base.AccessorID,
    Status:
      next !== null
        ? DrainStatus.Draining
        : completed
          ? DrainStatus.Complete
          : DrainStatus.Canceled,
  };
}
