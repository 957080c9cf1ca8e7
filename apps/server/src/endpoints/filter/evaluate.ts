// go-bexpr's evaluation (evaluate.go, v0.1.16) over the Go view of a JSON datum (datum.ts): how
// each operator treats each kind of value, how the raw value is coerced to the field's type, what
// a missing map key means, `any`/`all` with their local variables, and the error texts.

import type { CollectionExpression, Expression, MatchExpression, MatchOperator } from './ast.js';
import { selectorText } from './ast.js';
import {
  type GoValue,
  isInterfaceSlice,
  type Kind,
  kindOf,
  lookup,
  LookupError,
  mapEntries,
  pointerText,
  sliceItems,
  typeName,
} from './datum.js';
import { goQuote } from '@berth/contract';
import { GoNumError, parseGoBool, parseGoFloat, parseGoInt, parseGoUint } from './go-strconv.js';
import { compileGoRegexp, type GoRegexp, GoRegexpError } from '../../regexp/go-regexp.js';
import { matchCostProblem } from '../../regexp/pattern-cost.js';

/** An evaluation error, with the text go-bexpr's Evaluate returns. */
export class EvaluationError extends Error {}

/** A name bound by `any`/`all`: to a path in the datum, or to a key or index value. */
interface Local {
  readonly name: string;
  readonly path?: readonly string[];
  readonly value?: GoValue;
}

/** What an operator answers when its selector names a missing key of a map. */
const NOT_PRESENT: Readonly<Record<MatchOperator, boolean>> = {
  equal: false,
  notEqual: true,
  in: false,
  notIn: true,
  isEmpty: true,
  isNotEmpty: false,
  matches: false,
  notMatches: true,
  isNil: true,
  isNotNil: false,
};

const PRIMITIVE = new Set<Kind>(['bool', 'int', 'int64', 'uint64', 'float64', 'string']);

type Coerced = string | boolean | bigint | number;

/** getMatchExprValue: the raw value converted for a field of `kind` (strconv errors thrown). */
function coerce(raw: string, kind: Kind): Coerced {
  switch (kind) {
    case 'bool':
      return parseGoBool(raw);
    case 'int':
    case 'int64':
      return parseGoInt(raw);
    case 'uint64':
      return parseGoUint(raw);
    case 'float64':
      return parseGoFloat(raw);
    default:
      return raw;
  }
}

function coerceOrFail(raw: string, kind: Kind): Coerced {
  try {
    return coerce(raw, kind);
  } catch (err) {
    if (err instanceof GoNumError)
      throw new EvaluationError(`error getting match value in expression: ${err.message}`);
    throw err;
  }
}

/** Equality of a coerced value and a primitive JSON value of that kind. */
function equal(want: Coerced, have: unknown): boolean {
  // Integers are exact in Go; JSON numbers past 2^53 are not, so compare as the JSON would parse.
  return typeof want === 'bigint' ? Number(want) === have : want === have;
}

function getValue(
  root: GoValue,
  path: readonly string[],
  locals: readonly Local[],
): GoValue | undefined {
  let parts = path;
  for (let i = locals.length - 1; i >= 0 && parts.length > 0; i--) {
    const local = locals[i] as Local;
    const name = parts[0] as string;
    if (name !== local.name) continue;
    if (local.path === undefined) {
      if (parts.length > 1) {
        const type = typeof local.value?.json === 'number' ? 'int' : 'string';
        throw new EvaluationError(
          `${pointerText([name])} references a ${type} so ${pointerText(parts)} is invalid`,
        );
      }
      return local.value;
    }
    parts = [...local.path, ...parts.slice(1)];
  }
  try {
    return lookup(root, parts);
  } catch (err) {
    if (!(err instanceof LookupError)) throw err;
    if (err.notFound && parentIsMap(root, parts)) return undefined;
    throw new EvaluationError(`error finding value in datum: ${err.message}`);
  }
}

