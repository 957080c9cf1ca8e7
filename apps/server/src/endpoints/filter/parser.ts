// go-bexpr's grammar (grammar/grammar.peg, v0.1.16), rule for rule and node for node, written with
// the combinators of peg.ts. The language is scannerless and whitespace-significant (`in` needs
// blanks around it, `==` does not; a number must be followed by a blank, `)` or the end), so there
// is no separate lexer: each rule reads characters itself.

import type {
  CollectionBinding,
  Expression,
  MatchExpression,
  MatchOperator,
  MatchValue,
  Selector,
} from './ast.js';
import { selectorText } from './ast.js';
import { goUnquote } from './go-strconv.js';
import {
  action,
  ActionError,
  and,
  anyChar,
  choice,
  cls,
  type Expr,
  failWith,
  label,
  lit,
  not,
  opt,
  ParseState,
  plus,
  ref,
  type Rule,
  seq,
  star,
} from './peg.js';

const rule = <T>(name: string, display?: string): Rule<T> => ({
  name,
  ...(display === undefined ? {} : { display: `"${display}"` }),
  expr: () => {
    throw new Error(`rule ${name} is not defined`);
  },
});

// Every rule first, so that rules can refer to each other before they are defined.
const R = {
  Input: rule<Expression>('Input'),
  OrExpression: rule<Expression>('OrExpression'),
  AndExpression: rule<Expression>('AndExpression'),
  NotExpression: rule<Expression>('NotExpression'),
  CollectionExpression: rule<Expression>('CollectionExpression'),
  CollectionIdentifiers: rule<CollectionBinding>('CollectionIdentifiers', 'collection-identifiers'),
  CollectionOpAny: rule<'any'>('CollectionOpAny'),
  CollectionOpAll: rule<'all'>('CollectionOpAll'),
  ParenthesizedExpression: rule<Expression>('ParenthesizedExpression', 'grouping'),
  MatchExpression: rule<MatchExpression>('MatchExpression', 'match'),
  MatchSelectorOpValue: rule<MatchExpression>('MatchSelectorOpValue', 'match'),
  MatchSelectorOp: rule<MatchExpression>('MatchSelectorOp', 'match'),
  MatchValueOpSelector: rule<MatchExpression>('MatchValueOpSelector', 'match'),
  MatchEqual: rule<MatchOperator>('MatchEqual'),
  MatchNotEqual: rule<MatchOperator>('MatchNotEqual'),
  MatchIsEmpty: rule<MatchOperator>('MatchIsEmpty'),
  MatchIsNotEmpty: rule<MatchOperator>('MatchIsNotEmpty'),
  MatchIn: rule<MatchOperator>('MatchIn'),
  MatchNotIn: rule<MatchOperator>('MatchNotIn'),
  MatchContains: rule<MatchOperator>('MatchContains'),
  MatchNotContains: rule<MatchOperator>('MatchNotContains'),
  MatchMatches: rule<MatchOperator>('MatchMatches'),
  MatchNotMatches: rule<MatchOperator>('MatchNotMatches'),
  MatchIsNil: rule<MatchOperator>('MatchIsNil'),
  MatchIsNotNil: rule<MatchOperator>('MatchIsNotNil'),
  Selector: rule<Selector>('Selector', 'selector'),
  JsonPointerSegment: rule<string>('JsonPointerSegment'),
  Identifier: rule<string>('Identifier'),
  SelectorOrIndex: rule<string>('SelectorOrIndex'),
  IndexExpression: rule<string>('IndexExpression', 'index'),
  Value: rule<MatchValue>('Value', 'value'),
  NumberLiteral: rule<string>('NumberLiteral', 'number'),
  AfterNumbers: rule<null>('AfterNumbers'),
  IntegerOrFloat: rule<unknown>('IntegerOrFloat'),
  StringLiteral: rule<string>('StringLiteral', 'string'),
  RawStringChar: rule<unknown>('RawStringChar'),
  DoubleStringChar: rule<unknown>('DoubleStringChar'),
  _: rule<unknown>('_', 'whitespace'),
  EOF: rule<null>('EOF'),
};

