// A JSON document decoded as Go's encoding/json decodes it into a tree of structs (a job and its
// groups, tasks, policies...), with the zod schemas of the contract as the description of the
// tree. The output keeps what was sent, nothing more: absent and `null` fields are left out, so a
// server can tell "not given" from "given as zero" and fill Nomad's defaults itself. Values of the
// wrong JSON kind fail with Go's own text, e.g.
// `json: cannot unmarshal string into Go struct field Resources.Job.TaskGroups.Tasks.Resources.CPU of type int`.
// Numbers are checked against their Go type (`int` is 64-bit, `uint8` 0..255, `time.Duration`
// int64 nanoseconds...) from their literal when the body was parsed by `parseJson`, so
// `9223372036854775808` and `1.5` are refused in an `int` as Go refuses them, with the literal
// in the text.
//
// A berth limit Go does not have: a free-form value (a task's `Config`, any `interface{}` field,
// an unknown key kept on a passthrough struct) may nest objects and arrays at most
// {@link MAX_FREE_FORM_DEPTH} levels deep.
import type { z } from 'zod';
import { numberLiterals, type JsonPath } from './json-text.js';
import { formatGoInt, goNumberValue } from './number-types.js';

/**
 * How deeply a free-form value may nest objects and arrays, counted from the struct field that
 * holds it (a task's `Config: {}` is 1 level, `Config: {"a": []}` 2). Real driver configs nest
 * under 10 (docker's `mounts` > `volume_options` > `driver_config` > `options` is 5); Go's only
 * limit is 10,000 for the whole document. Added to the deepest Go-typed path of a job (12), this
 * keeps every value the server stores under 80 levels, so recursive code over it (JSON.stringify,
 * canonicalisation, deep equality, the filter's selectors) stays far from the stack's limit, and
 * the check itself never walks past this depth.
 */
export const MAX_FREE_FORM_DEPTH = 64;

/** How a Go struct shows in its decoder's errors. */
export interface GoStruct {
  /** The type's name alone, as errors name the innermost struct (`TaskGroup`). */
  name: string;
  /** The qualified type, as errors name a value of the wrong kind (`api.TaskGroup`). */
  type: string;
  /**
   * Go types of fields where the schema does not say enough: numbers are `int` unless listed
   * (`time.Duration`, `uint64`, `int8`...), struct slices `[]*api.X` unless listed (`[]api.Port`).
   */
  types?: Readonly<Record<string, string>>;
  /** The dotted path of a field promoted from an embedded struct (`WriteRequest.Region`). */
  paths?: Readonly<Record<string, string>>;
}

/** The Go description of every struct schema in a tree, keyed by the zod object schema. */
export type GoStructs = ReadonlyMap<z.ZodTypeAny, GoStruct>;

type Kind =
  | { kind: 'string' | 'bool' | 'number' | 'any' }
  | { kind: 'slice' | 'map'; elem: Kind }
  | { kind: 'struct'; schema: z.AnyZodObject; info: GoStruct };

/** The result of {@link decodeGoJson}: the decoded value, or Go's error text. */
export type GoDecodeResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

interface Field {
  name: string;
  path: string;
  kind: Kind;
  /** The field's Go type, e.g. `*int`, `[]*api.Task`, `map[string]string`. */
  goType: string;
}

interface StructPlan {
  byLower: Map<string, Field>;
  passthrough: boolean;
}

/** The JSON kind name Go's decoder reports for a value. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // 'string' | 'number' | 'object'
}

/**
 * Whether `value` nests objects and arrays more than `max` levels deep (a scalar is 0 levels, `{}`
 * and `[]` are 1). Iterative, and it stops descending at `max + 1`, so a value nested thousands of
 * levels deep costs no more than one at the limit.
 */
function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max < 1) return true;
  // Containers still to look into, each with its own level (1 for `value`).
  const pending: object[] = [value];
  const levels: number[] = [1];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const level = levels.pop() ?? 1;
    const children: unknown[] = Array.isArray(next) ? next : Object.values(next);
    for (const child of children) {
      if (typeof child !== 'object' || child === null) continue;
      if (level + 1 > max) return true;
      pending.push(child);
      levels.push(level + 1);
    }
  }
  return false;
}

/** Strips zod wrappers (default, nullable, optional, effects) down to the value's schema. */
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let s = schema;
  for (;;) {
    const def = s._def as {
      typeName?: string;
      innerType?: z.ZodTypeAny;
      schema?: z.ZodTypeAny;
      options?: z.ZodTypeAny[];
    };
    if (def.innerType) s = def.innerType;
    else if (def.typeName === 'ZodEffects' && def.schema) s = def.schema;
    else if (def.typeName === 'ZodUnion' && def.options?.[0]) s = def.options[0];
    else return s;
  }
}

