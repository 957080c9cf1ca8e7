// The `nodes` table: client nodes by ID.

import type { Node } from '@berth/contract';

import type { TableDef } from '../table.js';

export const nodesTable: TableDef<Node> = {
  name: 'nodes',
  key: [{ column: 'id', type: 'text', field: (n) => n.ID }],
  indexes: { id: [] },
};