type Rules = typeof R;
const r = <K extends keyof Rules>(name: K) =>
  ref(() => R[name]) as Rules[K] extends Rule<infer T> ? Expr<T> : never;

const ws = () => r('_');
const optWs = () => opt(r('_'));

/** `_ "kw" _ "kw" … _`: the keyword operators, blanks required between their words. */
const words = (...parts: Array<string | null>) =>
  seq(...parts.map((part) => (part === null ? ws() : lit(part))));

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string) => c >= '0' && c <= '9';

R.Input.expr = choice(
  action(
    seq(optWs(), lit('('), optWs(), label(r('OrExpression')), optWs(), lit(')'), optWs(), r('EOF')),
    (v) => v[3] as Expression,
  ),
  action(seq(optWs(), label(r('OrExpression')), optWs(), r('EOF')), (v) => v[1] as Expression),
);

R.OrExpression.expr = choice<Expression>(
  action(
    seq(label(r('AndExpression')), ws(), lit('or'), ws(), label(r('OrExpression'))),
    (v): Expression => ({ kind: 'or', left: v[0] as Expression, right: v[4] as Expression }),
  ),
  action(label(r('AndExpression')), (e) => e),
  action(label(r('CollectionExpression')), (e) => e),
);

R.AndExpression.expr = choice<Expression>(
  action(
    seq(label(r('NotExpression')), ws(), lit('and'), ws(), label(r('AndExpression'))),
    (v): Expression => ({ kind: 'and', left: v[0] as Expression, right: v[4] as Expression }),
  ),
  action(label(r('NotExpression')), (e) => e),
);

R.NotExpression.expr = choice<Expression>(
  action(seq(lit('not'), ws(), label(r('NotExpression'))), (v): Expression => {
    const operand = v[2] as Expression;
    // As go-bexpr: `not not x` is `x`.
    return operand.kind === 'not' ? operand.operand : { kind: 'not', operand };
  }),
  action(label(r('ParenthesizedExpression')), (e) => e),
);

R.CollectionExpression.expr = action(
  seq(
    label(choice<'any' | 'all'>(r('CollectionOpAny'), r('CollectionOpAll'))),
    label(r('Selector')),
    ws(),
    lit('as'),
    ws(),
    label(r('CollectionIdentifiers')),
    optWs(),
    lit('{'),
    optWs(),
    label(r('OrExpression')),
    optWs(),
    lit('}'),
  ),
  (v): Expression => ({
    kind: 'collection',
    op: v[0] as 'any' | 'all',
    selector: v[1] as Selector,
    binding: v[5] as CollectionBinding,
    inner: v[9] as Expression,
  }),
);

R.CollectionIdentifiers.expr = choice<CollectionBinding>(
  action(seq(label(r('Identifier')), optWs(), lit(','), optWs(), label(r('Identifier'))), (v) => ({
    mode: 'indexAndValue',
    index: v[0] as string,
    value: v[4] as string,
  })),
  action(seq(label(r('Identifier')), optWs(), lit(','), optWs(), lit('_')), (v) => ({
    mode: 'index',
    index: v[0] as string,
  })),
  action(seq(lit('_'), optWs(), lit(','), optWs(), label(r('Identifier'))), (v) => ({
    mode: 'value',
    value: v[4] as string,
  })),
  action(label(r('Identifier')), (name) => ({ mode: 'default', name })),
);

R.CollectionOpAny.expr = action(seq(lit('any'), ws()), () => 'any' as const);
R.CollectionOpAll.expr = action(seq(lit('all'), ws()), () => 'all' as const);

