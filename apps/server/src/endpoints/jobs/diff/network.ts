// Nomad's network diffs: `networkResourceDiffs` (networks matched by their whole value, so a
// changed network is one deleted and one added), `NetworkResource.Diff` with its ports matched
// by label (`portDiffs`), `DNSConfig.Diff` and `CNIConfig.Diff`.
import type { ObjectDiff } from '@berth/contract';
import { fieldDiffs, sortedObjects } from './fields.js';
import type { JsonObject } from './go-format.js';
import { keyedBy } from './by-name.js';
import { canonicalKey, list, primitiveObjectDiff, struct, structDiff, structs } from './objects.js';
import { GO_ZEROS, withZeros } from './specs.js';

/** Fields Nomad leaves out of a network's diff (set by the scheduler or deprecated). */
const NETWORK_FILTER = ['Device', 'CIDR', 'IP', 'MBits'];

function portDiffs(
  old: unknown,
  next: unknown,
  dynamic: boolean,
  contextual: boolean,
): ObjectDiff[] {
  const name = dynamic ? 'Dynamic Port' : 'Static Port';
  // A dynamic port's value is picked by the scheduler: not part of what the user changed.
  const filter = dynamic ? ['Value', 'IgnoreCollision'] : [];
  const ports = (v: unknown) => structs(v).map((p) => withZeros(p, GO_ZEROS.Port)!);
  const a = keyedBy(ports(old), 'Label');
  const b = keyedBy(ports(next), 'Label');
  const diffs: ObjectDiff[] = [];
  for (const [label, port] of a) {
    const d = primitiveObjectDiff(port, b.get(label), name, contextual, undefined, filter);
    if (d) diffs.push(d);
  }
  for (const [label, port] of b) {
    if (a.has(label)) continue;
    const d = primitiveObjectDiff(undefined, port, name, contextual, undefined, filter);
    if (d) diffs.push(d);
  }
  return sortedObjects(diffs) ?? [];
}

function dnsFlat(dns: JsonObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of ['Servers', 'Searches', 'Options']) {
    const items = list(dns[key]).filter((v): v is string => typeof v === 'string');
    if (items.length > 0) out.set(key, items.join(','));
  }
  return out;
}

function dnsDiff(old: JsonObject | undefined, next: JsonObject | undefined, contextual: boolean) {
  const diff = structDiff(old, next, 'DNS', contextual, { fields: [] });
  if (!diff) return undefined;
  diff.Fields = fieldDiffs(old && dnsFlat(old), next && dnsFlat(next), contextual);
  return diff;
}

function cniDiff(old: JsonObject | undefined, next: JsonObject | undefined, contextual: boolean) {
  // A missing CNI config equals an empty one; only its `Args` map is compared.
  const a = struct(old?.Args) ?? {};
  const b = struct(next?.Args) ?? {};
  return primitiveObjectDiff(a, b, 'CNIConfig', contextual, { maps: [] });
}

/** One network's diff; undefined when equal. */
function networkDiff(
  old: JsonObject | undefined,
  next: JsonObject | undefined,
  contextual: boolean,
): ObjectDiff | undefined {
  const diff = structDiff(old, next, 'Network', contextual, undefined, NETWORK_FILTER);
  if (!diff) return undefined;
  const objects: ObjectDiff[] = [
    ...portDiffs(old?.ReservedPorts, next?.ReservedPorts, false, contextual),
    ...portDiffs(old?.DynamicPorts, next?.DynamicPorts, true, contextual),
  ];
  const dns = dnsDiff(struct(old?.DNS), struct(next?.DNS), contextual);
  if (dns) objects.push(dns);
  const cni = cniDiff(struct(old?.CNI), struct(next?.CNI), contextual);
  if (cni) objects.push(cni);
  // Nomad appends these in order without sorting.
  diff.Objects = objects.length === 0 ? null : objects;
  return diff;
}

/** A list of networks matched by their whole value: never `Edited`, only deleted and added. */
export function networkDiffs(old: unknown, next: unknown, contextual: boolean): ObjectDiff[] {
  const toSet = (items: JsonObject[]) => new Map(items.map((n) => [canonicalKey(n), n]));
  const a = toSet(structs(old));
  const b = toSet(structs(next));
  const diffs: ObjectDiff[] = [];
  for (const [key, network] of a) {
    if (b.has(key)) continue;
    const d = networkDiff(network, undefined, contextual);
    if (d) diffs.push(d);
  }
  for (const [key, network] of b) {
    if (a.has(key)) continue;
    const d = networkDiff(undefined, network, contextual);
    if (d) diffs.push(d);
  }
  return sortedObjects(diffs) ?? [];
}
