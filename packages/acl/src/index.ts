// @berth/acl: Nomad's ACL policy language (parsePolicy) and compiled ACL checks (compileAcl).
export type * from './types.js';
export { parsePolicy, MAX_POLICY_BYTES } from './parse.js';
export type { ParseOptions } from './parse.js';
export { MAX_POLICY_NESTING } from './nesting.js';
export { PolicyParseError } from './errors.js';
export { compileAcl, managementAcl, denyAllAcl, maxPrivilege } from './compile.js';
export { globMatch } from './glob.js';
export { PolicyCache, policyCache, POLICY_CACHE_SIZE } from './policy-cache.js';
export type { CachedParseOptions, PolicyCacheOptions, PolicyCacheStats } from './policy-cache.js';
export {
  closePolicyParserThread,
  DEFAULT_MAX_QUEUED,
  DEFAULT_PARSE_TIMEOUT_MS,
  holdPolicyParserThread,
  parsePolicyOffThread,
  PolicyParserBusyError,
  PolicyParserClosedError,
  PolicyParserThread,
} from './worker/parser-thread.js';
export type { ParseOffThreadOptions, ParserThreadOptions } from './worker/parser-thread.js';
export {
  NAMESPACE_CAPABILITIES,
  NODE_POOL_CAPABILITIES,
  HOST_VOLUME_CAPABILITIES,
  OPERATOR_CAPABILITIES,
  VARIABLES_CAPABILITIES,
  SENTINEL_CAPABILITIES,
  expandNamespacePolicy,
} from './capabilities.js';
