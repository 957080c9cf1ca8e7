// Node.Register (nomad/node_endpoint.go): a node agent registers (or re-registers) its node. A
// new node starts `initializing` unless it says otherwise; a known node keeps its status (only
// status updates change it) and must present the same secret.
import {
  multiError,
  NodeSchedulingEligibility,
  NodeStatus,
  type NodeEvent,
  type NodeRegistration,
} from '@berth/contract';
import type { Node } from '@berth/contract';
import type { EndpointContext } from '../context.js';
import { badRequest } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import {
  NODE_STATUSES,
  nodeUpdateEvals,
  shouldDrainNode,
  transitionRequiresEval,
} from './node-evals.js';
import { checkNodeSecretFormat, registrationNodeId } from './lookup.js';
import { nodeResourceProblems } from './node-resources.js';
import type { NodeUpdateResult } from './update-status.js';

/** Nomad's NodeRegisterRequest.Validate, in its order. */
function validate(node: NodeRegistration): void {
  if (node.ID === '') throw badRequest('missing node ID for client registration');
  if (node.Datacenter === '') throw badRequest('missing datacenter for client registration');
  if (node.Name === '') throw badRequest('missing node name for client registration');
  if (Object.keys(node.Attributes ?? {}).length === 0) {
    throw badRequest('missing attributes for client registration');
  }
  if (node.SecretID === '') throw badRequest('missing node secret ID for client registration');
  if (node.NodePool === 'all') {
    throw badRequest('node is not allowed to register in node pool "all"');
  }
}

/**
 * What of a node the scheduler's feasibility checks read (Nomad's shouldCreateNodeEval). A
 * driver's UpdateTime is read by none: Nomad compares it too, so every agent restart (a fresh
 * fingerprint) re-evaluated every job on the node; berth leaves it out.
 */
function feasibilityOf(n: Node): string {
  const drivers = Object.entries(n.Drivers ?? {}).map(([name, d]) => [
    name,
    { ...d, UpdateTime: undefined },
  ]);
  return JSON.stringify([n.Datacenter, n.Name, n.NodeClass, n.Attributes, n.Meta, drivers]);
}

function secretOf(n: Node): string {
  return (n as Partial<NodeRegistration>).SecretID ?? '';
}

/**
 * Registers a node. The stored node keeps its SecretID (never sent by the API). Creates
 * `node-update` evaluations when the node comes up ready or changes what feasibility reads.
 * The node's ID must be a UUID, stored in lower case (Nomad's UUID index makes `ABC...` and
 * `abc...` one node too). `authorize`, given the node as stored (`undefined` for a new one),
 * throws to refuse the registration; it runs inside the write, so no other registration of the
 * same node comes between the check and the write.
 */
export async function registerNode(
  ctx: EndpointContext,
  given: NodeRegistration,
  authorize?: (original: Node | undefined) => void,
): Promise<NodeUpdateResult> {
  validate(given);
  const status = given.Status || NodeStatus.Initializing;
  if (!NODE_STATUSES.includes(status)) throw badRequest('invalid status for node');
  const registration: NodeRegistration = { ...given, ID: registrationNodeId(given.ID) };
  const problems = nodeResourceProblems(registration);
  if (problems.length > 0) {
    throw badRequest(`invalid node resources: ${multiError(problems)}`);
  }
  const now = nowNanos();
  let evalIDs: string[] = [];
  const index = await ctx.store.write((tx) => {
    const original = tx.node(registration.ID);
    authorize?.(original);
    if (
      original !== undefined &&
      secretOf(original) !== '' &&
      secretOf(original) !== registration.SecretID
    ) {
      throw badRequest('node secret ID does not match. Not registering node.');
    }
    // Internal callers (scheduler tests, benchmarks) register nodes without a secret.
    const secret = (registration as Partial<NodeRegistration>).SecretID;
    if (secret !== undefined) checkNodeSecretFormat(secret);
    const event: NodeEvent = {
      Message: 'Node registered',
      Subsystem: 'Cluster',
      Details: null,
      Timestamp: new Date(now / 1e6).toISOString(),
      CreateIndex: tx.index,
    };
    const node: NodeRegistration = {
      ...registration,
      Status: original?.Status || status,
      // A node registering again keeps what the servers decided for it (Nomad's
      // upsertNodeTxn): its eligibility, drain and last drain.
      SchedulingEligibility: original
        ? original.SchedulingEligibility
        : registration.SchedulingEligibility || NodeSchedulingEligibility.Eligible,
      DrainStrategy: original ? original.DrainStrategy : registration.DrainStrategy,
      LastDrain: original ? original.LastDrain : registration.LastDrain,
      NodePool: registration.NodePool || 'default',
      StatusUpdatedAt: Math.floor(now / 1e9),
      Events: original === undefined ? [event] : original.Events,
      CreateIndex: original?.CreateIndex ?? tx.index,
      ModifyIndex: tx.index,
    };
    tx.upsertNode(node);
    const wantsEvals =
      shouldDrainNode(node.Status) ||
      transitionRequiresEval(node.Status, original?.Status ?? NodeStatus.Initializing) ||
      (original !== undefined && feasibilityOf(original) !== feasibilityOf(node));
    if (wantsEvals) evalIDs = nodeUpdateEvals(ctx.store, tx, node.ID, now).map((e) => e.ID);
  });
  return {
    index,
    nodeModifyIndex: index,
    evalIDs,
    evalCreateIndex: evalIDs.length > 0 ? index : 0,
  };
}
