// A JSON body decoded as Go's encoding/json decodes it into a struct: keys match field names
// case-insensitively (the last matching key wins), unknown keys and `null` values are ignored,
// and a value of the wrong kind fails with Go's text, e.g.
// `json: cannot unmarshal number into Go struct field AllocSignalRequest.Signal of type string`.
import { z } from 'zod';
import { failedToDecodeBody } from '../errors.js';

/** The Go kinds a body field can have, and the TypeScript type each parses to. */
interface GoKinds {
  string: string;
  bool: boolean;
}

/** One field: its Go kind, and its dotted path in the struct when not its own name (embedding). */
export type GoFieldSpec = keyof GoKinds | { kind: keyof GoKinds; path: string };

type Parsed<T extends Record<string, GoFieldSpec>> = {
  [K in keyof T]: GoKinds[T[K] extends { kind: infer U extends keyof GoKinds }
    ? U
    : T[K] & keyof GoKinds];
};

const ZERO: { [K in keyof GoKinds]: GoKinds[K] } = { string: '', bool: false };

/** The JSON kind name Go's decoder reports for a value. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // 'string' | 'number' | 'object'
}

/**
 * A zod schema for a Go struct body. `structName` is the Go type's name as its decoder reports it
 * in field errors (`AllocSignalRequest`; `""` for an anonymous struct), `typeName` its full type
 * (`structs.AllocSignalRequest`) for a body that is not an object. Absent fields parse to Go's zero
 * value; an absent body (`undefined`) or `null` parses to all zero values. Errors carry the
 * complete 400 text, `Failed to decode body: json: ...`.
 */
export function goJsonStruct<const T extends Record<string, GoFieldSpec>>(
  structName: string,
  typeName: string,
  fields: T,
) {
  const byLower = new Map(Object.keys(fields).map((k) => [k.toLowerCase(), k]));
  return z.unknown().transform((body, ctx) => {
    const out: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(fields)) {
      out[name] = ZERO[typeof spec === 'string' ? spec : spec.kind];
    }
    if (body === undefined || body === null) return out as Parsed<T>;
    if (typeof body !== 'object' || Array.isArray(body)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: failedToDecodeBody(
          `json: cannot unmarshal ${jsonKind(body)} into Go value of type ${typeName}`,
        ),
        fatal: true,
      });
      return z.NEVER;
    }
    for (const [key, value] of Object.entries(body)) {
      const name = byLower.get(key.toLowerCase());
      if (name === undefined || value === null) continue;
      const spec = fields[name] as GoFieldSpec;
      const kind = typeof spec === 'string' ? spec : spec.kind;
      const path = typeof spec === 'string' ? name : spec.path;
      if (jsonKind(value) !== kind) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [name],
          message: failedToDecodeBody(
            `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${structName}.${path} of type ${kind}`,
          ),
          fatal: true,
        });
        return z.NEVER;
      }
      out[name] = value;
    }
    return out as Parsed<T>;
  }) as unknown as z.ZodType<Parsed<T>, z.ZodTypeDef, Partial<Parsed<T>> | undefined>;
}
