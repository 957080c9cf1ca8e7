// The wire views of a stored node: the read body (Nomad's Node.Sanitize: never the SecretID) and
// the list stub (Nomad's Node.Stub).
import type { Node, NodeListStub } from '@berth/contract';

/** Which optional parts a list stub carries (`resources`, `os`). */
export interface NodeStubFields {
  resources: boolean;
  os: boolean;
}

const reads = new WeakMap<Node, Node>();

/** The read body: the node without its secret (the stored node may carry one). */
export function nodeReadView(node: Node): Node {
  if (!('SecretID' in node)) return node;
  let view = reads.get(node);
  if (view === undefined) {
    view = { ...node };
    delete (view as Node & { SecretID?: string }).SecretID;
    reads.set(node, view);
  }
  return view;
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
export function nodeStub(node: Node, fields: NodeStubFields): NodeListStub {
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
    Drain: node.Drain,
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
