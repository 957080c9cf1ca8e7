// Go's printing of numbers and ordering of strings, as the diff shows and sorts them.
import { expect, test } from 'vitest';
import { compareGoStrings, goNumber, goPrimitive } from './go-format.js';
import { flattenAll, flattenPrimitive } from './flatten.js';

test("numbers print as Go's %v prints an int or a float64", () => {
  expect([0, -0, 42, -7, 30_000_000_000, 2 ** 53].map(goNumber)).toEqual([
    '0',
    '0',
    '42',
    '-7',
    '30000000000',
    '9007199254740992',
  ]);
  // Exponents from 1e21 and below 1e-4, with at least two digits, as Go's strconv 'g'.
  expect([0.5, 1e21, 1.5e-5, 0.0001, 123.25].map(goNumber)).toEqual([
    '0.5',
    '1e+21',
    '1.5e-05',
    '0.0001',
    '123.25',
  ]);
  expect([true, false, 'x', null, {}].map(goPrimitive)).toEqual([
    'true',
    'false',
    'x',
    undefined,
    undefined,
  ]);
});

test('strings sort bytewise on UTF-8 (code point order), as Go compares them', () => {
  const names = ['b', 'a', 'B', '\u{1F600}', '\uFF5E', 'aa', ''];
  // UTF-16 order would put the emoji (a surrogate pair) before U+FF5E.
  expect([...names].sort(compareGoStrings)).toEqual([
    '',
    'B',
    'a',
    'aa',
    'b',
    '\uFF5E',
    '\u{1F600}',
  ]);
});

test('a primitive flatten keeps fields and map entries, skips structs, lists and pointers', () => {
  const flat = flattenPrimitive(
    {
      Name: 'web',
      Count: 2,
      Leader: false,
      Meta: { team: 'a', nested: { x: 1 } },
      Resources: { CPU: 100 },
      Tags: ['a'],
      ShutdownDelay: 5,
      Missing: null,
    },
    { maps: ['Meta'], pointers: ['ShutdownDelay'] },
    ['Name'],
  );
  expect(Object.fromEntries(flat!)).toEqual({ Count: '2', Leader: 'false', 'Meta[team]': 'a' });
  expect(flattenPrimitive(null)).toBeUndefined();
});

test('a full flatten walks a driver config as Go flattens a map[string]interface{}', () => {
  const flat = flattenAll({
    command: '/bin/app',
    args: ['-p', 8080],
    mounts: [{ target: '/data', readonly: true }],
    labels: { env: 'prod' },
    entrypoint: null,
    empty: [],
  });
  expect(Object.fromEntries(flat!)).toEqual({
    command: '/bin/app',
    'args[0]': '-p',
    'args[1]': '8080',
    'mounts[0][target]': '/data',
    'mounts[0][readonly]': 'true',
    'labels[env]': 'prod',
    entrypoint: 'nil',
  });
});
