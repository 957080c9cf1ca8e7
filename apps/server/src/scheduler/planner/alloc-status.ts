// Nomad's allocation status predicates (nomad/structs/alloc.go) as the plan applier and the
// blocked-evals tracker need them.
import type { Allocation } from '@berth/contract';

/** The client will not run it again: complete, failed or lost. */
export function clientTerminal(a: Allocation): boolean {
  return a.ClientStatus === 'complete' || a.ClientStatus === 'failed' || a.ClientStatus === 'lost';
}

/** Terminal on either side: DesiredStatus stop/evict, or a terminal client status. */
export function terminal(a: Allocation): boolean {
  return a.DesiredStatus === 'stop' || a.DesiredStatus === 'evict' || clientTerminal(a);
}
