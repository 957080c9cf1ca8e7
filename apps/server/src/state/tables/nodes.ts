// The `nodes` table: client nodes by ID, and by SecretID (Nomad's `secret_id` index: a node's secret
// authenticates its agent, and the ACL resolver recognises it as a token).

import type { Node, NodeRegistration } from '@berth/contract';

import type { TableDef } from '../table.js';

/** The stored secret of a node ('' for a node stored without one). */
export function storedNodeSecret(node: Node): string {
  return (node as Partial<NodeRegistration>).SecretID ?? '';
}

export const nodesTable: TableDef<Node> = {
  name: 'nodes',
  key: [{ column: 'id', type: 'text', field: (n) => n.ID }],
  indexes: { id: [], secret: [storedNodeSecret] },
};
