// Decodes a jobspec's `job` block into the API's Job, as jobspec2's gohcl decoding (with its
// custom decoders in hcl_conversions.go) and normalizeJob (parse_job.go) do.
import { parseGoDuration } from '@berth/contract';
import { JobspecError } from './errors.js';
import type { Budget } from './evaluate.js';
import { evaluateJson, type Scope } from './evaluate.js';
import { fieldSpec, STRUCTS, type FieldSpec } from './schema.js';
import {
  isObject,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  type Value,
  type ValueObject,
} from './value.js';
import { isPlainObject } from './variables.js';

/** Deepest nesting of blocks decoded (a job nests about six deep). */
const MAX_BLOCK_DEPTH = 32;

type Body = Record<string, unknown>;

interface Context {
  scope: Scope;
  budget: Budget;
  depth: number;
}

/** A block body as hcl2json gives it: bodies of a repeated block are array elements. */
function isBlockList(value: unknown): value is Body[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

/** The bodies of an unlabelled block type. */
function unlabelled(name: string, value: unknown, struct: string): Body[] {
  if (isBlockList(value)) return value;
  if (isPlainObject(value) && STRUCTS[struct]?.label !== undefined) return [];
  throw new JobspecError(
    `Unsupported argument; An argument named "${name}" is not expected here. Did you mean to define a block of type "${name}"?`,
  );
}

/** The bodies of a labelled block type, with their labels. */
function withLabels(name: string, value: unknown): [string, Body][] {
  if (isBlockList(value)) {
    throw new JobspecError(
      `Missing name for ${name}; All ${name} blocks must have 1 labels (name).`,
    );
  }
  if (!isPlainObject(value)) {
    throw new JobspecError(
      `Unsupported argument; An argument named "${name}" is not expected here. Did you mean to define a block of type "${name}"?`,
    );
  }
  const out: [string, Body][] = [];
  for (const [label, bodies] of Object.entries(value)) {
    if (!isBlockList(bodies)) {
      throw new JobspecError(
        `Extraneous label for ${name}; Only 1 labels (name) are expected for ${name} blocks.`,
      );
    }
    for (const body of bodies) out.push([label, body]);
  }
  return out;
}

/** Decodes the body of one block of `struct`. */
export async function decodeStruct(
  struct: string,
  body: Body,
  label: string | undefined,
  ctx: Context,
): Promise<ValueObject> {
  if (ctx.depth > MAX_BLOCK_DEPTH) throw new JobspecError('Blocks nested too deeply.');
  if (struct === 'Constraint' || struct === 'Affinity') return decodeConstraint(struct, body, ctx);
  const spec = STRUCTS[struct];
  if (spec === undefined) throw new Error(`no schema for ${struct}`);
  const out: ValueObject = {};
  if (spec.label !== undefined && label !== undefined) out[spec.label] = label;
  for (const [name, raw] of Object.entries(body)) {
    ctx.budget.step();
    const notation = spec.fields[name];
    if (notation === undefined) {
      throw new JobspecError(
        isBlockList(raw) || (isPlainObject(raw) && Object.values(raw).every(isBlockList))
          ? `Unsupported block type; Blocks of type "${name}" are not expected here.`
          : `Unsupported argument; An argument named "${name}" is not expected here.`,
      );
    }
    const field = fieldSpec(notation);
    out[field.field] = await decodeField(name, field, raw, { ...ctx, depth: ctx.depth + 1 });
  }
  return out;
}

async function decodeField(
  name: string,
  spec: FieldSpec,
  raw: unknown,
  ctx: Context,
): Promise<Value> {
  switch (spec.kind) {
    case 'block': {
      const bodies = unlabelled(name, raw, spec.struct);
      if (bodies.length > 1) {
        throw new JobspecError(`Duplicate ${name} block; Only one ${name} block is allowed.`);
      }
      return decodeStruct(spec.struct, bodies[0] ?? {}, undefined, ctx);
    }
    case 'blocks':
    case 'labelled': {
      const labelField = STRUCTS[spec.struct]?.label;
      const entries: [string | undefined, Body][] =
        labelField === undefined
          ? unlabelled(name, raw, spec.struct).map((b) => [undefined, b])
          : withLabels(name, raw);
      const items: ValueObject[] = [];
      for (const [label, body] of entries)
        items.push(await decodeStruct(spec.struct, body, label, ctx));
      if (spec.kind === 'blocks') return items;
      const map: ValueObject = {};
      for (const [i, item] of items.entries()) map[entries[i]![0]!] = item;
      return map;
    }
    case 'smap': {
      const value = await mapValue(name, raw, ctx);
      const out: ValueObject = {};
      for (const [k, v] of Object.entries(value))
        out[k] = toStringValue(v, `value for ${name}.${k}`);
      return out;
    }
    case 'amap':
      return mapValue(name, raw, ctx);
  }
  const value = await evaluateJson(raw, ctx.scope, ctx.budget);
  if (value === null) return null;
  switch (spec.kind) {
    case 'str':
      return toStringValue(value, `value for ${name}`);
    case 'int': {
      const n = toNumberValue(value, `value for ${name}`);
      if (!Number.isInteger(n)) {
        throw new JobspecError(
          `Unsuitable value type; Unsuitable value: a whole number is required for ${name}`,
        );
      }
      return n;
    }
    case 'bool':
      return toBoolValue(value, `value for ${name}`);
    case 'strs':
      if (!Array.isArray(value)) {
        throw new JobspecError(
          `Incorrect attribute value type; Inappropriate value for attribute "${name}": list of string required.`,
        );
      }
      return value.map((v) => toStringValue(v, `value for ${name}`));
    case 'dur':
      return duration(value);
    case 'attr':
      return value;
  }
}

/** A map written as a block (`env { A = "1" }`) or as an attribute (`env = { A = "1" }`). */
async function mapValue(name: string, raw: unknown, ctx: Context): Promise<ValueObject> {
  if (isBlockList(raw)) {
    if (raw.length > 1)
      throw new JobspecError(`Duplicate ${name} block; Only one ${name} block is allowed.`);
    raw = raw[0];
  }
  const value = await evaluateJson(raw, ctx.scope, ctx.budget);
  if (!isObject(value)) {
    throw new JobspecError(
      `Incorrect attribute value type; Inappropriate value for attribute "${name}": map required, not ${value === null ? 'null' : typeName(value)}.`,
    );
  }
  return value;
}

/** jobspec2's decodeDuration: a Go duration string, or a number of nanoseconds. */
function duration(value: Value): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value))
      throw new JobspecError(
        'Unsuitable value type; Unsuitable value: value must be a whole number',
      );
    return value;
  }
  if (typeof value !== 'string') {
    throw new JobspecError(
      `Unsuitable value type; Unsuitable value: expected a string but found ${typeName(value)}`,
    );
  }
  const ns = parseGoDuration(value);
  if (ns === undefined) {
    throw new JobspecError(
      `Unsuitable value type; Unsuitable duration value: time: invalid duration ${JSON.stringify(value)}`,
    );
  }
  return ns;
}

