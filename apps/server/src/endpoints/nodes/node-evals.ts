// Nomad's Node.createNodeEvals (nomad/node_endpoint.go): when a node goes down (or comes back),
// one `node-update` evaluation per job with allocations on it, so the scheduler marks them lost
// and replaces them.
import { EvalStatus, EvalTriggeredBy, EvaluationSchema, type Evaluation } from '@berth/contract';
import { randomUUID } from 'node:crypto';
import type { WriteTx } from '../../state/index.js';
import type { StateStore } from '../../state/index.js';

/** The evaluations for the jobs with allocations on `nodeID`, created at `tx.index`. */
export function nodeUpdateEvals(
  store: StateStore,
  tx: WriteTx,
  nodeID: string,
  now: number,
): Evaluation[] {
  const evals: Evaluation[] = [];
  const jobs = new Set<string>();
  for (const alloc of store.allocsByNode(nodeID)) {
    const key = `${alloc.Namespace}\u0000${alloc.JobID}`;
    const job = alloc.Job;
    if (jobs.has(key) || job === null) continue;
    const clientTerminal = ['complete', 'failed', 'lost'].includes(alloc.ClientStatus);
    const serverTerminal = alloc.DesiredStatus === 'stop' || alloc.DesiredStatus === 'evict';
    if (job.Type === 'service') {
      // Stopped by the servers and finished on the client: nothing left to do for it.
      if (serverTerminal && clientTerminal) continue;
    } else if (job.Type === 'batch') {
      // A finished batch allocation is never retried.
      if (clientTerminal) continue;
    } else {
      continue;
    }
    jobs.add(key);
    evals.push(
      EvaluationSchema.parse({
        ID: randomUUID(),
        Namespace: alloc.Namespace,
        Priority: job.Priority,
        Type: job.Type,
        TriggeredBy: EvalTriggeredBy.NodeUpdate,
        JobID: alloc.JobID,
        NodeID: nodeID,
        NodeModifyIndex: tx.index,
        Status: EvalStatus.Pending,
        CreateIndex: tx.index,
        ModifyIndex: tx.index,
        CreateTime: now,
        ModifyTime: now,
      }),
    );
  }
  for (const e of evals) tx.upsertEval(e);
  return evals;
}

/** Nomad's nodeStatusTransitionRequiresEval. */
export function transitionRequiresEval(next: string, previous: string): boolean {
  return (
    (previous === 'initializing' && next === 'ready') ||
    (previous === 'down' && next === 'ready') ||
    (previous === 'disconnected' && next !== 'disconnected') ||
    (previous !== 'disconnected' && next === 'disconnected')
  );
}

/** Nomad's ShouldDrainNode: a node that goes down has its allocations evaluated. */
export function shouldDrainNode(status: string): boolean {
  return status === 'down';
}

/** The node statuses an update may set (Nomad's ValidNodeStatus). */
export const NODE_STATUSES: readonly string[] = ['initializing', 'ready', 'down', 'disconnected'];
