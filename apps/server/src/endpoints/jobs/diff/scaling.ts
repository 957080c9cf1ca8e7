// Nomad's `scalingDiff`: a group's scaling policy (bounds, `Enabled`) and its free-form policy.
import type { ObjectDiff } from '@berth/contract';
import { fieldDiffs } from './fields.js';
import { flattenPrimitive } from './flatten.js';
import { mapDiff, structDiff } from './objects.js';
import { GO_ZEROS, withZeros } from './specs.js';

/** Set by the server when the job is registered: not the user's change. */
const FILTER = [
  'CreateIndex',
  'ModifyIndex',
  'ID',
  'Type',
  'Target[Job]',
  'Target[Group]',
  'Target[Namespace]',
];
const SPEC = { maps: ['Target'] };

/** The scaling policy's diff; its own fields are never contextual, as Nomad's. */
export function scalingDiff(
  old: unknown,
  next: unknown,
  contextual: boolean,
): ObjectDiff | undefined {
  const a = withZeros(old, GO_ZEROS.ScalingPolicy);
  const b = withZeros(next, GO_ZEROS.ScalingPolicy);
  const diff = structDiff(a, b, 'Scaling', contextual, SPEC, FILTER);
  if (!diff) return undefined;
  diff.Fields = fieldDiffs(
    flattenPrimitive(a, SPEC, FILTER),
    flattenPrimitive(b, SPEC, FILTER),
    false,
  );
  const policy = mapDiff(a?.Policy, b?.Policy, 'Policy', false);
  if (policy) diff.Objects = [policy];
  return diff;
}
