// Nomad's service diffs: `serviceDiffs` (services paired by a score of name, port label and
// position), `serviceDiff` with its tags, checks (by name), identity and weights.
import type { ObjectDiff } from '@berth/contract';
import { matchByKey } from './by-name.js';
import { connectDiff } from './connect.js';
import { pairServices } from './service-match.js';
import { fieldDiffs, sortedObjects } from './fields.js';
import { isObject, type JsonObject } from './go-format.js';
import { identityDiff } from './identity.js';
import { list, mapDiff, pushDiffs, stringSetDiff, struct, structDiff, structs } from './objects.js';
import { GO_ZEROS, withZeros } from './specs.js';

const SERVICE = { maps: ['Meta', 'CanaryMeta', 'TaggedAddresses'] };

function checkDiff(
  rawOld: JsonObject | undefined,
  rawNext: JsonObject | undefined,
  contextual: boolean,
) {
  const old = withZeros(rawOld, GO_ZEROS.ServiceCheck);
  const next = withZeros(rawNext, GO_ZEROS.ServiceCheck);
  const diff = structDiff(old, next, 'Check', contextual);
  if (!diff) return undefined;
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    mapDiff(old?.Header, next?.Header, 'Header', contextual),
    structDiff(
      withZeros(old?.CheckRestart, GO_ZEROS.CheckRestart),
      withZeros(next?.CheckRestart, GO_ZEROS.CheckRestart),
      'CheckRestart',
      contextual,
    ),
  );
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

function weightsFlat(weights: JsonObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of ['Passing', 'Warning']) {
    const value = weights[key];
    if (typeof value === 'number' && value > 0) out.set(key, String(value));
  }
  return out;
}

function weightsDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  const diff = structDiff(old, next, 'Weights', contextual, { fields: [] });
  if (!diff) return undefined;
  diff.Fields = fieldDiffs(old && weightsFlat(old), next && weightsFlat(next), contextual);
  return diff;
}

/** A service with Go's zero values filled in, its checks' too, so equal means equal to Go. */
function normalized(service: JsonObject | undefined): JsonObject | undefined {
  const out = withZeros(service, GO_ZEROS.Service);
  if (!out || !Array.isArray(out.Checks)) return out;
  out.Checks = structs(out.Checks).map((check) => {
    const filled = withZeros(check, GO_ZEROS.ServiceCheck)!;
    if (isObject(filled.CheckRestart)) {
      filled.CheckRestart = withZeros(filled.CheckRestart, GO_ZEROS.CheckRestart);
    }
    return filled;
  });
  return out;
}

/** One service's diff; undefined when equal. */
function serviceDiff(
  rawOld: JsonObject | undefined,
  rawNext: JsonObject | undefined,
  contextual: boolean,
): ObjectDiff | undefined {
  const old = normalized(rawOld);
  const next = normalized(rawNext);
  const diff = structDiff(old, next, 'Service', contextual, SERVICE);
  if (!diff) return undefined;
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    stringSetDiff(old?.CanaryTags, next?.CanaryTags, 'CanaryTags', contextual),
    stringSetDiff(old?.Tags, next?.Tags, 'Tags', contextual),
    sortedObjects(
      matchByKey(structs(old?.Checks), structs(next?.Checks), 'Name', (a, b) =>
        checkDiff(a, b, contextual),
      ),
    ) ?? [],
    connectDiff(old?.Connect, next?.Connect, contextual),
    identityDiff(struct(old?.Identity), struct(next?.Identity), contextual),
    weightsDiff(struct(old?.Weights), struct(next?.Weights), contextual),
  );
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

/**
 * Services have no identity of their own: each old service is paired as Nomad pairs them
 * (`pairServices`), else it was deleted; unpaired new ones were added.
 */
export function serviceDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  const a = structs(old);
  const b = structs(next);
  if (list(old).length === 1 && list(next).length === 1) {
    const only = serviceDiff(a[0], b[0], contextual);
    return only ? [only] : [];
  }
  const pairs = pairServices(a, b);
  const taken = new Set(pairs);
  const diffs: ObjectDiff[] = [];
  a.forEach((service, i) => {
    const j = pairs[i]!;
    pushDiffs(diffs, serviceDiff(service, j >= 0 ? b[j] : undefined, contextual));
  });
  b.forEach((service, i) => {
    if (!taken.has(i)) pushDiffs(diffs, serviceDiff(undefined, service, contextual));
  });
  return sortedObjects(diffs) ?? [];
}
