// Node.UpdateEligibility (nomad/node_endpoint.go): an operator marks a node eligible or
// ineligible for new placements. Making it eligible again creates `node-update` evaluations for
// the jobs on it in the same write (Nomad's createNodeEvals); blocked evaluations wake on their
// own when a node becomes usable (scheduler/blocked).
import { ErrorText, NodeSchedulingEligibility } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest, forbidden, notFound } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { findNode } from './lookup.js';
import { withNodeEvent } from './node-event.js';
import { nodeUpdateEvals } from './node-evals.js';
import type { NodeUpdateResult } from './update-status.js';

/** Nomad's node event texts. */
export const NodeEligibilityEvent = {
  Eligible: 'Node marked as eligible for scheduling',
  Ineligible: 'Node marked as ineligible for scheduling',
} as const;

/** Nomad's text for making a draining node eligible. */
export const ELIGIBLE_WHILE_DRAINING =
  "can not set node's scheduling eligibility to eligible while it is draining";

export interface UpdateEligibilityRequest {
  token: string;
  nodeID: string;
  eligibility: string;
}

export async function updateNodeEligibility(
  ctx: EndpointContext,
  request: UpdateEligibilityRequest,
): Promise<NodeUpdateResult> {
  const identity = ctx.acl.resolve(request.token);
  if (!identity.allowsNodeWrite()) throw forbidden();
  if (request.nodeID === '') throw badRequest('missing node ID for setting scheduling eligibility');
  const eligibility = request.eligibility;
  if (
    eligibility !== NodeSchedulingEligibility.Eligible &&
    eligibility !== NodeSchedulingEligibility.Ineligible
  ) {
    throw badRequest(`invalid scheduling eligibility ${JSON.stringify(eligibility)}`);
  }
  const node = findNode(ctx, request.nodeID);
  if (node === undefined) throw notFound(ErrorText.NodeNotFound);
  if (node.DrainStrategy !== null && eligibility === NodeSchedulingEligibility.Eligible) {
    throw badRequest(ELIGIBLE_WHILE_DRAINING);
  }
  // Nothing to do: Nomad answers without a write (all zero).
  if (node.SchedulingEligibility === eligibility) {
    return { index: 0, nodeModifyIndex: 0, evalIDs: [], evalCreateIndex: 0 };
  }

  const now = nowNanos();
  let evalIDs: string[] = [];
  const index = await ctx.store.write((tx) => {
    const current = tx.node(node.ID);
    if (current === undefined) throw notFound(ErrorText.NodeNotFound);
    if (current.DrainStrategy !== null && eligibility === NodeSchedulingEligibility.Eligible) {
      throw badRequest(ELIGIBLE_WHILE_DRAINING);
    }
    const message =
      eligibility === NodeSchedulingEligibility.Eligible
        ? NodeEligibilityEvent.Eligible
        : NodeEligibilityEvent.Ineligible;
    tx.upsertNode({
      ...current,
      SchedulingEligibility: eligibility,
      Events: withNodeEvent(current.Events, message, 'Cluster', tx.index, now),
      StatusUpdatedAt: Math.floor(now / 1e9),
      ModifyIndex: tx.index,
    });
    if (
      current.SchedulingEligibility === NodeSchedulingEligibility.Ineligible &&
      eligibility === NodeSchedulingEligibility.Eligible
    ) {
      evalIDs = nodeUpdateEvals(ctx.store, tx, node.ID, now).map((e) => e.ID);
    }
  });
  return {
    index,
    nodeModifyIndex: index,
    evalIDs,
    evalCreateIndex: evalIDs.length > 0 ? index : 0,
  };
}
