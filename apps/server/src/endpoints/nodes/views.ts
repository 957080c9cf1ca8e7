// The wire views of a stored node: the read body (Nomad's Node.Sanitize: never the SecretID; every
// field Nomad sends, even on a node stored before the field was added) and the list stub (Nomad's
// Node.Stub).
import { NodeSchema, type Node, type NodeListStub } from '@berth/contract';
import { withStoredDefaults, wireTime } from '../stored-defaults.js';

/** Which optional parts a list stub carries (`resources`, `os`). */
export interface NodeStubFields {
  resources: boolean;
  os: boolean;
}

const reads = new WeakMap<Node, Node>();

/**
 * The read body: the node without its secret (the stored node may carry one; the schema drops
 * it), unset `time.Time` fields as Go's zero time.
 */
export function nodeReadView(node: Node): Node {
  let view = reads.get(node);
  if (view === undefined) {
    const filled = withStoredDefaults(NodeSchema, node);
    if (filled === node) {
      view = { ...node };
      delete (view as Node & { SecretID?: string }).SecretID;
    } else {
      view = filled;
    }
    view = withWireTimes(view);
    reads.set(node, view);
  }
  return view;
}

/** A node's `time.Time` fields (driver fingerprints, events, last drain) never `null`. */
function withWireTimes(node: Node): Node {
  const drivers = node.Drivers && { ...node.Drivers };
  for (const [name, d] of Object.entries(drivers ?? {})) {
    if (d.UpdateTime === null) drivers![name] = { ...d, UpdateTime: wireTime(null) };
  }
  const events = node.Events?.map((e) =>
    e.Timestamp === null ? { ...e, Timestamp: wireTime(null) } : e,
  );
  const drain = node.LastDrain && {
    ...node.LastDrain,
    StartedAt: wireTime(node.LastDrain.StartedAt),
    UpdatedAt: wireTime(node.LastDrain.UpdatedAt),
  };
  // Nomad's JSON extension for Node: the legacy `Drain` says whether a drain strategy is set.
  return {
    ...node,
    Drain: node.DrainStrategy !== null,
    Drivers: drivers,
    Events: events ?? null,
    LastDrain: drain,
  };
}

/** The host part of `host:port` (Go's net.SplitHostPort; '' when it does not split). */
function hostOf(addr: string): string {
  const bracketed = /^\[([^\]]*)\]:[^:]*$/.exec(addr);
  if (bracketed) return bracketed[1] ?? '';
  const i = addr.lastIndexOf(':');
  if (i < 0 || addr.indexOf(':') !== i) return '';
  return addr.slice(0, i);
}

/** The list stub of a node, with resources and OS attributes as asked. */
export function nodeStub(stored: Node, fields: NodeStubFields): NodeListStub {
  const node = nodeReadView(stored);
  const attributes = node.Attributes ?? {};
  return {
    Address: hostOf(node.HTTPAddr),
    ID: node.ID,
    // Nomad's Stub copies only `os.name`.
    Attributes: fields.os ? { 'os.name': attributes['os.name'] ?? '' } : null,
    Datacenter: node.Datacenter,
    Name: node.Name,
    NodePool: node.NodePool,
    NodeClass: node.NodeClass,
    Version: attributes['nomad.version'] ?? '',
    Drain: node.DrainStrategy !== null,
    SchedulingEligibility: node.SchedulingEligibility,
    Status: node.Status,
    StatusDescription: node.StatusDescription,
    Drivers: node.Drivers,
    HostVolumes: node.HostVolumes,
    NodeResources: fields.resources ? node.NodeResources : null,
    ReservedResources: fields.resources ? node.ReservedResources : null,
    LastDrain: node.LastDrain,
    CreateIndex: node.CreateIndex,
    ModifyIndex: node.ModifyIndex,
  };
}
