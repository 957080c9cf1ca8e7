// @berth/acl: Nomad's ACL policy language (parsePolicy) and compiled ACL checks (compileAcl).
export type * from './types.js';
export { parsePolicy, MAX_POLICY_BYTES } from './parse.js';
export type { ParseOptions } from './parse.js';
export { MAX_POLICY_NESTING } from './nesting.js';
export { PolicyParseError } from './errors.js';
export { compileAcl, managementAcl, denyAllAcl, maxPrivilege } from './compile.js';
export { globMatch } from './glob.js';
export {
  NAMESPACE_CAPABILITIES,
  NODE_POOL_CAPABILITIES,
  HOST_VOLUME_CAPABILITIES,
  OPERATOR_CAPABILITIES,
  VARIABLES_CAPABILITIES,
  SENTINEL_CAPABILITIES,
  expandNamespacePolicy,
} from './capabilities.js';
