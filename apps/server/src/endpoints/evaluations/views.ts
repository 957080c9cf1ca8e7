// The wire view of a stored evaluation: every field Nomad sends (an evaluation stored before a
// field was added lacks it), `WaitUntil` as Go's zero time when unset, and never the leader's ACL
// token.
import { EvaluationSchema, type Evaluation } from '@berth/contract';
import { storedDefaults, wireTime } from '../stored-defaults.js';

const filled = storedDefaults(EvaluationSchema);
const cache = new WeakMap<Evaluation, Evaluation>();

/** The evaluation as answered (built once per stored version). */
export function evalView(e: Evaluation): Evaluation {
  let view = cache.get(e);
  if (view === undefined) {
    view = { ...filled(e), LeaderACL: '', WaitUntil: wireTime(e.WaitUntil) };
    cache.set(e, view);
  }
  return view;
}
