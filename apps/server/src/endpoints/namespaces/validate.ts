// Nomad's Namespace.Validate (nomad/structs/structs.go): the name's pattern and the description's
// length, every problem listed in one go-multierror text.
import { goQuote, multiError, type NamespaceRegisterRequest } from '@berth/contract';

/** Nomad's `validNamespaceName`. */
const VALID_NAME = /^[a-zA-Z0-9-]{1,128}$/;
const VALID_NAME_TEXT = '^[a-zA-Z0-9-]{1,128}$';

/** Nomad's `maxNamespaceDescriptionLength`, in bytes (Go's len). */
const MAX_DESCRIPTION_BYTES = 256;

/** Nomad's text for an invalid namespace, or `undefined` when it is valid. */
export function namespaceProblems(ns: NamespaceRegisterRequest): string | undefined {
  const errors: string[] = [];
  if (!VALID_NAME.test(ns.Name)) {
    errors.push(`invalid name ${goQuote(ns.Name)}. Must match regex ${VALID_NAME_TEXT}`);
  }
  if (Buffer.byteLength(ns.Description, 'utf8') > MAX_DESCRIPTION_BYTES) {
    errors.push(`description longer than ${MAX_DESCRIPTION_BYTES}`);
  }
  if (errors.length === 0) return undefined;
  return `Invalid namespace ${goQuote(ns.Name)}: ${multiError(errors)}`;
}
