// The `namespaces` table: namespaces by name. `default` always exists (created at first start).

import { DEFAULT_NAMESPACE, type Namespace } from '@berth/contract';

import type { TableDef } from '../table.js';

export const namespacesTable: TableDef<Namespace> = {
  name: 'namespaces',
  key: [{ column: 'name', type: 'text', field: (n) => n.Name }],
  indexes: { name: [] },
};

/** The `default` namespace as first created, at store index `index`. */
export function defaultNamespace(index: number): Namespace {
  return {
    Name: DEFAULT_NAMESPACE,
    Description: 'Default shared namespace',
    Quota: '',
    Meta: null,
    CreateIndex: index,
    ModifyIndex: index,
  };
}
