// The syntax tree of a filter expression, as go-bexpr's grammar package builds it.

export type MatchOperator =
  | 'equal'
  | 'notEqual'
  | 'in'
  | 'notIn'
  | 'isEmpty'
  | 'isNotEmpty'
  | 'matches'
  | 'notMatches'
  | 'isNil'
  | 'isNotNil';

/**
 * A path into the datum: `Job.Meta["owner"]` (bexpr form) or `"/Job/Meta/owner"` (JSON pointer
 * form, already unescaped).
 */
export interface Selector {
  readonly type: 'bexpr' | 'jsonPointer';
  readonly path: readonly string[];
}

/** A value as written: coerced to the type of the field only when it is evaluated. */
export interface MatchValue {
  readonly raw: string;
}

export interface MatchExpression {
  readonly kind: 'match';
  readonly selector: Selector;
  readonly operator: MatchOperator;
  /** Absent for `is [not] empty` and `is [not] nil`. */
  readonly value?: MatchValue;
}

export interface NotExpression {
  readonly kind: 'not';
  readonly operand: Expression;
}

export interface BinaryExpression {
  readonly kind: 'and' | 'or';
  readonly left: Expression;
  readonly right: Expression;
}

/** How `any Sel as …` names what it iterates over. */
export type CollectionBinding =
  | { readonly mode: 'default'; readonly name: string }
  | { readonly mode: 'index'; readonly index: string }
  | { readonly mode: 'value'; readonly value: string }
  | { readonly mode: 'indexAndValue'; readonly index: string; readonly value: string };

/** `any Sel as x { … }` / `all Sel as k, v { … }`. */
export interface CollectionExpression {
  readonly kind: 'collection';
  readonly op: 'any' | 'all';
  readonly selector: Selector;
  readonly binding: CollectionBinding;
  readonly inner: Expression;
}

export type Expression = MatchExpression | NotExpression | BinaryExpression | CollectionExpression;

/** A selector as go-bexpr prints it: parts joined by `.` (bexpr form) or `/` (JSON pointer form). */
export function selectorText(selector: Selector): string {
  return selector.path.join(selector.type === 'bexpr' ? '.' : '/');
}
