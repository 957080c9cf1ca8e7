// Every error text the allocation endpoints answer with (spec section 1.4). Error bodies are the
// text alone, `text/plain; charset=utf-8`, no trailing newline: clients match on these strings.
import { goQuote, goRuneU } from './go/quote.js';

/** The `Content-Type` of every error answer. */
export const ERROR_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** Fixed error texts. */
export const ErrorText = {
  /** 405, any endpoint called with a method it does not serve. */
  InvalidMethod: 'Invalid method',
  /** 404, a bad sub-path of a known resource (`/v1/allocation/ID/x`). */
  ResourceNotFound: 'resource not found',
  /** 404, Read of an allocation that does not exist. */
  AllocNotFound: 'alloc not found',
  /** 404, Stop of an allocation that does not exist. */
  AllocationNotFound: 'allocation not found',
  /** 404, Signal/Restart when no server reaches the allocation's node. */
  NoPathToNode: 'No path to node',
  /** 403, authentication or authorisation failure. */
  PermissionDenied: 'Permission denied',
  /** 403, a token that does not exist (suffix-mapped by Nomad); 404 from ACL token read and self. */
  ACLTokenNotFound: 'ACL token not found',
  /** 400, `wait` is not a Go duration. */
  InvalidWaitTime: 'Invalid wait time',
  /** 400, `index` is not an unsigned 64-bit decimal. */
  InvalidIndex: 'Invalid index',
  /** 400, `stale` has a value Go's ParseBool rejects. */
  InvalidStale: 'Expect `true` or `false` for `stale` query string parameter',
  /** 400, `per_page` is not a signed 32-bit decimal. */
  InvalidPerPage: 'Expect a number for `per_page` query string parameter',
  /** 400, Signal without a body. */
  RequestBodyEmpty: 'Failed to decode body: Request body is empty',
  /** 400 (Nomad: 500), Restart with both `TaskName` and `AllTasks`. */
  TaskNameWithAllTasks: 'task name cannot be set when restarting all tasks',
  /** 409 (Nomad: 500), Signal/Restart of a named task that is not running. */
  TaskNotRunning: 'Task not running',
  /** 409 (Nomad: 500), Restart of a terminal allocation. */
  RestartOfAllocThatShouldNotRun: 'restart of an alloc that should not run',
  /** 404 (Nomad: 500), Signal of an unknown task. */
  TaskNotFound: 'Task not found',
  /** Nomad's 500 when `region` names an unknown region. */
  NoPathToRegion: 'No path to region',
  /** Stop with an empty allocation ID. */
  MissingAllocationID: 'Missing allocation ID',
  /** Signal/Restart with an empty allocation ID. */
  MissingAllocID: 'missing AllocID',
  /** The node of the allocation reports no usable version. */
  UnableToDetermineNomadVersion: 'Unable to determine Nomad version',
  /** 500, berth's answer to its own faults (the server adds a request id). */
  InternalError: 'internal error',
  /** go-memdb: an exact ID whose length is not 36. */
  UuidMustBe36Characters: 'UUID must be 36 characters',
  /** go-memdb: an ID or prefix whose hex (hyphens removed) has odd length. */
  UuidOddLength: 'Input (without hyphens) must be even length',
  /** 400, job register/update without a body (Nomad's text, without a `Failed to decode body` prefix). */
  RequestBodyIsEmpty: 'Request body is empty',
  /** 400, job register/update whose body has no `Job`. */
  JobMustBeSpecified: 'Job must be specified',
  /** 400, job update (`POST /v1/job/:id`) whose job has no `ID`. */
  JobIDNotProvided: "Job ID hasn't been provided",
  /** 400, job update whose job `ID` is not the one in the path. */
  JobIDDoesNotMatchName: 'Job ID does not match name',
  /** 400, job plan (`/v1/job/:id/plan`) whose job has no `ID`. */
  JobMustHaveValidID: 'Job must have a valid ID',
  /** 400, job plan whose job `ID` is not the one in the path. */
  JobIDDoesNotMatch: 'Job ID does not match',
  /** 400, `EvalPriority` (body) or `eval_priority` (query) outside 1..100. */
  EvalPriorityOutOfRange: 'Eval priority must be between 1 and 100 inclusively',
  /** 404, read of a job that does not exist. */
  JobNotFound: 'job not found',
  /** 404, versions read (`GET /v1/job/:id/versions`) of a job that does not exist. */
  JobVersionsNotFound: 'job versions not found',
  /** 400, evaluate (`POST /v1/job/:id/evaluate`) whose body has no `JobID`. */
  JobIDMustBeSpecified: 'Job ID must be specified',
  /** 400, evaluate whose body's `JobID` is not the one in the path. */
  JobIDNotSameAsJobName: 'JobID not same as job name',
  /** 400 (Nomad: 500), evaluate of a periodic job (its children are evaluated instead). */
  CannotEvaluatePeriodicJob: "can't evaluate periodic job",
  /** 400 (Nomad: 500), evaluate of a parameterized job (its dispatched children are). */
  CannotEvaluateParameterizedJob: "can't evaluate parameterized job",
  /** 404, read of an evaluation that does not exist. */
  EvalNotFound: 'eval not found',
  /** 404, read of a deployment that does not exist. */
  DeploymentNotFound: 'deployment not found',
  /** 404, read of a node that does not exist. */
  NodeNotFound: 'node not found',
  /** 404, read of a namespace that does not exist. */
  NamespaceNotFound: 'Namespace not found',
  /** 404 (Nomad: 500), delete of a namespace that does not exist. */
  NamespaceNotFoundOnDelete: 'namespace not found',
  /** 400, namespace register whose body names another namespace than the path. */
  NamespaceNameMismatch: 'Namespace name does not match request path',
  /** 400 (Nomad: 500), delete of the `default` namespace. */
  CannotDeleteDefaultNamespace: 'can not delete default namespace',
  /** 400, an ACL call while ACLs are disabled. */
  AclDisabled: 'ACL support disabled',
  /** 404, read of an ACL policy that does not exist. */
  AclPolicyNotFound: 'ACL policy not found',
  /** 400, an ACL policy path without a name (`/v1/acl/policy/`). */
  MissingPolicyName: 'Missing Policy Name',
  /** 400, an ACL token path without an accessor (`/v1/acl/token/`). */
  MissingTokenAccessor: 'Missing Token Accessor',
  /** 400, policy upsert whose body names another policy than the path. */
  AclPolicyNameMismatch: 'ACL policy name does not match request path',
  /** 400, token update whose body's `AccessorID` is not the one in the path. */
  AclTokenAccessorMismatch: 'ACL token accessor does not match request path',
  /** 400, bootstrap with a `BootstrapSecret` that is not a UUID. */
  InvalidAclToken: 'invalid acl token',
  /**
   * 404, a POST or PUT to Nomad's one-time token paths, which berth does not serve (a 404 tells a
   * Nomad client the feature is absent; a 405 would tell it to change its method).
   */
  OneTimeTokensUnsupported: 'one-time tokens are not supported by berth',
  /** 400, token delete of tokens some global and some local. */
  CannotDeleteMixedGlobalTokens: 'cannot delete mixed global and non-global tokens',
} as const;

