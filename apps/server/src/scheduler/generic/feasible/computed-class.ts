// Nomad's computed node class (nomad/structs/node_class.go): nodes that look the same to
// feasibility checks (datacenter, class, pool, attributes, meta, drivers, minus `unique.` keys)
// share a class, so a check run on one node answers for all of them. Blocked evaluations record
// the classes they found (in)eligible, so only a node of a new or eligible class unblocks them.
import type { Constraint, Node } from '@berth/contract';

const classes = new WeakMap<Node, string>();

// FNV-1a over the text, as two 32-bit halves so the class is unlikely to collide.
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return (BigInt(a) * 0x100000000n + BigInt(b)).toString();
}

function stableMap(map: Record<string, string> | null): [string, string][] {
  return Object.entries(map ?? {})
    .filter(([k]) => !k.startsWith('unique.'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The computed class of a node (`v1:<hash>`), cached per node object. */
export function computedClass(node: Node): string {
  let cls = classes.get(node);
  if (cls === undefined) {
    const drivers = Object.entries(node.Drivers ?? {})
      .map(([name, d]) => [name, d.Detected, d.Healthy] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const text = JSON.stringify([
      node.Datacenter,
      node.NodeClass,
      node.NodePool === '' ? 'default' : node.NodePool,
      stableMap(node.Attributes),
      stableMap(node.Meta),
      drivers,
    ]);
    cls = `v1:${hash(text)}`;
    classes.set(node, cls);
  }
  return cls;
}

/** Whether a target escapes the computed class (names a unique value of the node). */
function targetEscapes(target: string): boolean {
  return (
    target.startsWith('${unique.') ||
    target.startsWith('${node.unique.') ||
    target.startsWith('${attr.unique.') ||
    target.startsWith('${meta.unique.')
  );
}

/** Nomad's EscapedConstraints: constraints a class cannot answer for. */
export function escapedConstraints(constraints: readonly Constraint[]): Constraint[] {
  return constraints.filter((c) => targetEscapes(c.LTarget) || targetEscapes(c.RTarget));
}
