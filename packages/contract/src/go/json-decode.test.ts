import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { goJsonDecoder, MAX_FREE_FORM_DEPTH, type GoStruct } from './json-decode.js';
import { parseJson } from './json-text.js';

// One field of each Go numeric type, in a struct inside a slice, as Nomad's job nests them.
const TYPES = [
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'time.Duration',
  'float32',
  'float64',
] as const;
const field = (type: string) => `F_${type.replace('.', '_')}`;

const Inner = z.object(Object.fromEntries(TYPES.map((t) => [field(t), z.number()])));
const Outer = z.object({ Items: z.array(Inner), N: z.number() });
const structs = new Map<z.ZodTypeAny, GoStruct>([
  [Outer, { name: 'Outer', type: 'api.Outer', types: { N: '*int', Items: '[]*api.Inner' } }],
  [
    Inner,
    {
      name: 'Inner',
      type: 'api.Inner',
      types: Object.fromEntries(TYPES.map((t) => [field(t), `*${t}`])),
    },
  ],
]);
const decode = goJsonDecoder(Outer, structs);

/** Decodes `{"Items":[{}, {<field of type>: <literal>}]}` sent as text. */
const decodeText = (type: string, literal: string) =>
  decode(parseJson(`{"Items":[{},{"${field(type)}":${literal}}]}`));

const refusal = (type: string, literal: string) =>
  `json: cannot unmarshal number ${literal} into Go struct field Inner.Items.${field(type)} of type ${type}`;

test.each([
  [
    'int',
    '-9223372036854775808',
    '9223372036854775807',
    '-9223372036854775809',
    '9223372036854775808',
  ],
  [
    'int64',
    '-9223372036854775808',
    '9223372036854775807',
    '-9223372036854775809',
    '9223372036854775808',
  ],
  [
    'time.Duration',
    '-9223372036854775808',
    '9223372036854775807',
    '-9223372036854775809',
    '9223372036854775808',
  ],
  ['int32', '-2147483648', '2147483647', '-2147483649', '2147483648'],
  ['int16', '-32768', '32767', '-32769', '32768'],
  ['int8', '-128', '127', '-129', '128'],
  ['uint', '0', '18446744073709551615', '-1', '18446744073709551616'],
  ['uint64', '0', '18446744073709551615', '-1', '18446744073709551616'],
  ['uint32', '0', '4294967295', '-1', '4294967296'],
  ['uint16', '0', '65535', '-1', '65536'],
  ['uint8', '0', '255', '-1', '256'],
])(
  "%s: its bounds decode, one past them fails with Go's text and the literal sent",
  (type, min, max, below, above) => {
    for (const ok of [min, max]) {
      expect(decodeText(type, ok)).toEqual({
        ok: true,
        value: { Items: [{}, { [field(type)]: Number(ok) }] },
      });
    }
    expect(decodeText(type, below)).toEqual({ ok: false, error: refusal(type, below) });
    expect(decodeText(type, above)).toEqual({ ok: false, error: refusal(type, above) });
  },
);

test.each(['int', 'int8', 'uint64', 'time.Duration'])(
  '%s: fractions and exponents are refused even when their value is whole',
  (type) => {
    for (const literal of ['1.5', '1.0', '1e2', '2E0', '1e400']) {
      expect(decodeText(type, literal)).toEqual({ ok: false, error: refusal(type, literal) });
    }
  },
);

test('floats take fractions and exponents and refuse overflow', () => {
  expect(decodeText('float64', '1.5e3')).toEqual({
    ok: true,
    value: { Items: [{}, { F_float64: 1500 }] },
  });
  expect(decodeText('float64', '1e400')).toEqual({ ok: false, error: refusal('float64', '1e400') });
  expect(decodeText('float32', '1e39')).toEqual({ ok: false, error: refusal('float32', '1e39') });
});

test('a field of the root struct names the root in the error', () => {
  expect(decode(parseJson('{"N":9223372036854775808}'))).toEqual({
    ok: false,
    error:
      'json: cannot unmarshal number 9223372036854775808 into Go struct field Outer.N of type int',
  });
});

