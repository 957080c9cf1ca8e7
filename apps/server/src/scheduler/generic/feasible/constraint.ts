// Nomad's ConstraintChecker (scheduler/feasible/feasible.go): resolves a constraint's `${...}`
// targets against a node and applies its operand.
import type { Constraint, Node } from '@berth/contract';
import { parseGoBool } from '@berth/contract';

import { compileGoRegexp, type GoRegexp, GoRegexpError } from '../../../regexp/go-regexp.js';
import { versionMatches } from './go-version.js';

/** Operands handled by iterators rather than per-node checks. */
export const DISTINCT_HOSTS = 'distinct_hosts';
export const DISTINCT_PROPERTY = 'distinct_property';

/**
 * The value a target names on `node`: a literal, or `${node.unique.id}`, `${node.datacenter}`,
 * `${node.unique.name}`, `${node.class}`, `${node.pool}`, `${attr.<name>}`, `${meta.<name>}`.
 * `undefined` when the node has no such value.
 */
export function resolveTarget(target: string, node: Node): string | undefined {
  if (!target.startsWith('${')) return target;
  switch (target) {
    case '${node.unique.id}':
      return node.ID;
    case '${node.datacenter}':
      return node.Datacenter;
    case '${node.unique.name}':
      return node.Name;
    case '${node.class}':
      return node.NodeClass;
    case '${node.pool}':
      return node.NodePool === '' ? 'default' : node.NodePool;
  }
  if (target.startsWith('${attr.')) {
    return node.Attributes?.[target.slice(7).replace(/}$/, '')];
  }
  if (target.startsWith('${meta.')) {
    return node.Meta?.[target.slice(7).replace(/}$/, '')];
  }
  return undefined;
}

const INTEGER = /^[+-]?\d+$/;
// `\d+(?:\.\d*)?` rather than `\d+\.?\d*`: one way to split the digits keeps a long run linear.
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function compare<T extends number | string>(op: string, l: T, r: T): boolean {
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

/** Nomad's checkOrder: as integers if both parse, else as floats, else lexically. */
export function checkOrder(op: string, l: string, r: string): boolean {
  if (INTEGER.test(l) && INTEGER.test(r)) return compare(op, Number(l), Number(r));
  if (FLOAT.test(l) && FLOAT.test(r)) return compare(op, Number(l), Number(r));
  return compare(op, l, r);
}

/**
 * Go's MatchString, unanchored, as Nomad's checkRegexpMatch. A literal pattern was compiled when
 * the job registered, so only an interpolated RTarget (`${meta.pattern}`: a node's value) or a job
 * stored before that check can fail here; it matches no node, as in Nomad.
 */
function checkRegexp(l: string, pattern: string): boolean {
  let re: GoRegexp;
  try {
    re = compileGoRegexp(pattern);
  } catch (err) {
    if (err instanceof GoRegexpError) return false;
    throw err;
  }
  return re.test(l);
}

function splitSet(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

function setContainsAll(l: string, r: string): boolean {
  const have = new Set(splitSet(l));
  return splitSet(r).every((v) => have.has(v));
}

function setContainsAny(l: string, r: string): boolean {
  const have = new Set(splitSet(l));
  return splitSet(r).some((v) => have.has(v));
}

/**
 * Nomad's checkConstraint: `l`/`r` are the resolved targets (`undefined` when not found).
 * Unknown operands never match; distinct_* operands always do (other iterators handle them).
 */
export function checkOperand(
  operand: string,
  l: string | undefined,
  r: string | undefined,
): boolean {
  const found = l !== undefined && r !== undefined;
  switch (operand) {
    case DISTINCT_HOSTS:
    case DISTINCT_PROPERTY:
      return true;
    case '=':
    case '==':
    case 'is':
      return found && l === r;
    case '!=':
    case 'not':
      return l !== r;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return found && checkOrder(operand, l, r);
    case 'is_set':
      return l !== undefined;
    case 'is_not_set':
      return l === undefined;
    case 'version':
    case 'semver':
      return found && versionMatches(l, r);
    case 'regexp':
      return found && checkRegexp(l, r);
    case 'set_contains':
    case 'set_contains_all':
      return found && setContainsAll(l, r);
    case 'set_contains_any':
      return found && setContainsAny(l, r);
    default:
      return false;
  }
}

/** Whether `node` satisfies `constraint`. */
export function meetsConstraint(constraint: Constraint, node: Node): boolean {
  return checkOperand(
    constraint.Operand,
    resolveTarget(constraint.LTarget, node),
    resolveTarget(constraint.RTarget, node),
  );
}

/** A constraint as Nomad prints it (the key of `ConstraintFiltered`): `LTarget Operand RTarget`. */
export function constraintText(c: Constraint): string {
  return `${c.LTarget} ${c.Operand} ${c.RTarget}`;
}

/** Whether any constraint of the list asks for distinct hosts (`distinct_hosts`, RTarget not false). */
export function hasDistinctHosts(constraints: readonly Constraint[] | null): boolean {
  for (const c of constraints ?? []) {
    if (c.Operand === DISTINCT_HOSTS) {
      // Empty means true; text that is not a Go bool enforces it too, as Nomad does.
      return c.RTarget === '' || parseGoBool(c.RTarget) !== false;
    }
  }
  return false;
}
