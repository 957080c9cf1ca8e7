// Nomad's getClientStatus (client/allocrunner/alloc_runner.go): the allocation's ClientStatus as
// its tasks' states say: any failed task fails it, then pending, running, complete in that order.
import type { Allocation, TaskState } from '@berth/contract';

export interface DerivedClientStatus {
  ClientStatus: Allocation['ClientStatus'];
  ClientDescription: string;
}

export function clientStatusOf(states: Record<string, TaskState>): DerivedClientStatus {
  let pending = false;
  let running = false;
  let dead = false;
  let failed = false;
  for (const state of Object.values(states)) {
    if (state.State === 'running') running = true;
    else if (state.State === 'pending') pending = true;
    else if (state.Failed) failed = true;
    else dead = true;
  }
  if (failed) return { ClientStatus: 'failed', ClientDescription: 'Failed tasks' };
  if (pending) return { ClientStatus: 'pending', ClientDescription: 'No tasks have started' };
  if (running) return { ClientStatus: 'running', ClientDescription: 'Tasks are running' };
  if (dead) return { ClientStatus: 'complete', ClientDescription: 'All tasks have completed' };
  return { ClientStatus: 'pending', ClientDescription: '' };
}