test('a value built in memory (no text) is checked from its double', () => {
  expect(decode({ N: 2 ** 63 })).toEqual({
    ok: false,
    error:
      'json: cannot unmarshal number 9223372036854775808 into Go struct field Outer.N of type int',
  });
  expect(decode({ N: 1.5 }).ok).toBe(false);
  expect(decode({ N: 2 ** 62 })).toEqual({ ok: true, value: { N: 2 ** 62 } });
});

test('a duplicate key decodes the last value with its own literal', () => {
  expect(decode(parseJson('{"N":1.5,"N":2}'))).toEqual({ ok: true, value: { N: 2 } });
  expect(decode(parseJson('{"N":2,"n":1e2}'))).toEqual({
    ok: false,
    error: 'json: cannot unmarshal number 1e2 into Go struct field Outer.N of type int',
  });
});

describe('free-form values nest at most MAX_FREE_FORM_DEPTH levels', () => {
  // A task-like struct: a free-form map, a bare `interface{}` field, and unknown keys kept.
  const Task = z.object({ Config: z.record(z.unknown()), Any: z.unknown() }).passthrough();
  const Group = z.object({ Tasks: z.array(Task) });
  const decodeGroup = goJsonDecoder(
    Group,
    new Map<z.ZodTypeAny, GoStruct>([
      [Group, { name: 'Group', type: 'api.Group' }],
      [Task, { name: 'Task', type: 'api.Task' }],
    ]),
  );
  const tooDeep = (field: string) =>
    `json: Go struct field Task.Tasks.${field} nests objects and arrays deeper than ${MAX_FREE_FORM_DEPTH} levels (berth's limit for free-form values)`;

  /** A value of `levels` nested containers, alternating objects and arrays, with a leaf. */
  const nested = (levels: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { k: value };
    return value;
  };
  const withTask = (task: Record<string, unknown>) => decodeGroup({ Tasks: [task] });

  test('a Config of exactly the limit decodes unchanged; one level more is refused', () => {
    // The Config map is its own first level.
    const atLimit = { a: nested(MAX_FREE_FORM_DEPTH - 1) };
    expect(withTask({ Config: atLimit })).toEqual({
      ok: true,
      value: { Tasks: [{ Config: atLimit }] },
    });
    expect(withTask({ Config: { a: nested(MAX_FREE_FORM_DEPTH) } })).toEqual({
      ok: false,
      error: tooDeep('Config'),
    });
  });

  test('an interface{} field and an unknown key kept on a passthrough struct are bounded alike', () => {
    const atLimit = nested(MAX_FREE_FORM_DEPTH);
    expect(withTask({ Any: atLimit, Extra: atLimit })).toEqual({
      ok: true,
      value: { Tasks: [{ Any: atLimit, Extra: atLimit }] },
    });
    const over = nested(MAX_FREE_FORM_DEPTH + 1);
    expect(withTask({ Any: over })).toEqual({ ok: false, error: tooDeep('Any') });
    expect(withTask({ Extra: over })).toEqual({ ok: false, error: tooDeep('Extra') });
  });

  test('the deepest branch counts, wherever it is among wide siblings', () => {
    const wide = Array.from({ length: 100 }, (_, i) =>
      i === 57 ? nested(MAX_FREE_FORM_DEPTH) : {},
    );
    expect(withTask({ Any: { x: 1, y: [1, 2, { z: null }], w: wide } }).ok).toBe(false);
    expect(withTask({ Any: wide }).ok).toBe(false);
    expect(withTask({ Any: wide.slice(0, 57) }).ok).toBe(true);
  });

  test('a value nested 9,000 levels deep (built past JSON.parse) is refused, not a stack overflow', () => {
    const deep = parseJson(`{"Tasks":[{"Config":{"a":${'['.repeat(9000)}${']'.repeat(9000)}}}]}`);
    expect(decodeGroup(deep)).toEqual({ ok: false, error: tooDeep('Config') });
  });
});