const CONSTRAINT_SHORTCUTS = [
  'version',
  'semver',
  'regexp',
  'set_contains_any',
  'set_contains_all',
  'set_contains',
];
const CONSTRAINT_ONLY = [
  'distinct_property',
  'distinct_hosts',
  'attribute_is_set',
  'attribute_is_not_set',
];

/** jobspec2's decodeConstraint / decodeAffinity: the operator shortcuts (`version = ">= 1"`...). */
async function decodeConstraint(
  struct: 'Constraint' | 'Affinity',
  body: Body,
  ctx: Context,
): Promise<ValueObject> {
  const attrs: Record<string, Value> = {};
  const allowed = [
    'attribute',
    'value',
    'operator',
    ...CONSTRAINT_SHORTCUTS,
    ...(struct === 'Affinity' ? ['weight'] : CONSTRAINT_ONLY),
  ];
  for (const [name, raw] of Object.entries(body)) {
    if (!allowed.includes(name)) {
      throw new JobspecError(
        `Unsupported argument; An argument named "${name}" is not expected here.`,
      );
    }
    attrs[name] = await evaluateJson(raw, ctx.scope, ctx.budget);
  }
  const text = (name: string): string => {
    const v = attrs[name];
    return v === undefined || v === null ? '' : toStringValue(v, `value for ${name}`);
  };
  const out: ValueObject = {
    LTarget: text('attribute'),
    RTarget: text('value'),
    Operand: text('operator'),
  };
  const shortcuts =
    struct === 'Affinity'
      ? ['version', 'semver', 'regexp', 'set_contains_any', 'set_contains_all', 'set_contains']
      : ['version', 'semver', 'regexp', 'set_contains'];
  for (const op of shortcuts) {
    if (text(op) !== '') {
      out['Operand'] = op;
      out['RTarget'] = text(op);
    }
  }
  if (struct === 'Affinity') {
    const weight = attrs['weight'];
    if (weight !== undefined && weight !== null)
      out['Weight'] = Math.trunc(toNumberValue(weight, 'value for weight'));
  } else {
    const hosts = attrs['distinct_hosts'];
    if (hosts !== undefined && hosts !== null) {
      out['Operand'] = 'distinct_hosts';
      out['RTarget'] = String(toBoolValue(hosts, 'value for distinct_hosts'));
    }
    if (text('distinct_property') !== '') {
      out['Operand'] = 'distinct_property';
      out['LTarget'] = text('distinct_property');
    }
  }
  if (out['Operand'] === '') out['Operand'] = '=';
  return out;
}
