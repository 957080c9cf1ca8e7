// Nomad's `filter` query parameter: a go-bexpr expression (hashicorp/go-bexpr v0.1.16) evaluated
// against each full object of a list before it is paged. See README.md in this folder.

import { patternCostProblem } from '../../regexp/pattern-cost.js';
import { badRequest } from '../endpoint-error.js';
import type { Expression } from './ast.js';
import { rootValue } from './datum.js';
import { evaluate, EvaluationError } from './evaluate.js';
import { parseExpression } from './parser.js';

/**
 * Compiles a filter expression; '' → undefined (no filter). Throws EndpointError 400 with
 * `failed to create result paginator: failed to read filter expression: <parse error>` when it
 * does not parse. The predicate throws EndpointError 400 `failed to read result page: <error>`
 * when go-bexpr's evaluation would fail on that item (e.g. `error finding value in datum: …` for a
 * selector naming a field the object does not have).
 */
export function compileFilter(expression: string): ((item: unknown) => boolean) | undefined {
  if (expression === '') return undefined;
  const parsed = parseExpression(expression);
  if ('error' in parsed) {
    throw badRequest(
      `failed to create result paginator: failed to read filter expression: ${parsed.error}`,
    );
  }
  const { ast } = parsed;
  // berth's bounds on regular expressions are checked before any item is read (Nomad would
  // compile the pattern when the first item is evaluated).
  const tooCostly = patternProblem(ast);
  if (tooCostly !== undefined) {
    throw badRequest(
      `failed to create result paginator: failed to read filter expression: ${tooCostly}`,
    );
  }
  return (item) => {
    try {
      return evaluate(ast, rootValue(item));
    } catch (err) {
      if (err instanceof EvaluationError)
        throw badRequest(`failed to read result page: ${err.message}`);
      throw err;
    }
  };
}

/** The first `matches` pattern in `expr` that berth refuses to compile, as its reason. */
function patternProblem(expr: Expression): string | undefined {
  switch (expr.kind) {
    case 'match':
      return expr.operator === 'matches' || expr.operator === 'notMatches'
        ? patternCostProblem(expr.value?.raw ?? '')
        : undefined;
    case 'not':
      return patternProblem(expr.operand);
    case 'and':
    case 'or':
      return patternProblem(expr.left) ?? patternProblem(expr.right);
    case 'collection':
      return patternProblem(expr.inner);
  }
}
