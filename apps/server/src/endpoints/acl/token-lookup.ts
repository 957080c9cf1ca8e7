// Token accessors with the rules of Nomad's `acl_token` UUID index (go-memdb's UUIDFieldIndex, as
// for allocation IDs: see ../uuid-lookup.ts). Nomad answers a malformed accessor with a 500
// carrying the index error; berth answers 400 with the same text.
import { badRequest } from '../endpoint-error.js';
import { allocIdPrefix, exactAllocId, UuidFormatError } from '../uuid-lookup.js';

/** The state store's wording of a failed token lookup, which the endpoints wrap or pass on. */
export const aclTokenLookupFailed = (detail: string): string =>
  `acl token lookup failed: index error: ${detail}`;

function parse<T>(fn: () => T, wrap: (detail: string) => string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UuidFormatError) throw badRequest(wrap(error.message));
    throw error;
  }
}

/**
 * The stored form of an accessor for an exact lookup; `undefined` when it is well formed but can
 * never match (36 bytes without 32 hex digits). A malformed one is a 400 whose text `wrap` makes
 * from the state store's (e.g. an upsert's `token lookup failed: ...`).
 */
export function tokenAccessor(
  accessor: string,
  wrap: (message: string) => string = (m) => m,
): string | undefined {
  return parse(
    () => exactAllocId(accessor),
    (detail) => wrap(aclTokenLookupFailed(detail)),
  );
}

/** A list `prefix` in the stored form (400 when malformed). */
export function tokenAccessorPrefix(prefix: string): string {
  return parse(() => allocIdPrefix(prefix), aclTokenLookupFailed);
}
