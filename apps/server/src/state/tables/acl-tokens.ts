// The `acl_tokens` table: ACL tokens by AccessorID, with Nomad's `acl_token` indexes: by SecretID
// (how a request's token is resolved) and by CreateIndex (the order of a list without a prefix).

import type { AclToken } from '@berth/contract';

import type { TableDef } from '../table.js';

export const aclTokensTable: TableDef<AclToken> = {
  name: 'acl_tokens',
  key: [{ column: 'accessor_id', type: 'text', field: (t) => t.AccessorID }],
  indexes: {
    id: [],
    secret: [(t) => t.SecretID],
    create: [(t) => t.CreateIndex],
  },
};
