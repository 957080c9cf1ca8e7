export { Daemon, type DaemonOptions, type LocalAlloc } from './daemon.js';
export { Heartbeater, nodeUnknown, type HeartbeaterOptions } from './heartbeater.js';
export { ANSWER_TIMEOUT_MS, httpServerApi, type HttpServerApiOptions } from './http-server-api.js';
export { ServerCallError, serverFailover, type ServerCall } from './server-failover.js';
export { clientTerminal, diffAllocs, serverTerminal, type AllocDiff } from './reconcile.js';
export type {
  CallOptions,
  ClientAllocUpdate,
  HeartbeatAnswer,
  NodeAllocations,
  ServerApi,
} from './server-api.js';
export { UpdateBatcher, type UpdateBatcherOptions } from './update-batcher.js';
