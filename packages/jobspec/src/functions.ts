// A bounded subset of the functions jobspec2 offers (jobspec2/functions.go: go-cty's stdlib and
// Terraform's): the string, collection, number and encoding functions jobspecs commonly use. The
// file-system functions are off in Nomad's parse API too (AllowFS false). Every result is checked
// against the size bounds in value.ts, so `format`, `join` or `range` cannot build huge values.
import { JobspecError } from './errors.js';
import {
  checkCollection,
  checkString,
  isObject,
  MAX_COLLECTION_LENGTH,
  toBoolValue,
  toNumberValue,
  toStringValue,
  type Value,
  type ValueObject,
} from './value.js';

type Fn = (args: Value[]) => Value;

const str = (args: Value[], i: number): string =>
  toStringValue(args[i] ?? null, 'function argument');
const num = (args: Value[], i: number): number =>
  toNumberValue(args[i] ?? null, 'function argument');

function list(value: Value | undefined): Value[] {
  if (Array.isArray(value)) return value;
  throw new JobspecError('Invalid function argument; a list is required.');
}

function object(value: Value | undefined): ValueObject {
  if (isObject(value)) return value;
  throw new JobspecError('Invalid function argument; a map is required.');
}

function arity(name: string, args: Value[], min: number, max = min): void {
  if (args.length < min) {
    throw new JobspecError(
      `Not enough function arguments; Function "${name}" expects ${min} argument(s). Missing value for argument.`,
    );
  }
  if (args.length > max) {
    throw new JobspecError(
      `Too many function arguments; Function "${name}" expects only ${max} argument(s).`,
    );
  }
}

function jsonValue(value: unknown): Value {
  if (value === undefined) return null;
  return value as Value;
}

/** Go's fmt verbs as cty's format supports the common ones: %s %d %v %q %f %%. */
function format(spec: string, args: Value[]): string {
  let next = 0;
  let out = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const verb = spec[++i];
    if (verb === '%') {
      out += '%';
      continue;
    }
    const arg = args[next++];
    if (arg === undefined) {
      throw new JobspecError('Error in function call; not enough arguments for the format string.');
    }
    switch (verb) {
      case 's':
      case 'v':
        out += typeof arg === 'object' && arg !== null ? JSON.stringify(arg) : toStringValue(arg);
        break;
      case 'd':
        out += String(Math.trunc(toNumberValue(arg)));
        break;
      case 'f':
        out += toNumberValue(arg).toFixed(6);
        break;
      case 'q':
        out += JSON.stringify(toStringValue(arg));
        break;
      default:
        throw new JobspecError(`Error in function call; unsupported format verb %${verb ?? ''}.`);
    }
    checkString(out);
  }
  return out;
}

