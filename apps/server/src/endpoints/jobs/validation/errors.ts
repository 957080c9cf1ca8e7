// Nomad's validation errors are go-multierror lists. A validator returns its list as strings;
// a list appended with multierror.Append is flattened into the caller's (spread it), one wrapped
// with fmt.Errorf("...: %v", err) becomes a single item holding the formatted list (`nested`).
import { multiError } from '@berth/contract';

/** One item: `prefix` followed by the go-multierror text of `errors` (nothing when empty). */
export function nested(prefix: string, errors: readonly string[]): string[] {
  return errors.length === 0 ? [] : [`${prefix}${multiError(errors)}`];
}

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}
