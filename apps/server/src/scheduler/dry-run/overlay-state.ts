// The read-only view a job plan schedules against (Nomad's Job.Plan upserts the job into a state
// snapshot): the state store as it is, with the proposed job version in place of the stored one.
// Nothing is written; the commit listeners a scheduler registers through it are removed on close.
import type { Job } from '@berth/contract';
import type { StateStore } from '../../state/index.js';
import type { SchedulerState } from '../types.js';

/** A {@link SchedulerState} that a plan's scheduler reads, closed when the plan is done. */
export interface OverlayState extends SchedulerState {
  /** Removes the commit listeners registered through this view. */
  close(): void;
}

/**
 * `store` with `job` as the current version of its job (and as that version number). `job` is
 * null when the plan proposes no change: the scheduler then reads the stored job, as Nomad's plan
 * does for an unchanged spec.
 */
export function overlayState(store: StateStore, job: Job | null): OverlayState {
  const unsubscribes = new Set<() => void>();
  const proposed = (namespace: string, id: string): boolean =>
    job !== null && job.Namespace === namespace && job.ID === id;
  return {
    onCommit(listener) {
      const off = store.onCommit(listener);
      unsubscribes.add(off);
      return () => {
        unsubscribes.delete(off);
        off();
      };
    },
    allocByID: (id, ws) => store.allocByID(id, ws),
    allocsByJob: (namespace, jobID, ws) => store.allocsByJob(namespace, jobID, ws),
    allocsByNode: (nodeID, ws) => store.allocsByNode(nodeID, ws),
    evalByID: (id, ws) => store.evalByID(id, ws),
    jobByID: (namespace, id, ws) =>
      job !== null && proposed(namespace, id) ? job : store.jobByID(namespace, id, ws),
    jobVersion: (namespace, id, version, ws) =>
      job !== null && proposed(namespace, id) && job.Version === version
        ? job
        : store.jobVersion(namespace, id, version, ws),
    nodeByID: (id, ws) => store.nodeByID(id, ws),
    nodes: (ws) => store.nodes(ws),
    latestIndex: () => store.latestIndex(),
    close() {
      for (const off of unsubscribes) off();
      unsubscribes.clear();
    },
  };
}
