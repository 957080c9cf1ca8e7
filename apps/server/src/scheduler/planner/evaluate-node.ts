// Nomad's evaluateNodePlan (nomad/plan_apply.go): whether a plan's part for one node can still be
// committed against the node as it is now.
import type { Allocation } from '@berth/contract';
import type { StateStore } from '../../state/index.js';
import { holdsResources } from '../capacity.js';
import type { Plan } from '../types.js';
import { allocsFit } from './fit.js';

export type NodeVerdict = { fit: true } | { fit: false; reason: string };

const FITS: NodeVerdict = { fit: true };

/**
 * A node's stops always fit. Placements need the node to exist, be `ready` and `eligible`, and to
 * hold the allocations that hold room there (../capacity.ts: not stopped, not finished), less
 * those the plan stops or replaces, plus the placements.
 * On a `down` node only updates that mark allocations `lost` are accepted.
 */
export function evaluateNodePlan(store: StateStore, plan: Plan, nodeID: string): NodeVerdict {
  const placements = plan.nodeAllocation.get(nodeID) ?? [];
  if (placements.length === 0) return FITS;

  const node = store.nodeByID(nodeID);
  if (node === undefined) return { fit: false, reason: 'node does not exist' };
  if (node.Status === 'down') {
    return placements.every((a) => a.ClientStatus === 'lost')
      ? FITS
      : { fit: false, reason: 'node is down and contains invalid updates' };
  }
  if (node.Status === 'disconnected') {
    return placements.every((a) => a.ClientStatus === 'unknown')
      ? FITS
      : { fit: false, reason: 'node is disconnected and contains invalid updates' };
  }
  if (node.Status !== 'ready') return { fit: false, reason: 'node is not ready for placements' };

  const existing = store.allocsByNode(nodeID).filter(holdsResources);
  // Only in-place updates of allocations already there: no new room is needed.
  const existingIDs = new Set(existing.map((a) => a.ID));
  if (placements.every((a) => existingIDs.has(a.ID))) return FITS;
  if (node.SchedulingEligibility === 'ineligible') {
    return { fit: false, reason: 'node is not eligible' };
  }

  const removed = new Set<string>();
  for (const a of plan.nodeUpdate.get(nodeID) ?? []) removed.add(a.ID);
  for (const a of placements) removed.add(a.ID);
  const proposed: Allocation[] = existing.filter((a) => !removed.has(a.ID));
  proposed.push(...placements);
  const verdict = allocsFit(node, proposed);
  return verdict.fit ? FITS : { fit: false, reason: verdict.dimension };
}
