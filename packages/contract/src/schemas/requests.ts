// Request bodies of the allocation lifecycle endpoints, decoded as Nomad's Go handlers decode them.
import type { z } from 'zod';
import { goJsonStruct } from '../go/json-struct.js';

/**
 * The Signal body (Nomad's `structs.AllocSignalRequest`): `Signal` (e.g. `SIGUSR1`; not validated)
 * and `Task` (empty = every task). As in Nomad, `Region`, `Namespace` and `AuthToken` of the
 * embedded query options are read from the body too; a header or query value overrides them.
 * An `AllocID` in the body is ignored: the path wins.
 */
export const AllocSignalRequestSchema = goJsonStruct(
  'AllocSignalRequest',
  'structs.AllocSignalRequest',
  {
    Signal: 'string',
    Task: 'string',
    Region: { kind: 'string', path: 'QueryOptions.Region' },
    Namespace: { kind: 'string', path: 'QueryOptions.Namespace' },
    AuthToken: { kind: 'string', path: 'QueryOptions.AuthToken' },
  },
);

/** A parsed Signal body. */
export type AllocSignalRequest = z.infer<typeof AllocSignalRequestSchema>;

/**
 * The Restart body (optional): `TaskName` restarts one task; `AllTasks` restarts every task,
 * dead ones included; neither restarts the running tasks. Both together is an error.
 */
export const AllocRestartRequestSchema = goJsonStruct(
  '',
  'struct { TaskName string; AllTasks bool }',
  {
    TaskName: 'string',
    AllTasks: 'bool',
  },
);

/** A parsed Restart body. */
export type AllocRestartRequest = z.infer<typeof AllocRestartRequestSchema>;
