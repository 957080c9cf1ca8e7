// The constraint and affinity diffs that a job, each group and each task all have.
import type { ObjectDiff } from '@berth/contract';
import type { JsonObject } from './go-format.js';
import { affinityId, constraintId } from './ids.js';
import { primitiveObjectSetDiff, structs } from './objects.js';

/** `Constraints` and `Affinities` of `a` and `b`, each diffed as a set by its Nomad `DiffID`. */
export function placementDiffs(a: JsonObject, b: JsonObject, contextual: boolean): ObjectDiff[] {
  return [
    ...primitiveObjectSetDiff(
      structs(a.Constraints),
      structs(b.Constraints),
      'Constraint',
      contextual,
      {
        id: constraintId,
      },
    ),
    ...primitiveObjectSetDiff(
      structs(a.Affinities),
      structs(b.Affinities),
      'Affinity',
      contextual,
      {
        id: affinityId,
      },
    ),
  ];
}