/** evaluateNotPresent: a missing key counts as "not present" only when its parent is a map. */
function parentIsMap(root: GoValue, parts: readonly string[]): boolean {
  if (parts.length < 2) return false;
  try {
    return kindOf(lookup(root, parts.slice(0, -1))) === 'map';
  } catch {
    return false;
  }
}

const regexps = new WeakMap<MatchExpression, GoRegexp | Error>();

function matches(expr: MatchExpression, value: GoValue): boolean {
  if (kindOf(value) !== 'string') {
    throw new EvaluationError(`value of type ${typeName(value)} is not convertible to []byte`);
  }
  const raw = expr.value?.raw ?? '';
  let re = regexps.get(expr);
  if (re === undefined) {
    try {
      re = compileGoRegexp(raw);
    } catch (err) {
      if (!(err instanceof GoRegexpError)) throw err;
      re = new EvaluationError(
        `failed to compile regular expression ${goQuote(raw)}: ${err.message}`,
      );
    }
    regexps.set(expr, re);
  }
  if (re instanceof Error) throw re;
  const text = value.json as string;
  // berth's bound on one match (not Go's): the engine's worst case grows with size times length.
  const tooCostly = matchCostProblem(re.cost, text.length);
  if (tooCostly !== undefined) throw new EvaluationError(tooCostly);
  return re.test(text);
}

function isEqual(expr: MatchExpression, value: GoValue): boolean {
  const kind = kindOf(value);
  if (!PRIMITIVE.has(kind))
    throw new EvaluationError('unable to find suitable primitive comparison function for matching');
  return equal(coerceOrFail(expr.value?.raw ?? '', kind), value.json);
}

function contains(expr: MatchExpression, value: GoValue): boolean {
  const raw = expr.value?.raw ?? '';
  const kind = kindOf(value);
  coerceOrFail(raw, kind);
  switch (kind) {
    case 'map':
      return mapEntries(value).some(([key]) => key === raw);
    case 'slice':
      return isInterfaceSlice(value)
        ? interfaceSliceContains(raw, value)
        : typedSliceContains(raw, value);
    case 'string':
      return (value.json as string).includes(raw);
    default:
      throw new EvaluationError(
        `cannot perform in/contains operations on type ${kind} for selector: ${goQuote(selectorText(expr.selector))}`,
      );
  }
}

function interfaceSliceContains(raw: string, value: GoValue): boolean {
  for (const item of sliceItems(value)) {
    if (item.json === null) continue;
    const kind = kindOf(item);
    let want: Coerced;
    try {
      want = coerce(raw, kind);
    } catch (err) {
      // A value of another type in a mixed slice is skipped, not an error.
      if (err instanceof GoNumError && !err.range) continue;
      throw new EvaluationError('error getting interface slice match value in expression');
    }
    if (!PRIMITIVE.has(kind)) {
      throw new EvaluationError(
        `unable to find suitable primitive comparison function for "in" comparison in interface slice: ${kind}`,
      );
    }
    if (equal(want, item.json)) return true;
  }
  return false;
}

function typedSliceContains(raw: string, value: GoValue): boolean {
  const items = sliceItems(value);
  if (items.length === 0) return false;
  const typed = items.find((item) => item.json !== null);
  const kind = typed ? kindOf(typed) : 'struct';
  const want = coerceOrFail(raw, kind);
  if (!PRIMITIVE.has(kind)) {
    throw new EvaluationError(
      'unable to find suitable primitive comparison function for "in" comparison',
    );
  }
  return items.some((item) => equal(want, item.json));
}

function isEmpty(expr: MatchExpression, value: GoValue): boolean {
  const kind = kindOf(value);
  switch (kind) {
    case 'map':
      return mapEntries(value).length === 0;
    case 'slice':
      return sliceItems(value).length === 0;
    case 'string':
      return value.json === '';
    default:
      throw new EvaluationError(
        `cannot perform is-empty operations on type ${kind} for selector: ${goQuote(selectorText(expr.selector))}`,
      );
  }
}