R.ParenthesizedExpression.expr = choice<Expression>(
  action(
    seq(lit('('), optWs(), label(r('OrExpression')), optWs(), lit(')')),
    (v) => v[2] as Expression,
  ),
  action(label(r('MatchExpression')), (e) => e),
  seq(
    lit('('),
    optWs(),
    r('OrExpression'),
    optWs(),
    not(lit(')')),
    failWith('Unmatched parentheses'),
  ) as Expr<never>,
);

R.MatchExpression.expr = choice(
  r('MatchSelectorOpValue'),
  r('MatchSelectorOp'),
  r('MatchValueOpSelector'),
);

const match = (selector: unknown, operator: unknown, value?: unknown): MatchExpression => ({
  kind: 'match',
  selector: selector as Selector,
  operator: operator as MatchOperator,
  ...(value === undefined ? {} : { value: value as MatchValue }),
});

R.MatchSelectorOpValue.expr = action(
  seq(
    label(r('Selector')),
    label(
      choice(
        r('MatchEqual'),
        r('MatchNotEqual'),
        r('MatchContains'),
        r('MatchNotContains'),
        r('MatchMatches'),
        r('MatchNotMatches'),
      ),
    ),
    label(r('Value')),
  ),
  (v) => match(v[0], v[1], v[2]),
);

R.MatchSelectorOp.expr = action(
  seq(
    label(r('Selector')),
    label(choice(r('MatchIsEmpty'), r('MatchIsNotEmpty'), r('MatchIsNil'), r('MatchIsNotNil'))),
  ),
  (v) => match(v[0], v[1]),
);

R.MatchValueOpSelector.expr = choice<MatchExpression>(
  action(
    seq(label(r('Value')), label(choice(r('MatchIn'), r('MatchNotIn'))), label(r('Selector'))),
    (v) => match(v[2], v[1], v[0]),
  ),
  seq(
    r('Value'),
    label(choice(r('MatchIn'), r('MatchNotIn'))),
    not(r('Selector')),
    failWith('Invalid selector'),
  ) as Expr<never>,
);

const operator = (op: MatchOperator, ...parts: Array<string | null>) =>
  action(words(...parts), () => op);

R.MatchEqual.expr = action(seq(optWs(), lit('=='), optWs()), (): MatchOperator => 'equal');
R.MatchNotEqual.expr = action(seq(optWs(), lit('!='), optWs()), (): MatchOperator => 'notEqual');
R.MatchIsEmpty.expr = operator('isEmpty', null, 'is', null, 'empty');
R.MatchIsNotEmpty.expr = operator('isNotEmpty', null, 'is', null, 'not', null, 'empty');
R.MatchIn.expr = operator('in', null, 'in', null);
R.MatchNotIn.expr = operator('notIn', null, 'not', null, 'in', null);
R.MatchContains.expr = operator('in', null, 'contains', null);
R.MatchNotContains.expr = operator('notIn', null, 'not', null, 'contains', null);
R.MatchMatches.expr = operator('matches', null, 'matches', null);
R.MatchNotMatches.expr = operator('notMatches', null, 'not', null, 'matches', null);
R.MatchIsNil.expr = operator('isNil', null, 'is', null, 'nil');
R.MatchIsNotNil.expr = operator('isNotNil', null, 'is', null, 'not', null, 'nil');

R.Selector.expr = choice<Selector>(
  action(seq(label(r('Identifier')), label(star(r('SelectorOrIndex')))), (v) => ({
    type: 'bexpr',
    path: [v[0] as string, ...(v[1] as string[])],
  })),
  action(seq(lit('"'), label(star(r('JsonPointerSegment'))), lit('"')), (v) => {
    const segments = v[1] as string[];
    return {
      type: 'jsonPointer',
      // bexpr parses `/` + the segments joined by `/` with pointerstructure.Parse: `""` is the
      // pointer `/`, one empty key (not the whole datum); in each part `~1` is `/`, then `~0` is `~`.
      path: (segments.length === 0 ? [''] : segments).map((part) =>
        part.replaceAll('~1', '/').replaceAll('~0', '~'),
      ),
    };
  }),
);

