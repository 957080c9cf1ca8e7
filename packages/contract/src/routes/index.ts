// The whole API: one router per resource, namespaced, so later `jobs`, `evaluations` and `nodes`
// routers are added the same way.
import { initContract } from '@ts-rest/core';
import { allocationsContract } from './allocations.js';

export * from './allocations.js';
export * from './errors.js';

const c = initContract();

/** berth's HTTP API contract. */
export const contract = c.router({
  allocations: allocationsContract,
});

/** The type of {@link contract}. */
export type Contract = typeof contract;
