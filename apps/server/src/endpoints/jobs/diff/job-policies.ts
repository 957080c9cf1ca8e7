// The job's nested configs in Nomad's `Job.Diff`: `periodicDiff`, `parameterizedJobDiff`,
// `multiregionDiff` (regions matched by name) and `uiDiff` (links matched by position).
import type { ObjectDiff } from '@berth/contract';
import type { JsonObject } from './go-format.js';
import { changed } from './fields.js';
import {
  primitiveObjectDiff,
  pushDiffs,
  stringSetDiff,
  struct,
  structDiff,
  structs,
  withObjects,
} from './objects.js';

/** `structs.PeriodicConfig` without its `Specs` list (diffed as a set). */
const PERIODIC = { fields: ['Enabled', 'Spec', 'SpecType', 'ProhibitOverlap', 'TimeZone'] };

function periodicDiff(old: unknown, next: unknown, contextual: boolean): ObjectDiff | undefined {
  const a = struct(old);
  const b = struct(next);
  const diff = structDiff(a, b, 'Periodic', contextual, PERIODIC);
  if (!diff) return undefined;
  const specs = stringSetDiff(a?.Specs, b?.Specs, 'Specs', contextual);
  if (specs && changed(specs)) diff.Objects = [specs];
  return diff;
}

function parameterizedDiff(
  old: unknown,
  next: unknown,
  contextual: boolean,
): ObjectDiff | undefined {
  const a = struct(old);
  const b = struct(next);
  const diff = structDiff(a, b, 'ParameterizedJob', contextual, { fields: ['Payload'] });
  if (!diff) return undefined;
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    stringSetDiff(a?.MetaOptional, b?.MetaOptional, 'MetaOptional', contextual),
    stringSetDiff(a?.MetaRequired, b?.MetaRequired, 'MetaRequired', contextual),
  );
  // Nomad keeps these two in this order.
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

const REGION = { maps: ['Meta'] };

function regionDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  const diff = structDiff(old, next, 'Region', contextual, REGION);
  if (!diff) return undefined;
  const datacenters = stringSetDiff(old?.Datacenters, next?.Datacenters, 'Datacenters', contextual);
  withObjects(diff, datacenters && changed(datacenters) ? [datacenters] : []);
  // A region's type follows its fields alone, as Nomad's.
  const types = new Set((diff.Fields ?? []).map((f) => f.Type));
  if (types.has('Edited') || (types.has('Added') && types.has('Deleted'))) diff.Type = 'Edited';
  else if (types.has('Added')) diff.Type = 'Added';
  else if (types.has('Deleted')) diff.Type = 'Deleted';
  else return undefined;
  return diff;
}

const byName = (items: JsonObject[]) =>
  new Map(items.map((item) => [typeof item.Name === 'string' ? item.Name : '', item]));

function multiregionDiff(old: unknown, next: unknown, contextual: boolean): ObjectDiff | undefined {
  const a = struct(old);
  const b = struct(next);
  const diff = structDiff(a, b, 'Multiregion', contextual, { fields: [] });
  if (!diff) return undefined;
  diff.Fields = null;
  // An added multiregion block is compared with a canonicalised empty one: a zero strategy.
  const oldStrategy = a ? struct(a.Strategy) : { MaxParallel: 0, OnFailure: '' };
  const objects: ObjectDiff[] = [];
  pushDiffs(objects, primitiveObjectDiff(oldStrategy, struct(b?.Strategy), 'Strategy', contextual));
  const oldRegions = byName(structs(a?.Regions));
  const nextRegions = byName(structs(b?.Regions));
  for (const [name, region] of oldRegions) {
    pushDiffs(objects, regionDiff(region, nextRegions.get(name), contextual));
  }
  for (const [name, region] of nextRegions) {
    if (!oldRegions.has(name)) pushDiffs(objects, regionDiff(undefined, region, contextual));
  }
  return withObjects(diff, objects);
}

function uiDiff(old: unknown, next: unknown, contextual: boolean): ObjectDiff | undefined {
  const a = struct(old);
  const b = struct(next);
  const diff = structDiff(a, b, 'UI', contextual);
  if (!diff) return undefined;
  const oldLinks = structs(a?.Links);
  const nextLinks = structs(b?.Links);
  const objects: ObjectDiff[] = [];
  const length = Math.max(oldLinks.length, nextLinks.length);
  for (let i = 0; i < length; i++) {
    // A missing side is an empty link, so every field shows; the type says which side it was.
    const link = structDiff(oldLinks[i] ?? {}, nextLinks[i] ?? {}, 'Link', contextual);
    if (!link) continue;
    if (i >= nextLinks.length) link.Type = 'Deleted';
    else if (i >= oldLinks.length) link.Type = 'Added';
    objects.push(link);
  }
  return withObjects(diff, objects);
}

/** The job's nested config diffs, in Nomad's order. */
export function jobPolicyDiffs(
  a: JsonObject,
  b: JsonObject,
  contextual: boolean,
): (ObjectDiff | undefined)[] {
  return [
    periodicDiff(a.Periodic, b.Periodic, contextual),
    parameterizedDiff(a.ParameterizedJob, b.ParameterizedJob, contextual),
    multiregionDiff(a.Multiregion, b.Multiregion, contextual),
    uiDiff(a.UI, b.UI, contextual),
  ];
}
