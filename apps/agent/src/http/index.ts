export { httpAclServers, type AclAnswer, type AclServers, type TokenInfo } from './acl-servers.js';
export { buildAgentApp, type AgentAlloc, type AgentAppOptions } from './app.js';
export {
  AclUnavailableError,
  TokenAuthorizer,
  type Authorisation,
  type TokenAuthorizerOptions,
} from './token-authorizer.js';
