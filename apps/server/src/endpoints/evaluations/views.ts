// The wire view of a stored evaluation: Nomad never sends the leader's ACL token to a client.
import type { Evaluation } from '@berth/contract';

const cache = new WeakMap<Evaluation, Evaluation>();

/** The evaluation as answered: `LeaderACL` blanked (built once per stored version). */
export function evalView(e: Evaluation): Evaluation {
  if (e.LeaderACL === '') return e;
  let view = cache.get(e);
  if (view === undefined) {
    view = { ...e, LeaderACL: '' };
    cache.set(e, view);
  }
  return view;
}
