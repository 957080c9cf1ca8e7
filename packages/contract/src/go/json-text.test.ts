import { describe, expect, test } from 'vitest';
import { JsonDepthError, MAX_NESTING_DEPTH, numberLiterals, parseJson } from './json-text.js';

const literalsOf = (text: string) => {
  const root = parseJson(text) as object;
  return numberLiterals(root);
};

test('the literals a double does not spell are read back by path', () => {
  const read = literalsOf(
    '{"Job":{"TaskGroups":[{"Count":1},{"Count":9223372036854775808,"X":[1e2, 1.0, -0, 3]}]}}',
  );
  expect(read?.(['Job', 'TaskGroups', 1, 'Count'])).toBe('9223372036854775808');
  expect(read?.(['Job', 'TaskGroups', 1, 'X', 0])).toBe('1e2');
  expect(read?.(['Job', 'TaskGroups', 1, 'X', 1])).toBe('1.0');
  expect(read?.(['Job', 'TaskGroups', 1, 'X', 2])).toBe('-0');
  // Exact ones need no literal: the double says it.
  expect(read?.(['Job', 'TaskGroups', 1, 'X', 3])).toBeUndefined();
  expect(read?.(['Job', 'TaskGroups', 0, 'Count'])).toBeUndefined();
});

test('a document without inexact numbers, or not parsed by parseJson, has no literals', () => {
  expect(literalsOf('{"a":[1,2,-3],"b":"1.5e9 and 12345678901234567 in a string"}')).toBe(
    undefined,
  );
  expect(numberLiterals({ a: 1.5 })).toBeUndefined();
});

test('numbers inside strings, escaped quotes included, are not taken for values', () => {
  const read = literalsOf('{"a\\"b":"x\\"1.5,\\"","c":[{"d":"}]"},2.5]}');
  expect(read?.(['c', 1])).toBe('2.5');
  expect(read?.(['a"b'])).toBeUndefined();
});

test('keys are read unescaped, and a later duplicate key replaces the literal', () => {
  const read = literalsOf('{"C\\u006fu":1.5,"Count":1.5,"Count":2,"N":1e5,"N":2e5}');
  expect(read?.(['Cou'])).toBe('1.5');
  expect(read?.(['Count'])).toBeUndefined();
  expect(read?.(['N'])).toBe('2e5');
});

test('deep nesting neither overflows the stack nor is recorded', () => {
  // As deep as parseJson takes: the object holding it is one level.
  const depth = MAX_NESTING_DEPTH - 1;
  const read = literalsOf(`{"a":1.5,"b":${'['.repeat(depth)}2.5${']'.repeat(depth)}}`);
  expect(read?.(['a'])).toBe('1.5');
  expect(read?.(['b', ...Array<number>(depth - 1).fill(0)])).toBeUndefined();
});

describe('nesting deeper than Go decodes', () => {
  const nested = (depth: number, open = '[', close = ']') =>
    open.repeat(depth) + close.repeat(depth);

  test('10,000 levels parse and 10,001 are refused with Go’s text', () => {
    expect(MAX_NESTING_DEPTH).toBe(10_000);
    expect(Array.isArray(parseJson(nested(10_000)))).toBe(true);
    expect(() => parseJson(nested(10_001))).toThrow(
      new JsonDepthError("invalid character '[' exceeded max depth"),
    );
    const objects = `${'{"a":'.repeat(10_001)}1${'}'.repeat(10_001)}`;
    expect(() => parseJson(objects)).toThrow(
      new JsonDepthError("invalid character '{' exceeded max depth"),
    );
  });

  test('brackets in strings, after escaped quotes too, do not count', () => {
    const text = `["\\"${'['.repeat(20_000)}", ${nested(9_999)}]`;
    expect((parseJson(text) as unknown[]).length).toBe(2);
  });

  test('closed levels do not count: depth is how many are open at once', () => {
    const text = `[${Array.from({ length: 3 }, () => nested(9_000)).join(',')}]`;
    expect((parseJson(text) as unknown[]).length).toBe(3);
  });

  test('a syntax error before the deep part is the error, as Go reads in order', () => {
    expect(() => parseJson(`[x${'['.repeat(20_000)}`)).toThrow(SyntaxError);
    expect(() => parseJson(`[x${'['.repeat(20_000)}`)).not.toThrow(JsonDepthError);
  });

  test('a megabyte of opening brackets is refused without overflowing the stack', () => {
    expect(() => parseJson('['.repeat(1_000_000))).toThrow(JsonDepthError);
    expect(() => parseJson('{"a":'.repeat(200_000))).toThrow(JsonDepthError);
  });
});
