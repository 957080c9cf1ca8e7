import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { QueryOptionsSchema, WriteOptionsSchema } from './query.js';
import { AllocListQuerySchema, AllocStopQuerySchema } from './routes/allocations.js';

/** The text the server answers: the first issue's message. */
function firstError(schema: z.ZodTypeAny, query: Record<string, unknown>): string | undefined {
  const r = schema.safeParse(query);
  return r.success ? undefined : r.error.issues[0]?.message;
}

const parse = (query: Record<string, unknown>) => QueryOptionsSchema.parse(query);

describe('shared query options', () => {
  test('defaults when absent', () => {
    expect(parse({})).toEqual({
      region: undefined,
      stale: false,
      prefix: '',
      namespace: 'default',
      per_page: 0,
      next_token: '',
      filter: '',
      reverse: false,
      wait: 0,
      index: 0,
      pretty: false,
    });
  });

  test('unknown keys are ignored', () => {
    expect(parse({ consistent: '', foo: 'bar' })).not.toHaveProperty('foo');
  });

  test('repeated keys: the first value wins', () => {
    expect(parse({ namespace: ['a', 'b'], index: ['7', 'x'] })).toMatchObject({
      namespace: 'a',
      index: 7,
    });
  });

  test('region, prefix, namespace, next_token, filter are verbatim; empty means default', () => {
    expect(
      parse({ region: 'eu', prefix: 'ab', namespace: '*', next_token: '12.x', filter: 'a == "b"' }),
    ).toMatchObject({
      region: 'eu',
      prefix: 'ab',
      namespace: '*',
      next_token: '12.x',
      filter: 'a == "b"',
    });
    expect(parse({ namespace: '', region: '' })).toMatchObject({
      namespace: 'default',
      region: undefined,
    });
  });

  test.each([
    ['', true],
    ['1', true],
    ['t', true],
    ['True', true],
    ['0', false],
    ['F', false],
    ['false', false],
  ])('stale=%j → %s', (value, expected) => expect(parse({ stale: value }).stale).toBe(expected));

  test.each(['maybe', 'yes', 'tRuE'])('stale=%j is a 400', (value) =>
    expect(firstError(QueryOptionsSchema, { stale: value })).toBe(
      'Expect `true` or `false` for `stale` query string parameter',
    ),
  );

  test.each([
    ['5', 5],
    ['-1', -1],
    ['+3', 3],
    ['2147483647', 2147483647],
    ['-2147483648', -2147483648],
    ['', 0],
  ])('per_page=%j → %d', (value, expected) =>
    expect(parse({ per_page: value }).per_page).toBe(expected),
  );

  test.each(['abc', '1.5', '2147483648', '-2147483649', ' 1', '0x10'])(
    'per_page=%j is a 400',
    (value) =>
      expect(firstError(QueryOptionsSchema, { per_page: value })).toBe(
        'Expect a number for `per_page` query string parameter',
      ),
  );

  test.each([
    ['true', true],
    ['True', false],
    ['1', false],
    ['', false],
  ])('reverse=%j → %s', (value, expected) =>
    expect(parse({ reverse: value }).reverse).toBe(expected),
  );

  test.each([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['300us', 0.3],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['', 0],
  ])('wait=%j → %d ms', (value, expected) => expect(parse({ wait: value }).wait).toBe(expected));

  test.each(['10', 'abc', '5d', '1.5'])('wait=%j is a 400', (value) =>
    expect(firstError(QueryOptionsSchema, { wait: value })).toBe('Invalid wait time'),
  );

  test.each([
    ['0', 0],
    ['42', 42],
    ['18446744073709551615', 2 ** 64],
    ['', 0],
  ])('index=%j → %d', (value, expected) => expect(parse({ index: value }).index).toBe(expected));

  test.each(['abc', '-1', '1.0', '18446744073709551616', '+1'])('index=%j is a 400', (value) =>
    expect(firstError(QueryOptionsSchema, { index: value })).toBe('Invalid index'),
  );

  test.each([
    [undefined, false],
    ['', true],
    ['1', true],
    ['false', true],
    ['0', false],
  ])('pretty=%j → %s', (value, expected) => expect(parse({ pretty: value }).pretty).toBe(expected));

  test('typed callers may pass numbers and booleans', () => {
    expect(parse({ stale: true, per_page: 10, reverse: true, index: 9 })).toMatchObject({
      stale: true,
      per_page: 10,
      reverse: true,
      index: 9,
    });
  });

  test('the first failure in parse order is the one reported', () => {
    const all = { index: 'x', wait: 'x', per_page: 'x', stale: 'x' };
    expect(firstError(QueryOptionsSchema, all)).toBe(
      'Expect `true` or `false` for `stale` query string parameter',
    );
    expect(firstError(QueryOptionsSchema, { index: 'x', wait: 'x', per_page: 'x' })).toBe(
      'Expect a number for `per_page` query string parameter',
    );
    expect(firstError(QueryOptionsSchema, { index: 'x', wait: 'x' })).toBe('Invalid wait time');
  });
});

describe('List query', () => {
  test('booleans: absent or empty means not given', () => {
    const absent = AllocListQuerySchema.parse({});
    expect([absent.resources, absent.task_states]).toEqual([undefined, undefined]);
    const empty = AllocListQuerySchema.parse({ resources: '', task_states: '' });
    expect([empty.resources, empty.task_states]).toEqual([undefined, undefined]);
    expect(AllocListQuerySchema.parse({ resources: 'T', task_states: '0' })).toMatchObject({
      resources: true,
      task_states: false,
    });
  });

  test('bad booleans carry Go text', () => {
    expect(firstError(AllocListQuerySchema, { resources: 'maybe' })).toBe(
      'Failed to parse value of "resources" (maybe) as a bool: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
    expect(firstError(AllocListQuerySchema, { task_states: 'nope', resources: 'x' })).toBe(
      'Failed to parse value of "resources" (x) as a bool: strconv.ParseBool: parsing "x": invalid syntax',
    );
  });

  test('a bad wait wins over a bad resources', () => {
    expect(firstError(AllocListQuerySchema, { resources: 'maybe', wait: 'x' })).toBe(
      'Invalid wait time',
    );
  });
});

describe('Stop query', () => {
  test('no_shutdown_delay before reschedule; read options are ignored', () => {
    expect(
      firstError(AllocStopQuerySchema, { reschedule: 'y', no_shutdown_delay: 'x', index: 'bad' }),
    ).toBe(
      'Failed to parse value of "no_shutdown_delay" (x) as a bool: strconv.ParseBool: parsing "x": invalid syntax',
    );
    expect(AllocStopQuerySchema.parse({ index: 'bad', wait: 'bad', reschedule: 'true' })).toEqual({
      no_shutdown_delay: undefined,
      reschedule: true,
      namespace: 'default',
      region: undefined,
      idempotency_token: '',
    });
  });

  test('write options alone', () => {
    expect(WriteOptionsSchema.parse({ namespace: 'ns', idempotency_token: 'k' })).toEqual({
      namespace: 'ns',
      region: undefined,
      idempotency_token: 'k',
    });
  });
});
