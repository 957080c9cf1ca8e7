// The runners of an allocation's tasks (Nomad's client/allocrunner): what the agent's daemon
// creates for each allocation it is given.
export { createAllocRunner, taskPaths, type AllocRunnerDeps } from './alloc-runner.js';
export { FileHandleStore, type HandleStore, type PersistedTask } from './handle-store.js';
export { silentLogger, type Logger } from './logger.js';
export { clientStatusOf } from './client-status.js';
export { LifecycleError, type AllocClientState, type AllocRunner } from './types.js';
export type { TaskPaths } from './task-runner.js';
