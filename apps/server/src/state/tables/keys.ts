// Primary keys and watch values of the concrete tables, shared by their declarations and the store.

import { joinKey } from '../table.js';

/** Primary key of a job (and watch value of everything belonging to it): namespace + job ID. */
export function jobKey(namespace: string, jobID: string): string {
  return joinKey([namespace, jobID]);
}

/** Primary key of one job version. */
export function jobVersionKey(namespace: string, jobID: string, version: number): string {
  return joinKey([namespace, jobID, version]);
}