/**
 * A Go type-checking decoder for the struct tree rooted at `root`. Plans are built once per
 * struct schema and reused across calls.
 */
export function goJsonDecoder(root: z.AnyZodObject, structs: GoStructs) {
  const plans = new Map<z.ZodTypeAny, StructPlan>();

  const kindOf = (schema: z.ZodTypeAny): Kind => {
    const s = unwrap(schema);
    const def = s._def as { typeName: string; type?: z.ZodTypeAny; valueType?: z.ZodTypeAny };
    switch (def.typeName) {
      case 'ZodString':
      case 'ZodEnum':
      case 'ZodNativeEnum':
      case 'ZodLiteral':
        return { kind: 'string' };
      case 'ZodNumber':
        return { kind: 'number' };
      case 'ZodBoolean':
        return { kind: 'bool' };
      case 'ZodArray':
        return { kind: 'slice', elem: kindOf(def.type as z.ZodTypeAny) };
      case 'ZodRecord':
        return { kind: 'map', elem: kindOf(def.valueType as z.ZodTypeAny) };
      case 'ZodObject': {
        const info = structs.get(s) ?? { name: '', type: 'struct' };
        return { kind: 'struct', schema: s as z.AnyZodObject, info };
      }
      default:
        return { kind: 'any' };
    }
  };

  const defaultGoType = (kind: Kind): string => {
    switch (kind.kind) {
      case 'string':
      case 'bool':
        return kind.kind;
      case 'number':
        return 'int';
      case 'any':
        return 'interface {}';
      case 'slice':
        return `[]${defaultGoType(kind.elem)}`;
      case 'map':
        return `map[string]${defaultGoType(kind.elem)}`;
      case 'struct':
        return `*${kind.info.type}`;
    }
  };

  const planOf = (schema: z.AnyZodObject, info: GoStruct): StructPlan => {
    let plan = plans.get(schema);
    if (plan) return plan;
    const byLower = new Map<string, Field>();
    for (const [name, fieldSchema] of Object.entries(
      schema.shape as Record<string, z.ZodTypeAny>,
    )) {
      const kind = kindOf(fieldSchema);
      const goType = info.types?.[name] ?? defaultGoType(kind);
      byLower.set(name.toLowerCase(), { name, path: info.paths?.[name] ?? name, kind, goType });
    }
    plan = {
      byLower,
      passthrough: (schema._def as { unknownKeys?: string }).unknownKeys === 'passthrough',
    };
    plans.set(schema, plan);
    return plan;
  };

  // Decoding: each function returns the value, or throws a DecodeError carrying Go's text.
  class DecodeError extends Error {}

  /** Go's context of an error: the innermost struct and the field names from the root. */
  interface Context {
    struct: string;
    stack: string[];
  }

  /** Where a value is in the document: its key or index, under its parent's place. */
  interface Place {
    up: Place | undefined;
    key: string | number;
  }

  /** One decoding: the literals of the document's inexact numbers, when it has any. */
  interface Walk {
    literals: ((path: JsonPath) => string | undefined) | undefined;
  }

  const pathOf = (place: Place | undefined): (string | number)[] => {
    const path: (string | number)[] = [];
    for (let p = place; p; p = p.up) path.push(p.key);
    return path.reverse();
  };

  /** The number as Go's decoder reads it: its literal, or the value written as Go would. */
  const literalOf = (value: number, walk: Walk, place: Place | undefined): string => {
    const literal = walk.literals?.(pathOf(place));
    // A literal is used only for the value it spells (a duplicate key may have replaced it).
    if (literal !== undefined && Number(literal) === value) return literal;
    // As Go's encoder writes a float64: every digit below 1e21, an exponent above.
    return Math.abs(value) < 1e21 ? formatGoInt(value) : String(value);
  };

  const fail = (value: unknown, goType: string, ctx: Context | undefined): never => {
    const type = goType.replace(/^\*/, '');
    const what = jsonKind(value);
    throw new DecodeError(
      ctx
        ? `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.stack.join('.')} of type ${type}`
        : `json: cannot unmarshal ${what} into Go value of type ${type}`,
    );
  };

  const elemType = (goType: string): string => {
    const t = goType.replace(/^\*/, '');
    if (t.startsWith('[]')) return t.slice(2);
    if (t.startsWith('map[string]')) return t.slice('map[string]'.length);
    return t;
  };

  /** Go's zero value of a kind, for `null` elements of slices and maps. */
  const zero = (kind: Kind): unknown => {
    switch (kind.kind) {
      case 'string':
        return '';
      case 'bool':
        return false;
      case 'number':
        return 0;
      case 'struct':
        return {};
      default:
        return null;
    }
  };

  /** Refuses a free-form value nested deeper than berth keeps, `levels` below its field. */
  const freeForm = (value: unknown, levels: number, ctx: Context | undefined): unknown => {
    if (nestsDeeperThan(value, MAX_FREE_FORM_DEPTH - levels)) {
      const where = ctx ? `Go struct field ${ctx.struct}.${ctx.stack.join('.')}` : 'Go value';
      throw new DecodeError(
        `json: ${where} nests objects and arrays deeper than ${MAX_FREE_FORM_DEPTH} levels (berth's limit for free-form values)`,
      );
    }
    return value;
  };

  /**
   * Decodes one value of a field. `levels` counts the slices and maps already entered below the
   * field, so a free-form value's depth is measured from the field (`Config`), not from itself.
   */
  const decodeValue = (
    value: unknown,
    kind: Kind,
    goType: string,
    ctx: Context | undefined,
    walk: Walk,
    place: Place | undefined,
    levels = 0,
  ): unknown => {
    switch (kind.kind) {
      case 'any':
        return freeForm(value, levels, ctx);
      case 'string':
        return typeof value === 'string' ? value : fail(value, goType, ctx);
      case 'bool':
        return typeof value === 'boolean' ? value : fail(value, goType, ctx);
      case 'number': {
        if (typeof value !== 'number') return fail(value, goType, ctx);
        const type = goType.replace(/^\*/, '');
        const literal = literalOf(value, walk, place);
        const decoded = goNumberValue(literal, type);
        if (decoded === undefined) {
          const where = ctx ? `Go struct field ${ctx.struct}.${ctx.stack.join('.')}` : 'Go value';
          throw new DecodeError(
            `json: cannot unmarshal number ${literal} into ${where} of type ${type}`,
          );
        }
        return decoded;
      }
      case 'slice': {
        if (!Array.isArray(value)) return fail(value, goType, ctx);
        const elem = elemType(goType);
        return value.map((item: unknown, i) =>
          item === null
            ? zero(kind.elem)
            : decodeValue(item, kind.elem, elem, ctx, walk, { up: place, key: i }, levels + 1),
        );
      }
      case 'map': {
        if (jsonKind(value) !== 'object') return fail(value, goType, ctx);
        const elem = elemType(goType);
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          out[key] =
            item === null
              ? zero(kind.elem)
              : decodeValue(item, kind.elem, elem, ctx, walk, { up: place, key }, levels + 1);
        }
        return out;
      }
      case 'struct':
        if (jsonKind(value) !== 'object') return fail(value, goType, ctx);
        return decodeStruct(
          value as Record<string, unknown>,
          kind.schema,
          kind.info,
          ctx?.stack ?? [],
          walk,
          place,
        );
    }
  };

  const decodeStruct = (
    body: Record<string, unknown>,
    schema: z.AnyZodObject,
    info: GoStruct,
    stack: string[],
    walk: Walk,
    place: Place | undefined,
  ): Record<string, unknown> => {
    const plan = planOf(schema, info);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      const field = plan.byLower.get(key.toLowerCase());
      if (field === undefined) {
        // Go drops unknown keys; berth keeps them on passthrough objects (a job round-trips),
        // within the free-form depth.
        if (plan.passthrough && value !== null)
          out[key] = freeForm(value, 0, { struct: info.name, stack: [...stack, key] });
        continue;
      }
      // `null` leaves a Go field at its zero value: for us, not given.
      if (value === null) {
        delete out[field.name];
        continue;
      }
      const ctx: Context = { struct: info.name, stack: [...stack, ...field.path.split('.')] };
      out[field.name] = decodeValue(value, field.kind, field.goType, ctx, walk, {
        up: place,
        key,
      });
    }
    return out;
  };

  const rootInfo = structs.get(root) ?? { name: '', type: 'struct' };

  /** Decodes a body; `null` decodes to an empty object, as Go leaves the struct untouched. */
  return (body: unknown): GoDecodeResult => {
    if (body === null || body === undefined) return { ok: true, value: {} };
    try {
      if (jsonKind(body) !== 'object') fail(body, rootInfo.type, undefined);
      const walk: Walk = { literals: numberLiterals(body) };
      const value = decodeStruct(
        body as Record<string, unknown>,
        root,
        rootInfo,
        [],
        walk,
        undefined,
      );
      return { ok: true, value };
    } catch (error) {
      if (error instanceof DecodeError) return { ok: false, error: error.message };
      throw error;
    }
  };
}