function isNil(expr: MatchExpression, value: GoValue): boolean {
  const kind = kindOf(value);
  switch (kind) {
    case 'map':
    case 'slice':
      return value.json === null || value.json === undefined;
    case 'struct':
      return false;
    case 'invalid':
      return true;
    default:
      throw new EvaluationError(
        `cannot perform is-nil operations on type ${kind} for selector: ${goQuote(selectorText(expr.selector))}`,
      );
  }
}

function evaluateMatch(expr: MatchExpression, root: GoValue, locals: readonly Local[]): boolean {
  const value = getValue(root, expr.selector.path, locals);
  if (value === undefined) return NOT_PRESENT[expr.operator];
  switch (expr.operator) {
    case 'equal':
      return isEqual(expr, value);
    case 'notEqual':
      return !isEqual(expr, value);
    case 'in':
      return contains(expr, value);
    case 'notIn':
      return !contains(expr, value);
    case 'isEmpty':
      return isEmpty(expr, value);
    case 'isNotEmpty':
      return !isEmpty(expr, value);
    case 'matches':
      return matches(expr, value);
    case 'notMatches':
      return !matches(expr, value);
    case 'isNil':
      return isNil(expr, value);
    case 'isNotNil':
      return !isNil(expr, value);
  }
}

function evaluateCollection(
  expr: CollectionExpression,
  root: GoValue,
  locals: readonly Local[],
): boolean {
  const value = getValue(root, expr.selector.path, locals);
  if (value === undefined) return expr.op === 'all';
  const kind = kindOf(value);
  if (kind !== 'map' && kind !== 'slice') {
    throw new EvaluationError(`${selectorText(expr.selector)} is not a list or a map`);
  }
  const { binding } = expr;
  const path = expr.selector.path;
  const elements: Array<readonly Local[]> =
    kind === 'map'
      ? mapEntries(value).map(([key]) => {
          const keyValue: GoValue = { json: key, shape: { t: 'auto' } };
          switch (binding.mode) {
            case 'default':
              return [{ name: binding.name, value: keyValue }];
            case 'index':
              return [{ name: binding.index, value: keyValue }];
            case 'value':
              return [{ name: binding.value, path: [...path, key] }];
            case 'indexAndValue':
              return [
                { name: binding.index, value: keyValue },
                { name: binding.value, path: [...path, key] },
              ];
          }
        })
      : sliceItems(value).map((_item, i) => {
          const itemPath = [...path, String(i)];
          const index: GoValue = { json: i, shape: { t: 'auto' } };
          switch (binding.mode) {
            case 'default':
              return [{ name: binding.name, path: itemPath }];
            case 'index':
              return [{ name: binding.index, value: index }];
            case 'value':
              return [{ name: binding.value, path: itemPath }];
            case 'indexAndValue':
              return [
                { name: binding.index, value: index },
                { name: binding.value, path: itemPath },
              ];
          }
        });
  for (const bound of elements) {
    if (binding.mode === 'indexAndValue' && binding.index === binding.value) {
      throw new EvaluationError(
        `${goQuote(binding.index)} cannot be used as a placeholder for both the index and the value`,
      );
    }
    const result = evaluate(expr.inner, root, [...locals, ...bound]);
    if (result === (expr.op === 'any')) return result;
  }
  return expr.op === 'all';
}

/** Evaluates an expression against the datum `root`; throws {@link EvaluationError}. */
export function evaluate(expr: Expression, root: GoValue, locals: readonly Local[] = []): boolean {
  switch (expr.kind) {
    case 'not':
      return !evaluate(expr.operand, root, locals);
    case 'and':
      return evaluate(expr.left, root, locals) && evaluate(expr.right, root, locals);
    case 'or':
      return evaluate(expr.left, root, locals) || evaluate(expr.right, root, locals);
    case 'match':
      return evaluateMatch(expr, root, locals);
    case 'collection':
      return evaluateCollection(expr, root, locals);
  }
}