/** 404 (Signal/Restart; Nomad's 500 on an unauthorised Read): `Unknown allocation "<id>"`. */
export const unknownAllocation = (id: string): string => `Unknown allocation "${id}"`;

/** 404, Signal/Restart when the allocation's node is not known: `Unknown node <id>`. */
export const unknownNode = (nodeID: string): string => `Unknown node ${nodeID}`;

/**
 * 400 (Nomad: 500), a bad endpoint boolean (`resources`, `task_states`, `no_shutdown_delay`,
 * `reschedule`): `Failed to parse value of "resources" (maybe) as a bool: strconv.ParseBool: ...`.
 */
export const failedToParseBool = (field: string, value: string): string =>
  `Failed to parse value of "${field}" (${value}) as a bool: strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`;

/**
 * 400 (Nomad: 500), a malformed allocation ID or prefix: `alloc lookup failed: index error: <detail>`,
 * the detail being one of the `uuid*` texts below.
 */
export const allocLookupFailed = (detail: string): string =>
  `alloc lookup failed: index error: ${detail}`;

/** go-memdb: an ID or prefix with a non-hex byte, e.g. `Invalid UUID: encoding/hex: invalid byte: U+007A 'z'`. */
export const uuidInvalidByte = (byte: number): string =>
  `Invalid UUID: encoding/hex: invalid byte: ${goRuneU(byte)}`;

