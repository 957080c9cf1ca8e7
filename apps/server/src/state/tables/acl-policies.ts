// The `acl_policies` table: ACL policies by name (Nomad's `acl_policy`).

import type { AclPolicy } from '@berth/contract';

import type { TableDef } from '../table.js';

export const aclPoliciesTable: TableDef<AclPolicy> = {
  name: 'acl_policies',
  key: [{ column: 'name', type: 'text', field: (p) => p.Name }],
  indexes: { name: [] },
};
