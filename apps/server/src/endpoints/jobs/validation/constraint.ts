// Nomad's Constraint.Validate, Affinity.Validate and Spread.Validate, with their texts.
import { goQuote, type Affinity, type Constraint, type Spread } from '@berth/contract';
import { compileGoRegexp, goRegexpProblem } from '../../../regexp/go-regexp.js';

/** The operands a constraint may use (nomad/structs: Constraint* constants and comparisons). */
export const CONSTRAINT_OPERANDS = [
  '=',
  '==',
  'is',
  '!=',
  'not',
  '<',
  '<=',
  '>',
  '>=',
  'regexp',
  'version',
  'semver',
  'set_contains',
  'set_contains_all',
  'set_contains_any',
  'is_set',
  'is_not_set',
  'distinct_hosts',
  'distinct_property',
] as const;

const COMPARISONS = new Set(['=', '==', 'is', '!=', 'not', '<', '<=', '>', '>=']);
const SET_CONTAINS = new Set(['set_contains', 'set_contains_all', 'set_contains_any']);

/** Targets a constraint may interpolate exactly, and the prefixes of the others. */
const EXACT_TARGETS = new Set([
  '${node.unique.id}',
  '${node.datacenter}',
  '${node.unique.name}',
  '${node.class}',
  '${node.pool}',
]);
const PREFIX_TARGETS = ['${attr.', '${device.', '${meta.'];

export function validateConstraint(c: Constraint): string[] {
  const errors: string[] = [];
  if (c.Operand === '') errors.push('Missing constraint operand');
  let requireLTarget = true;
  const op = c.Operand;
  if (op === 'distinct_hosts') {
    requireLTarget = false;
  } else if (SET_CONTAINS.has(op)) {
    if (c.RTarget === '') errors.push('Set contains constraint requires an RTarget');
  } else if (op === 'regexp') {
    const problem = goRegexpProblem(c.RTarget);
    if (problem) errors.push(`Regular expression failed to compile: ${problem}`);
  } else if (op === 'version') {
    const problem = versionConstraintProblem(c.RTarget);
    if (problem) errors.push(`Version constraint is invalid: ${problem}`);
  } else if (op === 'semver') {
    const problem = versionConstraintProblem(c.RTarget);
    if (problem) errors.push(`Semver constraint is invalid: ${problem}`);
  } else if (op === 'distinct_property') {
    if (c.RTarget !== '') {
      if (!/^\d+$/.test(c.RTarget)) {
        errors.push(
          `Failed to convert RTarget ${goQuote(c.RTarget)} to uint64: strconv.ParseUint: parsing ${goQuote(c.RTarget)}: invalid syntax`,
        );
      } else if (BigInt(c.RTarget) < 1n) {
        errors.push(
          `Distinct Property must have an allowed count of 1 or greater: ${c.RTarget} < 1`,
        );
      }
    }
  } else if (op === 'is_set' || op === 'is_not_set') {
    if (c.RTarget !== '') errors.push(`Operator ${goQuote(op)} does not support an RTarget`);
  } else if (COMPARISONS.has(op)) {
    if (c.RTarget === '') errors.push(`Operator ${goQuote(op)} requires an RTarget`);
  } else {
    errors.push(`Unknown constraint type ${goQuote(op)}`);
  }

  if (requireLTarget) {
    if (c.LTarget === '') errors.push('no attribute provided but is required by operator');
    else {
      const problem = attributeProblem(c.LTarget);
      if (problem) errors.push(problem);
    }
  }
  return errors;
}

export function validateAffinity(a: Affinity): string[] {
  const errors: string[] = [];
  const op = a.Operand;
  if (op === '') errors.push('Missing affinity operand');
  if (SET_CONTAINS.has(op)) {
    if (a.RTarget === '') errors.push('Set contains operators require an RTarget');
  } else if (op === 'regexp') {
    const problem = goRegexpProblem(a.RTarget);
    if (problem) errors.push(`Regular expression failed to compile: ${problem}`);
  } else if (op === 'version') {
    const problem = versionConstraintProblem(a.RTarget);
    if (problem) errors.push(`Version affinity is invalid: ${problem}`);
  } else if (op === 'semver') {
    const problem = versionConstraintProblem(a.RTarget);
    if (problem) errors.push(`Semver affinity is invalid: ${problem}`);
  } else if (COMPARISONS.has(op)) {
    if (a.RTarget === '') errors.push(`Operator ${goQuote(op)} requires an RTarget`);
  } else {
    errors.push(`Unknown affinity operator ${goQuote(op)}`);
  }
  if (a.LTarget === '') errors.push('No LTarget provided but is required');
  if (a.Weight === 0) errors.push('Affinity weight cannot be zero');
  if (a.Weight > 100 || a.Weight < -100) {
    errors.push('Affinity weight must be within the range [-100,100]');
  }
  return errors;
}

export function validateSpread(s: Spread): string[] {
  const errors: string[] = [];
  if (s.Attribute === '') errors.push('Missing spread attribute');
  if (s.Weight <= 0 || s.Weight > 100) {
    errors.push('Spread block must have a positive weight from 0 to 100');
  }
  const seen = new Set<string>();
  let sum = 0;
  for (const target of s.SpreadTarget ?? []) {
    if (seen.has(target.Value)) {
      errors.push(`Spread target value ${goQuote(target.Value)} already defined`);
    }
    seen.add(target.Value);
    if (target.Percent > 100) {
      errors.push(
        `Spread target percentage for value ${goQuote(target.Value)} must be between 0 and 100`,
      );
    }
    sum += target.Percent;
  }
  if (sum > 100) {
    errors.push(`Sum of spread target percentages must not be greater than 100%; got ${sum}%`);
  }
  return errors;
}

/** Nomad's validateConstraintAttribute: an interpolation must name something berth can resolve. */
function attributeProblem(target: string): string | undefined {
  if (!target.startsWith('$')) return undefined;
  if (!target.startsWith('${')) return `attribute ${goQuote(target)} is missing an opening brace`;
  if (!target.endsWith('}')) return `attribute ${goQuote(target)} is missing a closing brace`;
  if (EXACT_TARGETS.has(target)) return undefined;
  if (PREFIX_TARGETS.some((p) => target.startsWith(p))) return undefined;
  return `unsupported attribute ${goQuote(target)}`;
}

// hashicorp/go-version: comma-separated `[op] version` terms.
const VERSION =
  'v?[0-9]+(?:\\.[0-9]+)*(?:-?[0-9A-Za-z\\-~]+(?:\\.[0-9A-Za-z\\-~]+)*)?(?:\\+[0-9A-Za-z\\-~]+(?:\\.[0-9A-Za-z\\-~]+)*)?';
// Go's regexp, as go-version compiles it: linear in the length of a term (JavaScript's RegExp
// backtracks quadratically over a long run of digits).
const VERSION_TERM = compileGoRegexp(`^\\s*(?:=|!=|>|<|>=|<=|~>)?\\s*${VERSION}\\s*$`);

/** go-version's NewConstraint error: `Malformed constraint: <term>`. */
function versionConstraintProblem(text: string): string | undefined {
  for (const term of text.split(',')) {
    if (!VERSION_TERM.test(term)) return `Malformed constraint: ${term}`;
  }
  return undefined;
}
