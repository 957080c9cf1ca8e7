// @berth/agent: the node agent, started in-process by the CLI's `agent` command.
export {
  defaultDrivers,
  startAgent,
  type AgentConfig,
  type RunnerContext,
  type RunningAgent,
} from './agent.js';
export {
  Daemon,
  httpServerApi,
  ServerCallError,
  UpdateBatcher,
  type ClientAllocUpdate,
  type ServerApi,
} from './daemon/index.js';
export { fingerprintNode, type NodeFingerprint } from './fingerprint/index.js';
export { buildAgentApp } from './http/index.js';
export { loadOrCreateIdentity, type NodeIdentity } from './state/index.js';
