// The `acl_bootstrap` table: one row holding the index at which ACLs were bootstrapped, Nomad's
// `acl_token_bootstrap` entry of its index table (the "reset index" an operator writes into the
// `acl-bootstrap-reset` file to allow another bootstrap). No row: never bootstrapped.

import type { TableDef } from '../table.js';

/** The bootstrap state. */
export interface AclBootstrapState {
  /** Always {@link ACL_BOOTSTRAP_KEY}: the table holds one row. */
  readonly Key: string;
  /** The index of the write that bootstrapped ACLs (Nomad's reset index). */
  readonly ResetIndex: number;
}

/** The primary key of the one row. */
export const ACL_BOOTSTRAP_KEY = 'acl_token_bootstrap';

export const aclBootstrapTable: TableDef<AclBootstrapState> = {
  name: 'acl_bootstrap',
  key: [{ column: 'key', type: 'text', field: (b) => b.Key }],
};