/** go-memdb: a prefix longer than 36: `Invalid UUID length. UUID have 36 characters; got <n>`. */
export const uuidInvalidLength = (length: number): string =>
  `Invalid UUID length. UUID have 36 characters; got ${length}`;

/** go-memdb: an ID or prefix with more than 4 hyphens: `UUID should have maximum of 4 "-"; got <n>`. */
export const uuidTooManyHyphens = (hyphens: number): string =>
  `UUID should have maximum of 4 "-"; got ${hyphens}`;

/**
 * 400 (Nomad: 500), a bad endpoint integer (`eval_priority`):
 * `Failed to parse value of "eval_priority" (x) as a int: strconv.Atoi: parsing "x": invalid syntax`.
 */
export const failedToParseInt = (
  field: string,
  value: string,
  reason: 'invalid syntax' | 'value out of range',
): string =>
  `Failed to parse value of "${field}" (${value}) as a int: strconv.Atoi: parsing ${goQuote(value)}: ${reason}`;

/** 400, List with a `filter` that does not parse. */
export const filterParseFailed = (detail: string): string =>
  `failed to create result paginator: failed to read filter expression: ${detail}`;

/** 400, List with a `filter` selector that does not exist on an allocation. */
export const filterEvalFailed = (detail: string): string =>
  `failed to read result page: error finding value in datum: ${detail}`;

/** 400, bootstrap whose body does not decode: `failed to decode request body: <detail>`. */
export const failedToDecodeRequestBody = (detail: string): string =>
  `failed to decode request body: ${detail}`;

/** 400, bootstrap after it was done: `ACL bootstrap already done (reset index: <n>)`. */
export const aclBootstrapAlreadyDone = (resetIndex: number): string =>
  `ACL bootstrap already done (reset index: ${resetIndex})`;

/** 400, policy upsert whose policy fails validation: `policy <i> invalid: <detail>`. */
export const aclPolicyInvalid = (index: number, detail: string): string =>
  `policy ${index} invalid: ${detail}`;

/** 400, token create/update whose token fails validation: `token <i> invalid: <detail>`. */
export const aclTokenInvalid = (index: number, detail: string): string =>
  `token ${index} invalid: ${detail}`;

/** 400, token update of an accessor that does not exist: `cannot find token <accessor>`. */
export const cannotFindToken = (accessor: string): string => `cannot find token ${accessor}`;

/** 400, token delete of accessors that do not exist: `Cannot delete nonexistent tokens: a, b`. */
export const cannotDeleteNonexistentTokens = (accessors: readonly string[]): string =>
  `Cannot delete nonexistent tokens: ${accessors.join(', ')}`;

/** 400, a token linking a role that does not exist: `cannot find role <id or name>`. */
export const cannotFindRole = (role: string): string => `cannot find role ${role}`;

/** 400, a request body that does not decode: `Failed to decode body: <detail>`. */
export const failedToDecodeBody = (detail: string): string => `Failed to decode body: ${detail}`;

/** 404 (Nomad: 500), Restart of an unknown task. */
export const couldNotFindTaskRunner = (task: string): string =>
  `Could not find task runner for task: ${task}`;

/** One item of a Signal-all failure list. */
export const failedToSignalTask = (task: string, err: string): string =>
  `Failed to signal task: ${task}, err: ${err}`;

/** One item of a Restart failure list. */
export const failedToRestartTask = (task: string, err: string): string =>
  `failed to restart task ${task}: ${err}`;

/**
 * A go-multierror list, as Nomad returns per-task failures:
 * `1 error occurred:\n\t* <e>\n\n` or `N errors occurred:\n\t* <e1>\n\t* <e2>\n\n`.
 */
export function multiError(errors: readonly string[]): string {
  if (errors.length === 1) return `1 error occurred:\n\t* ${errors[0]}\n\n`;
  return `${errors.length} errors occurred:\n\t${errors.map((e) => `* ${e}`).join('\n\t')}\n\n`;
}
