import { describe, expect, test } from 'vitest';
import type { Expression, Selector } from './ast.js';
import { goQuote } from '@berth/contract';
import { parseExpression } from './parser.js';
import goldens from './test-support/parse-goldens.json' with { type: 'json' };

/** The tree as go-bexpr's ExpressionDump prints it (indent "  "). */
function dump(e: Expression, level = 0): string {
  const ind = '  '.repeat(level);
  const ind1 = '  '.repeat(level + 1);
  const sel = (s: Selector) => s.path.join(s.type === 'bexpr' ? '.' : '/');
  const ops: Record<string, string> = {
    equal: 'Equal',
    notEqual: 'Not Equal',
    in: 'In',
    notIn: 'Not In',
    isEmpty: 'Is Empty',
    isNotEmpty: 'Is Not Empty',
    matches: 'Matches',
    notMatches: 'Not Matches',
    isNil: 'Is Nil',
    isNotNil: 'Not Nil',
  };
  switch (e.kind) {
    case 'not':
      return `${ind}Not {\n${dump(e.operand, level + 1)}${ind}}\n`;
    case 'and':
    case 'or':
      return `${ind}${e.kind === 'and' ? 'And' : 'Or'} {\n${dump(e.left, level + 1)}${dump(e.right, level + 1)}${ind}}\n`;
    case 'match': {
      const withValue = ['equal', 'notEqual', 'in', 'notIn'].includes(e.operator);
      const value = withValue ? `${ind1}Value: ${goQuote(e.value?.raw ?? '')}\n` : '';
      return `${ind}${ops[e.operator]} {\n${ind1}Selector: ${sel(e.selector)}\n${value}${ind}}\n`;
    }
    case 'collection': {
      const b = e.binding;
      const names =
        b.mode === 'default'
          ? `Default (${b.name})`
          : b.mode === 'index'
            ? `Index (${b.index})`
            : b.mode === 'value'
              ? `Value (${b.value})`
              : `Index & Value (${b.index}, ${b.value})`;
      return `${ind}${e.op.toUpperCase()} ${names} on ${sel(e.selector)} {\n${dump(e.inner, level + 1)}${ind}}\n`;
    }
  }
}

function parse(input: string): Expression {
  const result = parseExpression(input);
  if ('error' in result) throw new Error(result.error);
  return result.ast;
}

const error = (input: string) => {
  const result = parseExpression(input);
  return 'error' in result ? result.error : undefined;
};

describe('go-bexpr v0.1.16 answers (recorded from the Go library)', () => {
  test.each(goldens as Array<{ expr: string; error?: string; dump?: string }>)('%j', (golden) => {
    const result = parseExpression(golden.expr);
    if (golden.error !== undefined) expect(result).toEqual({ error: golden.error });
    else expect('ast' in result ? dump(result.ast) : result.error).toBe(golden.dump);
  });
});

describe('trees', () => {
  test('and binds tighter than or; both group to the right', () => {
    expect(dump(parse('a == 1 or b == 2 and c == 3'))).toBe(
      'Or {\n  Equal {\n    Selector: a\n    Value: "1"\n  }\n  And {\n    Equal {\n      Selector: b\n      Value: "2"\n    }\n    Equal {\n      Selector: c\n      Value: "3"\n    }\n  }\n}\n',
    );
  });

  test('not not cancels out', () => {
    expect(parse('not not a == 1')).toEqual(parse('a == 1'));
    expect(parse('not not not a == 1')).toEqual({ kind: 'not', operand: parse('a == 1') });
  });

  test('contains is in with the operands swapped', () => {
    expect(parse('Tags contains "x"')).toEqual(parse('"x" in Tags'));
    expect(parse('Tags not contains "x"')).toEqual(parse('"x" not in Tags'));
  });

  test('selectors: dots, indexes, digits, JSON pointers', () => {
    expect(parse('a.b["c.d"].0 == 1')).toMatchObject({
      selector: { type: 'bexpr', path: ['a', 'b', 'c.d', '0'] },
    });
    expect(parse('"/a~1b/c~0d" == 1')).toMatchObject({
      selector: { type: 'jsonPointer', path: ['a/b', 'c~d'] },
    });
    expect(parse('a/b == 1')).toMatchObject({ selector: { path: ['a/b'] } });
    // `""` is the pointer `/`: one empty key.
    expect(parse('"" == 1')).toMatchObject({ selector: { type: 'jsonPointer', path: [''] } });
    expect(parse('a == ""')).toMatchObject({ value: { raw: '' } });
  });

  test('values keep their text; a quoted value that looks like a JSON pointer loses its slashes', () => {
    expect(parse('a == -1.50')).toMatchObject({ value: { raw: '-1.50' } });
    expect(parse('a == web')).toMatchObject({ value: { raw: 'web' } });
    expect(parse('a == b.c["d"]')).toMatchObject({ value: { raw: 'b.c.d' } });
    expect(parse('a == `x\\n`')).toMatchObject({ value: { raw: 'x\\n' } });
    expect(parse('a == "x\\n\\u00e9\\x41"')).toMatchObject({ value: { raw: 'x\néA' } });
    // go-bexpr tries a JSON pointer selector before a string literal.
    expect(parse('a == "/usr/bin"')).toMatchObject({ value: { raw: 'usr/bin' } });
    expect(parse('a == "/"')).toMatchObject({ value: { raw: '/' } });
  });

  test('any and all with their bindings', () => {
    expect(parse('any a as k, _ { k == 1 }')).toMatchObject({
      kind: 'collection',
      op: 'any',
      binding: { mode: 'index', index: 'k' },
    });
    expect(parse('all a as _, v { v == 1 }')).toMatchObject({
      op: 'all',
      binding: { mode: 'value', value: 'v' },
    });
  });
});

describe("the parser's budget of 2,000,000 grammar nodes", () => {
  const nested = (depth: number) => `${'('.repeat(depth)}a == 1${')'.repeat(depth)}`;

  test('every pair of parentheses multiplies the work, so a few levels already exhaust it', () => {
    expect(error(nested(6))).toBeUndefined();
    expect(error(nested(7))).toBe(
      '1:13 (12): rule IntegerOrFloat: max number of expressions parsed',
    );
    expect(error(nested(8))).toBe('1:14 (13): rule "value": max number of expressions parsed');
  });

  test('long flat expressions are fine', () => {
    const terms = Array.from({ length: 1000 }, (_, i) => `a == ${i}`).join(' and ');
    expect(error(terms)).toBeUndefined();
  });
});
