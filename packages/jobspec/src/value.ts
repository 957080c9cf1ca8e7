// The values an HCL expression evaluates to, as plain JSON-like data (cty's lists and tuples are
// arrays, maps and objects are records), and the bounds on building them.
import { JobspecError } from './errors.js';

/** An evaluated HCL value. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** A record of values (an HCL object or map). */
export type ValueObject = { [key: string]: Value };

/**
 * The largest string an expression may build (4 MiB): the whole jobspec is bounded at 1 MiB, so
 * only functions such as `format` or `join` over repeated values could exceed it, and a job that
 * big is no use to anyone.
 */
export const MAX_STRING_LENGTH = 4 * 1024 * 1024;

/** The most elements one list or object built by an expression may hold. */
export const MAX_COLLECTION_LENGTH = 100_000;

export function isObject(value: Value | undefined): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type name HCL uses in its messages. */
export function typeName(value: Value): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'tuple';
  if (typeof value === 'object') return 'object';
  return value === true || value === false ? 'bool' : typeof value;
}

export function checkString(text: string): string {
  if (text.length > MAX_STRING_LENGTH) {
    throw new JobspecError(
      `Value too large; an expression built a string of more than ${MAX_STRING_LENGTH} characters.`,
    );
  }
  return text;
}

export function checkCollection<T extends Value[] | ValueObject>(value: T): T {
  const size = Array.isArray(value) ? value.length : Object.keys(value).length;
  if (size > MAX_COLLECTION_LENGTH) {
    throw new JobspecError(
      `Value too large; an expression built a collection of more than ${MAX_COLLECTION_LENGTH} elements.`,
    );
  }
  return value;
}

/** HCL's conversion of a primitive to a string (cty's convert), or an error for the rest. */
export function toStringValue(value: Value, what = 'value'): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new JobspecError(
    `Invalid ${what}; Cannot include the given value in a string template: string required, but have ${typeName(value)}.`,
  );
}

/** Numbers print as cty does: integers without a fraction or exponent. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

/** HCL's conversion of a value to a number. */
export function toNumberValue(value: Value, what = 'value'): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) {
    return Number(value);
  }
  throw new JobspecError(`Invalid ${what}; a number is required, not ${describe(value)}.`);
}

/** HCL's conversion of a value to a bool. */
export function toBoolValue(value: Value, what = 'value'): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new JobspecError(`Invalid ${what}; a bool is required, not ${describe(value)}.`);
}

function describe(value: Value): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeName(value);
}
