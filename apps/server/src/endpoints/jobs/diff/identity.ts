// Nomad's `idDiff` (a workload identity with its audience set) and `idSliceDiffs` (a task's
// alternate identities, matched by name).
import type { ObjectDiff } from '@berth/contract';
import { matchByKey } from './by-name.js';
import { sortedObjects } from './fields.js';
import type { JsonObject } from './go-format.js';
import { stringSetDiff, structDiff, structs } from './objects.js';
import { GO_ZEROS, withZeros } from './specs.js';

/** One identity's diff; undefined when equal. */
export function identityDiff(
  rawOld: JsonObject | undefined,
  rawNext: JsonObject | undefined,
  contextual: boolean,
): ObjectDiff | undefined {
  const old = withZeros(rawOld, GO_ZEROS.WorkloadIdentity);
  const next = withZeros(rawNext, GO_ZEROS.WorkloadIdentity);
  const diff = structDiff(old, next, 'Identity', contextual);
  if (!diff) return undefined;
  const audience = stringSetDiff(old?.Audience, next?.Audience, 'Audience', contextual);
  if (audience) diff.Objects = [audience];
  return diff;
}

/** A list of identities matched by name. */
export function identityDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  return (
    sortedObjects(
      matchByKey(structs(old), structs(next), 'Name', (a, b) => identityDiff(a, b, contextual)),
    ) ?? []
  );
}