R.JsonPointerSegment.expr = action(
  seq(lit('/'), label(plus(cls('[\\pL\\pN-_.~:|]', (c) => /^[\p{L}\p{N}\-_.~:|]$/u.test(c))))),
  (_v, text) => text().slice(1),
);

R.Identifier.expr = action(
  seq(
    cls('[a-zA-Z]', isLetter),
    star(cls('[a-zA-Z0-9_/]', (c) => isLetter(c) || isDigit(c) || c === '_' || c === '/')),
  ),
  (_v, text) => text(),
);

R.SelectorOrIndex.expr = choice<string>(
  action(seq(lit('.'), label(r('Identifier'))), (v) => v[1] as string),
  action(label(r('IndexExpression')), (s) => s),
  action(seq(lit('.'), label(plus(cls('[0-9]', isDigit)))), (_v, text) => text().slice(1)),
);

R.IndexExpression.expr = choice<string>(
  action(
    seq(lit('['), optWs(), label(r('StringLiteral')), optWs(), lit(']')),
    (v) => v[2] as string,
  ),
  seq(lit('['), optWs(), not(r('StringLiteral')), failWith('Invalid index')) as Expr<never>,
  seq(
    lit('['),
    optWs(),
    r('StringLiteral'),
    optWs(),
    not(lit(']')),
    failWith('Unclosed index expression'),
  ) as Expr<never>,
);

R.Value.expr = choice<MatchValue>(
  action(label(r('Selector')), (selector) => ({ raw: selectorText(selector) })),
  action(label(r('NumberLiteral')), (raw) => ({ raw })),
  action(label(r('StringLiteral')), (raw) => ({ raw })),
);

R.NumberLiteral.expr = choice<string>(
  action(seq(opt(lit('-')), r('IntegerOrFloat'), and(r('AfterNumbers'))), (_v, text) => text()),
  seq(
    opt(lit('-')),
    r('IntegerOrFloat'),
    not(r('AfterNumbers')),
    failWith('Invalid number literal'),
  ) as Expr<never>,
);

R.AfterNumbers.expr = and(choice<unknown>(r('_'), r('EOF'), lit(')')));

R.IntegerOrFloat.expr = seq(
  choice<unknown>(
    lit('0'),
    seq(
      cls('[1-9]', (c) => c >= '1' && c <= '9'),
      star(cls('[0-9]', isDigit)),
    ),
  ),
  opt(seq(lit('.'), plus(cls('[0-9]', isDigit)))),
);

R.StringLiteral.expr = choice<string>(
  action(
    choice<unknown>(
      seq(lit('`'), star(r('RawStringChar')), lit('`')),
      seq(lit('"'), star(r('DoubleStringChar')), lit('"')),
    ),
    (_v, text) => {
      try {
        return goUnquote(text());
      } catch (err) {
        throw new ActionError((err as Error).message, '');
      }
    },
  ),
  seq(
    choice<unknown>(
      seq(lit('`'), star(r('RawStringChar'))),
      seq(lit('"'), star(r('DoubleStringChar'))),
    ),
    r('EOF'),
    failWith('Unterminated string literal'),
  ) as Expr<never>,
);

R.RawStringChar.expr = seq(not(lit('`')), anyChar());
R.DoubleStringChar.expr = seq(not(lit('"')), anyChar());
R._.expr = plus(cls('[ \\t\\r\\n]', (c) => c === ' ' || c === '\t' || c === '\r' || c === '\n'));
R.EOF.expr = not(anyChar());

/** Parses a filter expression: the syntax tree, or the error text go-bexpr's parser gives. */
export function parseExpression(input: string): { ast: Expression } | { error: string } {
  const result = new ParseState(input).run(R.Input);
  return 'error' in result ? result : { ast: result.value };
}
