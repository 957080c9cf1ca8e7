// Nomad's Consul Connect diffs (`connectDiffs`): the sidecar service with its proxy (upstreams
// by datacenter and destination, exposed paths, transparent proxy, config) and the sidecar task.
// A gateway block is compared as one struct of primitive fields (Nomad goes deeper).
import type { ObjectDiff } from '@berth/contract';
import { fieldDiffs, sortedObjects } from './fields.js';
import { flattenPrimitive } from './flatten.js';
import { goPrimitive, isObject, type JsonObject } from './go-format.js';
import { identityDiffs } from './identity.js';
import {
  canonicalKey,
  list,
  mapDiff,
  primitiveObjectDiff,
  primitiveObjectSetDiff,
  pushDiffs,
  stringSetDiff,
  struct,
  structDiff,
  structs,
} from './objects.js';
import { resourcesDiff } from './resources.js';
import { volumeMountDiffs } from './volumes.js';

const isEmpty = (o: JsonObject | undefined) => !o || Object.keys(o).length === 0;

function upstreamDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  const diff = structDiff(
    isEmpty(old) ? undefined : old,
    isEmpty(next) ? undefined : next,
    'ConsulUpstreams',
    contextual,
  );
  if (!diff) return undefined;
  const gateway = primitiveObjectDiff(
    struct(old?.MeshGateway),
    struct(next?.MeshGateway),
    'MeshGateway',
    contextual,
  );
  if (gateway) diff.Objects = [gateway];
  return diff;
}

/** Upstreams are matched by `Datacenter/DestinationName`. */
function upstreamDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  const key = (u: JsonObject) =>
    `${goPrimitive(u.Datacenter) ?? ''}/${goPrimitive(u.DestinationName) ?? ''}`;
  const a = new Map(structs(old).map((u) => [key(u), u]));
  const b = new Map(structs(next).map((u) => [key(u), u]));
  const diffs: ObjectDiff[] = [];
  for (const [k, u] of a) pushDiffs(diffs, upstreamDiff(u, b.get(k), contextual));
  for (const [k, u] of b) if (!a.has(k)) pushDiffs(diffs, upstreamDiff(undefined, u, contextual));
  return sortedObjects(diffs) ?? [];
}

function exposeDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  if (canonicalKey(old ?? null) === canonicalKey(next ?? null)) return undefined;
  const empty = (e: JsonObject | undefined) => !e || list(e.Paths).length === 0;
  const type = empty(old) ? 'Added' : empty(next) ? 'Deleted' : 'Edited';
  const paths = primitiveObjectSetDiff(
    structs(old?.Paths),
    structs(next?.Paths),
    'Paths',
    contextual,
  );
  return {
    Type: type,
    Name: 'Expose',
    Fields: null,
    Objects: paths.length === 0 ? null : paths,
  } as ObjectDiff;
}

const TPROXY_SETS = [
  'ExcludeInboundPorts',
  'ExcludeOutboundPorts',
  'ExcludeOutboundCIDRs',
  'ExcludeUIDs',
];

/** Nomad answers an unchanged transparent proxy with an empty `None` diff, not with nothing. */
function transparentProxyDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
): ObjectDiff {
  const diff = structDiff(old, next, 'TransparentProxy', contextual);
  if (!diff) return { Type: 'None', Name: 'TransparentProxy', Fields: null, Objects: null };
  const texts = (v: unknown) => list(v).map((x) => goPrimitive(x) ?? '');
  const objects: ObjectDiff[] = [];
  for (const name of TPROXY_SETS) {
    const set = stringSetDiff(texts(old?.[name]), texts(next?.[name]), name, contextual);
    if (set && set.Type !== 'None') objects.push(set);
  }
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

function proxyDiff(old: JsonObject | undefined, next: JsonObject | undefined, contextual: boolean) {
  const diff = structDiff(old, next, 'ConsulProxy', contextual);
  if (!diff) return undefined;
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    upstreamDiffs(old?.Upstreams, next?.Upstreams, contextual),
    exposeDiff(struct(old?.Expose), struct(next?.Expose), contextual),
    transparentProxyDiff(struct(old?.TransparentProxy), struct(next?.TransparentProxy), contextual),
    mapDiff(old?.Config, next?.Config, 'Config', contextual),
  );
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

function sidecarServiceDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  const diff = structDiff(old, next, 'SidecarService', contextual, { maps: ['Meta'] });
  if (!diff) return undefined;
  const proxy = proxyDiff(struct(old?.Proxy), struct(next?.Proxy), contextual);
  if (proxy) diff.Objects = [proxy];
  return diff;
}

const SIDECAR_TASK = { maps: ['Env', 'Meta'], pointers: ['KillTimeout', 'ShutdownDelay'] };

function sidecarTaskDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
) {
  const diff = structDiff(old, next, 'SidecarTask', contextual, SIDECAR_TASK);
  if (!diff) return undefined;
  // Its own fields are never contextual, as Nomad's.
  diff.Fields = fieldDiffs(
    flattenPrimitive(old, SIDECAR_TASK),
    flattenPrimitive(next, SIDECAR_TASK),
    false,
  );
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    mapDiff(old?.Config, next?.Config, 'Config', contextual),
    resourcesDiff(struct(old?.Resources), struct(next?.Resources), contextual),
    identityDiffs(old?.Identities, next?.Identities, contextual),
    primitiveObjectDiff(struct(old?.LogConfig), struct(next?.LogConfig), 'LogConfig', contextual),
    volumeMountDiffs(old?.VolumeMounts, next?.VolumeMounts, contextual),
  );
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

/** A service's `Connect` block; undefined when equal. */
export function connectDiff(
  old: unknown,
  next: unknown,
  contextual: boolean,
): ObjectDiff | undefined {
  const a = isObject(old) ? old : undefined;
  const b = isObject(next) ? next : undefined;
  const diff = structDiff(a, b, 'ConsulConnect', contextual);
  if (!diff) return undefined;
  const objects: ObjectDiff[] = [];
  pushDiffs(
    objects,
    sidecarServiceDiff(struct(a?.SidecarService), struct(b?.SidecarService), contextual),
    sidecarTaskDiff(struct(a?.SidecarTask), struct(b?.SidecarTask), contextual),
    structDiff(struct(a?.Gateway), struct(b?.Gateway), 'Gateway', contextual),
  );
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}
