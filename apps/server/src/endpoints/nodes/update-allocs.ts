// Node.UpdateAlloc (nomad/node_endpoint.go): a node agent reports what became of its allocations
// (client status, task states). A failed allocation the reschedule policy still allows to be
// replaced gets an `alloc-failure` evaluation for its job, in the same write; so does an
// allocation whose job is gone (`job-deregister`, and it is stopped) or that reconnects.
import {
  EvalStatus,
  EvalTriggeredBy,
  EvaluationSchema,
  type Allocation,
  type Evaluation,
} from '@berth/contract';
import { randomUUID } from 'node:crypto';
import type { EndpointContext } from '../context.js';
import { badRequest, conflict, notFound } from '../endpoint-error.js';
import { nowNanos } from '../time.js';
import { rescheduleEligible } from './reschedule-eligible.js';

/** What an agent reports of one allocation: the client side of it. */
export type ClientAllocUpdate = Pick<Allocation, 'ID' | 'NodeID' | 'ClientStatus'> &
  Partial<Pick<Allocation, 'ClientDescription' | 'TaskStates' | 'NetworkStatus'>>;

export interface UpdateAllocsResult {
  index: number;
  evalIDs: string[];
}

const CLIENT_TERMINAL = new Set(['complete', 'failed', 'lost']);

/** Applies one agent report; every allocation must be on the node of the first one. */
export async function updateAllocsFromClient(
  ctx: EndpointContext,
  updates: readonly ClientAllocUpdate[],
): Promise<UpdateAllocsResult> {
  const first = updates[0];
  if (first === undefined) throw badRequest('must update at least one allocation');
  const nodeID = first.NodeID;
  if (nodeID === '') throw badRequest('missing node ID');
  const node = ctx.store.nodeByID(nodeID);
  if (node === undefined) throw notFound(`node ${nodeID} not found`);
  if (node.Status === 'down' || node.Status === 'disconnected') {
    throw conflict(`node ${nodeID} is not allowed to update allocs while in status ${node.Status}`);
  }

  const now = nowNanos();
  const evalIDs: string[] = [];
  const index = await ctx.store.write((tx) => {
    const evaluated = new Set<string>();
    for (const update of updates) {
      const existing = tx.alloc(update.ID);
      // Unknown allocations are ignored; a node reports only its own.
      if (existing === undefined || existing.NodeID !== nodeID) continue;
      const updated: Allocation = {
        ...existing,
        ClientStatus: update.ClientStatus,
        ClientDescription: update.ClientDescription ?? existing.ClientDescription,
        TaskStates: update.TaskStates ?? existing.TaskStates,
        NetworkStatus: update.NetworkStatus ?? existing.NetworkStatus,
        ModifyIndex: tx.index,
        ModifyTime: now,
      };

      const trigger = evalTrigger(
        existing,
        updated,
        tx.job(existing.Namespace, existing.JobID),
        now,
      );
      if (trigger === EvalTriggeredBy.JobDeregister) updated.DesiredStatus = 'stop';
      tx.upsertAlloc(updated);
      if (trigger === undefined) continue;
      const key = `${existing.Namespace}\u0000${existing.JobID}\u0000${trigger}`;
      if (evaluated.has(key)) continue;
      evaluated.add(key);
      const job = tx.job(existing.Namespace, existing.JobID) ?? existing.Job;
      const e = clientEval(existing, trigger, job?.Type ?? '', job?.Priority ?? 0, now, tx.index);
      tx.upsertEval(e);
      evalIDs.push(e.ID);
    }
  });
  return { index, evalIDs };
}

/** Why the update needs an evaluation, if it does (the order of Nomad's checks). */
function evalTrigger(
  existing: Allocation,
  updated: Allocation,
  job: ReturnType<EndpointContext['store']['jobByID']>,
  now: number,
): string | undefined {
  const terminal =
    updated.DesiredStatus === 'stop' ||
    updated.DesiredStatus === 'evict' ||
    CLIENT_TERMINAL.has(updated.ClientStatus);
  if (!terminal && existing.ClientStatus !== 'unknown') return undefined;
  if (job === undefined) return EvalTriggeredBy.JobDeregister;
  let trigger: string | undefined;
  if (updated.ClientStatus === 'failed' && existing.FollowupEvalID === '') {
    const group = job.TaskGroups?.find((tg) => tg.Name === existing.TaskGroup);
    if (group === undefined) return undefined;
    if (rescheduleEligible(existing, group.ReschedulePolicy, now)) {
      trigger = EvalTriggeredBy.RetryFailedAlloc;
    }
  }
  if (existing.ClientStatus === 'unknown') trigger = EvalTriggeredBy.Reconnect;
  return trigger;
}

function clientEval(
  alloc: Allocation,
  trigger: string,
  type: string,
  priority: number,
  now: number,
  index: number,
): Evaluation {
  return EvaluationSchema.parse({
    ID: randomUUID(),
    Namespace: alloc.Namespace,
    Priority: priority,
    Type: type,
    TriggeredBy: trigger,
    JobID: alloc.JobID,
    Status: EvalStatus.Pending,
    CreateIndex: index,
    ModifyIndex: index,
    CreateTime: now,
    ModifyTime: now,
  });
}