const FUNCTIONS: Record<string, Fn> = {
  upper: (a) => str(a, 0).toUpperCase(),
  lower: (a) => str(a, 0).toLowerCase(),
  title: (a) => str(a, 0).replace(/\b[a-z]/g, (c) => c.toUpperCase()),
  trimspace: (a) => str(a, 0).trim(),
  chomp: (a) => {
    let text = str(a, 0);
    while (text.endsWith('\n')) text = text.slice(0, text.endsWith('\r\n') ? -2 : -1);
    return text;
  },
  trimprefix: (a) =>
    str(a, 0).startsWith(str(a, 1)) ? str(a, 0).slice(str(a, 1).length) : str(a, 0),
  trimsuffix: (a) =>
    str(a, 1) !== '' && str(a, 0).endsWith(str(a, 1))
      ? str(a, 0).slice(0, -str(a, 1).length)
      : str(a, 0),
  strrev: (a) => [...str(a, 0)].reverse().join(''),
  strlen: (a) => [...str(a, 0)].length,
  substr: (a) => {
    const chars = [...str(a, 0)];
    const offset = num(a, 1);
    const length = num(a, 2);
    const start = offset < 0 ? chars.length + offset : offset;
    return chars.slice(start, length < 0 ? undefined : start + length).join('');
  },
  replace: (a) => {
    const search = str(a, 1);
    if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) {
      throw new JobspecError(
        'Error in function call; regular expression replace is not supported.',
      );
    }
    return checkString(str(a, 0).split(search).join(str(a, 2)));
  },
  split: (a) => checkCollection(str(a, 1).split(str(a, 0))),
  join: (a) => {
    const parts: string[] = [];
    for (const l of a.slice(1)) for (const v of list(l)) parts.push(toStringValue(v));
    return checkString(parts.join(str(a, 0)));
  },
  format: (a) => format(str(a, 0), a.slice(1)),
  concat: (a) => checkCollection(a.flatMap((l) => list(l))),
  length: (a) => {
    const v = a[0] ?? null;
    if (typeof v === 'string') return [...v].length;
    if (Array.isArray(v)) return v.length;
    return Object.keys(object(v)).length;
  },
  element: (a) => {
    const l = list(a[0]);
    if (l.length === 0)
      throw new JobspecError(
        'Error in function call; cannot use element function with an empty list.',
      );
    return l[((num(a, 1) % l.length) + l.length) % l.length]!;
  },
  contains: (a) => list(a[0]).some((v) => JSON.stringify(v) === JSON.stringify(a[1] ?? null)),
  distinct: (a) => {
    const seen = new Set<string>();
    return list(a[0]).filter((v) => {
      const k = JSON.stringify(v);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  },
  compact: (a) => list(a[0]).filter((v) => v !== null && v !== ''),
  flatten: (a) => {
    const out: Value[] = [];
    const walk = (l: Value[], depth: number): void => {
      if (depth > 32) throw new JobspecError('Error in function call; list nested too deeply.');
      for (const v of l) {
        if (Array.isArray(v)) walk(v, depth + 1);
        else out.push(v);
      }
    };
    walk(list(a[0]), 0);
    return checkCollection(out);
  },
  reverse: (a) => [...list(a[0])].reverse(),
  sort: (a) =>
    list(a[0])
      .map((v) => toStringValue(v))
      .sort(),
  keys: (a) => Object.keys(object(a[0])).sort(),
  values: (a) => {
    const o = object(a[0]);
    return Object.keys(o)
      .sort()
      .map((k) => o[k]!);
  },
  lookup: (a) => {
    const o = object(a[0]);
    const key = str(a, 1);
    if (Object.hasOwn(o, key)) return o[key]!;
    if (a.length > 2) return a[2]!;
    throw new JobspecError(
      `Error in function call; the given key "${key}" does not exist in the map.`,
    );
  },
  merge: (a) =>
    checkCollection(Object.assign({}, ...a.filter((v) => v !== null).map(object)) as ValueObject),
  coalesce: (a) => {
    const found = a.find((v) => v !== null && v !== '');
    if (found === undefined)
      throw new JobspecError('Error in function call; no non-null, non-empty-string arguments.');
    return found;
  },
  range: (a) => {
    const [start, end, step] =
      a.length === 1 ? [0, num(a, 0), 1] : [num(a, 0), num(a, 1), a.length > 2 ? num(a, 2) : 1];
    if (step === 0) throw new JobspecError('Error in function call; step must not be zero.');
    if (Math.abs((end - start) / step) > MAX_COLLECTION_LENGTH) {
      throw new JobspecError(
        `Error in function call; more than ${MAX_COLLECTION_LENGTH} range elements are not allowed.`,
      );
    }
    const out: number[] = [];
    for (let v = start; step > 0 ? v < end : v > end; v += step) out.push(v);
    return out;
  },
  min: (a) => Math.min(...a.map((_, i) => num(a, i))),
  max: (a) => Math.max(...a.map((_, i) => num(a, i))),
  abs: (a) => Math.abs(num(a, 0)),
  ceil: (a) => Math.ceil(num(a, 0)),
  floor: (a) => Math.floor(num(a, 0)),
  signum: (a) => Math.sign(num(a, 0)),
  parseint: (a) => {
    const n = Number.parseInt(str(a, 0), num(a, 1));
    if (Number.isNaN(n))
      throw new JobspecError(`Error in function call; cannot parse "${str(a, 0)}" as an integer.`);
    return n;
  },
  tostring: (a) => (a[0] === null ? null : str(a, 0)),
  tonumber: (a) => (a[0] === null ? null : num(a, 0)),
  tobool: (a) => (a[0] === null ? null : toBoolValue(a[0] ?? null)),
  tolist: (a) => list(a[0]),
  toset: (a) => FUNCTIONS['distinct']!(a),
  tomap: (a) => object(a[0]),
  jsonencode: (a) => checkString(JSON.stringify(a[0] ?? null)),
  jsondecode: (a) => {
    try {
      return jsonValue(JSON.parse(str(a, 0)));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new JobspecError(`Error in function call; ${error.message}`);
    }
  },
  base64encode: (a) => checkString(Buffer.from(str(a, 0)).toString('base64')),
  base64decode: (a) => Buffer.from(str(a, 0), 'base64').toString('utf8'),
};

const ARITY: Record<string, [number, number]> = {
  upper: [1, 1],
  lower: [1, 1],
  title: [1, 1],
  trimspace: [1, 1],
  chomp: [1, 1],
  strrev: [1, 1],
  strlen: [1, 1],
  trimprefix: [2, 2],
  trimsuffix: [2, 2],
  substr: [3, 3],
  replace: [3, 3],
  split: [2, 2],
  join: [2, Infinity],
  format: [1, Infinity],
  concat: [0, Infinity],
  length: [1, 1],
  element: [2, 2],
  contains: [2, 2],
  distinct: [1, 1],
  compact: [1, 1],
  flatten: [1, 1],
  reverse: [1, 1],
  sort: [1, 1],
  keys: [1, 1],
  values: [1, 1],
  lookup: [2, 3],
  merge: [0, Infinity],
  coalesce: [1, Infinity],
  range: [1, 3],
  min: [1, Infinity],
  max: [1, Infinity],
  abs: [1, 1],
  ceil: [1, 1],
  floor: [1, 1],
  signum: [1, 1],
  parseint: [2, 2],
  tostring: [1, 1],
  tonumber: [1, 1],
  tobool: [1, 1],
  tolist: [1, 1],
  toset: [1, 1],
  tomap: [1, 1],
  jsonencode: [1, 1],
  jsondecode: [1, 1],
  base64encode: [1, 1],
  base64decode: [1, 1],
};

/** Calls the named function, with HCL's errors for unknown names and argument counts. */
export function callFunction(name: string, args: Value[]): Value {
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (fn === undefined) {
    throw new JobspecError(`Call to unknown function; There is no function named "${name}".`);
  }
  const [min, max] = ARITY[name] ?? [0, Infinity];
  arity(name, args, min, max);
  return fn(args);
}
